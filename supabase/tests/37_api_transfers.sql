-- pgTAP for supabase/migrations/1042_api_transfers.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(9);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.confirm_transfer(text,text,text,bigint)', 'execute')), array['service_role']::text[],
  'app.confirm_transfer(text,text,text,bigint): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.confirm_transfer(text,text,text,bigint)'::regprocedure), 'app.confirm_transfer(text,text,text,bigint) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.confirm_transfer(text,text,text,bigint)'::regprocedure), 'app.confirm_transfer(text,text,text,bigint) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.transfer_started(text,text,text)', 'execute')), array['service_role']::text[],
  'app.transfer_started(text,text,text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.transfer_started(text,text,text)'::regprocedure), 'app.transfer_started(text,text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.transfer_started(text,text,text)'::regprocedure), 'app.transfer_started(text,text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.transfers_to_send(integer)', 'execute')), array['service_role']::text[],
  'app.transfers_to_send(integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.transfers_to_send(integer)'::regprocedure), 'app.transfers_to_send(integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.transfers_to_send(integer)'::regprocedure), 'app.transfers_to_send(integer) pins search_path');

select * from finish();
rollback;
