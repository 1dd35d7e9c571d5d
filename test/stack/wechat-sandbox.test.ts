// The sandbox speaks WeChat's wire formats: our real clients (the ones the
// edge functions use) talk to it, and a notify receiver verifies what it
// POSTs with the production verification code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateIdentity, type SandboxIdentity } from '../../scripts/wechat-sandbox/identity.ts';
import { startSandbox, type Sandbox } from '../../scripts/wechat-sandbox/server.ts';
import { PNG_SIGNATURE } from '../../scripts/wechat-sandbox/png.ts';
import {
  merchantSigner,
  MiniProgramClient,
  openNotify,
  publicKeyRing,
  signRequest,
  verifyRequestPayment,
  importPublicKeyPem,
  WechatApiError,
  WechatPayClient,
  type PublicKeyRing,
  type RefundNotice,
  type Transaction,
  type TransferNotice,
} from '../../supabase/functions/_shared/wechat/index.ts';

jest.setTimeout(30_000);

let identity: SandboxIdentity;
let sandbox: Sandbox;
let pay: WechatPayClient;
let mp: MiniProgramClient;
let ring: PublicKeyRing;

// A notify receiver: verifies + decrypts like pay-notify does, answers with `reply`.
interface Received {
  event_type: string;
  id: string;
  resource: any;
}
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let rejected = 0;
let reply = 200;

beforeAll(async () => {
  identity = await generateIdentity();
  sandbox = await startSandbox({ identity, port: 0, notifyRetryDelaysMs: [50, 50, 50], refundDelayMs: 30 });
  ring = await publicKeyRing({ [identity.platformSerial]: identity.platformPublicKeyPem });
  pay = new WechatPayClient({
    baseUrl: sandbox.url,
    appid: identity.appid,
    signer: await merchantSigner(identity.mchid, identity.merchantSerial, identity.merchantPrivateKeyPem),
    platformKeys: ring,
    apiV3Key: identity.apiV3Key,
  });
  mp = new MiniProgramClient({ baseUrl: sandbox.url, appid: identity.appid, secret: identity.secret });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const { envelope, resource } = await openNotify(ring, identity.apiV3Key, req.headers as Record<string, string>, body);
        received.push({ event_type: envelope.event_type, id: envelope.id, resource });
        res.writeHead(reply).end(reply === 204 || reply === 200 ? undefined : JSON.stringify({ code: 'FAIL', message: 'busy' }));
      } catch {
        rejected++;
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise((r) => receiver.close(r));
});

beforeEach(() => {
  received = [];
  rejected = 0;
  reply = 200;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(sandbox.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

let n = 0;
const outNo = (p: string) => `${p}${Date.now()}${n++}`;

describe('mini-program APIs', () => {
  test('jscode2session: sandbox:<name> is a stable user; single-use codes are single use; bad code/secret are errcodes', async () => {
    const a1 = await mp.code2Session('sandbox:alice');
    const a2 = await mp.code2Session('sandbox:alice');
    const b = await mp.code2Session('sandbox:bob');
    expect(a1.openid).toBe(a2.openid);
    expect(a1.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(a1.openid).toBe(sandbox.openidFor('alice'));
    expect(b.openid).not.toBe(a1.openid);
    expect(a1.unionid).toBeDefined();
    expect(Buffer.from(a1.session_key, 'base64')).toHaveLength(16);

    const { json } = await post('/sandbox/login-code', { name: 'carol' });
    expect((await mp.code2Session(json.code)).openid).toBe(sandbox.openidFor('carol'));
    await expect(mp.code2Session(json.code)).rejects.toMatchObject({ code: '40163' });
    await expect(mp.code2Session('nonsense')).rejects.toMatchObject({ code: '40029' });
    const wrong = new MiniProgramClient({ baseUrl: sandbox.url, appid: identity.appid, secret: 'wrong' });
    await expect(wrong.code2Session('sandbox:alice')).rejects.toMatchObject({ code: '40125' });
  });

  test('access tokens: stable_token is stable until forced; cgi-bin/token works; bad tokens are 40001', async () => {
    const t1 = await mp.accessToken();
    const fresh = new MiniProgramClient(mp.config);
    expect(await fresh.accessToken()).toBe(t1);
    const forced = await fresh.accessToken(true);
    expect(forced).not.toBe(t1);
    const res = await fetch(`${sandbox.url}/cgi-bin/token?grant_type=client_credential&appid=${identity.appid}&secret=${identity.secret}`);
    const body = await res.json();
    expect(body.expires_in).toBe(7200);
    expect(typeof body.access_token).toBe('string');
    const bad = await post('/cgi-bin/message/subscribe/send?access_token=nope', {});
    expect(bad.json.errcode).toBe(40001);
  });

  test('subscribe/send records valid messages and refuses bad openid / bad keyword values', async () => {
    const { openid } = await mp.code2Session('sandbox:dave');
    await mp.sendSubscribeMessage({ touser: openid, template_id: 'tpl-joined', page: 'pages/index/index', data: { thing1: { value: '有机大米' }, amount2: { value: '¥168.00' } } });
    const res = await fetch(`${sandbox.url}/sandbox/messages?touser=${openid}`);
    const { messages } = await res.json();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ template_id: 'tpl-joined', data: { thing1: { value: '有机大米' } } });
    await expect(mp.sendSubscribeMessage({ touser: 'oUnknown', template_id: 't', data: {} })).rejects.toMatchObject({ code: '40003' });
    await expect(
      mp.sendSubscribeMessage({ touser: openid, template_id: 't', data: { thing1: { value: 'x'.repeat(21) } } }),
    ).rejects.toMatchObject({ code: '47003' });
  });

  test('getwxacodeunlimit returns a PNG per scene, errcode for a bad scene', async () => {
    const png1 = await mp.wxacodeUnlimited({ scene: 'i=AB12CD', page: 'pages/index/index' });
    const png2 = await mp.wxacodeUnlimited({ scene: 'c=cashier1', page: 'pages/index/index' });
    expect(Buffer.from(png1.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);
    expect(Buffer.from(png1).equals(Buffer.from(png2))).toBe(false);
    expect(Buffer.from(png1).readUInt32BE(16)).toBeGreaterThanOrEqual(280); // IHDR width
    await expect(mp.wxacodeUnlimited({ scene: 'x'.repeat(33) })).rejects.toMatchObject({ code: '40129' });
  });
});

describe('WeChat Pay v3', () => {
  test('jsapi prepay needs a valid merchant signature', async () => {
    const body = JSON.stringify({ appid: identity.appid, mchid: identity.mchid, description: 'x', out_trade_no: outNo('T'), notify_url: receiverUrl, amount: { total: 1 }, payer: { openid: 'o1' } });
    const unsigned = await fetch(`${sandbox.url}/v3/pay/transactions/jsapi`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).code).toBe('SIGN_ERROR');
    // Signed over a different body than the one sent.
    const auth = await signRequest(pay.config.signer, 'POST', '/v3/pay/transactions/jsapi', body.replace('"total":1', '"total":2'));
    const forged = await fetch(`${sandbox.url}/v3/pay/transactions/jsapi`, { method: 'POST', body, headers: { Authorization: auth, 'Content-Type': 'application/json' } });
    expect(forged.status).toBe(401);
    // Signed by an unknown merchant key.
    const other = await generateIdentity();
    const stranger = new WechatPayClient({ ...pay.config, signer: await merchantSigner(identity.mchid, identity.merchantSerial, other.merchantPrivateKeyPem) });
    await expect(stranger.jsapiPrepay({ description: 'x', out_trade_no: outNo('T'), notify_url: receiverUrl, amount: { total: 1 }, payer: { openid: 'o1' } })).rejects.toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
  });

  test('a response signed by another platform key is refused by the client', async () => {
    const other = await generateIdentity();
    const fooled = new WechatPayClient({ ...pay.config, platformKeys: await publicKeyRing({ [identity.platformSerial]: other.platformPublicKeyPem }) });
    await expect(fooled.jsapiPrepay({ description: 'x', out_trade_no: outNo('T'), notify_url: receiverUrl, amount: { total: 1 }, payer: { openid: 'o1' } })).rejects.toThrow(
      /does not verify/,
    );
  });

  test('bad parameters are PARAM_ERROR naming the field', async () => {
    await expect(pay.jsapiPrepay({ description: 'x', out_trade_no: 'bad no!', notify_url: receiverUrl, amount: { total: 1 }, payer: { openid: 'o1' } })).rejects.toMatchObject({
      status: 400,
      code: 'PARAM_ERROR',
      message: expect.stringContaining('out_trade_no'),
    });
    await expect(pay.jsapiPrepay({ description: 'x', out_trade_no: outNo('T'), notify_url: receiverUrl, amount: { total: 0 }, payer: { openid: 'o1' } })).rejects.toMatchObject({
      message: expect.stringContaining('amount.total'),
    });
  });

  test('prepay → requestPayment → confirm → signed, encrypted TRANSACTION.SUCCESS notify; query agrees', async () => {
    const no = outNo('T');
    const prepayId = await pay.jsapiPrepay({ description: '有机大米', out_trade_no: no, notify_url: receiverUrl, amount: { total: 16800 }, payer: { openid: 'oPayer' }, attach: 'o1' });
    expect(prepayId).toMatch(/^wx/);
    // The same out_trade_no again (a retry) gets the same prepay_id.
    expect(await pay.jsapiPrepay({ description: '有机大米', out_trade_no: no, notify_url: receiverUrl, amount: { total: 16800 }, payer: { openid: 'oPayer' } })).toBe(prepayId);
    const params = await pay.requestPayment(prepayId);
    expect(await verifyRequestPayment(await importPublicKeyPem(identity.merchantPublicKeyPem), params)).toBe(true);
    expect((await pay.queryByOutTradeNo(no)).trade_state).toBe('NOTPAY');

    const confirm = await post('/sandbox/pay/confirm', { prepay_id: prepayId });
    expect(confirm.status).toBe(200);
    expect(confirm.json.notify.delivered).toBe(true);
    expect(received).toHaveLength(1);
    const tx = received[0].resource as Transaction;
    expect(received[0].event_type).toBe('TRANSACTION.SUCCESS');
    expect(tx).toMatchObject({ out_trade_no: no, trade_state: 'SUCCESS', appid: identity.appid, mchid: identity.mchid, attach: 'o1', payer: { openid: 'oPayer' }, amount: { total: 16800, payer_total: 16800, currency: 'CNY' } });
    expect(tx.transaction_id).toMatch(/^4200\d{24}$/);
    expect(tx.transaction_id).toBe(confirm.json.transaction_id);
    const queried = await pay.queryByOutTradeNo(no);
    expect(queried).toMatchObject({ trade_state: 'SUCCESS', transaction_id: tx.transaction_id });
    await expect(pay.jsapiPrepay({ description: 'x', out_trade_no: no, notify_url: receiverUrl, amount: { total: 16800 }, payer: { openid: 'oPayer' } })).rejects.toMatchObject({
      code: 'ORDERPAID',
    });

    // Duplicates: the same notify (same id) delivered again.
    const resend = await post('/sandbox/notify/resend', { key: no, times: 3 });
    expect(resend.json.attempts.map((a: any) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    expect(received).toHaveLength(4);
    expect(rejected).toBe(0);
  });

  test('an unanswered notify is retried until the receiver says 200/204', async () => {
    const no = outNo('T');
    const prepayId = await pay.jsapiPrepay({ description: 'x', out_trade_no: no, notify_url: receiverUrl, amount: { total: 500 }, payer: { openid: 'o1' } });
    reply = 500;
    const confirm = await post('/sandbox/pay/confirm', { prepay_id: prepayId });
    expect(confirm.json.notify.delivered).toBe(false);
    await until(() => received.length >= 2);
    reply = 204;
    await until(() => sandbox.notifications.find((x) => x.key === no)!.delivered);
    const record = sandbox.notifications.find((x) => x.key === no)!;
    expect(record.attempts.map((a) => a.status)).toEqual([...Array(record.attempts.length - 1).fill(500), 204]);
    const count = record.attempts.length;
    await sleep(200);
    expect(record.attempts.length).toBe(count); // no more retries once answered
  });

  test('gives up after the retry schedule; a closed order cannot be paid', async () => {
    const no = outNo('T');
    const prepayId = await pay.jsapiPrepay({ description: 'x', out_trade_no: no, notify_url: receiverUrl, amount: { total: 500 }, payer: { openid: 'o1' } });
    reply = 503;
    await post('/sandbox/pay/confirm', { prepay_id: prepayId });
    await until(() => sandbox.notifications.find((x) => x.key === no)!.attempts.length === 4);
    await sleep(200);
    expect(sandbox.notifications.find((x) => x.key === no)!.attempts).toHaveLength(4); // 1 + 3 retries

    const closed = outNo('T');
    const p2 = await pay.jsapiPrepay({ description: 'x', out_trade_no: closed, notify_url: receiverUrl, amount: { total: 500 }, payer: { openid: 'o1' } });
    await pay.close(closed);
    expect((await post('/sandbox/pay/confirm', { prepay_id: p2 })).json.code).toBe('ORDER_CLOSED');
  });

  test('refund: PROCESSING, then REFUND.SUCCESS notify; over-refund refused; same out_refund_no is idempotent', async () => {
    const no = outNo('T');
    const prepayId = await pay.jsapiPrepay({ description: 'x', out_trade_no: no, notify_url: receiverUrl, amount: { total: 3000 }, payer: { openid: 'o1' } });
    await post('/sandbox/pay/confirm', { prepay_id: prepayId });
    received = [];
    const rno = outNo('R');
    const refund = await pay.refund({ out_trade_no: no, out_refund_no: rno, reason: '不想要了', notify_url: receiverUrl, amount: { refund: 1000, total: 3000, currency: 'CNY' } });
    expect(refund).toMatchObject({ status: 'PROCESSING', out_trade_no: no, amount: { refund: 1000, total: 3000 } });
    expect((await pay.refund({ out_trade_no: no, out_refund_no: rno, notify_url: receiverUrl, amount: { refund: 1000, total: 3000, currency: 'CNY' } })).refund_id).toBe(refund.refund_id);
    await expect(pay.refund({ out_trade_no: no, out_refund_no: outNo('R'), amount: { refund: 2001, total: 3000, currency: 'CNY' } })).rejects.toMatchObject({ code: 'NOT_ENOUGH' });
    await expect(pay.refund({ out_trade_no: no, out_refund_no: outNo('R'), amount: { refund: 1, total: 2999, currency: 'CNY' } })).rejects.toMatchObject({ code: 'PARAM_ERROR' });
    await until(() => received.some((r) => r.event_type === 'REFUND.SUCCESS'));
    const notice = received.find((r) => r.event_type === 'REFUND.SUCCESS')!.resource as RefundNotice;
    expect(notice).toMatchObject({ out_refund_no: rno, refund_status: 'SUCCESS', amount: { refund: 1000, total: 3000 }, refund_id: refund.refund_id });
    expect((await pay.queryRefund(rno)).status).toBe('SUCCESS');
  });

  test('transfer to balance: WAIT_USER_CONFIRM with package_info, user confirms, MCHTRANSFER.BILL.FINISHED notify', async () => {
    const bill = `W${Date.now()}${n++}`;
    const input = {
      out_bill_no: bill,
      transfer_scene_id: '1005',
      openid: 'oPayee',
      transfer_amount: 990,
      transfer_remark: '钱包提现',
      notify_url: receiverUrl,
      user_recv_perception: '劳务报酬',
      transfer_scene_report_infos: [{ info_type: '岗位类型', info_content: '推广员' }, { info_type: '报酬说明', info_content: '佣金' }],
    };
    const created = await pay.transfer(input);
    expect(created).toMatchObject({ out_bill_no: bill, state: 'WAIT_USER_CONFIRM' });
    expect(created.package_info).toBeTruthy();
    expect((await pay.transfer(input)).transfer_bill_no).toBe(created.transfer_bill_no);
    await expect(pay.transfer({ ...input, out_bill_no: `W${Date.now()}x`, transfer_amount: 5 })).rejects.toMatchObject({ message: expect.stringContaining('transfer_amount') });
    const confirm = await post('/sandbox/transfer/confirm', { package_info: created.package_info });
    expect(confirm.json.state).toBe('SUCCESS');
    const notice = received.find((r) => r.event_type === 'MCHTRANSFER.BILL.FINISHED')!.resource as TransferNotice;
    expect(notice).toMatchObject({ out_bill_no: bill, state: 'SUCCESS', transfer_amount: 990, openid: 'oPayee', mch_id: identity.mchid });
    expect((await pay.queryTransfer(bill)).state).toBe('SUCCESS');
  });

  test('unknown v3 path is a signed 404', async () => {
    const err = await pay.request('GET', '/v3/nope').catch((e) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err.status).toBe(404);
  });
});
