-- pgTAP for supabase/migrations/1044_api_outbox.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(18);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.notify_payouts(integer)', 'execute')), array['service_role']::text[],
  'app.notify_payouts(integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.notify_payouts(integer)'::regprocedure), 'app.notify_payouts(integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.notify_payouts(integer)'::regprocedure), 'app.notify_payouts(integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.outbox_pending(integer)', 'execute')), array['service_role']::text[],
  'app.outbox_pending(integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.outbox_pending(integer)'::regprocedure), 'app.outbox_pending(integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.outbox_pending(integer)'::regprocedure), 'app.outbox_pending(integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.outbox_result(bigint,text,text)', 'execute')), array['service_role']::text[],
  'app.outbox_result(bigint,text,text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.outbox_result(bigint,text,text)'::regprocedure), 'app.outbox_result(bigint,text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.outbox_result(bigint,text,text)'::regprocedure), 'app.outbox_result(bigint,text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.notify_clearing_soon(timestamptz)', 'execute')), array['service_role']::text[],
  'app.notify_clearing_soon(timestamptz): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.notify_clearing_soon(timestamptz)'::regprocedure), 'app.notify_clearing_soon(timestamptz) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.notify_clearing_soon(timestamptz)'::regprocedure), 'app.notify_clearing_soon(timestamptz) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.notify_clearing_done()', 'execute')), array['service_role']::text[],
  'app.notify_clearing_done(): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.notify_clearing_done()'::regprocedure), 'app.notify_clearing_done() is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.notify_clearing_done()'::regprocedure), 'app.notify_clearing_done() pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated']) r where has_function_privilege(r, 'app.clearing_notice_lead()', 'execute')), array[]::text[],
  'app.clearing_notice_lead(): executable by no client role');
select ok((select not prosecdef from pg_proc where oid = 'app.clearing_notice_lead()'::regprocedure), 'app.clearing_notice_lead() is security invoker (a constant)');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.clearing_notice_lead()'::regprocedure), 'app.clearing_notice_lead() pins search_path');

select * from finish();
rollback;
