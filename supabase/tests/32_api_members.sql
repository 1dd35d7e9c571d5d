-- pgTAP for supabase/migrations/1010_api_members.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(63);

-- A signed-in role without a member (a token of nobody) is refused before anything is read or written.
select from tap.call_api_as('authenticated', array['promoter_bind', 'promoter_invite', 'promoter_rewards', 'promoter_team', 'user_profile', 'user_update']);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.promoter_bind(jsonb)', 'execute')), array['authenticated']::text[],
  'api.promoter_bind(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.promoter_bind(jsonb)'::regprocedure), 'api.promoter_bind(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.promoter_bind(jsonb)'::regprocedure), 'api.promoter_bind(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.promoter_invite(jsonb)', 'execute')), array['authenticated']::text[],
  'api.promoter_invite(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.promoter_invite(jsonb)'::regprocedure), 'api.promoter_invite(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.promoter_invite(jsonb)'::regprocedure), 'api.promoter_invite(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.promoter_rewards(jsonb)', 'execute')), array['authenticated']::text[],
  'api.promoter_rewards(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.promoter_rewards(jsonb)'::regprocedure), 'api.promoter_rewards(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.promoter_rewards(jsonb)'::regprocedure), 'api.promoter_rewards(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.promoter_team(jsonb)', 'execute')), array['authenticated']::text[],
  'api.promoter_team(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.promoter_team(jsonb)'::regprocedure), 'api.promoter_team(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.promoter_team(jsonb)'::regprocedure), 'api.promoter_team(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.user_profile(jsonb)', 'execute')), array['authenticated']::text[],
  'api.user_profile(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.user_profile(jsonb)'::regprocedure), 'api.user_profile(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.user_profile(jsonb)'::regprocedure), 'api.user_profile(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.user_update(jsonb)', 'execute')), array['authenticated']::text[],
  'api.user_update(jsonb): executable by authenticated');
select ok((select prosecdef from pg_proc where oid = 'api.user_update(jsonb)'::regprocedure), 'api.user_update(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.user_update(jsonb)'::regprocedure), 'api.user_update(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.bad(text,text)', 'execute')), array[]::text[],
  'app.bad(text,text): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.bad(text,text)'::regprocedure), 'app.bad(text,text) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.bad(text,text)'::regprocedure), 'app.bad(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.bind_referrer(text,text)', 'execute')), array[]::text[],
  'app.bind_referrer(text,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.bind_referrer(text,text)'::regprocedure), 'app.bind_referrer(text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.bind_referrer(text,text)'::regprocedure), 'app.bind_referrer(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.conflict(text,text,text)', 'execute')), array[]::text[],
  'app.conflict(text,text,text): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.conflict(text,text,text)'::regprocedure), 'app.conflict(text,text,text) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.conflict(text,text,text)'::regprocedure), 'app.conflict(text,text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.is_web_url(text)', 'execute')), array[]::text[],
  'app.is_web_url(text): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.is_web_url(text)'::regprocedure), 'app.is_web_url(text) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.is_web_url(text)'::regprocedure), 'app.is_web_url(text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.login_wechat(text,text,text,text)', 'execute')), array['service_role']::text[],
  'app.login_wechat(text,text,text,text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.login_wechat(text,text,text,text)'::regprocedure), 'app.login_wechat(text,text,text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.login_wechat(text,text,text,text)'::regprocedure), 'app.login_wechat(text,text,text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.mask_name(text,text)', 'execute')), array[]::text[],
  'app.mask_name(text,text): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.mask_name(text,text)'::regprocedure), 'app.mask_name(text,text) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.mask_name(text,text)'::regprocedure), 'app.mask_name(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.me()', 'execute')), array[]::text[],
  'app.me(): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.me()'::regprocedure), 'app.me() is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.me()'::regprocedure), 'app.me() pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.not_found(text,text)', 'execute')), array[]::text[],
  'app.not_found(text,text): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.not_found(text,text)'::regprocedure), 'app.not_found(text,text) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.not_found(text,text)'::regprocedure), 'app.not_found(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.notify(text,text,text,text,text,text,jsonb)', 'execute')), array[]::text[],
  'app.notify(text,text,text,text,text,text,jsonb): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.notify(text,text,text,text,text,text,jsonb)'::regprocedure), 'app.notify(text,text,text,text,text,text,jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.notify(text,text,text,text,text,text,jsonb)'::regprocedure), 'app.notify(text,text,text,text,text,text,jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.page_cursor(jsonb,bigint)', 'execute')), array['anon', 'authenticated']::text[],
  'app.page_cursor(jsonb,bigint): executable by anon, authenticated');
select ok(not (select prosecdef from pg_proc where oid = 'app.page_cursor(jsonb,bigint)'::regprocedure), 'app.page_cursor(jsonb,bigint) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.page_cursor(jsonb,bigint)'::regprocedure), 'app.page_cursor(jsonb,bigint) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.random_code(integer)', 'execute')), array[]::text[],
  'app.random_code(integer): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.random_code(integer)'::regprocedure), 'app.random_code(integer) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.random_code(integer)'::regprocedure), 'app.random_code(integer) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.require_operator(text[])', 'execute')), array[]::text[],
  'app.require_operator(text[]): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.require_operator(text[])'::regprocedure), 'app.require_operator(text[]) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.require_operator(text[])'::regprocedure), 'app.require_operator(text[]) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.user_profile_json(text)', 'execute')), array['service_role']::text[],
  'app.user_profile_json(text): executable by service_role');
select ok((select prosecdef from pg_proc where oid = 'app.user_profile_json(text)'::regprocedure), 'app.user_profile_json(text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.user_profile_json(text)'::regprocedure), 'app.user_profile_json(text) pins search_path');
select is((select state from calls where fn = 'promoter_bind'), '42501', 'api.promoter_bind refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'promoter_invite'), '42501', 'api.promoter_invite refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'promoter_rewards'), '42501', 'api.promoter_rewards refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'promoter_team'), '42501', 'api.promoter_team refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'user_profile'), '42501', 'api.user_profile refuses a caller who is no member (42501)');
select is((select state from calls where fn = 'user_update'), '42501', 'api.user_update refuses a caller who is no member (42501)');

select * from finish();
rollback;
