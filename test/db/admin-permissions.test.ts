// The database is the authority on who may do what in the console, and it
// agrees with the contract (supabase/functions/_shared/admin-contract.ts):
//   - ops.role_permissions holds exactly the `true` cells of ROLE_PERMISSIONS;
//   - every action of ADMIN_ACTIONS (but sign-in) has its function
//     admin.<area>_<name>(jsonb), which calls ops.authorize with exactly the
//     action's permission, and no admin.* function exists outside the table;
//   - called straight in SQL as the role `operator`: without claims, with a
//     shopper's claims, with a revoked or expired session or an inactive
//     account → 42501 unauthenticated; as a role without the permission →
//     42501 forbidden, whatever role the claims say; as a role with it →
//     past the check (the call fails on its input or succeeds, never 42501).
import postgres from 'postgres';
import {
  ADMIN_ACTION_NAMES,
  ADMIN_ACTIONS,
  OPERATOR_ROLES,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  can,
  sqlFunctionOf,
  type OperatorRole,
} from '../../supabase/functions/_shared/admin-contract';
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database';

jest.setTimeout(180_000);

const HASH = '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO';
let db: TestDatabase;
const ids = {} as Record<OperatorRole, { operator: string; session: string }>;

beforeAll(async () => {
  db = await createTestDatabase('admin_perm');
  for (const role of OPERATOR_ROLES) {
    const [{ id }] = await db.sql`select ops.upsert_operator(${'t-' + role}, ${role}, ${role}, ${HASH}, true)::text as id`;
    const [{ sid }] = await db.sql`insert into ops.sessions (operator_id, expires_at) values (${id}, now() + interval '1 hour') returning id::text as sid`;
    ids[role] = { operator: id, session: sid };
  }
});
afterAll(async () => {
  await db?.drop();
});

/** Calls admin.<fn>(p) as role operator with these claims (null: none); returns the error's code and hint, or 'ok'. */
async function callAs(fn: string, claims: Record<string, unknown> | null, p: unknown = {}): Promise<string> {
  try {
    await db.sql.begin(async (tx) => {
      await tx`select set_config('role', 'operator', true), set_config('request.jwt.claims', ${claims ? JSON.stringify(claims) : ''}, true)`;
      await tx.unsafe(`select admin.${fn}($1::text::jsonb)`, [JSON.stringify(p)]);
      throw Object.assign(new Error('rollback'), { code: 'ok' });
    });
  } catch (err) {
    const e = err as postgres.PostgresError & { code: string };
    return e.code === 'ok' ? 'ok' : `${e.code}${e.hint ? ':' + e.hint : ''}`;
  }
  return 'ok';
}

const claimsOf = (role: OperatorRole, extra: Record<string, unknown> = {}) => ({
  aud: 'operator', role: 'operator', sub: ids[role].operator, session_id: ids[role].session, op_role: role, ...extra,
});

const SESSION_ACTIONS = ADMIN_ACTION_NAMES.filter((a) => ADMIN_ACTIONS[a].permission !== null);

test('ops.role_permissions is exactly the contract\'s permission map', async () => {
  const rows = await db.sql<{ role: string; permission: string }[]>`select role, permission from ops.role_permissions order by 1, 2`;
  const expected = OPERATOR_ROLES.flatMap((role) => PERMISSIONS.filter((p) => ROLE_PERMISSIONS[role][p]).map((permission) => ({ role, permission })))
    .sort((a, b) => (a.role + a.permission < b.role + b.permission ? -1 : 1));
  expect(rows.map((r) => ({ ...r }))).toEqual(expected);
});

test('one admin.* function per action, checking exactly the action\'s permission', async () => {
  const fns = await db.sql<{ name: string; src: string; definer: boolean; config: string[] | null }[]>`
    select p.proname as name, p.prosrc as src, p.prosecdef as definer, p.proconfig as config
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'admin'`;
  const byName = new Map(fns.map((f) => [f.name, f]));
  expect([...byName.keys()].sort()).toEqual(SESSION_ACTIONS.map(sqlFunctionOf).sort());
  for (const action of SESSION_ACTIONS) {
    const f = byName.get(sqlFunctionOf(action))!;
    const checks = [...f.src.matchAll(/ops\.authorize\('([A-Za-z]+)'\)/g)].map((m) => m[1]);
    expect([action, checks]).toEqual([action, [ADMIN_ACTIONS[action].permission]]);
    expect([action, f.definer, f.config]).toEqual([action, true, ['search_path=""']]);
  }
});

test('no claims, shopper claims, revoked / expired sessions and inactive accounts are unauthenticated for every action', async () => {
  const shopper = { aud: 'authenticated', role: 'authenticated', sub: ids.admin.operator, session_id: ids.admin.session };
  const [{ sid: revoked }] = await db.sql`insert into ops.sessions (operator_id, expires_at, revoked_at) values (${ids.admin.operator}, now() + interval '1 hour', now()) returning id::text as sid`;
  const [{ sid: expired }] = await db.sql`insert into ops.sessions (operator_id, expires_at) values (${ids.admin.operator}, now() - interval '1 second') returning id::text as sid`;
  const [{ id: gone }] = await db.sql`select ops.upsert_operator('t-gone', 'gone', 'admin', ${HASH}, false)::text as id`;
  const [{ sid: goneSession }] = await db.sql`insert into ops.sessions (operator_id, expires_at) values (${gone}, now() + interval '1 hour') returning id::text as sid`;
  const bad = [
    null,
    shopper,
    claimsOf('admin', { session_id: revoked }),
    claimsOf('admin', { session_id: expired }),
    claimsOf('admin', { sub: gone, session_id: goneSession }),
    claimsOf('admin', { session_id: ids.support.session }), // someone else's session
    claimsOf('admin', { session_id: 'not-a-uuid' }),
  ];
  const seen: string[] = [];
  for (const action of SESSION_ACTIONS) {
    for (const c of bad) {
      const r = await callAs(sqlFunctionOf(action), c);
      if (r !== '42501:unauthenticated') seen.push(`${action} ${JSON.stringify(c)}: ${r}`);
    }
  }
  expect(seen).toEqual([]);
});

test('each role: refused exactly the actions whose permission it lacks, whatever its claims say', async () => {
  const seen: string[] = [];
  for (const action of SESSION_ACTIONS) {
    const perm = ADMIN_ACTIONS[action].permission;
    for (const role of OPERATOR_ROLES) {
      const r = await callAs(sqlFunctionOf(action), claimsOf(role, { op_role: 'admin' }));
      const allowed = perm === 'signedIn' || can(role, perm!);
      if (allowed ? r.startsWith('42501') : r !== '42501:forbidden') seen.push(`${action} as ${role}: ${r}`);
    }
  }
  expect(seen).toEqual([]);
});

test('a role change takes effect at once: the same session of a demoted admin is refused', async () => {
  expect(await callAs('settings_enable_all_products', claimsOf('admin'))).toBe('ok');
  await db.sql`update ops.operators set role = 'support' where id = ${ids.admin.operator}`;
  expect(await callAs('settings_enable_all_products', claimsOf('admin'))).toBe('42501:forbidden');
  await db.sql`update ops.operators set role = 'admin' where id = ${ids.admin.operator}`;
});

test('no role but operator executes the console functions; operator reads no table', async () => {
  const rows = await db.sql<{ fn: string; who: string }[]>`
    select p.oid::regprocedure::text as fn, r.rolname as who
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace, pg_roles r
    where n.nspname in ('admin', 'ops') and r.rolname in ('anon', 'authenticated', 'service_role')
      and has_function_privilege(r.oid, p.oid, 'execute')
      and not (r.rolname = 'service_role' and p.proname = 'upsert_operator')`;
  expect(rows).toEqual([]);
  const tables = await db.sql<{ t: string }[]>`
    select c.oid::regclass::text as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
      and (has_table_privilege('operator', c.oid, 'select') or has_table_privilege('operator', c.oid, 'insert')
           or has_table_privilege('operator', c.oid, 'update') or has_table_privilege('operator', c.oid, 'delete'))`;
  expect(tables).toEqual([]);
});
