-- The operator console's backend (supabase/functions/_shared/admin-contract.ts):
-- operator accounts, sessions, the permission table, the audit log, and the
-- checks every admin.* function starts with.
--
-- Schema `ops` holds the tables and helpers; schema `admin` holds one
-- security definer function per contract action (admin.<area>_<name>(jsonb)),
-- executable only by the Postgres role `operator`, which the `admin` edge
-- function switches to with the operator token's claims set
-- transaction-locally. Neither schema is exposed through PostgREST
-- (supabase/config.toml [api] schemas). Each admin.* function calls
-- ops.authorize('<permission>') first: the session, the account and its
-- current role are checked here, against ops.role_permissions: the database
-- is the authority, whatever the edge function checked before.

-- Cluster-wide role; several databases of one cluster (tests) may create it at once.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'operator') then
    create role operator nologin noinherit;
  end if;
exception when duplicate_object or unique_violation then
  null;
end
$$;

-- The edge function connects as `postgres` and switches to `operator` (set
-- local role): on hosted Supabase `postgres` is no superuser, so it must be
-- a member. `authenticator` (PostgREST) is not: a token claiming role
-- "operator" gets nothing there.
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'postgres') then
    grant operator to postgres;
  end if;
end
$$;

create schema if not exists ops;
create schema if not exists admin;
revoke all on schema ops, admin from public;
grant usage on schema admin to operator;
alter default privileges in schema ops, admin revoke all on tables from public;
alter default privileges in schema ops, admin revoke execute on functions from public;

-- ---------------------------------------------------------------- accounts

create table ops.operators (
  id uuid primary key default gen_random_uuid(),
  login text not null unique check (login ~ '^[a-z0-9][a-z0-9_.-]{1,31}$'),
  name text not null check (char_length(name) between 1 and 32),
  role text not null check (role in ('admin', 'finance', 'support')),
  -- bcrypt ($2a$/$2b$), made by bcryptjs in the edge function or scripts/operator.ts.
  password_hash text not null check (password_hash ~ '^\$2[aby]\$\d\d\$.{53}$'),
  active boolean not null default true,
  -- Lockout: SIGN_IN_MAX_FAILURES failures in a row lock the account until locked_until.
  failed_attempts integer not null default 0 check (failed_attempts >= 0),
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table ops.sessions (
  id uuid primary key default gen_random_uuid(),
  operator_id uuid not null references ops.operators (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_operator on ops.sessions (operator_id);

-- The permission map of the contract (ROLE_PERMISSIONS): one row per `true`
-- cell. test/db/admin-permissions.test.ts compares the two.
create table ops.role_permissions (
  role text not null check (role in ('admin', 'finance', 'support')),
  permission text not null check (permission ~ '^can[A-Z][A-Za-z]+$'),
  primary key (role, permission)
);
insert into ops.role_permissions (role, permission)
select 'admin', p from unnest(array[
  'canViewSettings', 'canEditSettings', 'canViewCatalog', 'canEditCatalog', 'canViewMembers', 'canEditMembers',
  'canViewMerchants', 'canEditMerchants', 'canReviewMerchants', 'canViewOrders', 'canReviewRefunds',
  'canViewWithdrawals', 'canReviewWithdrawals', 'canResolveAnomalies', 'canViewQueues', 'canOperateQueues',
  'canViewAudit', 'canManageOperators']) p
union all
select 'finance', p from unnest(array[
  'canViewSettings', 'canViewCatalog', 'canViewMembers', 'canViewMerchants', 'canViewOrders',
  'canViewWithdrawals', 'canReviewWithdrawals', 'canResolveAnomalies', 'canViewQueues', 'canViewAudit']) p
union all
select 'support', p from unnest(array[
  'canViewSettings', 'canViewCatalog', 'canViewMembers', 'canViewMerchants', 'canViewOrders',
  'canReviewRefunds', 'canViewQueues']) p;

-- Who did what: every change made through the console (append-only).
create table ops.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  operator_id uuid references ops.operators (id),
  action text not null,
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  note text
);
create index audit_log_entity on ops.audit_log (entity, entity_id, id desc);
create index audit_log_operator on ops.audit_log (operator_id, id desc);

create trigger audit_log_append_only before update or delete on ops.audit_log
  for each row execute function ledger.refuse_change();
create trigger audit_log_no_truncate before truncate on ops.audit_log
  for each statement execute function ledger.refuse_change();

alter table ops.operators enable row level security;
alter table ops.sessions enable row level security;
alter table ops.role_permissions enable row level security;
alter table ops.audit_log enable row level security;
-- No policies: nobody but the definer functions below reads or writes these.
revoke all on all tables in schema ops from public, anon, authenticated, service_role, operator;

-- ---------------------------------------------------------------- checks

/** The operator token's claims of this transaction, or null. */
create or replace function ops.claims() returns jsonb
language sql stable
set search_path = ''
as $$ select nullif(current_setting('request.jwt.claims', true), '')::jsonb $$;

/** 401: no live operator session (the edge function maps hint unauthenticated to 401). */
create or replace function ops.unauthenticated() returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using errcode = '42501', message = '请先登录后台', hint = 'unauthenticated';
end
$$;

/**
 * Every admin.* function starts here. Checks the caller's operator session
 * (live, not revoked, the account active) and that the account's current
 * role has p_permission ('signedIn': any role). Returns the operator id and
 * remembers it for ops.audit.
 */
create or replace function ops.authorize(p_permission text) returns uuid
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  c jsonb := ops.claims();
  o ops.operators;
  v_uuid text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
begin
  if c is null or c ->> 'aud' is distinct from 'operator' or c ->> 'role' is distinct from 'operator'
     or coalesce(c ->> 'sub', '') !~ v_uuid or coalesce(c ->> 'session_id', '') !~ v_uuid then
    perform ops.unauthenticated();
  end if;
  select op.* into o
  from ops.sessions s join ops.operators op on op.id = s.operator_id
  where s.id = (c ->> 'session_id')::uuid and s.operator_id = (c ->> 'sub')::uuid
    and s.revoked_at is null and s.expires_at > now() and op.active;
  if not found then
    perform ops.unauthenticated();
  end if;
  if p_permission <> 'signedIn'
     and not exists (select 1 from ops.role_permissions rp where rp.role = o.role and rp.permission = p_permission) then
    raise exception using errcode = '42501', message = '当前角色无权执行此操作', hint = 'forbidden';
  end if;
  perform set_config('ops.operator_id', o.id::text, true);
  return o.id;
end
$$;

/** The operator of this transaction (after ops.authorize). */
create or replace function ops.current_operator() returns uuid
language sql stable
set search_path = ''
as $$ select nullif(current_setting('ops.operator_id', true), '')::uuid $$;

/** Appends an audit entry for the operator of this transaction; returns its id. */
create or replace function ops.audit(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb, p_note text default null)
returns bigint
language sql
set search_path = ''
as $$
  insert into ops.audit_log (operator_id, action, entity, entity_id, before, after, note)
  values (ops.current_operator(), p_action, p_entity, p_entity_id, p_before, p_after, p_note)
  returning id
$$;

/** Rows of a JSON diff: every leaf path whose value differs (objects compared key by key). */
create or replace function ops.json_diff(p_before jsonb, p_after jsonb, p_prefix text default '')
returns table (path text, before jsonb, after jsonb)
language plpgsql immutable
set search_path = ''
as $$
declare
  k text;
  v_path text;
begin
  for k in select x from (select jsonb_object_keys(coalesce(p_before, '{}')) as x
                          union select jsonb_object_keys(coalesce(p_after, '{}'))) keys order by x loop
    v_path := case when p_prefix = '' then k else p_prefix || '.' || k end;
    if jsonb_typeof(p_before -> k) = 'object' and jsonb_typeof(p_after -> k) = 'object' then
      return query select * from ops.json_diff(p_before -> k, p_after -> k, v_path);
    elsif (p_before -> k) is distinct from (p_after -> k) then
      path := v_path;
      before := p_before -> k;
      after := p_after -> k;
      return next;
    end if;
  end loop;
end
$$;

/** The diff as the contract's SettingsDiffRow[]. */
create or replace function ops.diff_json(p_before jsonb, p_after jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', d.path, 'before', d.before, 'after', d.after) order by d.path), '[]')
  from ops.json_diff(p_before, p_after) d
$$;

/** Re-raises a validator's 22023 with the field under p_prefix ("patch.extractRatio"): fields name the request. */
create or replace function ops.prefixed_field_error(p_prefix text, p_column text, p_message text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  v_col text := case when coalesce(p_column, '') = '' then p_prefix else p_prefix || '.' || p_column end;
  v_msg text := p_message;
begin
  if coalesce(p_column, '') <> '' and p_message like p_column || ': %' then
    v_msg := substr(p_message, char_length(p_column) + 3);
  end if;
  raise exception using errcode = '22023', message = v_col || ': ' || v_msg, column = v_col;
end
$$;

/** The key is present and not JSON null (optional fields). */
create or replace function ops.has(p jsonb, p_key text) returns boolean
language sql immutable
set search_path = ''
as $$ select p ? p_key and jsonb_typeof(p -> p_key) <> 'null' $$;

/** The queue settings a save writes: the request's `queue` when given (not null), else the row's current ones ('{}' for a new row). */
create or replace function ops.queue_or_kept(p jsonb, p_current jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$ select case when ops.has(p, 'queue') then p -> 'queue' else coalesce(p_current, '{}') end $$;

/** An optional string field: null when absent or JSON null; otherwise a string of at most p_max characters (may be empty). */
create or replace function ops.opt_string(p jsonb, p_key text, p_field text, p_max integer) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if not ops.has(p, p_key) then
    return null;
  end if;
  if jsonb_typeof(p -> p_key) <> 'string' then
    perform util.fail(p_field, 'must be a string');
  end if;
  if char_length(p ->> p_key) > p_max then
    perform util.fail(p_field, 'must be at most ' || p_max || ' characters');
  end if;
  return p ->> p_key;
end
$$;

/** page / pageSize of a list request → limit and offset (pageSize 1..100, default 20). */
create or replace function ops.page(p jsonb, out lim integer, out off integer)
language plpgsql immutable
set search_path = ''
as $$
declare
  v_page bigint;
  v_size bigint;
begin
  v_size := case when ops.has(p, 'pageSize') then util.expect_count(p -> 'pageSize', 'pageSize', 100) else 20 end;
  v_page := case when ops.has(p, 'page') then util.expect_count(p -> 'page', 'page', 1000000) else 1 end;
  if v_size < 1 then perform util.fail('pageSize', 'must be at least 1'); end if;
  if v_page < 1 then perform util.fail('page', 'must be at least 1'); end if;
  lim := v_size;
  off := (v_page - 1) * v_size;
end
$$;

/** Optional text filter: null when absent, JSON null or empty. */
create or replace function ops.opt_text(p jsonb, p_key text) returns text
language sql immutable
set search_path = ''
as $$ select nullif(trim(p ->> p_key), '') $$;

-- ---------------------------------------------------------------- sign-in

create or replace function ops.profile_json(o ops.operators) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', o.id, 'login', o.login, 'name', o.name, 'role', o.role,
    'access', (select jsonb_object_agg(p, exists (select 1 from ops.role_permissions rp where rp.role = o.role and rp.permission = p))
               from (select distinct permission as p from ops.role_permissions) perms))
$$;

/**
 * Sign-in, step 1 of 2 (one transaction, the edge function compares the
 * bcrypt hash in between): locks the account row so concurrent attempts
 * count one by one. Unknown login or inactive account: found = false.
 */
create or replace function ops.sign_in_begin(p_login text)
returns table (found boolean, operator_id uuid, password_hash text, locked_until timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
declare
  o ops.operators;
begin
  select * into o from ops.operators where login = lower(trim(p_login)) and active for update;
  if not found then
    return query select false, null::uuid, null::text, null::timestamptz;
    return;
  end if;
  return query select true, o.id, o.password_hash, case when o.locked_until > now() then o.locked_until end;
end
$$;

/**
 * Sign-in, step 2: records the outcome. A failure counts (p_max_failures in
 * a row lock the account for p_lock_minutes); a success resets the count and
 * opens a session of p_ttl_seconds. Returns {ok, lockedUntil, sessionId, expiresAt, operator}.
 */
create or replace function ops.sign_in_finish(p_operator uuid, p_ok boolean, p_ttl_seconds integer,
                                              p_max_failures integer, p_lock_minutes integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  o ops.operators;
  s ops.sessions;
begin
  select * into o from ops.operators where id = p_operator for update;
  if not found then
    return jsonb_build_object('ok', false);
  end if;
  if o.locked_until > now() then
    return jsonb_build_object('ok', false, 'lockedUntil', o.locked_until);
  end if;
  if not p_ok then
    -- After a lock has run out the count starts again.
    update ops.operators
       set failed_attempts = case when locked_until is not null then 1 else failed_attempts + 1 end,
           locked_until = case when (case when locked_until is not null then 1 else failed_attempts + 1 end) >= p_max_failures
                               then now() + make_interval(mins => p_lock_minutes) end,
           updated_at = now()
     where id = o.id
    returning * into o;
    if o.locked_until is not null then
      insert into ops.audit_log (operator_id, action, entity, entity_id, after)
      values (o.id, 'auth.locked', 'operator', o.id::text, jsonb_build_object('lockedUntil', o.locked_until, 'failedAttempts', o.failed_attempts));
    end if;
    return jsonb_build_object('ok', false, 'lockedUntil', o.locked_until, 'failedAttempts', o.failed_attempts);
  end if;
  update ops.operators set failed_attempts = 0, locked_until = null, last_sign_in_at = now(), updated_at = now()
   where id = o.id returning * into o;
  insert into ops.sessions (operator_id, expires_at) values (o.id, now() + make_interval(secs => p_ttl_seconds)) returning * into s;
  insert into ops.audit_log (operator_id, action, entity, entity_id, after)
  values (o.id, 'auth.signIn', 'operator', o.id::text, jsonb_build_object('sessionId', s.id));
  return jsonb_build_object('ok', true, 'sessionId', s.id, 'expiresAt', extract(epoch from s.expires_at)::bigint,
                            'operator', ops.profile_json(o));
end
$$;

/**
 * Creates or updates an operator (scripts/operator.ts, the demo data, and
 * admin.operators_save). p_hash null keeps the password. Returns the id.
 */
create or replace function ops.upsert_operator(p_login text, p_name text, p_role text, p_hash text, p_active boolean default true)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if coalesce(p_login, '') !~ '^[a-z0-9][a-z0-9_.-]{1,31}$' then
    perform util.fail('login', 'must be 2-32 lower-case letters, digits, _ . -');
  end if;
  if coalesce(char_length(trim(p_name)), 0) not between 1 and 32 then
    perform util.fail('name', 'must be 1-32 characters');
  end if;
  if p_role is null or p_role not in ('admin', 'finance', 'support') then
    perform util.fail('role', 'must be one of admin, finance, support');
  end if;
  if p_hash is not null and p_hash !~ '^\$2[aby]\$\d\d\$.{53}$' then
    perform util.fail('password', 'must be a bcrypt hash');
  end if;
  if p_hash is null and not exists (select 1 from ops.operators where login = p_login) then
    perform util.fail('password', 'required for a new operator');
  end if;
  insert into ops.operators (login, name, role, password_hash, active)
  values (p_login, trim(p_name), p_role, coalesce(p_hash, '-'), coalesce(p_active, true))
  on conflict (login) do update
    set name = excluded.name, role = excluded.role, active = excluded.active,
        password_hash = coalesce(p_hash, ops.operators.password_hash),
        -- a new password unlocks the account
        failed_attempts = case when p_hash is null then ops.operators.failed_attempts else 0 end,
        locked_until = case when p_hash is null then ops.operators.locked_until end,
        updated_at = now()
  returning id into v_id;
  return v_id;
end
$$;

-- Grants: 1190_admin_grants.sql.
