// The functions as deployed (no WECHAT_SANDBOX_URL), still talking to the
// sandbox's copies of WeChat's endpoints: real login codes only, and
// checkout returns signed wx.requestPayment parameters.
//
// And production mode refuses to start with any secret missing or left at a
// sandbox / local-stack default: for every variable of the one list
// (config-vars.ts), a real function under Deno exits before listening,
// naming it.
import { CONFIG_VARS, LOCAL_ANON_KEY, LOCAL_JWT_SECRET } from '../../supabase/functions/_shared/config-vars.ts';
import { importPublicKeyPem, verifyRequestPayment } from '../../supabase/functions/_shared/wechat/index.ts';
import { generateIdentity } from '../../scripts/wechat-sandbox/identity.ts';
import { startFunctions } from '../../scripts/stack/functions.ts';
import { functionEnv, SANDBOX_TEMPLATES, serviceRoleKey } from '../../scripts/stack/stack.ts';
import { productionEnv, startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api'], { production: true });
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
  // orders.pay re-signs the same prepay for the same order.
  const again = await b.call('api', { action: 'orders.pay', orderId: c.body.orderId, platform: 'weapp' }, token);
  expect(again.status).toBe(200);
  expect(again.body.payment.package).toBe(p.package);
  expect(await verifyRequestPayment(merchantKey, { appId: b.sandbox.identity.appid, ...again.body.payment })).toBe(true);
  // Someone else's order is not found for them; the sandbox confirm action does not exist here.
  const other = await b.call('wechat-login', { code: await loginCode('other'), platform: 'weapp' });
  expect((await b.call('api', { action: 'orders.pay', orderId: c.body.orderId, platform: 'weapp' }, other.body.session.access_token)).status).toBe(404);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: p.package.slice(10) }, token)).status).toBe(403);
  expect((await b.call('api', { action: 'orders.pay', orderId: c.body.orderId }, token)).body.error.field).toBe('platform');
});

// ---- refusal to start

/** A production environment that starts (the sandbox's keys, loopback URLs allowed by the test switch). */
async function productionFunctionEnv(): Promise<Record<string, string>> {
  const jwtSecret = 'p'.repeat(48);
  return {
    ...functionEnv({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/not_contacted_at_start',
      apiUrl: 'http://127.0.0.1:1',
      jwtSecret,
      anonKey: 'test-anon-key',
      serviceKey: await serviceRoleKey(jwtSecret),
      identity: await generateIdentity(),
      sandboxUrl: 'http://127.0.0.1:2',
      poolMax: 1,
    }),
    ...productionEnv(),
    SUPABASE_DB_URL: '',
  };
}

/** Starts `health` in that environment: null when it listens, else what it printed when it refused. */
async function startHealth(env: Record<string, string>): Promise<string | null> {
  try {
    const fns = await startFunctions({ names: ['health'], env, log: () => {}, startTimeoutMs: 60_000 });
    await fns.stop();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A value each variable's check refuses (sandbox defaults where the variable has one). */
const BAD: Record<string, string> = {
  SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
  JWT_SECRET: LOCAL_JWT_SECRET,
  WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(SANDBOX_TEMPLATES),
  H5_PUBLIC_URL: 'http://127.0.0.1:10086',
  WECHAT_INVITE_PAGE: '/pages/home/index',
  WECHAT_CASHIER_PAGE: '/packages/cashier/pages/pay/index',
};

const functionVars = CONFIG_VARS.filter((v) => v.kind === 'secret' || v.kind === 'provided');
const cases: [string, string, Record<string, string>, RegExp][] = [
  ...functionVars.filter((v) => v.required).map((v): [string, string, Record<string, string>, RegExp] => [
    v.name, 'unset', v.name === 'SUPABASE_DB_URL' ? { SUPABASE_DB_URL: '', DATABASE_URL: '' } : { [v.name]: '' }, new RegExp(`^- ${v.name} is not set`, 'm'),
  ]),
  ...functionVars.filter((v) => v.check).map((v): [string, string, Record<string, string>, RegExp] => [
    v.name, `= ${JSON.stringify(BAD[v.name] ?? 'x').slice(0, 40)}`, { [v.name]: BAD[v.name] ?? 'x' }, new RegExp(`^- ${v.name} `, 'm'),
  ]),
  // Loopback URLs are local-stack defaults without the test-only switch.
  ['SUPABASE_URL', 'loopback without the test switch', { PRODUCTION_ALLOW_LOOPBACK: '' }, /^- SUPABASE_URL points at this machine/m],
  ['FUNCTIONS_PUBLIC_URL', 'loopback without the test switch', { PRODUCTION_ALLOW_LOOPBACK: '' }, /^- FUNCTIONS_PUBLIC_URL points at this machine/m],
  ['WECHATPAY_API_BASE', 'the sandbox without the test switch', { PRODUCTION_ALLOW_LOOPBACK: '' }, /^- WECHATPAY_API_BASE points at this machine/m],
  ['WECHAT_API_BASE', 'the sandbox without the test switch', { PRODUCTION_ALLOW_LOOPBACK: '' }, /^- WECHAT_API_BASE points at this machine/m],
  ['JWT_SECRET', 'short', { JWT_SECRET: 's'.repeat(31) }, /^- JWT_SECRET must be at least 32 characters \(has 31\)/m],
  ['WECHATPAY_APIV3_KEY', '33 bytes', { WECHATPAY_APIV3_KEY: 'k'.repeat(33) }, /^- WECHATPAY_APIV3_KEY must be exactly 32 bytes \(has 33\)/m],
];

test('production mode with every secret set and well-formed starts', async () => {
  expect(await startHealth(await productionFunctionEnv())).toBeNull();
});

test(`production mode refuses to start, naming the variable, in each of ${cases.length} cases`, async () => {
  // Every required secret is covered, and every checked one.
  expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(functionVars.filter((v) => v.required || v.check).map((v) => v.name)));
  const base = await productionFunctionEnv();
  const pending = [...cases];
  const failures: string[] = [];
  await Promise.all(
    [0, 1].map(async () => {
      for (let c = pending.shift(); c; c = pending.shift()) {
        const [name, what, change, message] = c;
        const out = await startHealth({ ...base, ...change });
        if (out === null) failures.push(`${name} ${what}: started`);
        else if (!/refusing to start in production mode/.test(out) || !message.test(out)) failures.push(`${name} ${what}: ${out.slice(0, 400)}`);
      }
    }),
  );
  expect(failures).toEqual([]);
});

test('with WECHAT_SANDBOX_URL set (the local stack) the same defaults are accepted', async () => {
  const env = { ...(await productionFunctionEnv()), WECHAT_SANDBOX_URL: 'http://127.0.0.1:2', PRODUCTION_ALLOW_LOOPBACK: '', JWT_SECRET: LOCAL_JWT_SECRET, SUPABASE_ANON_KEY: LOCAL_ANON_KEY, WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(SANDBOX_TEMPLATES), H5_PUBLIC_URL: '' };
  expect(await startHealth(env)).toBeNull();
});
