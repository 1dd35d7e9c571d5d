// `npm start` without DATABASE_URL: PGlite behind its socket, migrations,
// seed, demo orders through the sandbox, every function under Deno. Runs
// scripts/start.ts as a child process (PGlite needs dynamic import, which
// jest's VM lacks) on free ports, and talks to it over HTTP only.
import { createServer } from 'node:net';
import { spawnUntil, TSX, type Child } from './helpers/processes.ts';

jest.setTimeout(300_000);

let child: Child;
let functionsUrl: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const [api, db, wx] = [await freePort(), await freePort(), await freePort()];
  const env: Record<string, string> = { API_PORT: String(api), PGLITE_PORT: String(db), WECHAT_SANDBOX_PORT: String(wx) };
  delete process.env.DATABASE_URL; // the child inherits process.env
  const started = await spawnUntil(TSX, ['scripts/start.ts', '--no-h5', '--no-admin'], /Edge functions\s+(\S+)\/<name>/, { env: { ...env, DATABASE_URL: '' }, timeoutMs: 240_000 });
  child = started.child;
  functionsUrl = started.match[1];
});

afterAll(async () => {
  await child?.stop();
});

test('health answers from PGlite; the demo shop is there; Ctrl-C stops it', async () => {
  const health = await (await fetch(`${functionsUrl}/health`)).json();
  expect(health).toEqual({ ok: true, db: 'pglite' });
  expect(child.output()).toMatch(/\[demo\] 6 paid orders/);
  const res = await fetch(`${functionsUrl}/api`, {
    method: 'POST',
    headers: { Authorization: 'Bearer local-anon-key', 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'catalog.product', productId: 'p-rice' }),
  });
  const body = await res.json();
  expect(res.status).toBe(200);
  // alice then bob bought the rice (16800, ratio 130, extraction 65) in the demo:
  // both wait; alice received 65% of bob's 16800 on her 130% entitlement.
  const entitlement = Math.round((16800 * 130) / 100);
  const paidToAlice = Math.round((16800 * 65) / 100);
  expect(body.queue).toMatchObject({ queueKey: 'product:p-rice', waitingCount: 2, amountAhead: entitlement - paidToAlice + entitlement });
  // The demo pictures (scripts/stack/demo-images.ts): set on the catalogue, served by the gateway.
  expect(child.output()).toMatch(/\[demo\] images: \d+ drawn, 8 product\(s\), 4 categor\(ies\), 3 banner\(s\) set/);
  const image = await fetch(body.product.images[0]);
  expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
  const exited = new Promise<number | null>((r) => child.proc.once('exit', (code) => r(code)));
  child.proc.kill('SIGINT');
  expect(await exited).toBe(0);
});
