// What hosted Supabase serves through PostgREST (/rest/v1, /rest/v1/rpc) is
// the [api] schemas list of supabase/config.toml. No function of ours is for
// clients to call there: the api.* functions are the edge functions' (they
// validate every request first and call SQL over a direct connection), the
// rest is service_role's. So no schema in that list may hold a function that
// anon or authenticated can execute.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database';
import { readSupabaseConfig } from '../../scripts/deploy/check';

jest.setTimeout(120_000);

/** Functions a client may call directly through PostgREST (none today). */
const CLIENT_CALLABLE: string[] = [];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('exposed');
});
afterAll(async () => {
  await db?.drop();
});

async function clientExecutable(schemas: string[]): Promise<string[]> {
  const rows = await db.sql<{ fn: string }[]>`
    select p.oid::regprocedure::text as fn
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any(${schemas})
      and (has_function_privilege('anon', p.oid, 'execute') or has_function_privilege('authenticated', p.oid, 'execute'))
    order by 1`;
  return rows.map((r) => r.fn);
}

test('no schema PostgREST serves holds a function a client may execute', async () => {
  const { schemas } = readSupabaseConfig(readFileSync(join(__dirname, '..', '..', 'supabase', 'config.toml'), 'utf8'));
  expect(schemas).not.toBeNull();
  const found = (await clientExecutable(schemas!)).filter((fn) => !CLIENT_CALLABLE.includes(fn));
  expect(found).toEqual([]);
});

test('the probe sees client-executable functions where they are: api (so api must not be served)', async () => {
  const found = await clientExecutable(['api']);
  expect(found).toEqual(expect.arrayContaining(['api.orders_checkout(jsonb)', 'api.wallet_withdraw(jsonb)', 'api.catalog_home(jsonb)']));
});
