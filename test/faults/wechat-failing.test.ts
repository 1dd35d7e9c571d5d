// WeChat unreachable or failing while refunds and withdrawal transfers are
// due: the sandbox answers 500, never answers (timeout), drops the
// connection before doing anything, or does the work and loses the answer.
// The requests are retried with backoff; a retry after an attempt that may
// have reached WeChat queries WeChat first, so nobody is refunded or paid
// twice; an operator sees what is stuck and why (app.stuck_work).
import type { FaultRule } from '../../scripts/wechat-sandbox/server.ts';
import { startBackend, type Backend } from '../stack/helpers/backend.ts';
import { allProblems } from './helpers/invariants.ts';

jest.setTimeout(240_000);

let b: Backend;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BACKOFF_BASE_MS = 400;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'refund-notify', 'transfer-notify', 'jobs'], {
    env: { WECHAT_HTTP_TIMEOUT_MS: '1500' },
    // WeChat finishes a refund (and notifies) after a while: long enough that a retry comes first.
    refundDelayMs: 10_000,
  });
  await b.db.sql.unsafe(`
    insert into app.job_state (key, value) values ('wechat_retry_base_ms', ${BACKOFF_BASE_MS});
    select catalog.upsert_product('{"id":"p1","price":2000,"source":"self","cost":1000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试茶叶', 1000);`);
});

afterAll(async () => {
  if (b) {
    if (process.env.STACK_TEST_LOGS) console.log(b.logs.join('\n'));
    await b.stop();
  }
});

async function signIn(name: string): Promise<{ token: string; memberId: string }> {
  const r = await b.call('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  expect(r.status).toBe(200);
  return { token: r.body.session.access_token, memberId: r.body.user.id };
}

async function paidOrder(token: string): Promise<string> {
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
  expect(c.status).toBe(200);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: c.body.payment.paymentId }, token)).status).toBe(200);
  return c.body.orderId;
}

async function runJobs(): Promise<unknown> {
  const r = await fetch(`${b.url}/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${b.serviceKey}`, 'Content-Type': 'application/json' }, body: '{}' });
  return r.json();
}

/** Requests for `key` that took effect at WeChat (answered or answer lost), by method. */
function effective(key: string, method: 'POST' | 'GET', pathPart: string): number {
  return b.sandbox.payRequests.filter((r) => r.method === method && r.path.includes(pathPart) && (r.path.includes(key) || r.body.includes(key)) && (r.outcome === 'answered' || r.outcome === 'lost')).length;
}

const REFUNDS = '/v3/refund/domestic/refunds';
const TRANSFERS = '/v3/fund-app/mch-transfer/transfer-bills';

test('refunds and transfers through 500s, timeouts, dropped connections and lost answers: each made once, with backoff; stuck work visible', async () => {
  const modes: FaultRule['mode'][] = ['lost', 'status500', 'timeout', 'drop'];
  const s = await signIn('unlucky');
  // Four refunds, one per fault, each hit on its first attempt (the api's immediate send) and one more.
  const orders: string[] = [];
  for (let i = 0; i < modes.length; i++) orders.push(await paidOrder(s.token));
  for (const [i, orderId] of orders.entries()) {
    b.sandbox.faults.push({ method: 'POST', path: `^${REFUNDS}$`, includes: `R${orderId}`, mode: modes[i], times: modes[i] === 'lost' ? 1 : 2 });
  }
  // Four withdrawals, approved, one per fault.
  await b.db.sql`select ledger.transfer('faults-test-credit', 'test', array[row('world', 'CNY', -40000)::ledger.leg, row(${'wallet:' + s.memberId + ':available'}, 'CNY', 40000)::ledger.leg])`;
  const withdrawals: string[] = [];
  for (const mode of modes) {
    const w = await b.call('api', { action: 'wallet.withdraw', amount: 5000 }, s.token);
    expect(w.status).toBe(200);
    withdrawals.push(w.body.withdrawalId);
    b.sandbox.faults.push({ method: 'POST', path: `^${TRANSFERS}$`, includes: w.body.withdrawalId, mode, times: mode === 'lost' ? 1 : 2 });
  }
  // A refund WeChat keeps failing: it must show as stuck, with why.
  const stuckOrder = await paidOrder(s.token);
  b.sandbox.faults.push({ method: 'POST', path: `^${REFUNDS}$`, includes: `R${stuckOrder}`, mode: 'status500', times: 1000 });

  for (const orderId of [...orders, stuckOrder]) {
    const r = await b.call('api', { action: 'orders.refund', orderId, reason: '网络不好' }, s.token);
    expect(r.status).toBe(200); // accepted; sending is the outbox's business
  }
  await b.db.sql`update app.withdrawals set status = 'approved', reviewed_at = now() where id = any(${withdrawals})`;

  // The jobs function runs (every minute in production; here as fast as it likes) until all is done but the stuck one.
  const end = Date.now() + 120_000;
  for (;;) {
    await runJobs();
    const [{ open }] = await b.db.sql<{ open: number }[]>`
      select (select count(*)::int from app.refunds where out_refund_no = any(${orders.map((o) => 'R' + o)}) and status <> 'succeeded')
           + (select count(*)::int from app.withdrawals where id = any(${withdrawals}) and status <> 'paid') as open`;
    if (open === 0) break;
    if (Date.now() > end) throw new Error(`${open} refunds / transfers still open:\n${JSON.stringify(await b.db.sql`select * from app.stuck_work('0 seconds')`, null, 1)}`);
    await sleep(100);
  }

  for (const [i, orderId] of orders.entries()) {
    const key = `R${orderId}`;
    const [r] = await b.db.sql`select r.status, r.send_attempts, o.status as order_status,
        (select count(*)::int from app.payment_anomalies where out_trade_no = ${key}) as anomalies
      from app.refunds r join app.orders o on o.id = r.order_id where r.out_refund_no = ${key}`;
    expect({ mode: modes[i], ...r }).toEqual({ mode: modes[i], status: 'succeeded', send_attempts: expect.any(Number), order_status: 'refunded', anomalies: 0 });
    // Each fault cost at least one more attempt.
    expect(r.send_attempts).toBeGreaterThanOrEqual(2);
    // WeChat made exactly one refund for the order, from exactly one request that reached it.
    expect(b.sandbox.refundsMade().filter((x) => x.out_refund_no === key)).toHaveLength(1);
    expect({ mode: modes[i], posts: effective(key, 'POST', REFUNDS) }).toEqual({ mode: modes[i], posts: 1 });
  }
  // The lost answer: the retry asked WeChat (GET) and took the refund from there instead of requesting it again.
  expect(effective(`R${orders[0]}`, 'GET', REFUNDS)).toBe(1);

  for (const [i, id] of withdrawals.entries()) {
    const [w] = await b.db.sql`select status, send_attempts,
        (select count(*)::int from ledger.transfers where idempotency_key = ${'withdraw-paid:' + id}) as paid_out
      from app.withdrawals where id = ${id}`;
    expect({ mode: modes[i], ...w }).toEqual({ mode: modes[i], status: 'paid', send_attempts: expect.any(Number), paid_out: 1 });
    expect(w.send_attempts).toBeGreaterThanOrEqual(2);
    expect(b.sandbox.transfersMade().filter((t) => t.out_bill_no === id)).toEqual([{ out_bill_no: id, transfer_amount: 5000, state: 'SUCCESS' }]);
  }
  // A transfer whose answer was lost: queried first; still waiting for the user there, so asked again with the
  // same out_bill_no, which returns the same bill (one transfer, its package for the user).
  expect(effective(withdrawals[0], 'GET', TRANSFERS)).toBe(1);

  // Backoff: the attempts of the refund that failed twice with 500 are spaced by at least the base, then twice it.
  const times = b.sandbox.payRequests.filter((r) => r.method === 'POST' && r.path === REFUNDS && r.body.includes(`R${orders[1]}`)).map((r) => r.at);
  expect(times).toHaveLength(3);
  expect(times[1] - times[0]).toBeGreaterThanOrEqual(BACKOFF_BASE_MS - 50);
  expect(times[2] - times[1]).toBeGreaterThanOrEqual(2 * BACKOFF_BASE_MS - 50);

  // The stuck refund: what an operator sees (the console reads app.stuck_work()).
  const stuck = await b.db.sql`select kind, ref, status, attempts, last_error, why, next_attempt_at > now() as waiting from app.stuck_work('0 seconds') where ref = ${'R' + stuckOrder}`;
  expect(stuck).toEqual([{
    kind: 'refund', ref: `R${stuckOrder}`, status: 'pending', attempts: expect.any(Number), waiting: expect.any(Boolean),
    last_error: expect.stringMatching(/SYSTEM_ERROR/), why: expect.stringMatching(/退款请求未被微信受理/),
  }]);
  expect(stuck[0].attempts).toBeGreaterThanOrEqual(3);
  expect(b.sandbox.refundsMade().filter((x) => x.out_refund_no === `R${stuckOrder}`)).toHaveLength(0);
  // Nothing else is stuck, and nothing is off in the ledger or the queues.
  expect((await b.db.sql`select kind, ref from app.stuck_work('0 seconds')`).map((r) => r.ref)).toEqual([`R${stuckOrder}`]);
  expect(await allProblems(b.db.sql, { settled: true })).toEqual([]);

  // WeChat recovers: the stuck refund goes through at its next attempt, once.
  b.sandbox.faults.length = 0;
  const until = Date.now() + 60_000;
  while ((await b.db.sql`select status from app.refunds where out_refund_no = ${'R' + stuckOrder}`)[0].status !== 'succeeded') {
    if (Date.now() > until) throw new Error('the stuck refund did not go through');
    await runJobs();
    await sleep(200);
  }
  expect(b.sandbox.refundsMade().filter((x) => x.out_refund_no === `R${stuckOrder}`)).toHaveLength(1);
  expect(await b.db.sql`select kind, ref from app.stuck_work('0 seconds')`).toEqual([]);
});
