-- pgTAP for supabase/migrations/1043_api_inbox.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(12);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['inbox_list', 'inbox_mark_read', 'inbox_subscribed']);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.inbox_list(jsonb)', 'execute')), array['authenticated']::text[],
  'api.inbox_list(jsonb): executable by authenticated');
select ok(not (select prosecdef from pg_proc where oid = 'api.inbox_list(jsonb)'::regprocedure), 'api.inbox_list(jsonb) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.inbox_list(jsonb)'::regprocedure), 'api.inbox_list(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.inbox_mark_read(jsonb)', 'execute')), array['authenticated']::text[],
  'api.inbox_mark_read(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.inbox_mark_read(jsonb)'::regprocedure), 'api.inbox_mark_read(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.inbox_mark_read(jsonb)'::regprocedure), 'api.inbox_mark_read(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.inbox_subscribed(jsonb)', 'execute')), array['authenticated']::text[],
  'api.inbox_subscribed(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.inbox_subscribed(jsonb)'::regprocedure), 'api.inbox_subscribed(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.inbox_subscribed(jsonb)'::regprocedure), 'api.inbox_subscribed(jsonb) pins search_path');
select is((select state from calls where fn = 'inbox_list'), 'ok', 'api.inbox_list answers a caller who is no member with nothing (RLS)');
select is((select state from calls where fn = 'inbox_mark_read'), '42501', 'api.inbox_mark_read refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'inbox_subscribed'), '42501', 'api.inbox_subscribed refuses a caller who is no member (42501)');

select * from finish();
rollback;
