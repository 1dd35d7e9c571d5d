-- pgTAP for supabase/migrations/1041_api_wallet.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(19);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['wallet_history', 'wallet_summary', 'wallet_withdraw', 'wallet_withdrawals']);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.wallet_history(jsonb)', 'execute')), array['authenticated']::text[],
  'api.wallet_history(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.wallet_history(jsonb)'::regprocedure), 'api.wallet_history(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.wallet_history(jsonb)'::regprocedure), 'api.wallet_history(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.wallet_summary(jsonb)', 'execute')), array['authenticated']::text[],
  'api.wallet_summary(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.wallet_summary(jsonb)'::regprocedure), 'api.wallet_summary(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.wallet_summary(jsonb)'::regprocedure), 'api.wallet_summary(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.wallet_withdraw(jsonb)', 'execute')), array['authenticated']::text[],
  'api.wallet_withdraw(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.wallet_withdraw(jsonb)'::regprocedure), 'api.wallet_withdraw(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.wallet_withdraw(jsonb)'::regprocedure), 'api.wallet_withdraw(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.wallet_withdrawals(jsonb)', 'execute')), array['authenticated']::text[],
  'api.wallet_withdrawals(jsonb): executable by authenticated');
select ok(not (select prosecdef from pg_proc where oid = 'api.wallet_withdrawals(jsonb)'::regprocedure), 'api.wallet_withdrawals(jsonb) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.wallet_withdrawals(jsonb)'::regprocedure), 'api.wallet_withdrawals(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.withdraw_rule()', 'execute')), array[]::text[],
  'app.withdraw_rule(): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.withdraw_rule()'::regprocedure), 'app.withdraw_rule() is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.withdraw_rule()'::regprocedure), 'app.withdraw_rule() pins search_path');
select is((select state from calls where fn = 'wallet_history'), '42501', 'api.wallet_history refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'wallet_summary'), '42501', 'api.wallet_summary refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'wallet_withdraw'), '42501', 'api.wallet_withdraw refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'wallet_withdrawals'), 'ok', 'api.wallet_withdrawals answers a caller who is no member with nothing (RLS)');

select * from finish();
rollback;
