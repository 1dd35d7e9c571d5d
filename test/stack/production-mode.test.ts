// The functions as deployed (no WECHAT_SANDBOX_URL), still talking to the
// sandbox's copies of WeChat's endpoints: real login codes only, and
// checkout returns signed wx.requestPayment parameters.
import { importPublicKeyPem, verifyRequestPayment } from '../../supabase/functions/_shared/wechat/index.ts';
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay'], { production: true });
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":3000,"source":"self","cost":1000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试茶叶', 10);`);
});

afterAll(async () => {
  await b?.stop();
});

async function loginCode(name: string): Promise<string> {
  const res = await fetch(`${b.sandbox.url}/sandbox/login-code`, { method: 'POST', body: JSON.stringify({ name }) });
  return (await res.json()).code;
}

test('sandbox: codes are refused; a real (single-use) code signs in once', async () => {
  const refused = await b.call('wechat-login', { code: 'sandbox:mallory', platform: 'weapp' });
  expect(refused.status).toBe(403);
  expect(refused.body.error.field).toBe('code');
  const code = await loginCode('wendy');
  const ok = await b.call('wechat-login', { code, platform: 'weapp' });
  expect(ok.status).toBe(200);
  const reused = await b.call('wechat-login', { code, platform: 'weapp' });
  expect(reused.status).toBe(400);
  expect(reused.body.error.field).toBe('code');
});

test('checkout and the pay function return wx.requestPayment params signed with the merchant key', async () => {
  const login = await b.call('wechat-login', { code: await loginCode('payer'), platform: 'weapp' });
  const token = login.body.session.access_token;
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'weapp' }, token);
  expect(c.status).toBe(200);
  const p = c.body.payment;
  expect(p).toMatchObject({ kind: 'wechat', signType: 'RSA' });
  expect(p.package).toMatch(/^prepay_id=wx/);
  const merchantKey = await importPublicKeyPem(b.sandbox.identity.merchantPublicKeyPem);
  expect(await verifyRequestPayment(merchantKey, { appId: b.sandbox.identity.appid, ...p })).toBe(true);
  // The `pay` function re-signs the same prepay for the same order.
  const again = await b.call('pay', { orderId: c.body.orderId, platform: 'weapp' }, token);
  expect(again.status).toBe(200);
  expect(again.body.payment.package).toBe(p.package);
  expect(await verifyRequestPayment(merchantKey, { appId: b.sandbox.identity.appid, ...again.body.payment })).toBe(true);
  // Someone else's order is not found for them; the sandbox confirm action does not exist here.
  const other = await b.call('wechat-login', { code: await loginCode('other'), platform: 'weapp' });
  expect((await b.call('pay', { orderId: c.body.orderId, platform: 'weapp' }, other.body.session.access_token)).status).toBe(404);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: p.package.slice(10) }, token)).status).toBe(403);
  expect((await b.call('pay', { orderId: c.body.orderId }, token)).body.error.field).toBe('platform');
});
