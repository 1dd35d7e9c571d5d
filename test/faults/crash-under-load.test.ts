// Crash under load: 16 shoppers buy (checkout → WeChat pays → signed
// notify → settlement), get refunds and have orders completed by the jobs
// function, against one hot queue and two others, through the real edge
// functions under Deno and the WeChat sandbox. Meanwhile the database, a
// private Postgres 15 (fsync on; never the shared cluster), is stopped with
// an immediate shutdown (no checkpoint: a power cut) at random moments and
// restarted, several times.
//
// After each restart: every payment notify WeChat saw acknowledged (204)
// before the crash is settled, once. At the end (WeChat's retries
// delivered): every payment WeChat took is settled exactly once (lost 0,
// duplicated 0), nothing is partial, the ledger balances, and the queues
// are in the order their journal applied them, with unbroken reserves.
//
// FAULTS_CRASH_CYCLES (default 3), FAULTS_CRASH_SHOPPERS (16),
// FAULTS_CRASH_LOAD_MS (per cycle, random between this and twice it; default 2500).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, type Backend } from '../stack/helpers/backend.ts';
import { allProblems } from './helpers/invariants.ts';
import { startPrivatePostgres, type PrivatePostgres } from './helpers/private-postgres.ts';

const CYCLES = Number(process.env.FAULTS_CRASH_CYCLES ?? 3);
const SHOPPERS = Number(process.env.FAULTS_CRASH_SHOPPERS ?? 16);
const LOAD_MS = Number(process.env.FAULTS_CRASH_LOAD_MS ?? 2500);

jest.setTimeout(180_000 + CYCLES * 30_000);

let pg: PrivatePostgres;
let b: Backend;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  pg = await startPrivatePostgres();
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'refund-notify', 'jobs'], {
    db: { name: 'postgres', url: pg.url, sql: pg.sql, drop: () => pg.destroy() },
    // WeChat retries until answered; here fast enough to outlast a restart many times over.
    notifyRetryDelaysMs: Array.from({ length: 60 }, (_, i) => Math.min(200 * (i + 1), 1500)),
    refundDelayMs: 100,
    poolMax: 3,
  });
  await pg.sql.unsafe(`
    insert into app.job_state (key, value) values ('wechat_retry_base_ms', 200);
    select rebate.update_settings('{"afterSalesDays": 0}', 'faults-test');
    select catalog.upsert_product('{"id":"hot","price":1000,"source":"self","cost":500,"queue":{}}');
    select catalog.upsert_product('{"id":"a","price":2300,"source":"self","cost":1000,"queue":{}}');
    select catalog.upsert_product('{"id":"b","price":4100,"source":"self","cost":2000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values
      ('hot', 'product', 'self', '爆款大米', 1000000), ('a', 'product', 'self', '茶叶', 1000000), ('b', 'product', 'self', '蜂蜜', 1000000);`);
});

afterAll(async () => {
  if (b) {
    if (process.env.STACK_TEST_LOGS) console.log(b.logs.join('\n'));
    await b.stop();
  } else {
    await pg?.destroy();
  }
});

interface Shopper {
  name: string;
  token: string;
}

const counts = { checkouts: 0, confirms: 0, refundsAsked: 0, apiErrors: 0 };

async function signIn(name: string): Promise<Shopper> {
  const r = await b.call('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  if (r.status !== 200) throw new Error(`sign in ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return { name, token: r.body.session.access_token };
}

async function shop(s: Shopper, until: () => boolean, rng: () => number): Promise<void> {
  const mine: string[] = [];
  while (!until()) {
    try {
      const roll = rng();
      if (roll < 0.2 && mine.length > 0) {
        // A refund of one of my paid orders (refused once it completed: that is fine).
        const orderId = mine.splice(Math.floor(rng() * mine.length), 1)[0];
        const r = await b.call('api', { action: 'orders.refund', orderId, reason: '不想要了' }, s.token);
        if (r.status === 200) counts.refundsAsked++;
        else if (r.status >= 500 || r.status === 0) counts.apiErrors++;
        continue;
      }
      const productId = roll < 0.65 ? 'hot' : roll < 0.85 ? 'a' : 'b';
      const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId, quantity: 1 + Math.floor(rng() * 2) }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, s.token);
      if (c.status !== 200) {
        counts.apiErrors++;
        await sleep(100);
        continue;
      }
      counts.checkouts++;
      // The shopper pays: WeChat (the sandbox) posts the signed notify, and retries until it is acknowledged.
      const res = await fetch(`${b.sandbox.url}/sandbox/pay/confirm`, { method: 'POST', body: JSON.stringify({ prepay_id: c.body.payment.paymentId }) });
      if (res.ok) {
        counts.confirms++;
        mine.push(c.body.orderId);
      }
      await res.arrayBuffer();
    } catch {
      counts.apiErrors++;
      await sleep(100);
    }
  }
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const acknowledgedPayments = () =>
  new Set(b.sandbox.notifications.filter((n) => n.event_type === 'TRANSACTION.SUCCESS' && n.delivered).map((n) => n.key));

async function settledOnce(orderIds: Iterable<string>): Promise<{ missing: string[]; duplicated: string[] }> {
  const ids = [...orderIds];
  const rows = await pg.sql<{ id: string; core: number; pays: number; payments: number }[]>`
    select i.id,
      (select count(*)::int from orders.orders where id = i.id) as core,
      (select count(*)::int from ledger.transfers where idempotency_key = 'pay:' || i.id) as pays,
      (select count(*)::int from app.payments p where p.order_id = i.id and p.status in ('paid', 'refunded')) as payments
    from unnest(${ids}::text[]) as i(id)`;
  return {
    missing: rows.filter((r) => r.core === 0 || r.pays === 0).map((r) => r.id),
    duplicated: rows.filter((r) => r.core > 1 || r.pays > 1 || r.payments > 1).map((r) => r.id),
  };
}

async function runJobs(): Promise<void> {
  const r = await fetch(`${b.url}/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${b.serviceKey}`, 'Content-Type': 'application/json' }, body: '{}' });
  await r.arrayBuffer();
}

test(`${SHOPPERS} shoppers, ${CYCLES} immediate shutdowns of Postgres: every acknowledged payment settled once, none lost, nothing partial`, async () => {
  const shoppers = await Promise.all(Array.from({ length: SHOPPERS }, (_, i) => signIn(`crash-shopper-${i}`)));
  const rng = mulberry32(Number(process.env.FAULTS_SEED ?? Date.now() % 1e9));
  let stop = false;
  const load = shoppers.map((s, i) => shop(s, () => stop, mulberry32(i * 7919 + 1)));
  const jobs = (async () => {
    while (!stop) {
      await runJobs().catch(() => {});
      await sleep(300);
    }
  })();

  const cycles: { downMs: number; acknowledgedBefore: number; settledAfter: number; recovery: boolean }[] = [];
  try {
    for (let c = 0; c < CYCLES; c++) {
      await sleep(LOAD_MS + rng() * LOAD_MS);
      const acknowledged = acknowledgedPayments();
      pg.crash();
      const down = 200 + rng() * 1300;
      await sleep(down);
      pg.start();
      // What WeChat saw acknowledged before the power cut is on disk: settled, once.
      const { missing, duplicated } = await settledOnce(acknowledged);
      expect({ cycle: c, missing, duplicated }).toEqual({ cycle: c, missing: [], duplicated: [] });
      expect(await allProblems(pg.sql, { settled: false })).toEqual([]);
      cycles.push({ downMs: Math.round(down), acknowledgedBefore: acknowledged.size, settledAfter: acknowledged.size - missing.length, recovery: /database system was interrupted|redo (starts|done)/.test(pg.log()) });
    }
    await sleep(LOAD_MS);
  } finally {
    stop = true;
    await Promise.all(load);
    await jobs;
  }

  // WeChat keeps retrying what was not acknowledged; jobs drain the queues and send the refunds.
  const end = Date.now() + 90_000;
  for (;;) {
    await runJobs().catch(() => {});
    const pending = b.sandbox.notifications.filter((n) => !n.delivered).length;
    const [{ backlog, refunding }] = await pg.sql<{ backlog: number; refunding: number }[]>`
      select (select count(*)::int from rebate.queue_ops where processed_at is null) as backlog,
             (select count(*)::int from app.orders where status = 'refunding') as refunding`;
    if (pending === 0 && backlog === 0 && refunding === 0) break;
    if (Date.now() > end) {
      const stuck = await pg.sql`select r.*, o.status as order_status from app.refunds r join app.orders o on o.id = r.order_id where o.status = 'refunding'`;
      throw new Error(`not quiescent: ${pending} notifies undelivered, ${backlog} journal ops, ${refunding} refunds pending:\n${JSON.stringify(stuck, null, 1)}\n${JSON.stringify(b.sandbox.refundsMade().filter((r) => stuck.some((x) => x.out_refund_no === r.out_refund_no)))}\n${JSON.stringify(b.sandbox.notifications.filter((n) => stuck.some((x) => x.out_refund_no === n.key)).map(({ body, ...n }) => n))}`);
    }
    await sleep(300);
  }

  // Every payment WeChat took, settled exactly once.
  const paidAtWechat = (await (await fetch(`${b.sandbox.url}/sandbox/transactions`)).json()).transactions.filter((t: { trade_state: string }) => t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND');
  const { missing, duplicated } = await settledOnce(paidAtWechat.map((t: { out_trade_no: string }) => t.out_trade_no));
  const retried = b.sandbox.notifications.filter((n) => n.event_type === 'TRANSACTION.SUCCESS' && n.attempts.length > 1 && n.delivered).length;
  const [db] = await pg.sql<{ paid: number; refunded: number; completed: number; entries: number; hot: number }[]>`
    select (select count(*)::int from orders.orders) as paid,
           (select count(*)::int from orders.orders where status = 'refunded') as refunded,
           (select count(*)::int from orders.orders where status = 'completed') as completed,
           (select count(*)::int from rebate.entries) as entries,
           (select count(*)::int from rebate.entries e join rebate.queues q on q.id = e.queue_id where q.key like '%hot%') as hot`;
  // Refunds WeChat made: one per refunded order, never two.
  const wechatRefunds = b.sandbox.notifications.filter((n) => n.event_type === 'REFUND.SUCCESS');
  const refundKeys = wechatRefunds.map((n) => n.key);
  const figures = {
    cycles: cycles.length,
    shoppers: SHOPPERS,
    payments: paidAtWechat.length,
    settledOnRetry: retried,
    lost: missing.length,
    duplicated: duplicated.length + (refundKeys.length - new Set(refundKeys).size),
    refunded: db.refunded,
    completed: db.completed,
    entries: db.entries,
    hotQueueEntries: db.hot,
    apiErrorsDuringCrashes: counts.apiErrors,
    perCycle: cycles,
  };
  console.log(`faults crash-under-load: ${JSON.stringify(figures)}`);
  mkdirSync(join(__dirname, '..', '..', '.tmp', 'faults'), { recursive: true });
  writeFileSync(join(__dirname, '..', '..', '.tmp', 'faults', 'crash-under-load.json'), JSON.stringify(figures, null, 2));

  expect(cycles.every((c) => c.recovery)).toBe(true);
  expect(paidAtWechat.length).toBeGreaterThan(CYCLES * 5);
  expect(missing).toEqual([]);
  expect(duplicated).toEqual([]);
  expect(refundKeys.length).toBe(new Set(refundKeys).size);
  expect(db.paid).toBe(paidAtWechat.length);
  expect(db.refunded).toBe(new Set(refundKeys).size);
  expect(await allProblems(pg.sql, { settled: true })).toEqual([]);
});
