-- Admin actions: the audit log (ops.audit_log: who, when, what,
-- before/after; filtered by entity, operator, action and time), the
-- operators' names for its filter, and the operator accounts.

create or replace function admin.audit_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_from timestamptz;
  v_to timestamptz;
begin
  perform ops.authorize('canViewAudit');
  pg := ops.page(p);
  if ops.has(p, 'from') then v_from := util.expect_instant(p -> 'from', 'from'); end if;
  if ops.has(p, 'to') then v_to := util.expect_instant(p -> 'to', 'to'); end if;
  if ops.has(p, 'operatorId') and (p ->> 'operatorId') !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    perform util.fail('operatorId', 'must be a uuid');
  end if;
  return (
    with f as (
      select l.* from ops.audit_log l
      where (ops.opt_text(p, 'entity') is null or l.entity = p ->> 'entity')
        and (ops.opt_text(p, 'entityId') is null or l.entity_id = p ->> 'entityId')
        and (ops.opt_text(p, 'operatorId') is null or l.operator_id = (p ->> 'operatorId')::uuid)
        and (ops.opt_text(p, 'action') is null or l.action = p ->> 'action')
        and (v_from is null or l.at >= v_from)
        and (v_to is null or l.at < v_to))
    select jsonb_build_object(
      'items', coalesce((select jsonb_agg(jsonb_build_object('id', x.id::text, 'at', x.at, 'operatorId', x.operator_id,
                           'operatorName', (select o.name from ops.operators o where o.id = x.operator_id),
                           'action', x.action, 'entity', x.entity, 'entityId', x.entity_id, 'before', x.before, 'after', x.after,
                           'note', x.note) order by x.id desc)
                         from (select * from f order by id desc limit pg.lim offset pg.off) x), '[]'),
      'total', (select count(*) from f)));
end
$$;

/**
 * The operators' names for the audit log's operator filter: anyone who may
 * read the log may read who appears in it (id and name only; logins, roles
 * and sign-in state stay with canManageOperators).
 */
create or replace function admin.audit_operators(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewAudit');
  return jsonb_build_object('items', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name) order by o.name, o.id)
                                               from ops.operators o), '[]'));
end
$$;

create or replace function ops.operator_json(o ops.operators) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', o.id, 'login', o.login, 'name', o.name, 'role', o.role, 'active', o.active,
    'lockedUntil', case when o.locked_until > now() then o.locked_until end, 'lastSignInAt', o.last_sign_in_at, 'createdAt', o.created_at)
$$;

create or replace function admin.operators_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canManageOperators');
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.operator_json(o) order by o.created_at, o.login) from ops.operators o), '[]'));
end
$$;

/**
 * Creates (login + passwordHash) or updates (id) an operator account; the
 * edge function hashes the password. Deactivating or demoting an account,
 * or a new password, ends its sessions. An operator cannot lock themselves out.
 */
create or replace function admin.operators_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me uuid := ops.authorize('canManageOperators');
  o ops.operators;
  v_id uuid;
  v_hash text := case when ops.has(p, 'passwordHash') then p ->> 'passwordHash' end;
begin
  if ops.has(p, 'id') then
    if (p ->> 'id') !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then perform util.fail('id', 'must be a uuid'); end if;
    select * into o from ops.operators where id = (p ->> 'id')::uuid for update;
    if not found then perform app.not_found('id', '账号不存在'); end if;
    if o.id = v_me and (p ->> 'role' <> o.role or (ops.has(p, 'active') and not (p ->> 'active')::boolean)) then
      perform util.fail('role', 'cannot demote or deactivate yourself');
    end if;
    v_id := ops.upsert_operator(o.login, p ->> 'name', p ->> 'role', v_hash,
      case when ops.has(p, 'active') then util.expect_boolean(p -> 'active', 'active') else o.active end);
    if v_hash is not null or p ->> 'role' <> o.role or (ops.has(p, 'active') and not (p ->> 'active')::boolean) then
      update ops.sessions set revoked_at = now() where operator_id = o.id and revoked_at is null and o.id <> v_me;
    end if;
  else
    if not ops.has(p, 'login') then perform util.fail('login', 'required for a new operator'); end if;
    if exists (select 1 from ops.operators where login = p ->> 'login') then perform util.fail('login', 'already taken'); end if;
    if v_hash is null then perform util.fail('password', 'required for a new operator'); end if;
    v_id := ops.upsert_operator(p ->> 'login', p ->> 'name', p ->> 'role', v_hash,
      case when ops.has(p, 'active') then util.expect_boolean(p -> 'active', 'active') else true end);
  end if;
  perform ops.audit('operators.save', 'operator', v_id::text, case when o.id is not null then ops.operator_json(o) end,
    (select ops.operator_json(x) from ops.operators x where x.id = v_id));
  return jsonb_build_object('id', v_id);
end
$$;
