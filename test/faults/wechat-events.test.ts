// Bad, duplicated and reordered events from WeChat, genuine (signed by
// WeChat's key, encrypted with the API v3 key) and delivered to the real
// notify functions: each is acknowledged, nothing moves that should not,
// and what does not fit is kept as an anomaly for an operator.
import { encryptResource, importPrivateKeyPem, signResponse } from '../../supabase/functions/_shared/wechat/index.ts';
import { ledgerChecksum } from '../stack/helpers/checksum.ts';
import { startBackend, type Backend } from '../stack/helpers/backend.ts';
import { allProblems } from './helpers/invariants.ts';

jest.setTimeout(240_000);

let b: Backend;
let wechatKey: CryptoKey;
let shopper: { token: string; memberId: string };
const shanghai = () => new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

beforeAll(async () => {
  // Refunds stay PROCESSING at the sandbox: this test delivers their notifies itself.
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'refund-notify', 'transfer-notify'], { refundDelayMs: 600_000 });
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":3000,"source":"self","cost":1000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试蜂蜜', 100);`);
  wechatKey = await importPrivateKeyPem(b.sandbox.identity.platformPrivateKeyPem);
  const r = await b.call('wechat-login', { code: 'sandbox:eventful', platform: 'h5' });
  shopper = { token: r.body.session.access_token, memberId: r.body.user.id };
});

afterAll(async () => {
  await b?.stop();
});

type Fn = 'pay-notify' | 'refund-notify' | 'transfer-notify';
const ORIGINAL: Record<Fn, string> = { 'pay-notify': 'transaction', 'refund-notify': 'refund', 'transfer-notify': 'mch_payment' };

/** A notify exactly as WeChat sends it. */
async function deliver(fn: Fn, eventType: string, resource: unknown): Promise<number> {
  const body = JSON.stringify({
    id: crypto.randomUUID(),
    create_time: shanghai(),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: eventType,
    resource: await encryptResource(b.sandbox.identity.apiV3Key, resource, ORIGINAL[fn]),
  });
  const headers = await signResponse(wechatKey, b.sandbox.identity.platformSerial, body);
  const res = await fetch(`${b.url}/${fn}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  await res.arrayBuffer();
  return res.status;
}

const anomalies = async (key: string) =>
  (await b.db.sql`select kind from app.payment_anomalies where out_trade_no = ${key} order by id`).map((r) => r.kind);

async function paidOrder(): Promise<string> {
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, shopper.token);
  expect(c.status).toBe(200);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: c.body.payment.paymentId }, shopper.token)).status).toBe(200);
  return c.body.orderId;
}

function refundNotice(orderId: string, outRefundNo: string, refundId: string, amount = 3000) {
  return {
    mchid: b.sandbox.identity.mchid, out_trade_no: orderId, transaction_id: '4200' + '1'.repeat(24), out_refund_no: outRefundNo,
    refund_id: refundId, refund_status: 'SUCCESS', success_time: shanghai(), user_received_account: '支付用户零钱',
    amount: { total: amount, refund: amount, payer_total: amount, payer_refund: amount },
  };
}

function transferNotice(id: string, state: string, amount: number) {
  return {
    out_bill_no: id, transfer_bill_no: `1330000${id}`, state, mch_id: b.sandbox.identity.mchid, transfer_amount: amount,
    openid: b.sandbox.openidFor('eventful'), create_time: shanghai(), update_time: shanghai(),
  };
}

test('a refund notify before the refund request is recorded: acknowledged, an anomaly, nothing moved', async () => {
  const orderId = await paidOrder();
  const ledger = await ledgerChecksum(b.db.sql);
  // WeChat reports a refund of this order that we never asked for (no app.refunds row).
  expect(await deliver('refund-notify', 'REFUND.SUCCESS', refundNotice(orderId, `R${orderId}`, '50' + '2'.repeat(30)))).toBe(204);
  expect(await anomalies(`R${orderId}`)).toEqual(['unknown_refund']);
  expect(await ledgerChecksum(b.db.sql)).toBe(ledger);
  expect((await b.db.sql`select status from app.orders where id = ${orderId}`)[0].status).toBe('paid');
  expect((await b.db.sql`select status from orders.orders where id = ${orderId}`)[0].status).toBe('paid');
});

test('a refund notify that overtakes the answer to the refund request: settled once; the late answer and a repeat change nothing', async () => {
  const orderId = await paidOrder();
  const key = `R${orderId}`;
  // The refund is recorded (pending) but its request's answer has not been recorded yet: make it so by
  // holding the send back (review on), then WeChat's notify arrives first.
  await b.db.sql`insert into app.site_content (key, value) values ('refundReview', 'true') on conflict (key) do update set value = excluded.value`;
  try {
    expect((await b.call('api', { action: 'orders.refund', orderId, reason: '发错货' }, shopper.token)).status).toBe(200);
    expect((await b.db.sql`select status from app.refunds where out_refund_no = ${key}`)[0].status).toBe('pending');
    expect(await deliver('refund-notify', 'REFUND.SUCCESS', refundNotice(orderId, key, '50' + '3'.repeat(30)))).toBe(204);
    const settled = await ledgerChecksum(b.db.sql);
    expect((await b.db.sql`select o.status, r.status as refund from app.orders o join app.refunds r on r.order_id = o.id where o.id = ${orderId}`)[0])
      .toEqual({ status: 'refunded', refund: 'succeeded' });
    // The request's answer, late: nothing.
    await b.db.sql`select app.refund_started(${key}, ${'50' + '3'.repeat(30)})`;
    // The same notify again: a duplicate, nothing.
    expect(await deliver('refund-notify', 'REFUND.SUCCESS', refundNotice(orderId, key, '50' + '3'.repeat(30)))).toBe(204);
    expect(await ledgerChecksum(b.db.sql)).toBe(settled);
    expect((await b.db.sql`select status from app.refunds where out_refund_no = ${key}`)[0].status).toBe('succeeded');
    expect(await anomalies(key)).toEqual([]);
  } finally {
    await b.db.sql`delete from app.site_content where key = 'refundReview'`;
  }
});

test('a transfer notify twice, then a contradicting one: paid once; the repeat is a duplicate; the contradiction an anomaly; nothing moved after the first', async () => {
  await b.db.sql`select ledger.transfer('events-test-credit', 'test', array[row('world', 'CNY', -10000)::ledger.leg, row(${'wallet:' + shopper.memberId + ':available'}, 'CNY', 10000)::ledger.leg])`;
  const w = await b.call('api', { action: 'wallet.withdraw', amount: 2000 }, shopper.token);
  expect(w.status).toBe(200);
  const id = w.body.withdrawalId;
  // Approved and sent (WeChat holds the bill, waiting for the user).
  await b.db.sql`update app.withdrawals set status = 'approved', reviewed_at = now() where id = ${id}`;
  await b.db.sql`select app.transfer_started(${id}, ${'1330000' + id}, 'package')`;

  expect(await deliver('transfer-notify', 'MCHTRANSFER.BILL.FINISHED', transferNotice(id, 'SUCCESS', w.body.net))).toBe(204);
  const paid = await ledgerChecksum(b.db.sql);
  expect((await b.db.sql`select status from app.withdrawals where id = ${id}`)[0].status).toBe('paid');

  expect(await deliver('transfer-notify', 'MCHTRANSFER.BILL.FINISHED', transferNotice(id, 'SUCCESS', w.body.net))).toBe(204);
  expect(await ledgerChecksum(b.db.sql)).toBe(paid);
  expect(await anomalies(id)).toEqual([]);

  expect(await deliver('transfer-notify', 'MCHTRANSFER.BILL.FINISHED', transferNotice(id, 'FAIL', w.body.net))).toBe(204);
  expect(await ledgerChecksum(b.db.sql)).toBe(paid);
  expect((await b.db.sql`select status from app.withdrawals where id = ${id}`)[0].status).toBe('paid');
  expect(await anomalies(id)).toEqual(['transfer_state_conflict']);
  expect((await b.db.sql`select count(*)::int as n from ledger.transfers where idempotency_key in (${'withdraw-paid:' + id}, ${'withdraw-return:' + id})`)[0].n).toBe(1);
});

test('notifies for an order, a refund and a transfer nobody knows: acknowledged, an anomaly each, nothing moved', async () => {
  const ledger = await ledgerChecksum(b.db.sql);
  const ghost = 'o' + '9'.repeat(17);
  expect(await deliver('pay-notify', 'TRANSACTION.SUCCESS', {
    appid: b.sandbox.identity.appid, mchid: b.sandbox.identity.mchid, out_trade_no: ghost, transaction_id: '4200' + '7'.repeat(24),
    trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: shanghai(),
    payer: { openid: b.sandbox.openidFor('eventful') }, amount: { total: 3000, payer_total: 3000, currency: 'CNY', payer_currency: 'CNY' },
  })).toBe(204);
  expect(await deliver('refund-notify', 'REFUND.SUCCESS', refundNotice(ghost, `R${ghost}`, '50' + '8'.repeat(30)))).toBe(204);
  expect(await deliver('transfer-notify', 'MCHTRANSFER.BILL.FINISHED', transferNotice('W' + '9'.repeat(15), 'SUCCESS', 1000))).toBe(204);
  expect(await anomalies(ghost)).toEqual(['unknown_trade']);
  expect(await anomalies(`R${ghost}`)).toEqual(['unknown_refund']);
  expect(await anomalies('W' + '9'.repeat(15))).toEqual(['unknown_transfer']);
  expect(await ledgerChecksum(b.db.sql)).toBe(ledger);
  expect((await b.db.sql`select count(*)::int as n from app.orders where id = ${ghost}`)[0].n).toBe(0);
  // Every anomaly is on the operator's list.
  const stuck = (await b.db.sql`select ref from app.stuck_work('0 seconds') where kind = 'anomaly'`).map((r) => r.ref);
  expect(stuck).toEqual(expect.arrayContaining([ghost, `R${ghost}`, 'W' + '9'.repeat(15)]));
  expect(await allProblems(b.db.sql, { settled: false })).toEqual([]);
});
