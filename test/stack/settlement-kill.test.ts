// A database connection killed in the middle of a settlement. The payment
// notify's transaction is made to stop deep inside the engine (the test
// holds the row lock of a wallet the order's extraction pays into, so the
// settlement has already written the order, its entry, the journal and the
// transfer header when it blocks), then its backend is terminated with
// pg_terminate_backend. Nothing of it may remain: same ledger, same order
// state. WeChat's retry of the same notify then settles it exactly once.
import type postgres from 'postgres';
import { connect } from '../../scripts/db/database.ts';
import { ledgerChecksum, stateChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  // WeChat retries a notify answered 5xx (15 s, 15 s, 30 s, …); here a few hundred ms apart.
  b = await startBackend(['wechat-login', 'api', 'pay-notify'], { notifyRetryDelaysMs: [300, 300, 500, 1000, 2000, 4000] });
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试大米', 100);`);
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

async function checkout(token: string): Promise<{ orderId: string; paymentId: string }> {
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
  expect(c.status).toBe(200);
  return { orderId: c.body.orderId, paymentId: c.body.payment.paymentId };
}

async function orderState(orderId: string) {
  const [o] = await b.db.sql`select o.status, p.status as payment, p.transaction_id is not null as has_transaction,
      (select count(*)::int from orders.orders where id = o.id) as core,
      (select count(*)::int from rebate.entries where order_id = o.id) as entries,
      (select count(*)::int from rebate.queue_ops where order_id = o.id) as journal,
      (select count(*)::int from ledger.transfers where idempotency_key = ${'pay:' + orderId}) as pay_transfers,
      (select count(*)::int from app.inbox where dedupe_key like ${'joined:' + orderId + ':%'}) as joined_messages
    from app.orders o join app.payments p on p.order_id = o.id where o.id = ${orderId}`;
  return o;
}

const balance = async (code: string) => Number((await b.db.sql`select ledger.balance(${code})::bigint as v`)[0].v);

test('a settlement killed mid-transaction leaves nothing; WeChat\'s retry settles it exactly once', async () => {
  // W's entry waits at the head of the queue: V's extraction (10% of 10000) will be paid into W's frozen wallet.
  const w = await signIn('waiting');
  const first = await checkout(w.token);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: first.paymentId }, w.token)).status).toBe(200);
  const wFrozen = `wallet:${w.memberId}:frozen`;
  expect(await balance(wFrozen)).toBe(0);

  const v = await signIn('victim-of-a-crash');
  const order = await checkout(v.token);
  const ledgerBefore = await ledgerChecksum(b.db.sql);
  const stateBefore = await stateChecksum(b.db.sql);
  const orderBefore = await orderState(order.orderId);
  expect(orderBefore).toMatchObject({ status: 'unpaid', payment: 'created', core: 0, entries: 0, pay_transfers: 0 });

  // Another session holds W's wallet row: the settlement will block when it posts the payout.
  const lockSql = connect(b.db.url);
  const holder: postgres.ReservedSql = await lockSql.reserve();
  let released = false;
  try {
    await holder`begin`;
    await holder`select id from ledger.accounts where code = ${wFrozen} for update`;
    const [{ pid: holderPid }] = await holder`select pg_backend_pid() as pid`;

    // The shopper pays; WeChat (the sandbox) posts the signed notify and waits for the answer.
    const confirm = fetch(`${b.sandbox.url}/sandbox/pay/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prepay_id: order.paymentId }),
    }).then((r) => r.json());

    const victim = await until('the settlement to block on the wallet lock', async () => {
      const rows = await b.db.sql`select pid, backend_xid::text as xid, query from pg_stat_activity
        where datname = current_database() and ${holderPid}::int = any (pg_blocking_pids(pid))`;
      return rows[0];
    });
    // It is the payment confirmation, and it has written already (it holds a transaction id).
    expect(victim.query).toMatch(/confirm_payment/);
    expect(victim.xid).not.toBeNull();

    const [{ terminated }] = await b.db.sql`select pg_terminate_backend(${victim.pid}::int) as terminated`;
    expect(terminated).toBe(true);

    // pay-notify answered WeChat's first delivery with a 5xx (so WeChat retries).
    const delivery = await confirm;
    expect(delivery.notify.attempts[0].status).toBe(500);

    // While the lock is still held (a retry, if one started, is blocked and uncommitted): nothing partial.
    expect(await ledgerChecksum(b.db.sql)).toBe(ledgerBefore);
    expect(await stateChecksum(b.db.sql)).toBe(stateBefore);
    expect(await orderState(order.orderId)).toEqual(orderBefore);
    expect(await balance(wFrozen)).toBe(0);

    await holder`rollback`;
    released = true;
  } finally {
    if (!released) await holder`rollback`.catch(() => {});
    holder.release();
    await lockSql.end();
  }

  // WeChat's retry schedule delivers the same notify again: it settles, once.
  const settled = await until('the retry to settle the order', async () => {
    const s = await orderState(order.orderId);
    return s.status === 'paid' && s;
  });
  expect(settled).toMatchObject({ payment: 'paid', has_transaction: true, core: 1, entries: 1, pay_transfers: 1, joined_messages: 1 });
  const record = b.sandbox.notifications.find((n) => n.key === order.orderId)!;
  await until('WeChat to see the notify acknowledged', async () => record.delivered);
  expect(record.attempts[0].status).toBe(500);
  expect(record.attempts.filter((a) => a.status === 204).length).toBe(1);
  // W received V's extraction once: 10% of 10000.
  expect(await balance(wFrozen)).toBe(1000);
  const [{ payouts }] = await b.db.sql`select count(*)::int as payouts from rebate.payouts po join rebate.entries e on e.id = po.entry_id where e.order_id = ${first.orderId}`;
  expect(payouts).toBe(1);

  // More deliveries of the same notify are duplicates: the ledger does not move.
  const afterSettle = await ledgerChecksum(b.db.sql);
  const resend = await (await fetch(`${b.sandbox.url}/sandbox/notify/resend`, { method: 'POST', body: JSON.stringify({ key: order.orderId, times: 3 }) })).json();
  expect(resend.attempts.map((a: { status: number }) => a.status)).toEqual([204, 204, 204]);
  expect(await ledgerChecksum(b.db.sql)).toBe(afterSettle);
  expect(await orderState(order.orderId)).toEqual(settled);
});

test('an api request whose connection is killed mid-transaction answers 503 and leaves nothing; the function keeps serving', async () => {
  const s = await signIn('checkout-crash');
  const ledgerBefore = await ledgerChecksum(b.db.sql);
  const stateBefore = await stateChecksum(b.db.sql);
  const lockSql = connect(b.db.url);
  const holder: postgres.ReservedSql = await lockSql.reserve();
  try {
    await holder`begin`;
    // Checkout writes the order and its lines, then reserves stock: it blocks on this row.
    await holder`select id from app.listings where id = 'p1' for update`;
    const [{ pid: holderPid }] = await holder`select pg_backend_pid() as pid`;
    const pending = b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, s.token);
    const victim = await until('the checkout to block on the listing lock', async () =>
      (await b.db.sql`select pid, backend_xid::text as xid, query from pg_stat_activity
        where datname = current_database() and ${holderPid}::int = any (pg_blocking_pids(pid))`)[0]);
    expect(victim.query).toMatch(/orders_checkout/);
    expect(victim.xid).not.toBeNull();
    await b.db.sql`select pg_terminate_backend(${victim.pid}::int)`;
    const r = await pending;
    expect(r).toEqual({ status: 503, body: { error: { field: null, message: '系统繁忙，请稍后重试', code: 'busy' } } });
    expect(await ledgerChecksum(b.db.sql)).toBe(ledgerBefore);
    expect(await stateChecksum(b.db.sql)).toBe(stateBefore);
    await holder`rollback`;
  } finally {
    holder.release();
    await lockSql.end();
  }
  const again = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, s.token);
  expect(again.status).toBe(200);
  const [{ n }] = await b.db.sql`select count(*)::int as n from app.orders o join app.profiles p on p.member_id = o.member_id where p.openid = ${b.sandbox.openidFor('checkout-crash')}`;
  expect(n).toBe(1);
});
