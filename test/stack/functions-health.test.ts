// Real Deno running the real `health` function behind the gateway, against a
// real (throwaway) Postgres database.
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { startFunctions, startGateway, type Functions, type Gateway } from '../../scripts/stack/functions.ts';

jest.setTimeout(180_000);

let db: TestDatabase;
let fns: Functions;
let gateway: Gateway;
const logs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('stack_health');
  fns = await startFunctions({
    names: ['health'],
    // As the local stack (sandbox mode): production mode would refuse to start without every secret.
    env: { DATABASE_URL: db.url, WECHAT_SANDBOX_URL: 'http://127.0.0.1:1' },
    log: (name, line) => logs.push(`[${name}] ${line}`),
  });
  gateway = await startGateway({ port: 0, functions: fns.functions, verifyJwt: new Set(), jwtSecret: 'x'.repeat(32), apiKeys: [] });
});

afterAll(async () => {
  await gateway?.close();
  await fns?.stop();
  await db?.drop();
});

test('health reports ok and which database answered', async () => {
  const res = await fetch(`${gateway.url}/functions/v1/health`);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(await res.json()).toEqual({ ok: true, db: 'postgres' });
});

test('unknown function is a 404 from the gateway', async () => {
  const res = await fetch(`${gateway.url}/functions/v1/nope`);
  expect(res.status).toBe(404);
});

test('health says 503 when its database is gone', async () => {
  const broken = await startFunctions({
    names: ['health'],
    env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', WECHAT_SANDBOX_URL: 'http://127.0.0.1:1' },
    log: (name, line) => logs.push(`[${name}] ${line}`),
  });
  try {
    const port = broken.functions.get('health')!.port;
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.ok).toBe(false);
    expect(body.error).toBeTruthy();
  } finally {
    await broken.stop();
  }
});
