// Malformed input to EVERY admin action (found from the contract's action
// table; each action's valid sample request is mutated field by field):
// an unknown key, each field with a wrong type, a negative or fractional
// number, an overlong string, a NUL character, null; plus the nested
// fields only the SQL validators know (settings patches, {Q}, references).
// Each must be a 4xx naming the field at fault (never a 500), and a refused
// request changes nothing: the ledger, orders and entries, settings, the
// catalogue and every console table are byte-identical after it.
import { ADMIN_ACTION_NAMES, type AdminAction } from '../../supabase/functions/_shared/admin-contract.ts';
import { ledgerChecksum, stateChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';
import { adminChecksum, sampleRequests, setUpAdminFixture, type AdminFixture } from './helpers/admin.ts';

jest.setTimeout(900_000);

let b: Backend;
let fx: AdminFixture;

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

interface Case {
  action: AdminAction | string;
  body: Record<string, unknown> | string;
  /** The field the error must name (exactly, or a path under it when `prefix`). */
  field: string | null;
  prefix?: boolean;
  /** Allowed statuses; default [400]. 'ok' allows a 2xx too (null on a nullable field, a missing optional one). */
  status?: number[] | 'ok';
}

function wrongType(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return '12';
  if (typeof v === 'boolean') return 'yes';
  return 'x';
}

/** Generated from every action's sample: the action table, not a hand list. */
function generated(): Case[] {
  const samples = sampleRequests(fx) as unknown as Record<AdminAction, Record<string, unknown>>;
  const cases: Case[] = [];
  for (const action of ADMIN_ACTION_NAMES) {
    if (action === 'auth.signIn') continue; // its own cases below (no session)
    const sample = samples[action];
    cases.push({ action, body: { ...sample, bogusField: 1 }, field: 'bogusField' });
    for (const [k, v] of Object.entries(sample)) {
      cases.push({ action, body: { ...sample, [k]: wrongType(v) }, field: k, prefix: true });
      cases.push({ action, body: { ...sample, [k]: null }, field: k, prefix: true, status: 'ok' });
      if (typeof v === 'number') {
        cases.push({ action, body: { ...sample, [k]: -1 }, field: k });
        cases.push({ action, body: { ...sample, [k]: 1.5 }, field: k });
      }
      if (typeof v === 'string') {
        cases.push({ action, body: { ...sample, [k]: 'x\u0000y' }, field: k });
        cases.push({ action, body: { ...sample, [k]: '长'.repeat(3000) }, field: k });
      }
      if (Array.isArray(v)) cases.push({ action, body: { ...sample, [k]: [null] }, field: `${k}[0]`, prefix: true, status: k === 'rows' ? 'ok' : undefined });
    }
  }
  return cases;
}

function nested(): Case[] {
  const s = sampleRequests(fx);
  const product = s['catalog.productSave'];
  const rule = { minAmount: 500, maxAmount: 100, feeRatio: '0', minFee: 0 };
  return [
    { action: 'settings.update', body: { patch: { extractRatio: '101' } }, field: 'patch.extractRatio' },
    { action: 'settings.update', body: { patch: { extractRatio: 10 } }, field: 'patch.extractRatio' },
    { action: 'settings.update', body: { patch: { noSuchSetting: true } }, field: 'patch.noSuchSetting' },
    { action: 'settings.update', body: { patch: { distribution: { cap: 5 } } }, field: 'patch.distribution.cap' },
    { action: 'settings.update', body: { patch: { display: 'all' } }, field: 'patch.display' },
    { action: 'settings.update', body: { patch: { clearing: { schedule: 'sometimes' } } }, field: 'patch.clearing.schedule' },
    { action: 'settings.update', body: { patch: { lottery: { kind: 'fixed', ratios: [] } } }, field: 'patch.lottery', prefix: true },
    { action: 'settings.update', body: { patch: { mode: 'union' } }, field: 'patch.mode' },
    { action: 'settings.update', body: { patch: {}, site: { withdrawRule: rule } }, field: 'site.withdrawRule.maxAmount' },
    { action: 'settings.update', body: { patch: {}, site: { withdrawRule: { ...rule, minAmount: -1 } } }, field: 'site.withdrawRule.minAmount' },
    { action: 'settings.update', body: { patch: {}, site: { orderPayMinutes: 2 } }, field: 'site.orderPayMinutes' },
    { action: 'settings.preview', body: { patch: { defaultRatio: '1e3' } }, field: 'patch.defaultRatio' },
    { action: 'catalog.productSave', body: { ...product, queue: { extractRatio: '200' } }, field: 'queue.extractRatio' },
    { action: 'catalog.productSave', body: { ...product, queue: { defaultRatio: '100' } }, field: 'queue.defaultRatio' },
    { action: 'catalog.productSave', body: { ...product, queue: { timeWindows: [{ from: '25:00', to: '26:00' }] } }, field: 'queue.timeWindows[0].from' },
    { action: 'catalog.productSave', body: { ...product, categoryId: 'no-such-category' }, field: 'categoryId' },
    { action: 'catalog.productSave', body: { ...product, supplierId: 'no-such-supplier' }, field: 'supplierId' },
    { action: 'catalog.productSave', body: { ...product, id: 'no-such-product' }, field: 'id', status: [404] },
    { action: 'catalog.productSave', body: { ...product, images: ['javascript:alert(1)'] }, field: 'images[0]' },
    { action: 'catalog.productsSetOnSale', body: { ids: ['p1', 'nope'], onSale: false }, field: 'ids[1]', status: [404] },
    { action: 'catalog.categoryDelete', body: { id: 'food' }, field: 'id', status: [409] }, // p1 is in it
    { action: 'catalog.homeSave', body: { banners: [{ id: 'b1', image: 'ftp://x', title: 't', link: null }], notice: null }, field: 'banners[0].image' },
    { action: 'merchants.storeSave', body: { name: '店', commission: '10', queue: { randomReturn: { on: true, cashCount: 0, pointsCount: 0 } } }, field: 'queue.randomReturn.cashCount' },
    { action: 'merchants.storeSave', body: { name: '店', commission: '10', queue: { independentRatio: '100' } }, field: 'queue.independentRatio' },
    { action: 'merchants.cashierSave', body: { storeId: 'no-such-store', name: '台' }, field: 'storeId', status: [404] },
    { action: 'merchants.storeProductSave', body: { storeId: 's1', title: '套餐', price: 100, cost: 50, stock: 1, queue: { lottery: { kind: 'range', min: '90' } } }, field: 'queue.lottery', prefix: true },
    { action: 'members.setLevel', body: { id: fx.shopper.memberId, levelId: 'no-such-level' }, field: 'levelId' },
    { action: 'members.levelSave', body: { id: 'vip9', name: '级', ratio: '12.345' }, field: 'ratio' },
    { action: 'orders.list', body: { from: 'yesterday' }, field: 'from' },
    { action: 'orders.detail', body: { id: 'no-such-order' }, field: 'id', status: [404] },
    { action: 'audit.list', body: { operatorId: 'someone' }, field: 'operatorId' },
    { action: 'queues.entries', body: { key: 'no-such-queue' }, field: 'key', status: [404] },
    { action: 'queues.setPaused', body: { key: 'no-such-queue', paused: true }, field: 'key', status: [404] },
    { action: 'uploads.image', body: { fileName: 'a.png', contentType: 'image/png', dataBase64: 'AAAAAAAA' }, field: 'dataBase64' },
    { action: 'withdrawals.review', body: { withdrawalId: 'nope1', approve: true }, field: 'withdrawalId', status: [404] },
    { action: 'refunds.review', body: { outRefundNo: 'nope1', approve: true }, field: 'outRefundNo', status: [404] },
    { action: 'merchants.review', body: { applicationId: fx.applicationId, approve: true, commission: '10001' }, field: 'commission' },
    { action: 'anomalies.resolve', body: { id: '999999', note: '无' }, field: 'id', status: [404] },
    { action: 'operators.save', body: { name: '新', role: 'support', password: 'long-enough-1' }, field: 'login' },
    { action: 'operators.save', body: { login: 'op-admin', name: '重复', role: 'support', password: 'long-enough-1' }, field: 'login' },
    { action: 'operators.save', body: { id: fx.operatorIds.admin, name: '自己', role: 'support' }, field: 'role' },
    { action: 'auth.changePassword', body: { oldPassword: 'not-my-password', newPassword: 'long-enough-1' }, field: 'oldPassword' },
    { action: 'auth.changePassword', body: { oldPassword: 'x', newPassword: 'short' }, field: 'newPassword' },
    { action: 'noSuchAction', body: {}, field: 'action' },
    { action: 'catalog.products', body: { page: 0 }, field: 'page' },
    { action: 'catalog.products', body: { pageSize: 101 }, field: 'pageSize' },
  ];
}

async function send(c: Case, token = fx.tokens.admin): Promise<{ status: number; body: any }> {
  if (typeof c.body === 'string') {
    const res = await fetch(`${b.url}/admin`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: c.body });
    return { status: res.status, body: await res.json().catch(() => null) };
  }
  return b.call('admin', { action: c.action, ...c.body }, token);
}

function problem(c: Case, r: { status: number; body: any }): string | null {
  const label = `${c.action} ${JSON.stringify(c.body).slice(0, 160)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
  if (r.status >= 500) return `server error: ${label}`;
  if (c.status === 'ok' && r.status < 300) return null;
  const allowed = c.status === 'ok' || c.status === undefined ? [400] : c.status;
  if (!allowed.includes(r.status)) return `status: ${label}`;
  const field = r.body?.error?.field;
  const named = field === c.field || (c.prefix && typeof field === 'string' && (field.startsWith(`${c.field}.`) || field.startsWith(`${c.field}[`)));
  if (!named) return `field (want ${c.field}): ${label}`;
  if (typeof r.body.error.message !== 'string' || !r.body.error.message) return `no message: ${label}`;
  return null;
}

test('every admin action: malformed fields are refused naming the field, and change nothing', async () => {
  const cases = [...generated(), ...nested()];
  expect(cases.length).toBeGreaterThan(300);
  const problems: string[] = [];
  let before = await fingerprint();
  for (const c of cases) {
    const r = await send(c);
    const p = problem(c, r);
    if (p) problems.push(p);
    const after = await fingerprint();
    // A refusal changes nothing; an accepted null on a nullable field may (then it is the new baseline).
    if (r.status >= 400 && after !== before) problems.push(`changed state: ${c.action} ${JSON.stringify(c.body).slice(0, 160)}`);
    before = after;
  }
  expect(problems).toEqual([]);
});

test('sign-in and bodies: malformed requests are 400 / 413 naming the field', async () => {
  const cases: Case[] = [
    { action: 'auth.signIn', body: { login: 'op-admin' }, field: 'password' },
    { action: 'auth.signIn', body: { password: 'x' }, field: 'login' },
    { action: 'auth.signIn', body: { login: 5, password: 'x' }, field: 'login' },
    { action: 'auth.signIn', body: { login: 'op-admin', password: null }, field: 'password' },
    { action: 'auth.signIn', body: { login: 'op-admin', password: 'x', extra: 1 }, field: 'extra' },
    { action: 'auth.signIn', body: '{"action":"auth.signIn",', field: 'body' },
    { action: 'auth.signIn', body: '[1,2]', field: 'body' },
    { action: 'catalog.products', body: JSON.stringify({ action: 'catalog.products', keyword: 'x'.repeat(70 * 1024) }), field: 'body', status: [413] },
  ];
  const before = await fingerprint();
  const problems = [];
  for (const c of cases) {
    const r = c.action === 'auth.signIn' && typeof c.body !== 'string' ? await b.call('admin', { action: c.action, ...c.body }, null) : await send(c);
    const p = problem(c, r);
    if (p) problems.push(p);
  }
  expect(problems).toEqual([]);
  expect(await fingerprint()).toBe(before);
});
