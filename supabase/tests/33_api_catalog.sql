-- pgTAP for supabase/migrations/1020_api_catalog.sql (generated from its functions, then kept by hand):
-- per function who may execute it, definer or invoker, a pinned search_path;
-- member-only api functions refuse a caller who is no member, public reads
-- answer a signed-out one. Behaviour per action: test/stack/api-sql.test.ts,
-- api-missing-keys.test.ts.
begin;
select plan(43);

-- Public reads answer a signed-out caller.
select from tap.call_api_as('anon', array['catalog_categories', 'catalog_home', 'catalog_products', 'settings_display']);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.cashier_info(jsonb)', 'execute')), array['anon', 'authenticated', 'service_role']::text[],
  'api.cashier_info(jsonb): executable by anon, authenticated, service_role');
select ok((select prosecdef from pg_proc where oid = 'api.cashier_info(jsonb)'::regprocedure), 'api.cashier_info(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.cashier_info(jsonb)'::regprocedure), 'api.cashier_info(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.catalog_categories(jsonb)', 'execute')), array['anon', 'authenticated', 'service_role']::text[],
  'api.catalog_categories(jsonb): executable by anon, authenticated, service_role');
select ok((select prosecdef from pg_proc where oid = 'api.catalog_categories(jsonb)'::regprocedure), 'api.catalog_categories(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.catalog_categories(jsonb)'::regprocedure), 'api.catalog_categories(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.catalog_home(jsonb)', 'execute')), array['anon', 'authenticated', 'service_role']::text[],
  'api.catalog_home(jsonb): executable by anon, authenticated, service_role');
select ok((select prosecdef from pg_proc where oid = 'api.catalog_home(jsonb)'::regprocedure), 'api.catalog_home(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.catalog_home(jsonb)'::regprocedure), 'api.catalog_home(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.catalog_product(jsonb)', 'execute')), array['anon', 'authenticated', 'service_role']::text[],
  'api.catalog_product(jsonb): executable by anon, authenticated, service_role');
select ok((select prosecdef from pg_proc where oid = 'api.catalog_product(jsonb)'::regprocedure), 'api.catalog_product(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.catalog_product(jsonb)'::regprocedure), 'api.catalog_product(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.catalog_products(jsonb)', 'execute')), array['anon', 'authenticated', 'service_role']::text[],
  'api.catalog_products(jsonb): executable by anon, authenticated, service_role');
select ok((select prosecdef from pg_proc where oid = 'api.catalog_products(jsonb)'::regprocedure), 'api.catalog_products(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.catalog_products(jsonb)'::regprocedure), 'api.catalog_products(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.settings_display(jsonb)', 'execute')), array['anon', 'authenticated', 'service_role']::text[],
  'api.settings_display(jsonb): executable by anon, authenticated, service_role');
select ok((select prosecdef from pg_proc where oid = 'api.settings_display(jsonb)'::regprocedure), 'api.settings_display(jsonb) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'api.settings_display(jsonb)'::regprocedure), 'api.settings_display(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.categories_json()', 'execute')), array[]::text[],
  'app.categories_json(): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.categories_json()'::regprocedure), 'app.categories_json() is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.categories_json()'::regprocedure), 'app.categories_json() pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.line_queue(text,text,text,timestamp with time zone)', 'execute')), array[]::text[],
  'app.line_queue(text,text,text,timestamp with time zone): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.line_queue(text,text,text,timestamp with time zone)'::regprocedure), 'app.line_queue(text,text,text,timestamp with time zone) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.line_queue(text,text,text,timestamp with time zone)'::regprocedure), 'app.line_queue(text,text,text,timestamp with time zone) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.listing_price(text,text)', 'execute')), array[]::text[],
  'app.listing_price(text,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.listing_price(text,text)'::regprocedure), 'app.listing_price(text,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.listing_price(text,text)'::regprocedure), 'app.listing_price(text,text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.lottery_view(jsonb)', 'execute')), array[]::text[],
  'app.lottery_view(jsonb): executable by no client role');
select ok(not (select prosecdef from pg_proc where oid = 'app.lottery_view(jsonb)'::regprocedure), 'app.lottery_view(jsonb) is security invoker');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.lottery_view(jsonb)'::regprocedure), 'app.lottery_view(jsonb) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.product_card(app.listings)', 'execute')), array[]::text[],
  'app.product_card(app.listings): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.product_card(app.listings)'::regprocedure), 'app.product_card(app.listings) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.product_card(app.listings)'::regprocedure), 'app.product_card(app.listings) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.queue_name(text)', 'execute')), array[]::text[],
  'app.queue_name(text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.queue_name(text)'::regprocedure), 'app.queue_name(text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.queue_name(text)'::regprocedure), 'app.queue_name(text) pins search_path');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.queue_preview(text,text,bigint,text)', 'execute')), array[]::text[],
  'app.queue_preview(text,text,bigint,text): executable by no client role');
select ok((select prosecdef from pg_proc where oid = 'app.queue_preview(text,text,bigint,text)'::regprocedure), 'app.queue_preview(text,text,bigint,text) is security definer');
select ok((select 'search_path=""' = any(proconfig) from pg_proc where oid = 'app.queue_preview(text,text,bigint,text)'::regprocedure), 'app.queue_preview(text,text,bigint,text) pins search_path');
select is((select state from calls where fn = 'catalog_categories'), 'ok', 'api.catalog_categories answers a signed-out caller');
select is((select state from calls where fn = 'catalog_home'), 'ok', 'api.catalog_home answers a signed-out caller');
select is((select state from calls where fn = 'catalog_products'), 'ok', 'api.catalog_products answers a signed-out caller');
select is((select state from calls where fn = 'settings_display'), 'ok', 'api.settings_display answers a signed-out caller');

select * from finish();
rollback;
