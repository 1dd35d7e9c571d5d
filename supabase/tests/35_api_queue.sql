-- pgTAP for supabase/migrations/1040_api_queue.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(30);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['queue_draw', 'queue_entry', 'queue_exchange', 'queue_exchange_preview', 'queue_my_entries', 'queue_progress'], '{"queue_draw": "{\"entryId\":\"1\"}", "queue_entry": "{\"entryId\":\"1\"}", "queue_exchange": "{\"entryId\":\"1\",\"to\":\"points\"}", "queue_exchange_preview": "{\"entryId\":\"1\"}", "queue_progress": "{\"queueKey\":\"product:none\"}"}');

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.queue_draw(jsonb)', 'execute')), array['authenticated']::text[],
  'api.queue_draw(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.queue_draw(jsonb)'::regprocedure), 'api.queue_draw(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.queue_draw(jsonb)'::regprocedure), 'api.queue_draw(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.queue_entry(jsonb)', 'execute')), array['authenticated']::text[],
  'api.queue_entry(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.queue_entry(jsonb)'::regprocedure), 'api.queue_entry(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.queue_entry(jsonb)'::regprocedure), 'api.queue_entry(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.queue_exchange(jsonb)', 'execute')), array['authenticated']::text[],
  'api.queue_exchange(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.queue_exchange(jsonb)'::regprocedure), 'api.queue_exchange(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.queue_exchange(jsonb)'::regprocedure), 'api.queue_exchange(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.queue_exchange_preview(jsonb)', 'execute')), array['authenticated']::text[],
  'api.queue_exchange_preview(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.queue_exchange_preview(jsonb)'::regprocedure), 'api.queue_exchange_preview(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.queue_exchange_preview(jsonb)'::regprocedure), 'api.queue_exchange_preview(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.queue_my_entries(jsonb)', 'execute')), array['authenticated']::text[],
  'api.queue_my_entries(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.queue_my_entries(jsonb)'::regprocedure), 'api.queue_my_entries(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.queue_my_entries(jsonb)'::regprocedure), 'api.queue_my_entries(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.queue_progress(jsonb)', 'execute')), array['authenticated']::text[],
  'api.queue_progress(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.queue_progress(jsonb)'::regprocedure), 'api.queue_progress(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.queue_progress(jsonb)'::regprocedure), 'api.queue_progress(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.entry_ahead(rebate.entries,text)', 'execute')), array[]::text[],
  'app.entry_ahead(rebate.entries,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.entry_ahead(rebate.entries,text)'::regprocedure), 'app.entry_ahead(rebate.entries,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.entry_ahead(rebate.entries,text)'::regprocedure), 'app.entry_ahead(rebate.entries,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.my_entry_json(rebate.entries)', 'execute')), array[]::text[],
  'app.my_entry_json(rebate.entries): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.my_entry_json(rebate.entries)'::regprocedure), 'app.my_entry_json(rebate.entries) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.my_entry_json(rebate.entries)'::regprocedure), 'app.my_entry_json(rebate.entries) pins search_path');
select is((select state from calls where fn = 'queue_draw'), '42501', 'api.queue_draw refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'queue_entry'), '42501', 'api.queue_entry refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'queue_exchange'), '42501', 'api.queue_exchange refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'queue_exchange_preview'), '42501', 'api.queue_exchange_preview refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'queue_my_entries'), '42501', 'api.queue_my_entries refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'queue_progress'), 'P0002', 'api.queue_progress refuses an unknown queue (P0002) before anything else');

select * from finish();
rollback;
