// Soak: the local stack's shape (PGlite behind our wire server, every
// function under Deno, the WeChat sandbox) at a moderate steady load for
// FAULTS_SOAK_SECONDS (default 90; an hour with 3600). Sampled every 2 s:
// the resident memory of each function and of the wire server, and the
// wire server's client connections. At the end: memory under a ceiling and,
// for runs of 10 minutes or more (past warm-up: heaps grow to their working
// size first), flat (the last quarter's median within max(15 %, 16 MiB) of
// the third quarter's); connections never above what the pools allow; every payment
// settled once, and the checkout flow's p50 / p99 per quarter printed (a
// figure, not a target: speed targets live in npm run bench).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../scripts/db/database.ts';
import { migrateTracked } from '../../scripts/stack/migrate.ts';
import { startBackend, type Backend } from '../stack/helpers/backend.ts';
import { allProblems } from './helpers/invariants.ts';

const SECONDS = Number(process.env.FAULTS_SOAK_SECONDS ?? 90);
const SHOPPERS = Number(process.env.FAULTS_SOAK_SHOPPERS ?? 6);
/** Shorter runs (CI) check a memory ceiling only: warm-up is not over yet. */
const FLAT_AFTER_SECONDS = 600;
const FUNCTIONS = ['wechat-login', 'api', 'pay-notify', 'refund-notify', 'jobs'];
const ROOT = join(__dirname, '..', '..');

jest.setTimeout(240_000 + SECONDS * 1000 * 1.5);

let wire: ChildProcess;
let wireUrl: string;
let b: Backend;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Established TCP connections to the wire server's port (/proc/net/tcp, IPv4 loopback). */
function connectionsTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => {
      const f = l.trim().split(/\s+/);
      return f[1]?.endsWith(`:${hex}`) && f[3] === '01';
    }).length;
}

beforeAll(async () => {
  // node itself (tsx as a loader), so the pid sampled is the server's own.
  wire = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack/pglite.ts', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  wireUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    wire.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/ready (\S+)/);
      if (m) resolve(m[1]);
    });
    wire.once('exit', (code) => reject(new Error(`pglite server exited ${code}: ${out}`)));
  });
  const admin = connect(wireUrl);
  try {
    await migrateTracked(admin, { seed: false });
  } finally {
    await admin.end();
  }
  const sql = connect(wireUrl);
  b = await startBackend(FUNCTIONS, {
    db: { name: 'postgres', url: wireUrl, sql, drop: async () => void (await sql.end({ timeout: 2 })) },
    // One backend session behind PGlite: one connection per function (docs/local-stack.md).
    poolMax: 1,
    refundDelayMs: 200,
  });
  await sql.unsafe(`
    select rebate.update_settings('{"afterSalesDays": 0}', 'soak-test');
    select catalog.upsert_product('{"id":"hot","price":1000,"source":"self","cost":500,"queue":{}}');
    select catalog.upsert_product('{"id":"calm","price":2500,"source":"self","cost":1000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('hot', 'product', 'self', '爆款大米', 100000000), ('calm', 'product', 'self', '茶叶', 100000000);`);
}, 300_000);

afterAll(async () => {
  await b?.stop();
  if (wire && wire.exitCode === null) {
    wire.kill('SIGTERM');
    await new Promise((r) => wire.once('exit', r));
  }
});

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const median = (xs: number[]) => quantile(xs, 0.5);

test(`soak: ${SECONDS} s, ${SHOPPERS} shoppers: memory flat, connections bounded, every payment settled once`, async () => {
  const start = Date.now();
  const end = start + SECONDS * 1000;
  const flows: { at: number; ms: number }[] = [];
  const failures: string[] = [];
  const samples: { at: number; rss: Record<string, number | null>; connections: number }[] = [];

  const shopper = async (i: number) => {
    const login = await b.call('wechat-login', { code: `sandbox:soak-${i}`, platform: 'h5' });
    const token = login.body.session.access_token;
    let n = 0;
    while (Date.now() < end) {
      const t0 = Date.now();
      const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: n % 3 ? 'hot' : 'calm', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
      if (c.status !== 200) {
        failures.push(`checkout ${c.status} ${JSON.stringify(c.body).slice(0, 200)}`);
        await sleep(500);
        continue;
      }
      const confirm = await (await fetch(`${b.sandbox.url}/sandbox/pay/confirm`, { method: 'POST', body: JSON.stringify({ prepay_id: c.body.payment.paymentId }) })).json();
      if (confirm.notify?.attempts?.[0]?.status === 204) flows.push({ at: Date.now() - start, ms: Date.now() - t0 });
      else failures.push(`notify ${JSON.stringify(confirm.notify?.attempts?.[0])}`);
      if (n % 10 === 9) await b.call('api', { action: 'orders.refund', orderId: c.body.orderId, reason: '不要了' }, token);
      n++;
      await sleep(100);
    }
  };
  const sampler = (async () => {
    while (Date.now() < end) {
      const rss: Record<string, number | null> = { 'wire server': rssMiB(wire.pid) };
      for (const name of FUNCTIONS) rss[name] = rssMiB(b.fns.functions.get(name)?.proc.pid);
      samples.push({ at: Date.now() - start, rss, connections: connectionsTo(Number(new URL(wireUrl).port)) });
      if (process.env.FAULTS_SOAK_TRACE) console.log(JSON.stringify(samples[samples.length - 1]));
      await sleep(2000);
    }
  })();
  const jobs = (async () => {
    while (Date.now() < end) {
      await fetch(`${b.url}/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${b.serviceKey}` }, body: '{}' }).then((r) => r.arrayBuffer()).catch(() => {});
      await sleep(3000);
    }
  })();
  await Promise.all([...Array.from({ length: SHOPPERS }, (_, i) => shopper(i)), sampler, jobs]);

  // Drain: refunds and the journal.
  for (let i = 0; i < 60; i++) {
    await fetch(`${b.url}/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${b.serviceKey}` }, body: '{}' }).then((r) => r.arrayBuffer());
    const [{ open }] = await b.db.sql`select (select count(*)::int from app.orders where status = 'refunding') + (select count(*)::int from rebate.queue_ops where processed_at is null) as open`;
    if (open === 0) break;
    await sleep(500);
  }

  // Quarters of the run; the first quarter's memory is taken after its first half (warm-up: JIT, caches, pools).
  const quarter = (SECONDS * 1000) / 4;
  const windows = [0, 1, 2, 3].map((q) => flows.filter((f) => f.at >= q * quarter && f.at < (q + 1) * quarter).map((f) => f.ms));
  // Median resident memory per quarter; the first half is warm-up (V8 heaps grow to their working size, then stay).
  const memory: Record<string, { quarters: number[]; max: number }> = {};
  for (const name of ['wire server', ...FUNCTIONS]) {
    const series = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to).map((s) => s.rss[name]).filter((x): x is number => x !== null);
    memory[name] = { quarters: [0, 1, 2, 3].map((q) => median(series(q * quarter, (q + 1) * quarter))), max: Math.max(...series(0, Infinity)) };
  }
  const maxConnections = Math.max(...samples.map((s) => s.connections));
  const [db] = await b.db.sql`select (select count(*)::int from orders.orders) as paid, (select count(*)::int from orders.orders where status = 'refunded') as refunded`;
  const figures = {
    seconds: SECONDS,
    shoppers: SHOPPERS,
    flows: flows.length,
    failures: failures.length,
    paid: db.paid,
    refunded: db.refunded,
    checkoutToSettledMs: windows.map((w, q) => ({ quarter: q + 1, n: w.length, p50: quantile(w, 0.5), p99: quantile(w, 0.99) })),
    rssMiB: memory,
    maxWireConnections: maxConnections,
  };
  console.log(`faults soak: ${JSON.stringify(figures)}`);
  mkdirSync(join(ROOT, '.tmp', 'faults'), { recursive: true });
  writeFileSync(join(ROOT, '.tmp', 'faults', 'soak.json'), JSON.stringify(figures, null, 2));

  if (failures.length) console.log(`soak failures, with the functions' errors:\n${failures.slice(0, 5).join('\n')}\n${b.logs.filter((l) => /error|Error|failed/.test(l)).slice(0, 40).join('\n')}`);
  expect(failures.slice(0, 5)).toEqual([]);
  expect(flows.length).toBeGreaterThan(SECONDS); // moderate, steady load: more than one purchase a second
  for (const [name, m] of Object.entries(memory)) {
    // Always: under a ceiling no healthy function (or the in-memory database of the wire server) comes near.
    expect({ name, underCeiling: m.max <= (name === 'wire server' ? 1536 : 384) }).toEqual({ name, underCeiling: true });
    // Runs long enough to be past warm-up (measured: the api isolate's heap grows for its first ~2,000
    // purchases, then stays): the last quarter's median within max(15 %, 16 MiB) of the third's.
    if (SECONDS >= FLAT_AFTER_SECONDS) {
      const [, , third, last] = m.quarters;
      expect({ name, flat: last <= Math.max(third * 1.15, third + 16) }).toEqual({ name, flat: true });
    }
  }
  // Each function holds at most its pool (1 under PGlite), plus this test's own client.
  expect(maxConnections).toBeLessThanOrEqual(FUNCTIONS.length + 2);
  expect(db.paid).toBe(flows.length);
  expect(await allProblems(b.db.sql, { settled: true })).toEqual([]);
});
