// WeChat Pay notifies that must not move money, through the real
// pay-notify / refund-notify functions under Deno. Notifies are built here
// exactly as WeChat builds them (the sandbox identity is WeChat's key pair
// and the API v3 key), then spoiled one way at a time:
// - forgeries (bad or foreign signature, unknown serial, stale or future
//   timestamp, tampered ciphertext, wrong key, edited body) → 401 and
//   nothing recorded at all;
// - genuine messages that do not fit the order (wrong amount, payer,
//   merchant, unknown order) → acknowledged (204, so WeChat stops
//   retrying), the order still unpaid / still refunding, the ledger
//   untouched, one anomaly kept for an operator.
// Afterwards the genuine notify still settles, once.
import {
  encryptResource,
  generateRsaKeyPair,
  importPrivateKeyPem,
  randomNonce,
  signResponse,
  type WechatpayHeaders,
} from '../../supabase/functions/_shared/wechat/index.ts';
import { ledgerChecksum, stateChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;
let token: string;
let openid: string;
let wechatKey: CryptoKey;
let strangerKey: CryptoKey;

const now = () => Math.floor(Date.now() / 1000);
const shanghai = () => new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const txid = () => '4200' + Array.from(crypto.getRandomValues(new Uint8Array(24)), (x) => x % 10).join('');

beforeAll(async () => {
  // Refunds stay PROCESSING at the sandbox for the whole test: this test delivers their notifies itself.
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'refund-notify'], { refundDelayMs: 600_000 });
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试大米', 100);`);
  const login = await b.call('wechat-login', { code: 'sandbox:notified', platform: 'h5' });
  token = login.body.session.access_token;
  openid = b.sandbox.openidFor('notified');
  wechatKey = await importPrivateKeyPem(b.sandbox.identity.platformPrivateKeyPem);
  strangerKey = await importPrivateKeyPem((await generateRsaKeyPair()).privateKeyPem);
});

afterAll(async () => {
  await b?.stop();
});

interface Spoil {
  /** Sign with this key instead of WeChat's. */
  key?: CryptoKey;
  serial?: string;
  timestamp?: number;
  apiV3Key?: string;
  associatedData?: string;
  /** Edits the body after signing (the signature no longer covers it) … */
  afterSigning?: (body: string) => string;
  /** … or before signing (a body WeChat never sent, signed anyway: decryption must still fail). */
  beforeSigning?: (body: string) => string;
  headers?: (h: WechatpayHeaders) => Record<string, string>;
}

async function deliver(fn: 'pay-notify' | 'refund-notify', eventType: string, resource: unknown, spoil: Spoil = {}): Promise<{ status: number; body: string }> {
  const originalType = fn === 'pay-notify' ? 'transaction' : 'refund';
  let body = JSON.stringify({
    id: crypto.randomUUID(),
    create_time: shanghai(),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: fn === 'pay-notify' ? '支付成功' : '退款成功',
    resource: await encryptResource(spoil.apiV3Key ?? b.sandbox.identity.apiV3Key, resource, originalType, spoil.associatedData ?? originalType),
  });
  if (spoil.beforeSigning) body = spoil.beforeSigning(body);
  const signed = await signResponse(spoil.key ?? wechatKey, spoil.serial ?? b.sandbox.identity.platformSerial, body, { timestamp: spoil.timestamp });
  if (spoil.afterSigning) body = spoil.afterSigning(body);
  const headers = spoil.headers ? spoil.headers(signed) : { ...signed };
  const res = await fetch(`${b.url}/${fn}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0', ...headers }, body });
  return { status: res.status, body: await res.text() };
}

/** Flips one byte in the middle of the base64 ciphertext (a bit-flip in the encrypted order). */
function flipCiphertext(body: string): string {
  const env = JSON.parse(body);
  const bytes = Buffer.from(env.resource.ciphertext, 'base64');
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  env.resource.ciphertext = bytes.toString('base64');
  return JSON.stringify(env);
}

/** The forgeries, each a different way in; all must be 401 and change nothing. */
function forgeries(): [string, Spoil][] {
  return [
    ['signed by a key that is not WeChat Pay\'s', { key: strangerKey }],
    ['garbage signature', { headers: (h) => ({ ...h, 'Wechatpay-Signature': Buffer.from('not a signature').toString('base64') }) }],
    ['WeChat\'s signature probe', { headers: (h) => ({ ...h, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${randomNonce(16)}` }) }],
    ['unknown serial', { serial: 'PUB_KEY_ID_0000000000000000000000000000' }],
    ['old platform certificate serial', { serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }],
    ['stale timestamp (10 minutes ago)', { timestamp: now() - 600 }],
    ['timestamp from the future (10 minutes ahead)', { timestamp: now() + 600 }],
    ['timestamp header changed after signing', { headers: (h) => ({ ...h, 'Wechatpay-Timestamp': String(Number(h['Wechatpay-Timestamp']) + 1) }) }],
    ['nonce header changed after signing', { headers: (h) => ({ ...h, 'Wechatpay-Nonce': randomNonce(32) }) }],
    ['no signature headers', { headers: () => ({}) }],
    ['no timestamp header', { headers: ({ 'Wechatpay-Timestamp': _t, ...h }) => ({ ...h }) }],
    ['tampered ciphertext, old signature', { afterSigning: flipCiphertext }],
    ['tampered ciphertext, signed anyway', { beforeSigning: flipCiphertext }],
    ['encrypted with another API v3 key, signed anyway', { apiV3Key: randomNonce(32) }],
    ['associated data changed, signed anyway', { beforeSigning: (body) => { const e = JSON.parse(body); e.resource.associated_data = 'certificate'; return JSON.stringify(e); } }],
    ['event type edited after signing', { afterSigning: (body) => body.replace(/"event_type":"[^"]+"/, '"event_type":"TRANSACTION.SUCCESS "') }],
    ['body padded after signing', { afterSigning: (body) => body + ' ' }],
    ['resource swapped for plaintext, signed anyway', { beforeSigning: (body) => { const e = JSON.parse(body); e.resource.ciphertext = Buffer.from('{"trade_state":"SUCCESS"}').toString('base64'); return JSON.stringify(e); } }],
  ];
}

async function checkout(): Promise<{ orderId: string; paymentId: string; payable: number }> {
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
  expect(c.status).toBe(200);
  return { orderId: c.body.orderId, paymentId: c.body.payment.paymentId, payable: c.body.payable };
}

function transaction(orderId: string, over: Record<string, unknown> = {}) {
  return {
    appid: b.sandbox.identity.appid,
    mchid: b.sandbox.identity.mchid,
    out_trade_no: orderId,
    transaction_id: txid(),
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: shanghai(),
    payer: { openid },
    amount: { total: 10000, payer_total: 10000, currency: 'CNY', payer_currency: 'CNY' },
    ...over,
  };
}

async function orderState(orderId: string) {
  const [o] = await b.db.sql`select o.status, p.status as payment, p.transaction_id, p.notify_count,
      (select count(*)::int from orders.orders where id = o.id) as core,
      (select count(*)::int from rebate.entries where order_id = o.id) as entries,
      (select count(*)::int from ledger.transfers where idempotency_key = ${'pay:' + orderId}) as pay_transfers
    from app.orders o join app.payments p on p.order_id = o.id where o.id = ${orderId}`;
  return o;
}

async function anomalies(key: string): Promise<string[]> {
  const rows = await b.db.sql`select kind from app.payment_anomalies where out_trade_no = ${key} order by id`;
  return rows.map((r) => r.kind as string);
}

test('pay-notify: forgeries are 401 and record nothing at all', async () => {
  const { orderId } = await checkout();
  const ledger = await ledgerChecksum(b.db.sql);
  const state = await stateChecksum(b.db.sql);
  const results: [string, number][] = [];
  for (const [name, spoil] of forgeries()) results.push([name, (await deliver('pay-notify', 'TRANSACTION.SUCCESS', transaction(orderId), spoil)).status]);
  expect(results).toEqual(forgeries().map(([name]) => [name, 401]));
  expect(await ledgerChecksum(b.db.sql)).toBe(ledger);
  expect(await stateChecksum(b.db.sql)).toBe(state);
  expect(await orderState(orderId)).toMatchObject({ status: 'unpaid', payment: 'created', transaction_id: null, notify_count: 0, core: 0, entries: 0 });
});

test('pay-notify: genuine notifies that do not fit the order settle nothing and leave one anomaly each', async () => {
  const { orderId, paymentId } = await checkout();
  const ledger = await ledgerChecksum(b.db.sql);
  const wrongAmount = transaction(orderId, { amount: { total: 9999, payer_total: 9999, currency: 'CNY', payer_currency: 'CNY' } });
  const cases: [string, unknown][] = [
    ['amount one fen short', wrongAmount],
    ['amount one fen over', transaction(orderId, { amount: { total: 10001, payer_total: 10001, currency: 'CNY' } })],
    ['amount of zero', transaction(orderId, { amount: { total: 0, payer_total: 0, currency: 'CNY' } })],
    ['another payer', transaction(orderId, { payer: { openid: b.sandbox.openidFor('someone-else') } })],
    ['another merchant', transaction(orderId, { mchid: '1900000109' })],
    ['another mini-program', transaction(orderId, { appid: 'wx0000000000000000' })],
    ['not paid (NOTPAY)', transaction(orderId, { trade_state: 'NOTPAY', transaction_id: undefined })],
  ];
  for (const [name, resource] of cases) {
    const r = await deliver('pay-notify', 'TRANSACTION.SUCCESS', resource);
    expect([name, r.status]).toEqual([name, 204]);
  }
  // The same wrong-amount notify again (WeChat redelivers): still one anomaly for it.
  expect((await deliver('pay-notify', 'TRANSACTION.SUCCESS', wrongAmount)).status).toBe(204);
  // A notify for an order that does not exist.
  expect((await deliver('pay-notify', 'TRANSACTION.SUCCESS', transaction('o999999999999'))).status).toBe(204);

  expect(await ledgerChecksum(b.db.sql)).toBe(ledger);
  expect(await orderState(orderId)).toMatchObject({ status: 'unpaid', payment: 'created', transaction_id: null, core: 0, entries: 0, pay_transfers: 0 });
  expect(await anomalies(orderId)).toEqual(['amount_mismatch', 'amount_mismatch', 'amount_mismatch', 'payer_mismatch', 'foreign_merchant', 'foreign_merchant']);
  expect(await anomalies('o999999999999')).toEqual(['unknown_trade']);

  // The shopper's genuine payment still settles, once.
  const before = await ledgerChecksum(b.db.sql);
  const paid = await b.call('api', { action: 'pay.sandboxConfirm', paymentId }, token);
  expect(paid.body).toEqual({ orderId, status: 'paid' });
  expect(await orderState(orderId)).toMatchObject({ status: 'paid', payment: 'paid', core: 1, entries: 1, pay_transfers: 1 });
  expect(await ledgerChecksum(b.db.sql)).not.toBe(before);
  // A wrong-amount notify after payment changes nothing either.
  const settled = await ledgerChecksum(b.db.sql);
  expect((await deliver('pay-notify', 'TRANSACTION.SUCCESS', transaction(orderId, { amount: { total: 1, payer_total: 1, currency: 'CNY' } }))).status).toBe(204);
  expect(await ledgerChecksum(b.db.sql)).toBe(settled);
  expect((await orderState(orderId)).status).toBe('paid');
});

describe('refund-notify', () => {
  let orderId: string;
  let outRefundNo: string;
  let refundId: string;

  beforeAll(async () => {
    const c = await checkout();
    orderId = c.orderId;
    expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: c.paymentId }, token)).status).toBe(200);
    const r = await b.call('api', { action: 'orders.refund', orderId, reason: '不想要了' }, token);
    expect(r.body).toEqual({ orderId, status: 'refunding' });
    const [row] = await b.db.sql`select out_refund_no, refund_id, status from app.refunds where order_id = ${orderId}`;
    // Sent to WeChat, which is processing it.
    expect(row.status).toBe('processing');
    outRefundNo = row.out_refund_no;
    refundId = row.refund_id;
  });

  const notice = (over: Record<string, unknown> = {}) => ({
    mchid: b.sandbox.identity.mchid,
    out_trade_no: orderId,
    transaction_id: 'unused',
    out_refund_no: outRefundNo,
    refund_id: refundId,
    refund_status: 'SUCCESS',
    success_time: shanghai(),
    user_received_account: '支付用户零钱',
    amount: { total: 10000, refund: 10000, payer_total: 10000, payer_refund: 10000 },
    ...over,
  });

  const refundState = async () => {
    const [r] = await b.db.sql`select o.status, r.status as refund,
        (select status from orders.orders where id = o.id) as core,
        (select count(*)::int from rebate.entries where order_id = o.id and status = 'cancelled') as cancelled
      from app.orders o join app.refunds r on r.order_id = o.id where o.id = ${orderId}`;
    return r;
  };

  test('forgeries are 401 and record nothing at all', async () => {
    const ledger = await ledgerChecksum(b.db.sql);
    const state = await stateChecksum(b.db.sql);
    const results: [string, number][] = [];
    for (const [name, spoil] of forgeries()) results.push([name, (await deliver('refund-notify', 'REFUND.SUCCESS', notice(), spoil)).status]);
    expect(results).toEqual(forgeries().map(([name]) => [name, 401]));
    expect(await ledgerChecksum(b.db.sql)).toBe(ledger);
    expect(await stateChecksum(b.db.sql)).toBe(state);
    expect(await refundState()).toEqual({ status: 'refunding', refund: 'processing', core: 'paid', cancelled: 0 });
  });

  test('a wrong amount, a foreign merchant or an unknown refund settle nothing and leave an anomaly', async () => {
    const ledger = await ledgerChecksum(b.db.sql);
    const cases: [string, unknown][] = [
      ['refund one fen short', notice({ amount: { total: 10000, refund: 9999, payer_total: 10000, payer_refund: 9999 } })],
      ['refund more than paid', notice({ amount: { total: 10000, refund: 20000, payer_total: 10000, payer_refund: 20000 } })],
      ['another merchant', notice({ mchid: '1900000109' })],
      ['unknown refund number', notice({ out_refund_no: 'Rnope' })],
    ];
    for (const [name, resource] of cases) {
      const r = await deliver('refund-notify', 'REFUND.SUCCESS', resource);
      expect([name, r.status]).toEqual([name, 204]);
    }
    expect(await ledgerChecksum(b.db.sql)).toBe(ledger);
    expect(await refundState()).toEqual({ status: 'refunding', refund: 'processing', core: 'paid', cancelled: 0 });
    expect(await anomalies(outRefundNo)).toEqual(['refund_amount_mismatch', 'refund_amount_mismatch', 'foreign_merchant']);
    expect(await anomalies('Rnope')).toEqual(['unknown_refund']);
  });

  test('the genuine REFUND.SUCCESS then refunds once; a redelivery is a duplicate', async () => {
    const before = await ledgerChecksum(b.db.sql);
    const genuine = notice();
    expect((await deliver('refund-notify', 'REFUND.SUCCESS', genuine)).status).toBe(204);
    expect(await refundState()).toEqual({ status: 'refunded', refund: 'succeeded', core: 'refunded', cancelled: 1 });
    const after = await ledgerChecksum(b.db.sql);
    expect(after).not.toBe(before);
    expect((await deliver('refund-notify', 'REFUND.SUCCESS', genuine)).status).toBe(204);
    expect(await ledgerChecksum(b.db.sql)).toBe(after);
    const [{ n }] = await b.db.sql`select count(*)::int as n from ledger.transfers where idempotency_key like ${'%' + orderId + '%'} and kind like '%refund%'`;
    expect(n).toBeGreaterThanOrEqual(1);
  });
});
