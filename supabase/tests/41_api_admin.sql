-- pgTAP for supabase/migrations/1046_api_admin.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(25);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['admin_merchant_review', 'admin_refund_review', 'admin_withdrawal_review', 'admin_withdrawals']);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.admin_merchant_review(jsonb)', 'execute')), array['authenticated']::text[],
  'api.admin_merchant_review(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.admin_merchant_review(jsonb)'::regprocedure), 'api.admin_merchant_review(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.admin_merchant_review(jsonb)'::regprocedure), 'api.admin_merchant_review(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.admin_refund_review(jsonb)', 'execute')), array['authenticated']::text[],
  'api.admin_refund_review(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.admin_refund_review(jsonb)'::regprocedure), 'api.admin_refund_review(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.admin_refund_review(jsonb)'::regprocedure), 'api.admin_refund_review(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.admin_withdrawal_review(jsonb)', 'execute')), array['authenticated']::text[],
  'api.admin_withdrawal_review(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.admin_withdrawal_review(jsonb)'::regprocedure), 'api.admin_withdrawal_review(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.admin_withdrawal_review(jsonb)'::regprocedure), 'api.admin_withdrawal_review(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.admin_withdrawals(jsonb)', 'execute')), array['authenticated']::text[],
  'api.admin_withdrawals(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.admin_withdrawals(jsonb)'::regprocedure), 'api.admin_withdrawals(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.admin_withdrawals(jsonb)'::regprocedure), 'api.admin_withdrawals(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.review_merchant(jsonb)', 'execute')), array[]::text[],
  'app.review_merchant(jsonb): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.review_merchant(jsonb)'::regprocedure), 'app.review_merchant(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.review_merchant(jsonb)'::regprocedure), 'app.review_merchant(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.review_refund(jsonb)', 'execute')), array[]::text[],
  'app.review_refund(jsonb): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.review_refund(jsonb)'::regprocedure), 'app.review_refund(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.review_refund(jsonb)'::regprocedure), 'app.review_refund(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.review_withdrawal(jsonb)', 'execute')), array[]::text[],
  'app.review_withdrawal(jsonb): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.review_withdrawal(jsonb)'::regprocedure), 'app.review_withdrawal(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.review_withdrawal(jsonb)'::regprocedure), 'app.review_withdrawal(jsonb) pins search_path');
select is((select state from calls where fn = 'admin_merchant_review'), '42501', 'api.admin_merchant_review refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'admin_refund_review'), '42501', 'api.admin_refund_review refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'admin_withdrawal_review'), '42501', 'api.admin_withdrawal_review refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'admin_withdrawals'), '42501', 'api.admin_withdrawals refuses a caller who is no member (42501)');

select * from finish();
rollback;
