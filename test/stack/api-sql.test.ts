// The api SQL layer on a real database: sign-in, checkout, payment
// confirmation (idempotent by WeChat transaction id), completion, refunds,
// withdrawals, and what RLS lets a member see. No mocks; every expectation
// is computed from the inputs.
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { api, asService, asUser, balance, login, type Member } from './helpers/sql.ts';

jest.setTimeout(120_000);

let db: TestDatabase;
const pct = (amount: number, ratio: number) => Math.round((amount * ratio) / 100); // small integers: exact

beforeAll(async () => {
  db = await createTestDatabase('stack_api');
  // A product like SPEC §11 example 1: price 10000, ratio 100, extraction 10.
  await db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    select catalog.upsert_product('{"id":"p2","price":16800,"source":"supplier","cost":9000,"queue":{"independentRatio":"130","extractRatio":"65"}}');
    select catalog.upsert_store('{"id":"s1","commission":"10","queue":{}}');
    select catalog.upsert_cashier('{"id":"c1","store":"s1","queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试商品一', 100), ('p2', 'product', 'supplier', '测试商品二', 3);
    insert into app.stores (store_id, name) values ('s1', '测试门店');
    insert into app.cashiers (cashier_id, name) values ('c1', '收银台');`);
});

afterAll(async () => {
  await db?.drop();
});

let n = 0;
const openid = (name: string) => `o-${name}-${process.pid}-${n++}`;
const txid = () => `4200${Date.now()}${n++}`.padEnd(28, '0');

async function checkout(m: Member, lines: { productId: string; quantity: number }[], extra: object = {}) {
  return api(db.sql, m.userId, 'orders_checkout', { lines, usePoints: false, useLove: false, useCoupon: false, platform: 'weapp', ...extra });
}

async function confirm(orderId: string, total: number, payer: string, transactionId = txid()) {
  return asService(db.sql, async (tx) => (await tx`select app.confirm_payment(${orderId}, ${transactionId}, ${total}, ${payer}, now()) as r`)[0].r as string);
}

describe('sign-in', () => {
  test('one member per openid; a second login is the same member; invite scenes bind once', async () => {
    const o = openid('a');
    const a1 = await login(db.sql, o);
    const a2 = await login(db.sql, o);
    expect(a2.memberId).toBe(a1.memberId);
    expect(a2.userId).toBe(a1.userId);
    const [{ code }] = await db.sql`select invite_code as code from app.profiles where member_id = ${a1.memberId}`;
    const b = await login(db.sql, openid('b'), `i=${code}`);
    const [{ referrer_id }] = await db.sql`select referrer_id from members.members where id = ${b.memberId}`;
    expect(referrer_id).toBe(a1.memberId);
    // A registered without an invite: no binding afterwards (that also rules out cycles), nor under themself.
    const [{ code: bcode }] = await db.sql`select invite_code as code from app.profiles where member_id = ${b.memberId}`;
    expect((await api(db.sql, a1.userId, 'promoter_bind', { scene: `i=${bcode}` })).reason).toBe('registered');
    const [{ referrer_id: stillNone }] = await db.sql`select referrer_id from members.members where id = ${a1.memberId}`;
    expect(stillNone).toBeNull();
    expect((await api(db.sql, a1.userId, 'promoter_bind', { scene: `i=${code}` })).reason).toBe('self');
    expect((await api(db.sql, b.userId, 'promoter_bind', { scene: `i=${code}` })).reason).toBe('alreadyBound');
    expect((await api(db.sql, a1.userId, 'promoter_team', { tier: 'direct' })).counts.direct).toBe(1);
  });

  test('member functions refuse anonymous callers with 42501', async () => {
    await expect(api(db.sql, null, 'wallet_summary')).rejects.toMatchObject({ code: '42501' });
    // A token for a user that is not a member is not a member either.
    await expect(api(db.sql, crypto.randomUUID(), 'wallet_summary')).rejects.toMatchObject({ code: '42501' });
  });
});

describe('checkout and payment', () => {
  test('the same payment notify five times settles once; entries and payouts follow the engine', async () => {
    const buyers = await Promise.all(['A', 'B', 'C', 'D'].map((x) => login(db.sql, openid(x))));
    const orders: string[] = [];
    for (const b of buyers) {
      const c = await checkout(b, [{ productId: 'p1', quantity: 1 }]);
      expect(c).toMatchObject({ payable: 10000, status: 'unpaid', openid: b.openid });
      const results = [];
      for (let i = 0, t = txid(); i < 5; i++) results.push(await confirm(c.orderId, 10000, b.openid, t));
      expect(results).toEqual(['settled', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      orders.push(c.orderId);
    }
    // SPEC §11.1: A's entitlement 10000; B, C, D each extract 1000 for A → A paid 3000.
    const entries = await db.sql`select e.order_id, e.entitlement::int, e.paid::int, e.status from rebate.entries e where e.order_id in ${db.sql(orders)} order by e.seq`;
    expect(entries.map((e) => e.order_id)).toEqual(orders);
    expect(entries[0]).toMatchObject({ entitlement: 10000, paid: pct(10000, 10) * 3, status: 'waiting' });
    expect(entries.slice(1).map((e) => e.paid)).toEqual([0, 0, 0]);
    expect(await balance(db.sql, `wallet:${buyers[0].memberId}:frozen`)).toBe(3000);
    // The core order exists once per app order, and the payment recorded its notifies.
    const [{ count }] = await db.sql`select count(*)::int from orders.orders where id in ${db.sql(orders)}`;
    expect(count).toBe(4);
    const [{ notify_count }] = await db.sql`select notify_count from app.payments where order_id = ${orders[0]}`;
    expect(notify_count).toBe(5);
    // Joined notifications, once per entry even with duplicate notifies.
    const [{ joined }] = await db.sql`select count(*)::int as joined from app.inbox where member_id = ${buyers[0].memberId} and kind = 'entryJoined'`;
    expect(joined).toBe(1);
  });

  test('a notify with the wrong amount or payer is an anomaly and settles nothing', async () => {
    const m = await login(db.sql, openid('x'));
    const c = await checkout(m, [{ productId: 'p1', quantity: 2 }]);
    expect(await confirm(c.orderId, 19999, m.openid)).toBe('anomaly:amount_mismatch');
    expect(await confirm(c.orderId, 20000, 'o-someone-else')).toBe('anomaly:payer_mismatch');
    const [o] = await db.sql`select status, core_settled from app.orders where id = ${c.orderId}`;
    expect(o).toEqual({ status: 'unpaid', core_settled: false });
    const anomalies = await db.sql`select kind from app.payment_anomalies where out_trade_no = ${c.orderId} order by id`;
    expect(anomalies.map((a) => a.kind)).toEqual(['amount_mismatch', 'payer_mismatch']);
    // The right notify still settles it.
    expect(await confirm(c.orderId, 20000, m.openid)).toBe('settled');
    // A second, different transaction for the same order is an anomaly.
    expect(await confirm(c.orderId, 20000, m.openid)).toBe('anomaly:second_transaction');
  });

  test('bad checkout input names the field and changes nothing', async () => {
    const m = await login(db.sql, openid('y'));
    const before = await db.sql`select stock from app.listings where id = 'p2'`;
    await expect(checkout(m, [{ productId: 'nope', quantity: 1 }])).rejects.toMatchObject({ code: '22023', column_name: 'lines[0].productId' });
    await expect(checkout(m, [{ productId: 'p2', quantity: 0 }])).rejects.toMatchObject({ column_name: 'lines[0].quantity' });
    await expect(checkout(m, [{ productId: 'p2', quantity: 4 }])).rejects.toMatchObject({ column_name: 'lines[0].quantity' });
    await expect(checkout(m, [{ productId: 'p2', quantity: 1 }], { platform: 'android' })).rejects.toMatchObject({ column_name: 'platform' });
    await expect(api(db.sql, m.userId, 'cashier_checkout', { cashierId: 'c1', amount: 1.5, platform: 'weapp' })).rejects.toMatchObject({ column_name: 'amount' });
    expect(await db.sql`select stock from app.listings where id = 'p2'`).toEqual(before);
    const [{ count }] = await db.sql`select count(*)::int from app.orders where member_id = ${m.memberId}`;
    expect(count).toBe(0);
  });

  test('closing an unpaid order returns stock; a late notify for it becomes an anomaly', async () => {
    const m = await login(db.sql, openid('z'));
    const [{ stock: before }] = await db.sql`select stock from app.listings where id = 'p2'`;
    const c = await checkout(m, [{ productId: 'p2', quantity: 2 }]);
    const [{ stock: during }] = await db.sql`select stock from app.listings where id = 'p2'`;
    expect(during).toBe(before - 2);
    expect(await asService(db.sql, async (tx) => (await tx`select app.close_order(${c.orderId}) as r`)[0].r)).toBe(true);
    const [{ stock: after }] = await db.sql`select stock from app.listings where id = 'p2'`;
    expect(after).toBe(before);
    expect(await confirm(c.orderId, c.payable, m.openid)).toBe('anomaly:paid_after_close');
  });

  test('points and coupon deductions: held at checkout, spent when paid, returned when closed; lines get their share', async () => {
    const m = await login(db.sql, openid('pts'));
    await db.sql.unsafe(`select ledger.transfer('test-grant-${m.memberId}', 'adjust', array[
      row('world:POINTS', 'POINTS', -700)::ledger.leg, row('points:${m.memberId}', 'POINTS', 700)::ledger.leg,
      row('world:COUPON', 'COUPON', -300)::ledger.leg, row('coupons:${m.memberId}', 'COUPON', 300)::ledger.leg])`);
    const lines = [{ productId: 'p1', quantity: 1 }, { productId: 'p2', quantity: 1 }];
    const preview = await api(db.sql, m.userId, 'orders_preview', { lines, usePoints: true, useLove: false, useCoupon: true });
    expect(preview).toMatchObject({ goodsTotal: 26800, payable: 26800 - 1000, points: { used: 700 }, coupon: { deduction: 300 } });
    // 1000 fen of deductions split 10000 : 16800 with the largest remainder.
    const shares = [Math.floor((1000 * 10000) / 26800), Math.floor((1000 * 16800) / 26800)];
    if (shares[0] + shares[1] < 1000) shares[(1000 * 10000) % 26800 >= (1000 * 16800) % 26800 ? 0 : 1] += 1000 - shares[0] - shares[1];
    expect(preview.lines.map((l: any) => l.paid)).toEqual([10000 - shares[0], 16800 - shares[1]]);

    const c1 = await checkout(m, lines, { usePoints: true, useCoupon: true });
    expect(await balance(db.sql, `points:${m.memberId}`)).toBe(0);
    expect(await balance(db.sql, `coupons:${m.memberId}`)).toBe(0);
    await asService(db.sql, (tx) => tx`select app.close_order(${c1.orderId})`);
    expect(await balance(db.sql, `points:${m.memberId}`)).toBe(700);
    expect(await balance(db.sql, `coupons:${m.memberId}`)).toBe(300);

    const c2 = await checkout(m, lines, { usePoints: true, useCoupon: true });
    expect(await confirm(c2.orderId, 25800, m.openid)).toBe('settled');
    expect(await balance(db.sql, `points:${m.memberId}`)).toBe(0);
    expect(await balance(db.sql, 'hold:points')).toBe(0);
    const core = await db.sql`select line, paid::int, deducted::int from orders.lines where order_id = ${c2.orderId} order by line`;
    expect(core).toEqual([{ line: 0, paid: 10000 - shares[0], deducted: shares[0] }, { line: 1, paid: 16800 - shares[1], deducted: shares[1] }]);
  });

  test('a fully deducted order is paid at checkout without WeChat', async () => {
    const m = await login(db.sql, openid('free'));
    await db.sql.unsafe(`select ledger.transfer('test-grant-${m.memberId}', 'adjust', array[
      row('world:POINTS', 'POINTS', -10000)::ledger.leg, row('points:${m.memberId}', 'POINTS', 10000)::ledger.leg])`);
    const c = await checkout(m, [{ productId: 'p1', quantity: 1 }], { usePoints: true });
    expect(c).toMatchObject({ payable: 0, status: 'paid' });
    const [{ count }] = await db.sql`select count(*)::int from app.payments where order_id = ${c.orderId}`;
    expect(count).toBe(0);
    // The engine still gives the line an entry (entitlement 0, done at once); the screens say it carries no rights.
    const mine = await api(db.sql, m.userId, 'queue_my_entries', { status: 'all' });
    expect(mine.items.map((e: any) => [e.base, e.entitlement, e.paid, e.pending, e.status])).toEqual([[0, 0, 0, 0, 'done']]);
    expect(mine.summary).toEqual({ waitingCount: 0, entitlement: 0, paid: 0, pending: 0 });
  });

  test('cashier payment joins the cashier queue', async () => {
    const m = await login(db.sql, openid('cash'));
    const c = await api(db.sql, m.userId, 'cashier_checkout', { cashierId: 'c1', amount: 5000, platform: 'h5' });
    expect(await confirm(c.orderId, 5000, m.openid)).toBe('settled');
    const mine = await api(db.sql, m.userId, 'queue_my_entries', {});
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ queueKey: 'cashier:c1', base: 5000, entitlement: 5000, status: 'waiting', position: 1 });
    expect(mine.summary).toEqual({ waitingCount: 1, entitlement: 5000, paid: 0, pending: 5000 });
  });
});

describe('completion, refunds and withdrawals', () => {
  test('refund before completion: entries cancelled, payouts to the reserve; duplicate notify is a no-op', async () => {
    // SPEC §11.2's product, in a queue of its own.
    await db.sql.unsafe(`select catalog.upsert_product('{"id":"p4","price":16800,"source":"self","cost":9000,"queue":{"independentRatio":"130","extractRatio":"65"}}');
      insert into app.listings (id, kind, source, title, stock) values ('p4', 'product', 'self', '测试商品四', 100);`);
    const a = await login(db.sql, openid('ra'));
    const b = await login(db.sql, openid('rb'));
    const ca = await checkout(a, [{ productId: 'p4', quantity: 1 }]);
    await confirm(ca.orderId, 16800, a.openid);
    const cb = await checkout(b, [{ productId: 'p4', quantity: 1 }]);
    await confirm(cb.orderId, 16800, b.openid);
    // SPEC §11.2: U1 receives 65% of U2's 16800.
    const frozen = await balance(db.sql, `wallet:${a.memberId}:frozen`);
    expect(frozen).toBe(pct(16800, 65));
    const r = await api(db.sql, a.userId, 'orders_refund', { orderId: ca.orderId, reason: '不想要了' });
    expect(r).toMatchObject({ status: 'refunding', amount: 16800 });
    await expect(api(db.sql, a.userId, 'orders_refund', { orderId: ca.orderId, reason: '再来' })).rejects.toMatchObject({ code: '55000' });
    const res = [];
    for (let i = 0; i < 3; i++) {
      res.push(await asService(db.sql, async (tx) => (await tx`select app.confirm_refund(${r.outRefundNo}, 'rf-1', ${16800}, now()) as r`)[0].r));
    }
    expect(res).toEqual(['refunded', 'duplicate', 'duplicate']);
    expect(await balance(db.sql, `wallet:${a.memberId}:frozen`)).toBe(0);
    expect(await balance(db.sql, 'reserve:product:p4')).toBe(frozen);
    const [e] = await db.sql`select status from rebate.entries where order_id = ${ca.orderId}`;
    expect(e.status).toBe('cancelled');
    expect((await api(db.sql, a.userId, 'orders_detail', { orderId: ca.orderId })).order.status).toBe('refunded');
  });

  test('completion makes payouts available; withdrawal holds, transfer pays once; failure returns the money', async () => {
    // A product of its own, so A heads its queue.
    await db.sql.unsafe(`select catalog.upsert_product('{"id":"p3","price":10000,"source":"self","cost":5000,"queue":{}}');
      insert into app.listings (id, kind, source, title, stock) values ('p3', 'product', 'self', '测试商品三', 100);`);
    const a = await login(db.sql, openid('wa'));
    const b = await login(db.sql, openid('wb'));
    const ca = await checkout(a, [{ productId: 'p3', quantity: 1 }]);
    await confirm(ca.orderId, 10000, a.openid);
    for (let i = 0; i < 3; i++) {
      const cb = await checkout(b, [{ productId: 'p3', quantity: 1 }]);
      await confirm(cb.orderId, 10000, b.openid);
    }
    const earned = await balance(db.sql, `wallet:${a.memberId}:frozen`);
    expect(earned).toBe(3 * pct(10000, 10));
    // After the after-sales window (7 days by default) the jobs function completes it.
    const done = await asService(db.sql, async (tx) => (await tx`select app.complete_due(now() + interval '8 days') as n`)[0].n);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(await balance(db.sql, `wallet:${a.memberId}:available`)).toBe(earned);

    await expect(api(db.sql, a.userId, 'wallet_withdraw', { amount: earned + 1 })).rejects.toMatchObject({ column_name: 'amount' });
    await expect(api(db.sql, a.userId, 'wallet_withdraw', { amount: 50 })).rejects.toMatchObject({ column_name: 'amount' });
    const w1 = await api(db.sql, a.userId, 'wallet_withdraw', { amount: 1000 });
    expect(w1).toMatchObject({ amount: 1000, fee: 0, net: 1000, status: 'reviewing' });
    expect(await balance(db.sql, `wallet:${a.memberId}:available`)).toBe(earned - 1000);
    expect((await api(db.sql, a.userId, 'wallet_summary')).withdrawing).toBe(1000);

    // Only operators review.
    await expect(api(db.sql, a.userId, 'admin_withdrawal_review', { withdrawalId: w1.withdrawalId, approve: true })).rejects.toMatchObject({ code: '42501' });
    const op = await login(db.sql, openid('op'));
    await db.sql`insert into app.operators (member_id, role) values (${op.memberId}, 'finance')`;
    await api(db.sql, op.userId, 'admin_withdrawal_review', { withdrawalId: w1.withdrawalId, approve: true });
    const paid = [];
    for (let i = 0; i < 3; i++) {
      paid.push(await asService(db.sql, async (tx) => (await tx`select app.confirm_transfer(${w1.withdrawalId}, 'bill1', 'SUCCESS', 1000) as r`)[0].r));
    }
    expect(paid).toEqual(['paid', 'duplicate', 'duplicate']);
    expect(await balance(db.sql, 'withdrawals:pending')).toBe(0);

    const w2 = await api(db.sql, a.userId, 'wallet_withdraw', { amount: 500 });
    await api(db.sql, op.userId, 'admin_withdrawal_review', { withdrawalId: w2.withdrawalId, approve: true });
    expect(await asService(db.sql, async (tx) => (await tx`select app.confirm_transfer(${w2.withdrawalId}, 'bill2', 'FAIL', null) as r`)[0].r)).toBe('returned');
    expect(await balance(db.sql, `wallet:${a.memberId}:available`)).toBe(earned - 1000);
    const history = await api(db.sql, a.userId, 'wallet_history', { balance: 'available' });
    expect(history.items.map((h: any) => h.kind)).toEqual(['withdrawReturn', 'withdraw', 'withdraw', 'unfreeze']);
  });
});

describe('row level security', () => {
  test('a member reads only their own rows; direct writes and service functions are refused', async () => {
    const a = await login(db.sql, openid('rls-a'));
    const b = await login(db.sql, openid('rls-b'));
    await checkout(a, [{ productId: 'p1', quantity: 1 }]);
    const seen = await asUser(db.sql, b.userId, (tx) => tx`select member_id from app.orders`);
    expect(seen.every((r) => r.member_id === b.memberId)).toBe(true);
    const inboxB = await api(db.sql, b.userId, 'inbox_list', {});
    expect(inboxB.items.length).toBeGreaterThan(0); // the welcome message
    const [{ n }] = await db.sql`select count(*)::int as n from app.inbox where member_id = ${b.memberId}`;
    expect(inboxB.items).toHaveLength(n);
    await expect(asUser(db.sql, b.userId, (tx) => tx`update app.orders set status = 'paid'`)).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(db.sql, b.userId, (tx) => tx`select app.confirm_payment('x', 'y', 1, 'z', now())`)).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(db.sql, b.userId, (tx) => tx`select ledger.transfer('k', 'x', array[row('a','CNY',1)::ledger.leg, row('b','CNY',-1)::ledger.leg])`)).rejects.toMatchObject({ code: '42501' });
    // Anonymous can browse but not read members' data.
    expect((await api(db.sql, null, 'catalog_products', {})).items.length).toBeGreaterThan(0);
    await expect(asUser(db.sql, null, (tx) => tx`select * from app.orders`)).rejects.toMatchObject({ code: '42501' });
  });

  test('a mask is the first character + "**" whatever the length (no length, no last character)', async () => {
    const [{ masks }] = await db.sql`select array[app.mask_name('鲍', 'm1'), app.mask_name('鲍鹏', 'm1'), app.mask_name('卡卡尔', 'm1'),
      app.mask_name('卡西莫多尔', 'm1'), app.mask_name('', 'm7'), app.mask_name(null, 'm8')] as masks`;
    expect(masks).toEqual(['鲍**', '鲍**', '卡**', '卡**', '微信用户**7', '微信用户**8']);
  });

  test('queue progress masks other shoppers', async () => {
    const a = await login(db.sql, openid('mask-a'));
    const b = await login(db.sql, openid('mask-b'));
    await db.sql`update app.profiles set nickname = '张三丰' where member_id = ${a.memberId}`;
    const ca = await checkout(a, [{ productId: 'p1', quantity: 1 }]);
    await confirm(ca.orderId, 10000, a.openid);
    const page = await api(db.sql, b.userId, 'queue_progress', { queueKey: 'product:p1', limit: 50 });
    const row = page.items.find((r: any) => r.member?.maskedName === '张**');
    expect(row).toBeDefined();
    expect(row.mine).toBe(false);
    expect(JSON.stringify(page)).not.toContain('张三丰');
    expect(JSON.stringify(page)).not.toContain(a.memberId);
    const own = await api(db.sql, a.userId, 'queue_progress', { queueKey: 'product:p1', limit: 50 });
    expect(own.items.find((r: any) => r.mine).member.maskedName).toBe('张三丰');
  });
});
