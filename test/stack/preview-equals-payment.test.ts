// Preview = payment: the product card, the product page, the cashier page
// and the checkout preview show the entry ratio the signed-in member gets
// when the order is paid (one resolver, rebate.resolve_line). A member with
// a level (base member-level ratio) and a member with cumulative spend tiers,
// on a real database through the api functions; every expectation is
// computed from the inputs.
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { api, asService, login, type Member } from './helpers/sql.ts';

jest.setTimeout(120_000);

let db: TestDatabase;
const pct = (amount: number, ratio: number) => Math.round((amount * ratio) / 100); // small integers: exact

const LEVEL_RATIO = 200;
const TIERS = [
  { days: 30, minSpend: 10000, ratio: 150 },
  { days: 30, minSpend: 20000, ratio: 180 },
];
const CASHIER_TIER = { days: 30, minSpend: 5000, ratio: 140 };

beforeAll(async () => {
  db = await createTestDatabase('stack_preview');
  await db.sql.unsafe(`
    select catalog.upsert_level('{"id":"vip","ratio":"${LEVEL_RATIO}"}');
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    select catalog.upsert_product('{"id":"pt","price":10000,"source":"self","cost":5000,"queue":{"cumulativeTiers":${JSON.stringify(
      TIERS.map((t) => ({ ...t, ratio: String(t.ratio) })),
    )}}}');
    select catalog.upsert_store('{"id":"s1","commission":"10","queue":{}}');
    select catalog.upsert_cashier('{"id":"c1","store":"s1","queue":{"cumulativeTiers":[${JSON.stringify({ ...CASHIER_TIER, ratio: String(CASHIER_TIER.ratio) })}]}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试商品一', 100), ('pt', 'product', 'self', '累计商品', 100);
    insert into app.stores (store_id, name) values ('s1', '测试门店');
    insert into app.cashiers (cashier_id, name) values ('c1', '收银台');`);
});

afterAll(async () => {
  await db?.drop();
});

let n = 0;
const openid = (name: string) => `o-${name}-${process.pid}-${n++}`;
const txid = () => `4200${Date.now()}${n++}`.padEnd(28, '0');

async function confirm(orderId: string, total: number, payer: string) {
  const r = await asService(db.sql, async (tx) => (await tx`select app.confirm_payment(${orderId}, ${txid()}, ${total}, ${payer}, now()) as r`)[0].r);
  expect(r).toBe('settled');
}

/** Every preview of the member for one product and the cashier: ratios as the api prints them. */
async function previews(m: Member | null, productId: string) {
  const user = m?.userId ?? null;
  const list = await api(db.sql, user, 'catalog_products', {});
  const card = list.items.find((i: any) => i.id === productId);
  const page = await api(db.sql, user, 'catalog_product', { productId });
  const cashier = await api(db.sql, user, 'cashier_info', { cashierId: 'c1' });
  const checkout = m
    ? await api(db.sql, user, 'orders_preview', { lines: [{ productId, quantity: 1 }], usePoints: false, useLove: false, useCoupon: false })
    : null;
  return {
    card: card.queueRatio,
    pageCard: page.product.queueRatio,
    page: page.queue.ratio,
    pageEntitlement: page.queue.entitlement,
    cashier: cashier.queue.ratio,
    checkout: checkout?.lines[0].queue.ratio,
    checkoutEntitlement: checkout?.lines[0].queue.entitlement,
  };
}

/** Pays one unit of the product through checkout and the WeChat notify; the entry it got. */
async function buy(m: Member, productId: string) {
  const c = await api(db.sql, m.userId, 'orders_checkout', { lines: [{ productId, quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'weapp' });
  await confirm(c.orderId, c.payable, m.openid);
  const [e] = await db.sql`select ratio::text as ratio, entitlement::int as entitlement, base::int as base from rebate.entries where order_id = ${c.orderId}`;
  return { orderId: c.orderId as string, ratio: Number(e.ratio), entitlement: e.entitlement as number, base: e.base as number };
}

async function payCashier(m: Member, amount: number) {
  const c = await api(db.sql, m.userId, 'cashier_checkout', { cashierId: 'c1', amount, platform: 'h5' });
  await confirm(c.orderId, amount, m.openid);
  const [e] = await db.sql`select ratio::text as ratio, entitlement::int as entitlement from rebate.entries where order_id = ${c.orderId}`;
  return { orderId: c.orderId as string, ratio: Number(e.ratio), entitlement: e.entitlement as number };
}

const completeAll = () => asService(db.sql, async (tx) => (await tx`select app.complete_due(now() + interval '8 days') as n`)[0].n);

test('a member with a level ratio sees it in every preview and gets it at payment', async () => {
  const m = await login(db.sql, openid('vip'));
  // Nobody signed in, or a member without a level: the default ratio 100.
  expect(await previews(null, 'p1')).toMatchObject({ card: '100', page: '100', cashier: '100' });
  expect(await previews(m, 'p1')).toMatchObject({ card: '100', page: '100', cashier: '100', checkout: '100' });

  await db.sql`select members.upsert_member(${db.sql.json({ id: m.memberId, level: 'vip' })})`;
  const shown = await previews(m, 'p1');
  const want = String(LEVEL_RATIO);
  expect(shown).toEqual({
    card: want,
    pageCard: want,
    page: want,
    pageEntitlement: pct(10000, LEVEL_RATIO),
    cashier: want,
    checkout: want,
    checkoutEntitlement: pct(10000, LEVEL_RATIO),
  });
  // Another member still sees the default: the preview is the caller's.
  expect((await previews(null, 'p1')).page).toBe('100');

  const paid = await buy(m, 'p1');
  expect(paid.ratio).toBe(Number(shown.checkout));
  expect(paid.entitlement).toBe(shown.checkoutEntitlement);
  expect(paid.entitlement).toBe(pct(paid.base, LEVEL_RATIO));

  const atCashier = await payCashier(m, 5000);
  expect(atCashier.ratio).toBe(Number(shown.cashier));
  expect(atCashier.entitlement).toBe(pct(5000, LEVEL_RATIO));
});

test('a member with cumulative spend sees the tier ratio in every preview and gets it at payment', async () => {
  const m = await login(db.sql, openid('tier'));
  // No completed spend: no tier qualifies, the default ratio.
  const before = await previews(m, 'pt');
  expect(before).toMatchObject({ card: '100', page: '100', checkout: '100', cashier: '100' });
  const first = await buy(m, 'pt');
  expect(first).toMatchObject({ ratio: 100, entitlement: 10000 });

  // Completed mall spend 10000 qualifies for the first tier only; the store family is separate.
  expect(await completeAll()).toBeGreaterThanOrEqual(1);
  const one = await previews(m, 'pt');
  expect(one).toMatchObject({ card: '150', pageCard: '150', page: '150', checkout: '150', cashier: '100' });
  expect(one.checkoutEntitlement).toBe(pct(10000, TIERS[0].ratio));
  const second = await buy(m, 'pt');
  expect(second.ratio).toBe(Number(one.checkout));
  expect(second.entitlement).toBe(one.checkoutEntitlement);

  // 20000 completed: the highest qualifying tier wins. p1 has no tiers: the default.
  await completeAll();
  const two = await previews(m, 'pt');
  expect(two).toMatchObject({ card: '180', page: '180', checkout: '180' });
  expect((await previews(m, 'p1')).page).toBe('100');
  const third = await buy(m, 'pt');
  expect(third).toMatchObject({ ratio: TIERS[1].ratio, entitlement: pct(10000, TIERS[1].ratio) });

  // The cashier's own tier counts the store's spend: 6000 completed there qualifies.
  const cash1 = await payCashier(m, 6000);
  expect(cash1.ratio).toBe(100);
  await completeAll();
  const store = await previews(m, 'pt');
  expect(store.cashier).toBe(String(CASHIER_TIER.ratio));
  const cash2 = await payCashier(m, 5000);
  expect(cash2).toMatchObject({ ratio: CASHIER_TIER.ratio, entitlement: pct(5000, CASHIER_TIER.ratio) });
});
