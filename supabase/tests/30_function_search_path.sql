-- Every function of ours, in every schema (found in pg_proc, not listed by
-- hand), runs with a fixed search_path: Supabase's linter warns on each one
-- that does not (function_search_path_mutable), and a mutable path lets a
-- caller's objects shadow ours. Functions of extensions (pgtap, pg_cron) and
-- the auth.* stand-ins of scripts/db/bootstrap.sql are not ours.
begin;
select plan(3);

create temp view our_functions as
  select p.oid, p.oid::regprocedure::text as name, p.proconfig
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname not in ('pg_catalog', 'information_schema', 'auth', 'cron', 'extensions', 'pgtap')
    and n.nspname not like 'pg\_%'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e');

select cmp_ok((select count(*) from our_functions where name like 'api.%' or name like 'util.%' or name like 'rebate.%'), '>', 100::bigint,
  'the view finds our functions (api, util, rebate, …)');
select is_empty($$select name from our_functions
  where not exists (select 1 from unnest(coalesce(proconfig, '{}')) c where c like 'search\_path=%')$$,
  'every function of ours sets search_path');
select is_empty($$select name from our_functions
  where not ('search_path=""' = any (coalesce(proconfig, '{}')))$$,
  'and it is the empty path: every reference in a body is schema-qualified');

select * from finish();
rollback;
