-- What a hosted Supabase project provides before any migration runs, for a
-- plain Postgres 15 cluster and for PGlite. Not a migration: hosted Supabase
-- already has all of this. Idempotent: roles are cluster-wide and may exist
-- already (another database of the same cluster ran this file), schemas and
-- functions are per database.

-- Roles. Creation races between concurrent test workers are tolerated.
do $$
declare
  r record;
begin
  for r in
    select * from (values
      ('anon', false, false),
      ('authenticated', false, false),
      ('service_role', false, true),
      ('authenticator', true, false)
    ) as v(name, login, bypass)
  loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = r.name) then
      begin
        execute format('create role %I %s %s %s', r.name,
          case when r.login then 'login' else 'nologin' end,
          case when r.name = 'authenticator' then 'noinherit' else '' end,
          case when r.bypass then 'bypassrls' else '' end);
      exception when duplicate_object or unique_violation then
        null; -- created concurrently by another session
      end;
    end if;
  end loop;
end
$$;

do $$
begin
  grant anon, authenticated, service_role to authenticator;
exception when others then
  null; -- already granted (concurrent bootstrap) or unsupported: harmless
end
$$;

-- auth: the parts of Supabase Auth that policies and functions rely on.
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key default gen_random_uuid(),
  email text,
  phone text,
  raw_app_meta_data jsonb not null default '{}'::jsonb,
  raw_user_meta_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table auth.users enable row level security;
grant all on auth.users to service_role;

-- The JWT claims of the current request, as PostgREST sets them.
create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claims', true), ''),
    '{}'
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
