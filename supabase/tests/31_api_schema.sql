-- pgTAP for supabase/migrations/1000_api_schema.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(42);

select ok((select relrowsecurity from pg_class where oid = 'app.cashiers'::regclass), 'app.cashiers has RLS');
select ok(not has_table_privilege('anon', 'app.cashiers', 'insert') and not has_table_privilege('authenticated', 'app.cashiers', 'insert,update,delete'), 'no client role writes app.cashiers');
select ok((select relrowsecurity from pg_class where oid = 'app.categories'::regclass), 'app.categories has RLS');
select ok(not has_table_privilege('anon', 'app.categories', 'insert') and not has_table_privilege('authenticated', 'app.categories', 'insert,update,delete'), 'no client role writes app.categories');
select ok((select relrowsecurity from pg_class where oid = 'app.inbox'::regclass), 'app.inbox has RLS');
select ok(not has_table_privilege('anon', 'app.inbox', 'insert') and not has_table_privilege('authenticated', 'app.inbox', 'insert,update,delete'), 'no client role writes app.inbox');
select ok((select relrowsecurity from pg_class where oid = 'app.job_state'::regclass), 'app.job_state has RLS');
select ok(not has_table_privilege('anon', 'app.job_state', 'insert') and not has_table_privilege('authenticated', 'app.job_state', 'insert,update,delete'), 'no client role writes app.job_state');
select ok((select relrowsecurity from pg_class where oid = 'app.level_names'::regclass), 'app.level_names has RLS');
select ok(not has_table_privilege('anon', 'app.level_names', 'insert') and not has_table_privilege('authenticated', 'app.level_names', 'insert,update,delete'), 'no client role writes app.level_names');
select ok((select relrowsecurity from pg_class where oid = 'app.listings'::regclass), 'app.listings has RLS');
select ok(not has_table_privilege('anon', 'app.listings', 'insert') and not has_table_privilege('authenticated', 'app.listings', 'insert,update,delete'), 'no client role writes app.listings');
select ok((select relrowsecurity from pg_class where oid = 'app.merchant_applications'::regclass), 'app.merchant_applications has RLS');
select ok(not has_table_privilege('anon', 'app.merchant_applications', 'insert') and not has_table_privilege('authenticated', 'app.merchant_applications', 'insert,update,delete'), 'no client role writes app.merchant_applications');
select ok((select relrowsecurity from pg_class where oid = 'app.operators'::regclass), 'app.operators has RLS');
select ok(not has_table_privilege('anon', 'app.operators', 'insert') and not has_table_privilege('authenticated', 'app.operators', 'insert,update,delete'), 'no client role writes app.operators');
select ok((select relrowsecurity from pg_class where oid = 'app.order_lines'::regclass), 'app.order_lines has RLS');
select ok(not has_table_privilege('anon', 'app.order_lines', 'insert') and not has_table_privilege('authenticated', 'app.order_lines', 'insert,update,delete'), 'no client role writes app.order_lines');
select ok((select relrowsecurity from pg_class where oid = 'app.orders'::regclass), 'app.orders has RLS');
select ok(not has_table_privilege('anon', 'app.orders', 'insert') and not has_table_privilege('authenticated', 'app.orders', 'insert,update,delete'), 'no client role writes app.orders');
select ok((select relrowsecurity from pg_class where oid = 'app.outbox'::regclass), 'app.outbox has RLS');
select ok(not has_table_privilege('anon', 'app.outbox', 'insert') and not has_table_privilege('authenticated', 'app.outbox', 'insert,update,delete'), 'no client role writes app.outbox');
select ok((select relrowsecurity from pg_class where oid = 'app.payment_anomalies'::regclass), 'app.payment_anomalies has RLS');
select ok(not has_table_privilege('anon', 'app.payment_anomalies', 'insert') and not has_table_privilege('authenticated', 'app.payment_anomalies', 'insert,update,delete'), 'no client role writes app.payment_anomalies');
select ok((select relrowsecurity from pg_class where oid = 'app.payments'::regclass), 'app.payments has RLS');
select ok(not has_table_privilege('anon', 'app.payments', 'insert') and not has_table_privilege('authenticated', 'app.payments', 'insert,update,delete'), 'no client role writes app.payments');
select ok((select relrowsecurity from pg_class where oid = 'app.product_suppliers'::regclass), 'app.product_suppliers has RLS');
select ok(not has_table_privilege('anon', 'app.product_suppliers', 'insert') and not has_table_privilege('authenticated', 'app.product_suppliers', 'insert,update,delete'), 'no client role writes app.product_suppliers');
select ok((select relrowsecurity from pg_class where oid = 'app.profiles'::regclass), 'app.profiles has RLS');
select ok(not has_table_privilege('anon', 'app.profiles', 'insert') and not has_table_privilege('authenticated', 'app.profiles', 'insert,update,delete'), 'no client role writes app.profiles');
select ok((select relrowsecurity from pg_class where oid = 'app.refunds'::regclass), 'app.refunds has RLS');
select ok(not has_table_privilege('anon', 'app.refunds', 'insert') and not has_table_privilege('authenticated', 'app.refunds', 'insert,update,delete'), 'no client role writes app.refunds');
select ok((select relrowsecurity from pg_class where oid = 'app.site_content'::regclass), 'app.site_content has RLS');
select ok(not has_table_privilege('anon', 'app.site_content', 'insert') and not has_table_privilege('authenticated', 'app.site_content', 'insert,update,delete'), 'no client role writes app.site_content');
select ok((select relrowsecurity from pg_class where oid = 'app.stores'::regclass), 'app.stores has RLS');
select ok(not has_table_privilege('anon', 'app.stores', 'insert') and not has_table_privilege('authenticated', 'app.stores', 'insert,update,delete'), 'no client role writes app.stores');
select ok((select relrowsecurity from pg_class where oid = 'app.subscriptions'::regclass), 'app.subscriptions has RLS');
select ok(not has_table_privilege('anon', 'app.subscriptions', 'insert') and not has_table_privilege('authenticated', 'app.subscriptions', 'insert,update,delete'), 'no client role writes app.subscriptions');
select ok((select relrowsecurity from pg_class where oid = 'app.suppliers'::regclass), 'app.suppliers has RLS');
select ok(not has_table_privilege('anon', 'app.suppliers', 'insert') and not has_table_privilege('authenticated', 'app.suppliers', 'insert,update,delete'), 'no client role writes app.suppliers');
select ok((select relrowsecurity from pg_class where oid = 'app.withdrawals'::regclass), 'app.withdrawals has RLS');
select ok(not has_table_privilege('anon', 'app.withdrawals', 'insert') and not has_table_privilege('authenticated', 'app.withdrawals', 'insert,update,delete'), 'no client role writes app.withdrawals');

select * from finish();
rollback;
