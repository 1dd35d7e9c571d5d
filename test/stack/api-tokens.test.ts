// Bad session tokens against the real functions under Deno: forged,
// expired, wrongly signed, the wrong kind of token, a token of nobody.
// Every one is a 401 both behind the gateway (which checks signatures the
// way Supabase's does) and straight at the function (which must not rely
// on the gateway: its own verification pins algorithm, audience, issuer
// and claims). A victim with money is targeted; the ledger never moves.
import { SignJWT, generateKeyPair } from 'jose';
import { ledgerChecksum, stateChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;
let victim: { token: string; refresh: string; userId: string; memberId: string; unpaidOrder: string };

const b64 = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'jobs']);
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试大米', 100);`);
  const login = await b.call('wechat-login', { code: 'sandbox:victim', platform: 'h5' });
  expect(login.status).toBe(200);
  const token = login.body.session.access_token;
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
  expect(c.status).toBe(200);
  const [{ sub }] = [JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())];
  victim = { token, refresh: login.body.session.refresh_token, userId: sub, memberId: login.body.user.id, unpaidOrder: c.body.orderId };
  // The victim has money a thief would like to withdraw.
  await b.db.sql.unsafe(`select ledger.transfer('test-fund-victim', 'adjust', array[
    row('world', 'CNY', -50000)::ledger.leg, row('wallet:${victim.memberId}:available', 'CNY', 50000)::ledger.leg])`);
});

afterAll(async () => {
  await b?.stop();
});

/** Claims of a genuine access token of the victim (with fresh times). */
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const genuine = JSON.parse(Buffer.from(victim.token.split('.')[1], 'base64url').toString());
  return { ...genuine, iat: now(), exp: now() + 600, ...extra };
}

async function hs256(payload: Record<string, unknown>, secret = b.jwtSecret, alg = 'HS256'): Promise<string> {
  return new SignJWT(payload as any).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

/** Each bad token, and whether the gateway (signature + expiry, like Supabase's) already refuses it. */
async function badTokens(): Promise<{ name: string; token: string; gatewayRefuses: boolean }[]> {
  const [h, p, s] = victim.token.split('.');
  const rsa = await generateKeyPair('RS256');
  const stranger = crypto.randomUUID();
  const { exp: _exp, ...noExp } = claims();
  const { iat: _iat, ...noIat } = claims();
  const { sub: _sub, ...noSub } = claims();
  return [
    { name: 'payload edited (other sub), signature kept', token: `${h}.${b64(claims({ sub: stranger }))}.${s}`, gatewayRefuses: true },
    { name: 'payload edited (exp extended), signature kept', token: `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), exp: now() + 10 * 365 * 86400 })}.${s}`, gatewayRefuses: true },
    { name: 'alg none', token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, gatewayRefuses: true },
    { name: 'alg none with the old signature', token: `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${s}`, gatewayRefuses: true },
    { name: 'signature stripped', token: `${h}.${p}.`, gatewayRefuses: true },
    { name: 'signed with another secret', token: await hs256(claims(), 'another-secret-another-secret-another-secret'), gatewayRefuses: true },
    { name: 'signed with an RSA key of its own', token: await new SignJWT(claims() as any).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey), gatewayRefuses: true },
    { name: 'HS512 with the project secret (algorithm not pinned?)', token: await hs256(claims(), b.jwtSecret, 'HS512'), gatewayRefuses: true },
    { name: 'expired an hour ago', token: await hs256(claims({ iat: now() - 7200, exp: now() - 3600 })), gatewayRefuses: true },
    { name: 'not valid yet (nbf in an hour)', token: await hs256(claims({ nbf: now() + 3600 })), gatewayRefuses: true },
    // Signed with the refresh key, not the project secret: the gateway (like PostgREST) refuses it.
    { name: 'the refresh token', token: victim.refresh, gatewayRefuses: true },
    // Genuinely signed with the project secret: only the function can tell these are wrong.
    { name: 'audience service_role', token: await hs256(claims({ aud: 'service_role' })), gatewayRefuses: false },
    { name: 'no audience', token: await hs256((({ aud: _a, ...c }) => c)(claims())), gatewayRefuses: false },
    { name: 'issuer of another project', token: await hs256(claims({ iss: 'https://evil.supabase.co/auth/v1' })), gatewayRefuses: false },
    { name: 'role service_role', token: await hs256(claims({ role: 'service_role' })), gatewayRefuses: false },
    { name: 'role postgres', token: await hs256(claims({ role: 'postgres' })), gatewayRefuses: false },
    { name: 'sub not a uuid', token: await hs256(claims({ sub: victim.memberId })), gatewayRefuses: false },
    { name: 'sub an openid', token: await hs256(claims({ sub: b.sandbox.openidFor('victim') })), gatewayRefuses: false },
    { name: 'no sub', token: await hs256(noSub), gatewayRefuses: false },
    { name: 'no exp', token: await hs256(noExp), gatewayRefuses: false },
    { name: 'no iat', token: await hs256(noIat), gatewayRefuses: false },
    { name: 'a uuid that is no member', token: await hs256(claims({ sub: stranger })), gatewayRefuses: false },
    { name: 'the service role key', token: b.serviceKey, gatewayRefuses: false },
    { name: 'garbage', token: 'garbage', gatewayRefuses: true },
    { name: 'three dots of nothing', token: 'a.b.c', gatewayRefuses: true },
  ];
}

interface Target {
  name: string;
  url: () => string;
}
const targets: Target[] = [
  { name: 'through the gateway', url: () => b.url },
  { name: 'straight at the function', url: () => `http://127.0.0.1:PORT` },
];

async function post(base: string, fn: string, body: unknown, authorization: string | null): Promise<{ status: number; body: any }> {
  const url = base.includes('PORT') ? `${base.replace('PORT', String(b.fns.functions.get(fn)!.port))}/${fn}` : `${base}/${fn}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization, apikey: b.anonKey } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

test('the genuine token works (so the refusals below are about the token)', async () => {
  for (const t of targets) {
    const r = await post(t.url(), 'api', { action: 'wallet.summary' }, `Bearer ${victim.token}`);
    expect([t.name, r.status, r.body.available]).toEqual([t.name, 200, 50000]);
    const pay = await post(t.url(), 'api', { action: 'orders.pay', orderId: victim.unpaidOrder, platform: 'h5' }, `Bearer ${victim.token}`);
    expect([t.name, pay.status]).toEqual([t.name, 200]);
  }
});

test('forged, expired, wrongly signed and wrong-kind tokens are 401 at every function, and move nothing', async () => {
  const ledgerBefore = await ledgerChecksum(b.db.sql);
  const stateBefore = await stateChecksum(b.db.sql);
  const wrong: string[] = [];
  let n = 0;
  for (const bad of await badTokens()) {
    for (const t of targets) {
      const requests: [string, unknown][] = [
        ['api', { action: 'wallet.withdraw', amount: 10000 }],
        ['api', { action: 'wallet.summary' }],
        ['api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }],
        // A bad token on a public action is still a 401, never silently "signed out".
        ['api', { action: 'catalog.home' }],
        ['api', { action: 'orders.pay', orderId: victim.unpaidOrder, platform: 'h5' }],
        ['jobs', {}],
      ];
      for (const [fn, body] of requests) {
        // Signed with the project secret as service_role, it is the service key (jobs accept it: that is its purpose).
        if (fn === 'jobs' && /service role key|role service_role/.test(bad.name)) continue;
        // A genuine token of a user who is no member (any more) browses the public catalogue like anyone.
        if (bad.name === 'a uuid that is no member' && (body as { action?: string }).action === 'catalog.home') continue;
        const r = await post(t.url(), fn, body, `Bearer ${bad.token}`);
        n++;
        const fromFunction = t.name === 'straight at the function' || !bad.gatewayRefuses;
        const ok = r.status === 401 && (fromFunction ? r.body?.error?.code === 'unauthenticated' && r.body.error.field === null : true);
        if (!ok) wrong.push(`${bad.name} ${t.name} ${fn} ${JSON.stringify(body).slice(0, 40)}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
      }
    }
  }
  expect(wrong).toEqual([]);
  expect(n).toBeGreaterThan(250);
  expect(await ledgerChecksum(b.db.sql)).toBe(ledgerBefore);
  expect(await stateChecksum(b.db.sql)).toBe(stateBefore);
  const summary = await post(b.url, 'api', { action: 'wallet.summary' }, `Bearer ${victim.token}`);
  expect(summary.body).toMatchObject({ available: 50000, withdrawing: 0 });
});

test('malformed Authorization headers are 401 at the function, and absent ones at the gateway', async () => {
  const fn = `http://127.0.0.1:PORT`;
  for (const header of ['Basic dXNlcjpwYXNz', `Bearer`, `Bearer ${victim.token} extra`, `Token ${victim.token}`, `Bearer  `]) {
    const r = await post(fn, 'api', { action: 'wallet.summary' }, header);
    expect([header.slice(0, 20), r.status, r.body?.error?.code]).toEqual([header.slice(0, 20), 401, 'unauthenticated']);
  }
  expect((await post(b.url, 'api', { action: 'wallet.summary' }, null)).status).toBe(401);
  // Signed out (no header at the function, or the anon key): public actions work, member actions are 401.
  expect((await post(fn, 'api', { action: 'catalog.home' }, null)).status).toBe(200);
  expect((await post(fn, 'api', { action: 'wallet.summary' }, null)).body.error.code).toBe('unauthenticated');
  expect((await post(b.url, 'api', { action: 'wallet.summary' }, `Bearer ${b.anonKey}`)).status).toBe(401);
});

test('refresh: only a genuine refresh token of a member gets a new session', async () => {
  const ok = await b.call('wechat-login', { refresh_token: victim.refresh }, null);
  expect(ok.status).toBe(200);
  const forged = [
    victim.token, // an access token is not a refresh token
    await hs256({ sub: victim.userId, aud: 'refresh', iss: 'supabase', typ: 'refresh', session_id: 'x', iat: now(), exp: now() + 60 }, 'another-secret-another-secret-another-secret'),
    await hs256({ sub: victim.userId, aud: 'refresh', iss: 'supabase', typ: 'refresh', session_id: 'x', iat: now() - 7200, exp: now() - 3600 }),
    await hs256({ sub: crypto.randomUUID(), aud: 'refresh', iss: 'supabase', typ: 'refresh', session_id: 'x', iat: now(), exp: now() + 60 }),
    `${victim.refresh.split('.')[0]}.${b64({ sub: crypto.randomUUID(), aud: 'refresh', iss: 'supabase', typ: 'refresh', session_id: 'x', iat: now(), exp: now() + 60 })}.${victim.refresh.split('.')[2]}`,
  ];
  for (const token of forged) {
    const r = await b.call('wechat-login', { refresh_token: token }, null);
    expect([r.status, r.body?.error?.code]).toEqual([401, 'unauthenticated']);
  }
});
