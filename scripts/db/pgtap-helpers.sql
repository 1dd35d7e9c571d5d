-- Helpers shared by the pgTAP files (supabase/tests/*.sql). scripts/db/pgtap.ts
-- loads this into each pgTAP database after the migrations; it is no migration
-- and never reaches a deployed database.
create schema if not exists tap;

/**
 * The api files' refusal probe: calls each api.<fn>(p_args ->> fn, else '{}')
 * as p_role ('anon': a signed-out caller; 'authenticated': a signed-in token of
 * nobody, a fresh uuid as sub) and records in the temp table calls (fn, state)
 * 'ok' or the sqlstate the call failed with. The claims stay set for the rest
 * of the transaction; the role is reset.
 */
create or replace function tap.call_api_as(p_role text, p_fns text[], p_args jsonb default '{}') returns void
language plpgsql
set search_path = ''
as $$
declare
  f text;
begin
  create temp table if not exists calls (fn text, state text);
  grant all on pg_temp.calls to anon, authenticated;
  perform set_config('request.jwt.claims', case when p_role = 'anon' then '{"role":"anon"}'
    else json_build_object('role', p_role, 'sub', gen_random_uuid())::text end, true);
  perform set_config('role', p_role, true);
  foreach f in array p_fns loop
    begin
      execute format('select api.%I(%L::jsonb)', f, coalesce(p_args ->> f, '{}'));
      insert into pg_temp.calls values (f, 'ok');
    exception when others then
      insert into pg_temp.calls values (f, sqlstate);
    end;
  end loop;
  perform set_config('role', 'none', true);
end
$$;
