// Every api.* SQL function, called straight (as PostgREST or a bug in an edge
// function would, with no zod in front), with each key it needs missing and
// then null: a refusal naming that key (22023 bad input, or P0002 for an id
// that names nothing), and nothing changed. A NULL-unsafe check
// (`jsonb_typeof(p -> 'lines') <> 'array'` is NULL, so skipped) shows up here
// as a success, a cast or constraint error, or a changed database.
// Functions this table does not list must run with `{}` or refuse with one
// of our own errors (never a cast / NOT NULL / check violation).
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { api, asService, login, type Member } from './helpers/sql.ts';

jest.setTimeout(180_000);

let db: TestDatabase;
let a: Member;
const ids: Record<string, string> = {};

/** The keys each function needs, and a request that is otherwise right. */
const REQUIRED: Record<string, { keys: string[]; base: () => Record<string, unknown> }> = {
  catalog_product: { keys: ['productId'], base: () => ({ productId: 'p1' }) },
  cashier_info: { keys: ['cashierId'], base: () => ({ cashierId: 'c1' }) },
  orders_preview: {
    keys: ['lines', 'usePoints', 'useLove', 'useCoupon'],
    base: () => ({ lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false }),
  },
  orders_checkout: {
    keys: ['lines', 'usePoints', 'useLove', 'useCoupon', 'platform'],
    base: () => ({ lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'weapp' }),
  },
  cashier_checkout: { keys: ['cashierId', 'amount', 'platform'], base: () => ({ cashierId: 'c1', amount: 100, platform: 'weapp' }) },
  // platform is the edge function's (which payment to prepare), not the SQL function's.
  orders_pay_info: { keys: ['orderId'], base: () => ({ orderId: ids.unpaid, platform: 'weapp' }) },
  orders_payment_of: { keys: ['paymentId'], base: () => ({ paymentId: ids.paymentId }) },
  orders_detail: { keys: ['orderId'], base: () => ({ orderId: ids.paid }) },
  orders_refund: { keys: ['orderId', 'reason'], base: () => ({ orderId: ids.paid, reason: '不想要了' }) },
  queue_entry: { keys: ['entryId'], base: () => ({ entryId: ids.entry }) },
  queue_draw: { keys: ['entryId'], base: () => ({ entryId: ids.entry }) },
  queue_exchange_preview: { keys: ['entryId'], base: () => ({ entryId: ids.entry }) },
  queue_exchange: { keys: ['entryId', 'to'], base: () => ({ entryId: ids.entry, to: 'points' }) },
  queue_progress: { keys: ['queueKey'], base: () => ({ queueKey: ids.queueKey }) },
  wallet_withdraw: { keys: ['amount'], base: () => ({ amount: 100 }) },
  transfer_lookup: { keys: ['code'], base: () => ({ code: ids.otherCode }) },
  transfer_send: { keys: ['code', 'kind', 'amount', 'requestId'], base: () => ({ code: ids.otherCode, kind: 'points', amount: 1, requestId: 'req-missing-keys' }) },
  promoter_bind: { keys: ['scene'], base: () => ({ scene: 'i=ZZZZZZ' }) },
  promoter_team: { keys: ['tier'], base: () => ({ tier: 'direct' }) },
  merchant_apply: {
    keys: ['storeName', 'contactName', 'phone', 'address', 'category', 'licenseNo'],
    base: () => ({ storeName: '小店', contactName: '王五', phone: '13800000000', address: '上海市', category: '餐饮', licenseNo: '91310000X', intro: '' }),
  },
  merchant_sales: { keys: ['range'], base: () => ({ range: '7d' }) },
  inbox_subscribed: { keys: ['kinds'], base: () => ({ kinds: ['payoutReceived'] }) },
  admin_withdrawal_review: { keys: ['withdrawalId', 'approve'], base: () => ({ withdrawalId: ids.withdrawal, approve: false, reason: '资料不符' }) },
  admin_merchant_review: { keys: ['applicationId', 'approve'], base: () => ({ applicationId: ids.application, approve: false, reason: '资料不符' }) },
  admin_refund_review: { keys: ['outRefundNo', 'approve'], base: () => ({ outRefundNo: ids.refund, approve: false, reason: '已发货' }) },
};

/** Our own refusals: bad input, not found, a conflict with the state, not allowed. */
const DELIBERATE = ['22023', 'P0002', '55000', '42501'];

/** Every row of every table the api functions write, as one string. */
async function fingerprint(): Promise<string> {
  const tables = await db.sql<{ t: string }[]>`
    select format('%I.%I', schemaname, tablename) as t from pg_tables
    where schemaname in ('app', 'ledger', 'orders', 'rebate', 'members', 'catalog', 'distribution') order by 1`;
  const parts: string[] = [];
  for (const { t } of tables) {
    const [{ h }] = await db.sql.unsafe(`select coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${t} x`);
    parts.push(`${t}:${h}`);
  }
  return parts.join('\n');
}

beforeAll(async () => {
  db = await createTestDatabase('stack_keys');
  await db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    select catalog.upsert_store('{"id":"s1","commission":"10","queue":{}}');
    select catalog.upsert_cashier('{"id":"c1","store":"s1","queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试商品一', 100);
    insert into app.stores (store_id, name) values ('s1', '测试门店');
    insert into app.cashiers (cashier_id, name) values ('c1', '收银台');`);
  a = await login(db.sql, `o-keys-a-${process.pid}`);
  const other = await login(db.sql, `o-keys-b-${process.pid}`);
  [{ c: ids.otherCode }] = await db.sql`select invite_code as c from app.profiles where member_id = ${other.memberId}`;
  await db.sql`insert into app.operators (member_id, role) values (${a.memberId}, 'admin')`;
  const checkout = () => api(db.sql, a.userId, 'orders_checkout', REQUIRED.orders_checkout.base());
  const paid = await checkout();
  await asService(db.sql, (tx) => tx`select app.confirm_payment(${paid.orderId}, ${'4200' + String(process.pid).padEnd(24, '0')}, ${paid.payable}, ${a.openid}, now())`);
  ids.paid = paid.orderId;
  ids.unpaid = (await checkout()).orderId;
  const refunded = await checkout();
  await asService(db.sql, (tx) => tx`select app.confirm_payment(${refunded.orderId}, ${'4201' + String(process.pid).padEnd(24, '0')}, ${refunded.payable}, ${a.openid}, now())`);
  await api(db.sql, a.userId, 'orders_refund', { orderId: refunded.orderId, reason: '测试' });
  [{ no: ids.refund }] = await db.sql`select out_refund_no as no from app.refunds where order_id = ${refunded.orderId}`;
  const [entry] = await db.sql`select e.id::text as id, q.key from rebate.entries e join rebate.queues q on q.id = e.queue_id where e.order_id = ${ids.paid}`;
  ids.entry = entry.id;
  ids.queueKey = entry.key;
  const [pay] = await db.sql`select prepay_id from app.payments where order_id = ${ids.unpaid}`.catch(() => [undefined]);
  ids.paymentId = pay?.prepay_id ?? 'wx-prepay-none';
  ids.withdrawal = 'W' + process.pid + 'x1';
  await db.sql`insert into app.withdrawals (id, member_id, amount, fee, net) values (${ids.withdrawal}, ${a.memberId}, 1000, 0, 1000)`;
  ids.application = 'MA' + process.pid;
  await db.sql`insert into app.merchant_applications (id, member_id, store_name, contact_name, phone, address, category, license_no)
               values (${ids.application}, ${a.memberId}, '店', '王', '13800000000', '上海', '餐饮', 'X1')`;
});

afterAll(async () => {
  await db?.drop();
});

async function refusal(fn: string, p: unknown): Promise<{ code?: string; column_name?: string; message: string } | null> {
  try {
    await api(db.sql, a.userId, fn, p);
    return null;
  } catch (err) {
    return err as { code?: string; column_name?: string; message: string };
  }
}

test('the table names only functions that exist, and every api function is called below', async () => {
  const fns = (await db.sql<{ f: string }[]>`
    select p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'api' order by 1`).map((r) => r.f);
  for (const f of Object.keys(REQUIRED)) expect(fns).toContain(f);
  expect(fns.length).toBeGreaterThan(Object.keys(REQUIRED).length);
});

const cases = Object.entries(REQUIRED).flatMap(([fn, { keys }]) =>
  keys.flatMap((key) => [[fn, key, 'missing'] as const, [fn, key, 'null'] as const]));

test.each(cases)('api.%s without %s (%s): refused naming it, nothing changed', async (fn, key, how) => {
  const p = REQUIRED[fn].base();
  if (how === 'missing') delete p[key];
  else p[key] = null;
  const before = await fingerprint();
  const err = await refusal(fn, p);
  expect(err && { code: err.code, field: err.column_name }).toEqual({ code: expect.stringMatching(/^(22023|P0002)$/), field: key });
  expect(await fingerprint()).toBe(before);
});

test('every other api function runs with {} or refuses with one of our own errors', async () => {
  const fns = (await db.sql<{ f: string }[]>`
    select p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'api' order by 1`).map((r) => r.f);
  const wrong: string[] = [];
  for (const fn of fns.filter((f) => !REQUIRED[f])) {
    const err = await refusal(fn, {});
    if (err && !DELIBERATE.includes(err.code ?? '')) wrong.push(`${fn}: ${err.code} ${err.message}`);
  }
  expect(wrong).toEqual([]);
});

describe('display URLs are http(s) only', () => {
  test.each([
    'javascript:alert(document.cookie)',
    'JAVASCRIPT:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox',
    '//evil.example/a.png',
    'https://',
    'https://a.example/x y.png',
    `https://a.example/${'x'.repeat(500)}`,
  ])('user_update refuses avatarUrl %s and keeps the old one', async (url) => {
    await api(db.sql, a.userId, 'user_update', { avatarUrl: 'https://img.example/a.png' });
    const before = await fingerprint();
    const err = await refusal('user_update', { avatarUrl: url });
    expect(err && { code: err.code, field: err.column_name }).toEqual({ code: '22023', field: 'avatarUrl' });
    expect(await fingerprint()).toBe(before);
    expect((await api(db.sql, a.userId, 'user_profile')).user.avatarUrl).toBe('https://img.example/a.png');
  });

  test('http(s) addresses and null are stored', async () => {
    for (const url of ['http://img.example/a.png', 'https://img.example/b.png?x=1#y', null]) {
      expect((await api(db.sql, a.userId, 'user_update', { avatarUrl: url })).avatarUrl).toBe(url);
    }
  });

  test('the table refuses anything else too (a second line of defence)', async () => {
    await expect(db.sql`update app.profiles set avatar_url = 'javascript:alert(1)' where member_id = ${a.memberId}`).rejects.toMatchObject({ code: '23514' });
  });
});
