-- pgTAP for supabase/migrations/1045_api_merchants.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(19);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['merchant_apply', 'merchant_cashiers', 'merchant_sales', 'merchant_status'], '{"merchant_sales": "{\"range\":\"7d\"}"}');

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.merchant_apply(jsonb)', 'execute')), array['authenticated']::text[],
  'api.merchant_apply(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.merchant_apply(jsonb)'::regprocedure), 'api.merchant_apply(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.merchant_apply(jsonb)'::regprocedure), 'api.merchant_apply(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.merchant_cashiers(jsonb)', 'execute')), array['authenticated']::text[],
  'api.merchant_cashiers(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.merchant_cashiers(jsonb)'::regprocedure), 'api.merchant_cashiers(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.merchant_cashiers(jsonb)'::regprocedure), 'api.merchant_cashiers(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.merchant_sales(jsonb)', 'execute')), array['authenticated']::text[],
  'api.merchant_sales(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.merchant_sales(jsonb)'::regprocedure), 'api.merchant_sales(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.merchant_sales(jsonb)'::regprocedure), 'api.merchant_sales(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.merchant_status(jsonb)', 'execute')), array['authenticated']::text[],
  'api.merchant_status(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.merchant_status(jsonb)'::regprocedure), 'api.merchant_status(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.merchant_status(jsonb)'::regprocedure), 'api.merchant_status(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.my_store()', 'execute')), array[]::text[],
  'app.my_store(): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.my_store()'::regprocedure), 'app.my_store() is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.my_store()'::regprocedure), 'app.my_store() pins search_path');
select is((select state from calls where fn = 'merchant_apply'), '42501', 'api.merchant_apply refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'merchant_cashiers'), '42501', 'api.merchant_cashiers refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'merchant_sales'), '42501', 'api.merchant_sales refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'merchant_status'), '42501', 'api.merchant_status refuses a caller who is no member (42501)');

select * from finish();
rollback;
