-- pgTAP for supabase/migrations/1050_api_jobs.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(9);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.jobs_lease(text,integer)', 'execute')), array['service_role']::text[],
  'app.jobs_lease(text,integer): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.jobs_lease(text,integer)'::regprocedure), 'app.jobs_lease(text,integer) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.jobs_lease(text,integer)'::regprocedure), 'app.jobs_lease(text,integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.jobs_release()', 'execute')), array['service_role']::text[],
  'app.jobs_release(): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.jobs_release()'::regprocedure), 'app.jobs_release() is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.jobs_release()'::regprocedure), 'app.jobs_release() pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.record_anomaly(text,text,text,jsonb)', 'execute')), array['service_role']::text[],
  'app.record_anomaly(text,text,text,jsonb): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.record_anomaly(text,text,text,jsonb)'::regprocedure), 'app.record_anomaly(text,text,text,jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.record_anomaly(text,text,text,jsonb)'::regprocedure), 'app.record_anomaly(text,text,text,jsonb) pins search_path');

select * from finish();
rollback;
