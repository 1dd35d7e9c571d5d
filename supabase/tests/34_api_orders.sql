-- pgTAP for supabase/migrations/1030_api_orders.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(89);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['cashier_checkout', 'orders_checkout', 'orders_detail', 'orders_list', 'orders_pay_info', 'orders_payment_of', 'orders_preview', 'orders_refund'], '{"orders_payment_of": "{\"paymentId\":\"wx-none\"}"}');

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.cashier_checkout(jsonb)', 'execute')), array['authenticated']::text[],
  'api.cashier_checkout(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.cashier_checkout(jsonb)'::regprocedure), 'api.cashier_checkout(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.cashier_checkout(jsonb)'::regprocedure), 'api.cashier_checkout(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_checkout(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_checkout(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_checkout(jsonb)'::regprocedure), 'api.orders_checkout(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_checkout(jsonb)'::regprocedure), 'api.orders_checkout(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_detail(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_detail(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_detail(jsonb)'::regprocedure), 'api.orders_detail(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_detail(jsonb)'::regprocedure), 'api.orders_detail(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_list(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_list(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_list(jsonb)'::regprocedure), 'api.orders_list(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_list(jsonb)'::regprocedure), 'api.orders_list(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_pay_info(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_pay_info(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_pay_info(jsonb)'::regprocedure), 'api.orders_pay_info(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_pay_info(jsonb)'::regprocedure), 'api.orders_pay_info(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_payment_of(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_payment_of(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_payment_of(jsonb)'::regprocedure), 'api.orders_payment_of(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_payment_of(jsonb)'::regprocedure), 'api.orders_payment_of(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_preview(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_preview(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_preview(jsonb)'::regprocedure), 'api.orders_preview(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_preview(jsonb)'::regprocedure), 'api.orders_preview(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.orders_refund(jsonb)', 'execute')), array['authenticated']::text[],
  'api.orders_refund(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.orders_refund(jsonb)'::regprocedure), 'api.orders_refund(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.orders_refund(jsonb)'::regprocedure), 'api.orders_refund(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.apply_paid_order(text)', 'execute')), array['service_role']::text[],
  'app.apply_paid_order(text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.apply_paid_order(text)'::regprocedure), 'app.apply_paid_order(text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.apply_paid_order(text)'::regprocedure), 'app.apply_paid_order(text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.close_order(text)', 'execute')), array['service_role']::text[],
  'app.close_order(text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.close_order(text)'::regprocedure), 'app.close_order(text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.close_order(text)'::regprocedure), 'app.close_order(text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.complete_due(timestamp with time zone,integer)', 'execute')), array['service_role']::text[],
  'app.complete_due(timestamp with time zone,integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.complete_due(timestamp with time zone,integer)'::regprocedure), 'app.complete_due(timestamp with time zone,integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.complete_due(timestamp with time zone,integer)'::regprocedure), 'app.complete_due(timestamp with time zone,integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.confirm_payment(text,text,bigint,text,timestamp with time zone)', 'execute')), array['service_role']::text[],
  'app.confirm_payment(text,text,bigint,text,timestamp with time zone): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.confirm_payment(text,text,bigint,text,timestamp with time zone)'::regprocedure), 'app.confirm_payment(text,text,bigint,text,timestamp with time zone) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.confirm_payment(text,text,bigint,text,timestamp with time zone)'::regprocedure), 'app.confirm_payment(text,text,bigint,text,timestamp with time zone) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.confirm_refund(text,text,bigint,timestamp with time zone)', 'execute')), array['service_role']::text[],
  'app.confirm_refund(text,text,bigint,timestamp with time zone): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.confirm_refund(text,text,bigint,timestamp with time zone)'::regprocedure), 'app.confirm_refund(text,text,bigint,timestamp with time zone) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.confirm_refund(text,text,bigint,timestamp with time zone)'::regprocedure), 'app.confirm_refund(text,text,bigint,timestamp with time zone) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.create_order(text,text,jsonb,text,text,text)', 'execute')), array[]::text[],
  'app.create_order(text,text,jsonb,text,text,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.create_order(text,text,jsonb,text,text,text)'::regprocedure), 'app.create_order(text,text,jsonb,text,text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.create_order(text,text,jsonb,text,text,text)'::regprocedure), 'app.create_order(text,text,jsonb,text,text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.expired_unpaid(integer)', 'execute')), array['service_role']::text[],
  'app.expired_unpaid(integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.expired_unpaid(integer)'::regprocedure), 'app.expired_unpaid(integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.expired_unpaid(integer)'::regprocedure), 'app.expired_unpaid(integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.iso(timestamp with time zone)', 'execute')), array[]::text[],
  'app.iso(timestamp with time zone): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.iso(timestamp with time zone)'::regprocedure), 'app.iso(timestamp with time zone) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.iso(timestamp with time zone)'::regprocedure), 'app.iso(timestamp with time zone) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.move_deductions(text,text,text,app.orders,text,text)', 'execute')), array[]::text[],
  'app.move_deductions(text,text,text,app.orders,text,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.move_deductions(text,text,text,app.orders,text,text)'::regprocedure), 'app.move_deductions(text,text,text,app.orders,text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.move_deductions(text,text,text,app.orders,text,text)'::regprocedure), 'app.move_deductions(text,text,text,app.orders,text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.new_id(text)', 'execute')), array[]::text[],
  'app.new_id(text): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.new_id(text)'::regprocedure), 'app.new_id(text) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.new_id(text)'::regprocedure), 'app.new_id(text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.notify_order_money(text,text)', 'execute')), array[]::text[],
  'app.notify_order_money(text,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.notify_order_money(text,text)'::regprocedure), 'app.notify_order_money(text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.notify_order_money(text,text)'::regprocedure), 'app.notify_order_money(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.order_summary(app.orders)', 'execute')), array[]::text[],
  'app.order_summary(app.orders): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.order_summary(app.orders)'::regprocedure), 'app.order_summary(app.orders) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.order_summary(app.orders)'::regprocedure), 'app.order_summary(app.orders) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.price_cart(text,jsonb)', 'execute')), array[]::text[],
  'app.price_cart(text,jsonb): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.price_cart(text,jsonb)'::regprocedure), 'app.price_cart(text,jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.price_cart(text,jsonb)'::regprocedure), 'app.price_cart(text,jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.record_prepay(text,text)', 'execute')), array['service_role']::text[],
  'app.record_prepay(text,text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.record_prepay(text,text)'::regprocedure), 'app.record_prepay(text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.record_prepay(text,text)'::regprocedure), 'app.record_prepay(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.refund_failed(text,text)', 'execute')), array['service_role']::text[],
  'app.refund_failed(text,text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.refund_failed(text,text)'::regprocedure), 'app.refund_failed(text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.refund_failed(text,text)'::regprocedure), 'app.refund_failed(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.refund_started(text,text)', 'execute')), array['service_role']::text[],
  'app.refund_started(text,text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.refund_started(text,text)'::regprocedure), 'app.refund_started(text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.refund_started(text,text)'::regprocedure), 'app.refund_started(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.refunds_to_send(integer)', 'execute')), array['service_role']::text[],
  'app.refunds_to_send(integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.refunds_to_send(integer)'::regprocedure), 'app.refunds_to_send(integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.refunds_to_send(integer)'::regprocedure), 'app.refunds_to_send(integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.settle_order(text,timestamp with time zone)', 'execute')), array[]::text[],
  'app.settle_order(text,timestamp with time zone): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.settle_order(text,timestamp with time zone)'::regprocedure), 'app.settle_order(text,timestamp with time zone) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.settle_order(text,timestamp with time zone)'::regprocedure), 'app.settle_order(text,timestamp with time zone) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.split_amount(bigint,bigint[])', 'execute')), array[]::text[],
  'app.split_amount(bigint,bigint[]): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.split_amount(bigint,bigint[])'::regprocedure), 'app.split_amount(bigint,bigint[]) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.split_amount(bigint,bigint[])'::regprocedure), 'app.split_amount(bigint,bigint[]) pins search_path');
select is((select state from calls where fn = 'cashier_checkout'), '42501', 'api.cashier_checkout refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_checkout'), '42501', 'api.orders_checkout refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_detail'), '42501', 'api.orders_detail refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_list'), '42501', 'api.orders_list refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_pay_info'), '42501', 'api.orders_pay_info refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_payment_of'), '42501', 'api.orders_payment_of refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_preview'), '42501', 'api.orders_preview refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'orders_refund'), '42501', 'api.orders_refund refuses a caller who is no member (42501)');

select * from finish();
rollback;
