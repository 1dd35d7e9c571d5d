// Fixtures for the admin function's stack tests: operators of every role,
// a catalogue, a shopper with a paid order (an entry, a refund request, a
// withdrawal under review, a merchant application), and a valid request
// for every action of the contract (typed by it: an action added to the
// contract without a sample here does not compile).
import type postgres from 'postgres';
import { createOperator } from '../../../scripts/operator.ts';
import { ADMIN_ACTION_NAMES, type AdminAction, type AdminRequest, type OperatorRole } from '../../../supabase/functions/_shared/admin-contract.ts';
import type { Backend } from './backend.ts';

export const PASSWORD = 'correct-horse-9';

/** A 1×1 PNG. */
export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export interface AdminFixture {
  tokens: Record<OperatorRole, string>;
  operatorIds: Record<OperatorRole, string>;
  shopper: { token: string; memberId: string };
  orderId: string;
  outRefundNo: string;
  withdrawalId: string;
  applicationId: string;
  entryQueue: string;
  anomalyId: string;
}

export async function signInOperator(b: Backend, login: string, password = PASSWORD): Promise<{ status: number; body: any }> {
  return b.call('admin', { action: 'auth.signIn', login, password }, null);
}

export async function setUpAdminFixture(b: Backend): Promise<AdminFixture> {
  const sql = b.db.sql;
  await sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    select catalog.upsert_store('{"id":"s1","commission":"10","queue":{}}');
    select catalog.upsert_cashier('{"id":"c1","store":"s1","queue":{}}');
    select catalog.upsert_store_product('{"id":"sp1","store":"s1","price":2000,"cost":800,"queue":{}}');
    select catalog.upsert_level('{"id":"vip1","ratio":"120"}');
    insert into app.categories (id, name) values ('food', '食品'), ('empty', '空类目');
    insert into app.listings (id, kind, source, title, stock, category_id) values ('p1', 'product', 'self', '测试大米', 100, 'food');
    insert into app.stores (store_id, name) values ('s1', '测试门店');
    insert into app.cashiers (cashier_id, name) values ('c1', '收银台');
    insert into app.suppliers (id, name) values ('sup1', '测试供应商');
    insert into app.site_content (key, value) values ('refundReview', 'true')
      on conflict (key) do update set value = excluded.value;`);
  const operatorIds = {} as Record<OperatorRole, string>;
  for (const role of ['admin', 'finance', 'support'] as const) {
    operatorIds[role] = await createOperator(sql as postgres.Sql, { login: `op-${role}`, name: `测试${role}`, role, password: PASSWORD });
  }
  const tokens = {} as Record<OperatorRole, string>;
  for (const role of ['admin', 'finance', 'support'] as const) {
    const r = await signInOperator(b, `op-${role}`);
    if (r.status !== 200) throw new Error(`sign in ${role}: ${r.status} ${JSON.stringify(r.body)}`);
    tokens[role] = r.body.accessToken;
  }

  // A shopper with a paid order (an entry), then a refund request under review.
  const login = await b.call('wechat-login', { code: 'sandbox:shopper', platform: 'h5' });
  const shopper = { token: login.body.session.access_token as string, memberId: login.body.user.id as string };
  const pay = async () => {
    const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, shopper.token);
    if (c.status !== 200) throw new Error(JSON.stringify(c.body));
    const p = await b.call('api', { action: 'pay.sandboxConfirm', paymentId: c.body.payment.paymentId }, shopper.token);
    if (p.status !== 200) throw new Error(JSON.stringify(p.body));
    return c.body.orderId as string;
  };
  const orderId = await pay();
  const refunded = await pay();
  const rf = await b.call('api', { action: 'orders.refund', orderId: refunded, reason: '不想要了' }, shopper.token);
  if (rf.status !== 200) throw new Error(JSON.stringify(rf.body));
  const [{ out_refund_no: outRefundNo }] = await sql`select out_refund_no from app.refunds where order_id = ${refunded}`;
  // Money to withdraw, and a withdrawal under review.
  await sql.unsafe(`select ledger.transfer('test-fund-shopper', 'adjust', array[
    row('world', 'CNY', -50000)::ledger.leg, row('wallet:${shopper.memberId}:available', 'CNY', 50000)::ledger.leg])`);
  const w = await b.call('api', { action: 'wallet.withdraw', amount: 1000 }, shopper.token);
  if (w.status !== 200) throw new Error(JSON.stringify(w.body));
  const m = await b.call('api', {
    action: 'merchant.apply', storeName: '新店', contactName: '张三', phone: '13800000000', address: '某路 1 号', category: '餐饮', licenseNo: 'L1', intro: '',
  }, shopper.token);
  if (m.status !== 200) throw new Error(JSON.stringify(m.body));
  await sql`insert into app.payment_anomalies (kind, out_trade_no, detail) values ('amount_mismatch', 'T1', '{}')`;
  const [{ id: anomalyId }] = await sql`select id::text from app.payment_anomalies order by id desc limit 1`;
  return {
    tokens,
    operatorIds,
    shopper,
    orderId,
    outRefundNo,
    withdrawalId: w.body.withdrawalId,
    applicationId: m.body.applicationId,
    entryQueue: 'product:p1',
    anomalyId,
  };
}

/** A request every action accepts (the happy path's shape) for this fixture. */
export function sampleRequests(fx: AdminFixture): { [A in AdminAction]: AdminRequest<A> } {
  return {
    'auth.signIn': { login: 'op-admin', password: PASSWORD },
    'auth.me': {},
    'auth.signOut': {},
    'auth.changePassword': { oldPassword: PASSWORD, newPassword: 'another-horse-10' },
    'settings.get': {},
    'settings.preview': { patch: { extractRatio: '20' } },
    'settings.update': { patch: { extractRatio: '20' }, site: { refundReview: true } },
    'settings.enableAllProducts': {},
    'catalog.categories': {},
    'catalog.categorySave': { name: '新类目' },
    'catalog.categoryDelete': { id: 'empty' },
    'catalog.products': { page: 1, pageSize: 10 },
    'catalog.product': { id: 'p1' },
    'catalog.productSave': { title: '新商品', source: 'supplier', price: 1000, cost: 600, stock: 5, supplierId: 'sup1' },
    'catalog.productsSetOnSale': { ids: ['p1'], onSale: false },
    'catalog.bulkCreate': { rows: [{ title: '供应链商品', price: 1000, cost: 700, stock: 3 }] },
    'catalog.home': {},
    'catalog.homeSave': { banners: [{ id: 'b1', image: 'https://example.com/b.png', title: '横幅', link: null }], notice: '公告' },
    'uploads.image': { fileName: 'a.png', contentType: 'image/png', dataBase64: PNG_1PX },
    'members.list': { keyword: '' },
    'members.detail': { id: fx.shopper.memberId },
    'members.setLevel': { id: fx.shopper.memberId, levelId: 'vip1' },
    'members.levels': {},
    'members.levelSave': { id: 'vip2', name: '黄金会员', ratio: '130' },
    'merchants.applications': {},
    'merchants.review': { applicationId: fx.applicationId, approve: true, commission: '12' },
    'merchants.stores': {},
    'merchants.storeSave': { name: '新门店', commission: '8' },
    'merchants.storeProducts': { storeId: 's1' },
    'merchants.storeProductSave': { storeId: 's1', title: '新套餐', price: 3000, cost: 1000, stock: 10 },
    'merchants.cashiers': { storeId: 's1' },
    'merchants.cashierSave': { storeId: 's1', name: '二号收银台' },
    'merchants.cashierCode': { cashierId: 'c1' },
    'merchants.suppliers': {},
    'merchants.supplierSave': { name: '新供应商' },
    'orders.list': { status: 'paid' },
    'orders.detail': { id: fx.orderId },
    'refunds.list': {},
    'refunds.review': { outRefundNo: fx.outRefundNo, approve: false, reason: '已发货' },
    'withdrawals.list': {},
    'withdrawals.review': { withdrawalId: fx.withdrawalId, approve: false, reason: '信息不符' },
    'anomalies.list': {},
    'anomalies.resolve': { id: fx.anomalyId, note: '已核对' },
    'queues.list': {},
    'queues.entries': { key: fx.entryQueue },
    'queues.setPaused': { key: fx.entryQueue, paused: true },
    'queues.runDue': {},
    'queues.liability': {},
    'queues.setLiabilityWarning': { days: 200 },
    'union.summary': {},
    'union.history': { from: '2026-01-01', to: '2026-01-31' },
    'union.runReport': { day: '2026-01-02' },
    'union.queue': { page: 1, pageSize: 20 },
    'compliance.inputs': {},
    'compliance.acknowledge': {
      patch: { defaultRatio: '130' },
      flags: [{ rule: 'entitlementAbovePrice', subject: 'settings', amount: 3000, per: '100yuan', message: '基础设置的权益比例最高 130%，高于实付' }],
    },
    'audit.list': {},
    'audit.operators': {},
    'operators.list': {},
    'operators.save': { login: 'newop', name: '新同事', role: 'support', password: 'brand-new-pass' },
  };
}

/** Every action that needs an operator session (all but auth.signIn). */
export const SESSION_ACTIONS = ADMIN_ACTION_NAMES.filter((a) => a !== 'auth.signIn');

/** md5 over everything an admin action could change (besides ledger / state checksums): settings, catalogue, console tables. */
export async function adminChecksum(sql: postgres.Sql): Promise<string> {
  const tables = [
    'rebate.settings', 'audit.settings_changes', 'app.site_content', 'app.categories', 'app.listings', 'app.suppliers',
    'app.product_suppliers', 'app.level_names', 'catalog.products', 'catalog.stores', 'catalog.store_products',
    'catalog.cashiers', 'catalog.levels', 'app.stores', 'app.cashiers', 'app.merchant_applications', 'app.refunds',
    'app.withdrawals', 'app.payment_anomalies', 'rebate.queue_pauses', 'members.members',
    'ops.operators', 'ops.sessions',
  ];
  const parts = tables.map((t) => `(select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from ${t} x)`);
  // The audit log is append-only; what matters is that nothing was appended.
  parts.push(`(select count(*)::text from ops.audit_log where action <> 'auth.signIn')`);
  const [{ sum }] = await sql.unsafe<{ sum: string }[]>(`select md5(concat_ws('|', ${parts.join(', ')})) as sum`);
  return sum;
}
