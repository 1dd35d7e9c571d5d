// Who may call the admin function, for EVERY action of the contract's
// action table (ADMIN_ACTIONS, not a hand list), against the real function
// under Deno and a real database:
//   - a shopper's access token, an expired operator token, forged operator
//     tokens (another key, edited payload, alg none, a refresh-style token)
//     → 401; a role without the action's permission → 403;
//   - a token signed with the real key that claims a role the account does
//     not have → 403 from the database (ops.authorize), not the function;
//   - a revoked (signed-out) session → 401;
// and in every case nothing changed: ledger, orders/entries state, settings,
// catalogue and console tables are byte-identical before and after.
// Also: the shopper `api` refuses operator tokens, and a role with the
// permission gets through (the sample request succeeds).
import { SignJWT } from 'jose';
import { ADMIN_ACTIONS, can, OPERATOR_AUDIENCE, OPERATOR_ROLES, type AdminAction } from '../../supabase/functions/_shared/admin-contract.ts';
import { ledgerChecksum, stateChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';
import { adminChecksum, SESSION_ACTIONS, sampleRequests, setUpAdminFixture, type AdminFixture } from './helpers/admin.ts';

jest.setTimeout(600_000);

let b: Backend;
let fx: AdminFixture;

const now = () => Math.floor(Date.now() / 1000);
const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'admin']);
  fx = await setUpAdminFixture(b);
});

afterAll(async () => {
  await b?.stop();
});

async function fingerprint(): Promise<string> {
  return [await ledgerChecksum(b.db.sql), await stateChecksum(b.db.sql), await adminChecksum(b.db.sql)].join('/');
}

async function sign(payload: Record<string, unknown>, secret = b.jwtSecret, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): Promise<string> {
  return new SignJWT(payload as any).setProtectedHeader(header as any).sign(new TextEncoder().encode(secret));
}

async function badTokens(): Promise<{ name: string; token: string }[]> {
  const genuine = claimsOf(fx.tokens.admin);
  const [h, , s] = fx.tokens.admin.split('.');
  const fresh = { ...genuine, iat: now(), exp: now() + 600 };
  return [
    { name: 'shopper access token', token: fx.shopper.token },
    { name: 'expired operator token', token: await sign({ ...genuine, iat: now() - 7200, exp: now() - 3600 }) },
    { name: 'operator token signed with another key', token: await sign(fresh, 'another-secret-of-at-least-32-characters!') },
    { name: 'payload edited (role support → admin), signature kept', token: `${h}.${b64({ ...claimsOf(fx.tokens.support), op_role: 'admin' })}.${s}` },
    { name: 'alg none', token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(fresh)}.` },
    { name: 'shopper audience with operator claims', token: await sign({ ...fresh, aud: 'authenticated' }) },
    { name: 'operator audience, role authenticated', token: await sign({ ...fresh, role: 'authenticated' }) },
    { name: 'no session id', token: await sign({ ...fresh, session_id: undefined }) },
    { name: 'garbage', token: 'not.a.jwt' },
  ];
}

test('the action table covers every action and the fixture has a sample for each', () => {
  const samples = sampleRequests(fx);
  expect(Object.keys(samples).sort()).toEqual(Object.keys(ADMIN_ACTIONS).sort());
});

test('every action: bad tokens are 401 and change nothing', async () => {
  const tokens = await badTokens();
  const before = await fingerprint();
  const samples = sampleRequests(fx);
  const seen: string[] = [];
  for (const action of SESSION_ACTIONS) {
    for (const t of tokens) {
      const r = await b.call('admin', { action, ...samples[action] }, t.token);
      if (r.status !== 401) seen.push(`${action} / ${t.name}: ${r.status} ${JSON.stringify(r.body)}`);
      else expect(r.body.error).toEqual(expect.objectContaining({ code: 'unauthenticated' }));
    }
    const none = await b.call('admin', { action, ...samples[action] }, null);
    if (none.status !== 401) seen.push(`${action} / no token: ${none.status}`);
  }
  expect(seen).toEqual([]);
  expect(await fingerprint()).toBe(before);
});

test('every action: a role without the permission is 403 and changes nothing', async () => {
  const before = await fingerprint();
  const samples = sampleRequests(fx);
  let refused = 0;
  const seen: string[] = [];
  for (const action of SESSION_ACTIONS) {
    const perm = ADMIN_ACTIONS[action].permission;
    for (const role of OPERATOR_ROLES) {
      if (perm === 'signedIn' || perm === null || can(role, perm)) continue;
      // The edge's fast check (token role) ...
      const r = await b.call('admin', { action, ...samples[action] }, fx.tokens[role]);
      if (r.status !== 403 || r.body.error.code !== 'forbidden') seen.push(`${action} as ${role}: ${r.status} ${JSON.stringify(r.body)}`);
      // ... and the database's (a correctly signed token claiming admin for this account).
      const lying = await sign({ ...claimsOf(fx.tokens[role]), op_role: 'admin' });
      const d = await b.call('admin', { action, ...samples[action] }, lying);
      if (d.status !== 403 || d.body.error.code !== 'forbidden') seen.push(`${action} as ${role} claiming admin: ${d.status} ${JSON.stringify(d.body)}`);
      refused++;
    }
  }
  expect(seen).toEqual([]);
  expect(refused).toBeGreaterThan(30);
  expect(await fingerprint()).toBe(before);
});

test('operator tokens are refused by the shopper api', async () => {
  for (const role of OPERATOR_ROLES) {
    const r = await b.call('api', { action: 'user.profile' }, fx.tokens[role]);
    expect(r.status).toBe(401);
  }
  expect(claimsOf(fx.tokens.admin).aud).toBe(OPERATOR_AUDIENCE);
});

test('a role with the permission gets through: read actions answer 200 for every role allowed', async () => {
  const samples = sampleRequests(fx);
  const reads: AdminAction[] = SESSION_ACTIONS.filter((a) => /^(settings\.get|catalog\.(categories|products|product|home)|members\.(list|detail|levels)|merchants\.(applications|stores|storeProducts|cashiers|cashierCode|suppliers)|orders\.(list|detail)|refunds\.list|withdrawals\.list|anomalies\.list|queues\.(list|entries)|audit\.list|operators\.list|auth\.me)$/.test(a));
  expect(reads.length).toBeGreaterThan(20);
  for (const action of reads) {
    const perm = ADMIN_ACTIONS[action].permission;
    for (const role of OPERATOR_ROLES) {
      if (perm !== 'signedIn' && !can(role, perm!)) continue;
      const r = await b.call('admin', { action, ...samples[action] }, fx.tokens[role]);
      expect([action, role, r.status, r.status === 200 ? null : r.body]).toEqual([action, role, 200, null]);
    }
  }
});

test('a signed-out session is refused at once, for every action', async () => {
  const login = await b.call('admin', { action: 'auth.signIn', login: 'op-finance', password: 'correct-horse-9' }, null);
  expect(login.status).toBe(200);
  const token = login.body.accessToken;
  expect((await b.call('admin', { action: 'auth.me' }, token)).status).toBe(200);
  expect((await b.call('admin', { action: 'auth.signOut' }, token)).status).toBe(200);
  const before = await fingerprint();
  const samples = sampleRequests(fx);
  for (const action of SESSION_ACTIONS) {
    const perm = ADMIN_ACTIONS[action].permission;
    if (perm !== 'signedIn' && !can('finance', perm!)) continue;
    const r = await b.call('admin', { action, ...samples[action] }, token);
    expect([action, r.status]).toEqual([action, 401]);
  }
  expect(await fingerprint()).toBe(before);
});
