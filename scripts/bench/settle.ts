// Settlement benchmarks: real orders paid through orders.pay_order on a
// migrated database, with genuine waiting entries pre-loaded by the engine.
import type { BenchContext, BenchResult, Sql } from './common';
import { analyze, checkLoaderFidelity, connect, engineDatabase, loaderFromEnv, loadWaiting, now, orderJson, payOrder, payOrderBy, payPathFromEnv, percentile, processPending, PRODUCT, round, seedCatalog, sizes, wallMs } from './common';
import { pgbenchBaseline } from './pgbench';

const USERS = 1_000;
/** Measured orders happen after every pre-loaded one (the loader starts 2026-01-01). */
const MEASURED_FROM = Date.parse('2026-06-01T00:00:00+08:00');

/**
 * 16 clients pay single-line orders into one hot queue (`mall`) that already
 * holds 100,000 waiting entries, for as long as pgbench ran. ratio = orders
 * whose queue operations were fully applied within the window, per second,
 * / pgbench tps. Lag = operation applied (its processed_at, the server's
 * clock) − payment committed (the client's clock when the payment returned;
 * same machine): p50 / p99 over every measured order, those the final sweep
 * applied after the window included.
 */
export async function settleHotQueue(ctx: BenchContext): Promise<BenchResult> {
  const baseline = await pgbenchBaseline(ctx);
  const { clients, seconds, hotEntries } = sizes;
  const path = payPathFromEnv();
  const db = await engineDatabase(ctx);
  const conns: Sql[] = [];
  try {
    if (loaderFromEnv() === 'bulk') await checkLoaderFidelity(ctx);
    await seedCatalog(db.sql, USERS);
    await loadWaiting(db.sql, hotEntries, USERS, ctx);
    await analyze(db.sql);
    for (let c = 0; c < clients; c++) conns.push(connect(db.url));
    await Promise.all(conns.map((sql) => sql`select 1`)); // connect before the clock starts

    ctx.log(`settle-hot-queue: ${clients} clients, ${seconds} s, ${path} payment path`);
    const latencies: number[] = [];
    const committed = new Map<string, number>();
    let retries = 0;
    let orders = 0;
    const started = now();
    const deadline = started + seconds * 1000;
    const windowEnd = wallMs() + seconds * 1000;
    await Promise.all(
      conns.map(async (sql, c) => {
        for (let i = 0; now() < deadline; i++) {
          const n = i * clients + c;
          const id = `bench-h${c}-${i}`;
          const json = orderJson(id, `bench-u${1 + (n % USERS)}`, new Date(MEASURED_FROM + n * 10), PRODUCT.price);
          const t = now();
          const r = await payOrderBy(path, sql, id, json); // not `retries += await`: that reads retries before the await
          retries += r.retries;
          committed.set(id, r.committedAt);
          latencies.push(now() - t);
          orders++;
        }
      }),
    );
    const paidAt = now();
    const pendingAtEnd = await pendingOperations(db.sql);
    const pending = await processPending(db.sql);
    const ended = now();
    const elapsed = paidAt - started;
    const applied = await db.sql<{ id: string; at: number }[]>`
      select order_id as id, (extract(epoch from max(processed_at)) * 1000)::float8 as at
      from rebate.queue_ops where order_id like 'bench-h%' group by order_id`;
    const lags: number[] = [];
    let inWindow = 0;
    for (const { id, at } of applied) {
      const c = committed.get(id);
      if (c === undefined) continue;
      // Applied inside the payment's own transaction (inline) counts as applied at its commit.
      lags.push(Math.max(0, at - c));
      if (at <= windowEnd) inWindow++;
    }
    latencies.sort((a, b) => a - b);
    lags.sort((a, b) => a - b);
    const tps = orders / (elapsed / 1000);
    const appliedTps = inWindow / seconds;
    return {
      bench: 'settle-hot-queue',
      ratio: round(appliedTps / baseline.tps, 4),
      appliedTps: round(appliedTps, 1),
      paymentTps: round(tps, 1),
      pgbenchTps: round(baseline.tps, 1),
      path,
      clients,
      seconds: round(elapsed / 1000, 2),
      orders,
      appliedInWindow: inWindow,
      pendingAtEnd,
      waitingBefore: hotEntries,
      lagP50Ms: round(percentile(lags, 50), 1),
      lagP99Ms: round(percentile(lags, 99), 1),
      p50Ms: round(percentile(latencies, 50), 2),
      p95Ms: round(percentile(latencies, 95), 2),
      retries,
      pendingMs: pending ? round(ended - paidAt, 1) : null,
    };
  } finally {
    await Promise.all(conns.map((sql) => sql.end({ timeout: 5 })));
    await db.drop();
  }
}

async function pendingOperations(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from rebate.queue_ops where processed_at is null`;
  return n;
}

interface QueueUnderTest {
  waiting: number;
  db: Awaited<ReturnType<typeof engineDatabase>>;
  ms: number;
  orders: number;
  next: number;
}

/**
 * Mean time per settled order (one client) with a long queue divided by the
 * same with a short one: ~1 when settlement does not depend on queue length.
 * Both databases are loaded first, then measured in alternating chunks so
 * machine noise hits both sides alike.
 */
export async function settleQueueLength(ctx: BenchContext): Promise<BenchResult> {
  const { shortEntries, longEntries, lengthOrders } = sizes;
  const sides: QueueUnderTest[] = [];
  try {
    if (loaderFromEnv() === 'bulk') await checkLoaderFidelity(ctx);
    for (const waiting of [shortEntries, longEntries]) {
      const db = await engineDatabase(ctx);
      sides.push({ waiting, db, ms: 0, orders: 0, next: 0 });
      await seedCatalog(db.sql, USERS);
      await loadWaiting(db.sql, waiting, USERS, ctx);
      await analyze(db.sql);
    }
    const pay = async (side: QueueUnderTest, count: number): Promise<void> => {
      for (let k = 0; k < count; k++, side.next++) {
        const n = side.next;
        await payOrder(side.db.sql, orderJson(`bench-l${n}`, `bench-u${1 + (n % USERS)}`, new Date(MEASURED_FROM + n * 1000), PRODUCT.price));
      }
    };
    // Warm-up: caches and plans, not measured.
    for (const side of sides) await pay(side, Math.min(100, lengthOrders));
    const chunk = Math.max(1, Math.ceil(lengthOrders / 10));
    ctx.log(`settle-queue-length: ${lengthOrders} orders per side, chunks of ${chunk}`);
    for (let done = 0; done < lengthOrders; done += chunk) {
      const count = Math.min(chunk, lengthOrders - done);
      for (const side of sides) {
        const t = now();
        await pay(side, count);
        side.ms += now() - t;
        side.orders += count;
      }
    }
    for (const side of sides) {
      const t = now();
      await processPending(side.db.sql);
      side.ms += now() - t;
    }
    const [short, long] = sides.map((s) => s.ms / s.orders);
    return {
      bench: 'settle-queue-length',
      ratio: round(long / short, 4),
      shortWaiting: shortEntries,
      longWaiting: longEntries,
      ordersPerSide: lengthOrders,
      shortMsPerOrder: round(short, 4),
      longMsPerOrder: round(long, 4),
    };
  } finally {
    for (const side of sides) await side.db.drop().catch(() => {});
  }
}
