// The admin function doing its job, through real Deno and a real database:
// sign-in and lockout; settings preview / update (the engine's audit row
// carries the operator id, and a shopper's next order is allocated with
// the new extraction ratio); newProductsDefaultOn and one-click enable;
// products with an uploaded image (served at Storage's public URL layout);
// bulk listing with a per-row report; reviews (refund, withdrawal, merchant)
// through the shared SQL; a paused queue keeps its extraction; the audit log
// names the operator.
import { ledgerChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';
import { PASSWORD, PNG_1PX, setUpAdminFixture, signInOperator, type AdminFixture } from './helpers/admin.ts';
import { SIGN_IN_MAX_FAILURES } from '../../supabase/functions/_shared/admin-contract.ts';

jest.setTimeout(600_000);

let b: Backend;
let fx: AdminFixture;
let admin: (action: string, params?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'admin']);
  fx = await setUpAdminFixture(b);
  admin = (action, params = {}) => b.call('admin', { action, ...params }, fx.tokens.admin);
});

afterAll(async () => {
  await b?.stop();
});

async function buy(productId: string): Promise<string> {
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId, quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, fx.shopper.token);
  expect(c.status).toBe(200);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: c.body.payment.paymentId }, fx.shopper.token)).status).toBe(200);
  return c.body.orderId;
}

test('sign-in: wrong password and unknown login are the same 401; the account locks after repeated failures, even for the right password', async () => {
  const unknown = await signInOperator(b, 'nobody-here', 'whatever-password');
  const wrong = await signInOperator(b, 'op-support', 'wrong-password');
  expect([unknown.status, wrong.status]).toEqual([401, 401]);
  expect(unknown.body.error).toEqual(wrong.body.error);
  for (let i = 1; i < SIGN_IN_MAX_FAILURES - 1; i++) expect((await signInOperator(b, 'op-support', 'wrong-password')).status).toBe(401);
  const locking = await signInOperator(b, 'op-support', 'wrong-password');
  expect(locking.status).toBe(423);
  expect(locking.body.error.code).toBe('locked');
  const right = await signInOperator(b, 'op-support', PASSWORD);
  expect(right.status).toBe(423);
  const [row] = await b.db.sql`select failed_attempts, locked_until > now() + interval '14 minutes' as locked from ops.operators where login = 'op-support'`;
  expect(row).toEqual({ failed_attempts: SIGN_IN_MAX_FAILURES, locked: true });
  // An admin setting a new password unlocks it.
  const ops = await admin('operators.list');
  const support = ops.body.items.find((o: any) => o.login === 'op-support');
  expect(support.lockedUntil).not.toBeNull();
  expect((await admin('operators.save', { id: support.id, name: support.name, role: 'support', password: 'a-new-password-1' })).status).toBe(200);
  expect((await signInOperator(b, 'op-support', 'a-new-password-1')).status).toBe(200);
  // Sessions issued before the new password are over.
  expect((await b.call('admin', { action: 'auth.me' }, fx.tokens.support)).status).toBe(401);
  const [{ n }] = await b.db.sql`select count(*)::int as n from ops.audit_log where action = 'auth.locked'`;
  expect(n).toBe(1);
});

test('settings: preview shows the diff and saves nothing; update saves, audits with the operator id, and the next order uses it', async () => {
  const before = await admin('settings.get');
  expect(before.body.settings.extractRatio).toBe('10');
  const preview = await admin('settings.preview', { patch: { extractRatio: '30', distribution: { directRatio: '5' } }, site: { orderPayMinutes: 20 } });
  expect(preview.status).toBe(200);
  expect(preview.body.diff).toEqual([
    { path: 'settings.distribution.directRatio', before: '0', after: '5' },
    { path: 'settings.extractRatio', before: '10', after: '30' },
    { path: 'site.orderPayMinutes', before: 30, after: 20 },
  ]);
  expect((await admin('settings.get')).body.settings.extractRatio).toBe('10');

  const bad = await admin('settings.update', { patch: { extractRatio: '130' } });
  expect([bad.status, bad.body.error.field]).toEqual([400, 'patch.extractRatio']);

  const up = await admin('settings.update', { patch: { extractRatio: '30' } });
  expect(up.status).toBe(200);
  expect(up.body.diff).toEqual([{ path: 'settings.extractRatio', before: '10', after: '30' }]);
  const [change] = await b.db.sql`select actor from audit.settings_changes order by id desc limit 1`;
  expect(change.actor).toBe(fx.operatorIds.admin);

  // The shopper's next order of p1 (10000 fen) extracts 30%.
  const order = await buy('p1');
  const [line] = await b.db.sql`select extract_ratio::text as r, extraction from orders.lines where order_id = ${order}`;
  expect([line.r, Number(line.extraction)]).toEqual(['30.00', 3000]);

  const audit = await admin('audit.list', { entity: 'settings' });
  expect(audit.body.items[0]).toEqual(expect.objectContaining({ action: 'settings.update', operatorName: '测试admin', operatorId: fx.operatorIds.admin }));
  expect(audit.body.items[0].before.settings.extractRatio).toBe('10');
  expect(audit.body.items[0].after.settings.extractRatio).toBe('30');
});

test('products: newProductsDefaultOn decides a new product; one-click enable turns every product on', async () => {
  expect((await admin('settings.update', { patch: { newProductsDefaultOn: false } })).status).toBe(200);
  const off = await admin('catalog.productSave', { title: '默认关闭', source: 'self', price: 500, cost: 200, stock: 1 });
  expect(off.body.product.queue).toEqual({ enabled: false });
  const explicit = await admin('catalog.productSave', { title: '显式开启', source: 'self', price: 500, cost: 200, stock: 1, queue: { enabled: true, extractRatio: '15' } });
  expect(explicit.body.product.queue).toEqual({ enabled: true, extractRatio: '15' });
  expect((await admin('settings.update', { patch: { newProductsDefaultOn: true } })).status).toBe(200);
  const on = await admin('catalog.productSave', { title: '默认开启', source: 'self', price: 500, cost: 200, stock: 1 });
  expect(on.body.product.queue).toEqual({ enabled: true });

  const all = await admin('settings.enableAllProducts');
  expect(all.body.updated).toBeGreaterThanOrEqual(2); // p1 ({}) and the one created off
  const [{ n }] = await b.db.sql`select count(*)::int as n from catalog.products where (queue -> 'enabled') is distinct from 'true'::jsonb`;
  expect(n).toBe(0);
});

test('an uploaded image is stored and served at the Storage public URL; the product shows in the shop with it', async () => {
  const up = await admin('uploads.image', { fileName: 'rice.png', contentType: 'image/png', dataBase64: PNG_1PX });
  expect(up.status).toBe(200);
  expect(up.body.url).toMatch(/\/storage\/v1\/object\/public\/images\/uploads\/\d{4}-\d{2}\/[0-9a-f]{24}\.png$/);
  const served = await fetch(up.body.url);
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(PNG_1PX, 'base64'))).toBe(true);
  // The declared type must be the real one.
  const lie = await admin('uploads.image', { fileName: 'x.jpg', contentType: 'image/jpeg', dataBase64: PNG_1PX });
  expect([lie.status, lie.body.error.field]).toEqual([400, 'contentType']);

  const p = await admin('catalog.productSave', { title: '带图商品', source: 'supplier', supplierId: 'sup1', categoryId: 'food', price: 2000, cost: 1200, stock: 9, images: [up.body.url] });
  expect(p.status).toBe(200);
  const shop = await b.call('api', { action: 'catalog.product', productId: p.body.product.id });
  expect(shop.status).toBe(200);
  expect(shop.body.product.image).toBe(up.body.url);
  const detail = await admin('catalog.product', { id: p.body.product.id });
  expect(detail.body.product.supplierId).toBe('sup1');
  expect(detail.body.ratioChain.map((s: any) => s.source)).toEqual([
    'productMemberLevel', 'baseMemberLevel', 'productTiers', 'productLottery', 'baseLottery', 'productIndependent', 'baseDefault']);
  expect(detail.body.ratioChain.find((s: any) => s.applies)).toEqual(expect.objectContaining({ source: 'baseDefault', value: '100' }));
});

test('bulk listing: good rows are created, bad rows reported with their field', async () => {
  const r = await admin('catalog.bulkCreate', {
    rows: [
      { title: '供应链一', price: 1000, cost: 700, stock: 3, supplierId: 'sup1' },
      { title: '', price: 1000, cost: 700, stock: 3 },
      { title: '供应链三', price: 1000, cost: 700, stock: 3, supplierId: 'no-such-supplier' },
      { title: '供应链四', price: -5, cost: 700, stock: 3 },
    ],
  });
  expect(r.status).toBe(200);
  expect(r.body.created.map((c: any) => c.row)).toEqual([0]);
  expect(r.body.errors.map((e: any) => [e.row, e.field])).toEqual([[1, 'title'], [2, 'supplierId'], [3, 'price']]);
  const [row] = await b.db.sql`select source from app.listings where id = ${r.body.created[0].id}`;
  expect(row.source).toBe('supplyChain');
});

test('reviews: refund rejected, withdrawal rejected (money back), merchant approved with its store and cashier', async () => {
  const ledger = await ledgerChecksum(b.db.sql);
  const refunds = await admin('refunds.list');
  expect(refunds.body.items.map((x: any) => x.outRefundNo)).toContain(fx.outRefundNo);
  const rr = await admin('refunds.review', { outRefundNo: fx.outRefundNo, approve: false, reason: '已发货' });
  expect(rr.body).toEqual({ outRefundNo: fx.outRefundNo, status: 'rejected' });
  expect(await ledgerChecksum(b.db.sql)).toBe(ledger); // a rejected refund moves no money

  const available = async () => (await admin('members.detail', { id: fx.shopper.memberId })).body.wallet.available;
  const before = await available();
  const wr = await admin('withdrawals.review', { withdrawalId: fx.withdrawalId, approve: false, reason: '信息不符' });
  expect(wr.body).toEqual({ withdrawalId: fx.withdrawalId, status: 'rejected' });
  expect(await available()).toBe(before + 1000);
  const again = await admin('withdrawals.review', { withdrawalId: fx.withdrawalId, approve: true });
  expect([again.status, again.body.error.code]).toEqual([409, 'already_reviewed']);

  const mr = await admin('merchants.review', { applicationId: fx.applicationId, approve: true, commission: '12' });
  expect(mr.status).toBe(200);
  const stores = await admin('merchants.stores', { keyword: '新店' });
  expect(stores.body.items[0]).toEqual(expect.objectContaining({ id: mr.body.storeId, commission: '12', cashierCount: 1, ownerMemberId: fx.shopper.memberId }));
  const cashiers = await admin('merchants.cashiers', { storeId: mr.body.storeId });
  const code = await admin('merchants.cashierCode', { cashierId: cashiers.body.items[0].id });
  expect(code.body.scene).toBe(`c=${cashiers.body.items[0].id}`);
  expect(code.body.url).toContain(encodeURIComponent(code.body.scene));
  // The merchant sees the cashier code in the shop.
  const mine = await b.call('api', { action: 'merchant.cashiers', platform: 'h5' }, fx.shopper.token);
  expect(mine.body.items.map((c: any) => c.cashierId)).toEqual([cashiers.body.items[0].id]);

  const audit = await admin('audit.list', { operatorId: fx.operatorIds.admin });
  const actions = audit.body.items.map((x: any) => x.action);
  expect(actions).toEqual(expect.arrayContaining(['refunds.review', 'withdrawals.review', 'merchants.review']));
});

test('a paused queue keeps the extraction of new orders; resumed, it pays again', async () => {
  const q = await admin('queues.list');
  const p1 = q.body.items.find((x: any) => x.key === 'product:p1');
  expect(p1.waitingCount).toBeGreaterThan(0);
  expect((await admin('queues.setPaused', { key: 'product:p1', paused: true })).body).toEqual({ key: 'product:p1', paused: true });
  const kept = async () => Number((await b.db.sql`select coalesce((select balance from ledger.accounts where code = 'kept:product:p1'), 0) as k`)[0].k);
  const k0 = await kept();
  await buy('p1');
  const k1 = await kept();
  expect(k1 - k0).toBe(3000); // 30% of 10000, kept, nobody paid
  expect((await admin('queues.setPaused', { key: 'product:p1', paused: false })).status).toBe(200);
  await buy('p1');
  expect(await kept()).toBe(k1);
  const entries = await admin('queues.entries', { key: 'product:p1' });
  expect(entries.body.items[0].seq).toBeLessThan(entries.body.items[entries.body.items.length - 1].seq);
  expect((await admin('queues.runDue')).status).toBe(200);
});

test('anomalies are resolved once, with a note and the operator', async () => {
  const list = await admin('anomalies.list');
  expect(list.body.items.map((a: any) => a.id)).toContain(fx.anomalyId);
  const r = await b.call('admin', { action: 'anomalies.resolve', id: fx.anomalyId, note: '金额已核对' }, fx.tokens.finance);
  expect(r.body.anomaly).toEqual(expect.objectContaining({ note: '金额已核对', resolvedBy: '测试finance' }));
  const twice = await admin('anomalies.resolve', { id: fx.anomalyId, note: '再次' });
  expect(twice.status).toBe(409);
});
