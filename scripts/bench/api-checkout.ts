// api-checkout: what a shopper waits for, end to end through the local
// stack the stack tests use (a fresh migrated Postgres database, the WeChat
// sandbox, every edge function involved under real Deno behind the
// gateway). 16 concurrent shoppers each buy a fixed number of times:
//   orders.checkout (api) → orders.pay (prepay again, as the mini-program does
//   before wx.requestPayment) → the shopper pays at WeChat (the sandbox
//   confirms and posts the signed, encrypted notify) → pay-notify settles →
//   the shopper polls orders.detail until the order is `paid`.
// One sample = that whole span for one order. ratio = p99 / p50 (target
// ≤ 4: the slow tail stays within a few typical checkouts); reported, never
// asserted. Sizes: BENCH_API_SHOPPERS (BENCH_CLIENTS, 16), BENCH_API_CHECKOUTS (50 each);
// BENCH_API_POOL (4) connections per function; BENCH_API_TRACE=1 logs each step of each purchase.
import type { BenchContext, BenchResult } from './common';
import { databaseModule, envInt, now, percentile, round, sizes } from './common';
import { generateIdentity } from '../wechat-sandbox/identity';
import { startSandbox } from '../wechat-sandbox/server';
import { startFunctions, startGateway, type RunningFunction } from '../stack/functions';
import { functionEnv, serviceRoleKey, verifyJwtFunctions } from '../stack/stack';

const FUNCTIONS = ['wechat-login', 'api', 'pay-notify'];
const PRODUCT = { id: 'bench-api-p1', price: 9_900, source: 'self', cost: 5_000, queue: {} };
const TARGET_RATIO = 4;

interface Stack {
  url: string;
  sandboxUrl: string;
  anonKey: string;
  logs: string[];
  stop(): Promise<void>;
}

/** The same pieces as test/stack/helpers/backend.ts startBackend: fresh database, sandbox, gateway, Deno functions. */
async function startApiStack(ctx: BenchContext, poolMax: number): Promise<Stack & { db: { sql: any; name: string } }> {
  const logs: string[] = [];
  const keep = (line: string) => {
    logs.push(line);
    if (logs.length > 200) logs.shift();
  };
  const db = await databaseModule().createTestDatabase('bench');
  const stops: (() => Promise<unknown>)[] = [() => db.drop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const identity = await generateIdentity();
    const sandbox = await startSandbox({ identity, port: 0, log: (l) => keep(`[sandbox] ${l}`) });
    stops.push(() => sandbox.close());
    const jwtSecret = `bench-jwt-secret-${crypto.randomUUID()}`;
    const anonKey = 'bench-anon-key';
    const serviceKey = await serviceRoleKey(jwtSecret);
    const routes = new Map<string, RunningFunction>();
    const gateway = await startGateway({ port: 0, functions: routes, verifyJwt: verifyJwtFunctions(), jwtSecret, apiKeys: [anonKey, serviceKey] });
    stops.push(() => gateway.close());
    const url = `${gateway.url}/functions/v1`;
    const fns = await startFunctions({
      names: FUNCTIONS,
      env: functionEnv({ databaseUrl: db.url, apiUrl: gateway.url, jwtSecret, anonKey, serviceKey, identity, sandboxUrl: sandbox.url, poolMax }),
      log: (name, line) => keep(`[${name}] ${line}`),
    });
    stops.push(() => fns.stop());
    for (const [k, v] of fns.functions) routes.set(k, v);
    ctx.log(`api-checkout: database ${db.name}, functions ${FUNCTIONS.join(', ')} under Deno`);
    return { url, sandboxUrl: sandbox.url, anonKey, logs, db, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function post(url: string, body: unknown, token: string | null, anonKey: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}`, apikey: anonKey } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url.replace(/^.*\/functions\/v1\//, '')} ${(body as { action?: string }).action ?? ''}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

export async function apiCheckout(ctx: BenchContext): Promise<BenchResult> {
  const shoppers = envInt('BENCH_API_SHOPPERS', sizes.clients);
  const perShopper = envInt('BENCH_API_CHECKOUTS', 50);
  const poolMax = envInt('BENCH_API_POOL', 4);
  const stack = await startApiStack(ctx, poolMax);
  try {
    await stack.db.sql.unsafe(`
      select catalog.upsert_product('${JSON.stringify(PRODUCT)}');
      insert into app.listings (id, kind, source, title, stock) values ('${PRODUCT.id}', 'product', 'self', '压测商品', 1000000);`);
    const api = (token: string, body: object) => post(`${stack.url}/api`, body, token, stack.anonKey);

    const tokens = await Promise.all(
      Array.from({ length: shoppers }, async (_, i) => {
        const login = await post(`${stack.url}/wechat-login`, { code: `sandbox:bench-shopper-${i}`, platform: 'h5' }, null, stack.anonKey);
        return login.session.access_token as string;
      }),
    );

    /** One purchase, from tapping 结算 to seeing it paid. Returns ms. */
    const purchase = async (token: string): Promise<number> => {
      const t0 = now();
      const lap = (what: string) => process.env.BENCH_API_TRACE && ctx.log(`${what} ${round(now() - t0, 1)}`);
      const c = await api(token, { action: 'orders.checkout', lines: [{ productId: PRODUCT.id, quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
      lap('checkout');
      const p = await api(token, { action: 'orders.pay', orderId: c.orderId, platform: 'h5' });
      if (p.payment?.kind !== 'sandbox') throw new Error(`pay: unexpected payment ${JSON.stringify(p.payment)}`);
      lap('pay');
      const paid = await post(`${stack.sandboxUrl}/sandbox/pay/confirm`, { prepay_id: p.payment.paymentId }, null, stack.anonKey);
      if (!paid.transaction_id) throw new Error(`sandbox confirm: ${JSON.stringify(paid)}`);
      lap('confirm');
      for (let polls = 0; ; polls++) {
        const d = await api(token, { action: 'orders.detail', orderId: c.orderId });
        if (d.order.status === 'paid') break;
        if (polls > 500) throw new Error(`order ${c.orderId} still ${d.order.status} after ${polls} polls`);
        await new Promise((r) => setTimeout(r, 10));
      }
      lap('settled');
      return now() - t0;
    };

    // Warm-up (Deno JIT, connection pools): one purchase per shopper, not measured.
    await Promise.all(tokens.map((t) => purchase(t)));
    ctx.log(`api-checkout: ${shoppers} shoppers × ${perShopper} checkouts`);

    const samples: number[] = [];
    const started = now();
    await Promise.all(
      tokens.map(async (token) => {
        for (let i = 0; i < perShopper; i++) samples.push(await purchase(token));
      }),
    );
    const wallMs = now() - started;

    // Every purchase settled exactly once: one paid order and one payment transfer each.
    const total = shoppers * (perShopper + 1);
    const [check] = await stack.db.sql`select
        (select count(*)::int from app.orders where status = 'paid') as paid,
        (select count(*)::int from ledger.transfers where idempotency_key like 'pay:%') as transfers,
        (select count(*)::int from rebate.entries) as entries`;
    if (check.paid !== total || check.transfers !== total || check.entries !== total) {
      throw new Error(`settlement check: ${JSON.stringify(check)}, expected ${total} of each`);
    }

    const sorted = [...samples].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const ratio = round(p99 / p50, 2);
    ctx.log(`api-checkout: p50 ${round(p50, 1)} ms, p99 ${round(p99, 1)} ms, ratio ${ratio} (target <= ${TARGET_RATIO})`);
    return {
      bench: 'api-checkout',
      p50Ms: round(p50, 1),
      p99Ms: round(p99, 1),
      ratio,
      target: TARGET_RATIO,
      withinTarget: ratio <= TARGET_RATIO,
      p90Ms: round(percentile(sorted, 90), 1),
      maxMs: round(sorted[sorted.length - 1], 1),
      meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length, 1),
      checkouts: samples.length,
      shoppers,
      checkoutsPerSecond: round(samples.length / (wallMs / 1000), 1),
      dbPoolPerFunction: poolMax,
    };
  } catch (err) {
    ctx.log(`api-checkout: recent function logs:\n${stack.logs.slice(-30).join('\n')}`);
    throw err;
  } finally {
    await stack.stop();
  }
}
