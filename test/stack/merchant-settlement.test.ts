// The merchant area's money on a real database (0012_settlement.sql,
// 1300_api_settlement.sql): a cashier payment credits the store's merchant
// account frozen (paid − extraction − commission), completion makes it
// available, the statement shows both; the merchant withdraws through the
// shoppers' withdrawal path (wallet_withdraw {from: 'merchant'}) and a
// rejected review or a failed transfer returns the money to the merchant
// account, not the wallet. Bad input names the field and changes nothing.
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { api, asService, balance, login, type Member } from './helpers/sql.ts';

jest.setTimeout(120_000);

let db: TestDatabase;
let merchant: Member;
let shopper: Member;
let op: Member;
let n = 0;
const openid = (name: string) => `o-${name}-${process.pid}-${n++}`;
const txid = () => `4200${Date.now()}${n++}`.padEnd(28, '0');
const pct = (amount: number, ratio: number) => Math.round((amount * ratio) / 100); // small integers: exact

beforeAll(async () => {
  db = await createTestDatabase('stack_merchant');
  merchant = await login(db.sql, openid('merchant'));
  shopper = await login(db.sql, openid('shopper'));
  op = await login(db.sql, openid('op'));
  await db.sql.unsafe(`
    select catalog.upsert_store('{"id":"s9","commission":"12.5","queue":{}}');
    select catalog.upsert_cashier('{"id":"c9","store":"s9","queue":{}}');
    insert into app.stores (store_id, name, owner_member_id) values ('s9', '测试门店', '${merchant.memberId}');
    insert into app.cashiers (cashier_id, name) values ('c9', '收银台');
    insert into app.operators (member_id, role) values ('${op.memberId}', 'finance');`);
});

afterAll(async () => {
  await db?.drop();
});

async function payAtCashier(amount: number): Promise<string> {
  const c = await api(db.sql, shopper.userId, 'cashier_checkout', { cashierId: 'c9', amount, platform: 'h5' });
  const r = await asService(db.sql, async (tx) => (await tx`select app.confirm_payment(${c.orderId}, ${txid()}, ${amount}, ${shopper.openid}, now()) as r`)[0].r);
  expect(r).toBe('settled');
  return c.orderId;
}

async function fingerprint(): Promise<string> {
  const [{ f }] = await db.sql`select md5(concat_ws('|',
    (select string_agg(concat_ws(',', code, balance), ';' order by id) from ledger.accounts),
    (select string_agg(concat_ws(',', id, status, amount, source_account), ';' order by id) from app.withdrawals))) as f`;
  return f;
}

test('sales are credited frozen, then available at completion; the statement shows both', async () => {
  const orderId = await payAtCashier(10000);
  // Base extraction 10% = 1000, commission 12.5% = 1250: the merchant's share 7750.
  const share = 10000 - pct(10000, 10) - pct(10000, 12.5);
  expect(await balance(db.sql, 'merchant:s9:frozen')).toBe(share);
  const before = await api(db.sql, merchant.userId, 'merchant_account', {});
  expect(before).toMatchObject({ storeId: 's9', available: 0, frozen: share, withdrawing: 0, commission: '12.5' });
  expect(before.items[0]).toMatchObject({ kind: 'sale', amount: share, direction: 'in', balance: 'frozen', orderId });

  const done = await asService(db.sql, async (tx) => (await tx`select app.complete_due(now() + interval '30 days') as n`)[0].n);
  expect(done).toBeGreaterThanOrEqual(1);
  const after = await api(db.sql, merchant.userId, 'merchant_account', {});
  expect(after).toMatchObject({ available: share, frozen: 0 });
  // The completion's two postings (one transfer, either order), then the sale.
  const rows = after.items.map((i: any) => [i.kind, i.balance, i.direction, i.amount].join(' '));
  expect([...rows.slice(0, 2)].sort()).toEqual([`settled available in ${share}`, `settled frozen out ${share}`]);
  expect(rows.slice(2)).toEqual([`sale frozen in ${share}`]);
  expect(await balance(db.sql, 'revenue:store:s9')).toBe(pct(10000, 12.5));
  // The merchant was told both times (inbox, newest first).
  const inbox = await api(db.sql, merchant.userId, 'inbox_list', {});
  const yuan = `¥${Math.floor(share / 100)}.${String(share % 100).padStart(2, '0')}`;
  const money = inbox.items.filter((m: any) => m.link === '/packages/merchant/pages/account/index').map((m: any) => [m.title, m.body]);
  expect(money).toEqual([
    ['商家结算到账', `订单 ${orderId} 的商家收入 ${yuan} 已转为可提现`],
    ['商家收入·冻结中', `订单 ${orderId} 的商家收入 ${yuan} 已计入冻结，售后期结束后可提现`],
  ]);
  // Pages: one at a time, newest first.
  const first = await api(db.sql, merchant.userId, 'merchant_account', { limit: 1 });
  const second = await api(db.sql, merchant.userId, 'merchant_account', { limit: 1, cursor: first.nextCursor });
  expect([first.items[0].id, second.items[0].id]).toEqual([after.items[0].id, after.items[1].id]);
});

test('a member without a store is refused', async () => {
  await expect(api(db.sql, shopper.userId, 'merchant_account', {})).rejects.toMatchObject({ code: '42501' });
  await expect(api(db.sql, shopper.userId, 'wallet_withdraw', { amount: 1000, from: 'merchant' })).rejects.toMatchObject({ code: '42501' });
});

test('bad input names the field and changes nothing', async () => {
  const before = await fingerprint();
  const available = await balance(db.sql, 'merchant:s9:available');
  for (const [p, field] of [
    [{ amount: available + 1, from: 'merchant' }, 'amount'],
    [{ amount: 1000, from: 'shop' }, 'from'],
    [{ amount: 1000, from: null }, 'from'],
    [{ amount: 1000, from: 7 }, 'from'],
    [{ from: 'merchant' }, 'amount'],
  ] as const) {
    await expect(api(db.sql, merchant.userId, 'wallet_withdraw', p)).rejects.toMatchObject({ code: '22023', column_name: field });
  }
  for (const [p, field] of [
    [{ limit: 0 }, 'limit'],
    [{ limit: null }, 'limit'],
    [{ limit: '5' }, 'limit'],
    [{ cursor: 'x' }, 'cursor'],
  ] as const) {
    await expect(api(db.sql, merchant.userId, 'merchant_account', p)).rejects.toMatchObject({ code: '22023', column_name: field });
  }
  expect(await fingerprint()).toBe(before);
});

test('withdrawals leave the merchant account; rejection and a failed transfer return there', async () => {
  const available = await balance(db.sql, 'merchant:s9:available');
  const wallet = await balance(db.sql, `wallet:${merchant.memberId}:available`);
  const w1 = await api(db.sql, merchant.userId, 'wallet_withdraw', { amount: 3000, from: 'merchant' });
  expect(w1).toMatchObject({ amount: 3000, status: 'reviewing' });
  expect(await balance(db.sql, 'merchant:s9:available')).toBe(available - 3000);
  expect((await api(db.sql, merchant.userId, 'merchant_account', {})).withdrawing).toBe(3000);
  expect((await api(db.sql, merchant.userId, 'wallet_withdrawals', {})).items[0]).toMatchObject({ withdrawalId: w1.withdrawalId, from: 'merchant' });

  await api(db.sql, op.userId, 'admin_withdrawal_review', { withdrawalId: w1.withdrawalId, approve: false, reason: '资料不符' });
  expect(await balance(db.sql, 'merchant:s9:available')).toBe(available);

  const w2 = await api(db.sql, merchant.userId, 'wallet_withdraw', { amount: 2000, from: 'merchant' });
  await api(db.sql, op.userId, 'admin_withdrawal_review', { withdrawalId: w2.withdrawalId, approve: true });
  expect(await asService(db.sql, async (tx) => (await tx`select app.confirm_transfer(${w2.withdrawalId}, 'bill-m2', 'FAIL', null) as r`)[0].r)).toBe('returned');
  expect(await balance(db.sql, 'merchant:s9:available')).toBe(available);

  const w3 = await api(db.sql, merchant.userId, 'wallet_withdraw', { amount: 2000, from: 'merchant' });
  await api(db.sql, op.userId, 'admin_withdrawal_review', { withdrawalId: w3.withdrawalId, approve: true });
  expect(await asService(db.sql, async (tx) => (await tx`select app.confirm_transfer(${w3.withdrawalId}, 'bill-m3', 'SUCCESS', ${w3.net}) as r`)[0].r)).toBe('paid');
  expect(await balance(db.sql, 'merchant:s9:available')).toBe(available - 2000);
  // The merchant's own shopper wallet was never touched.
  expect(await balance(db.sql, `wallet:${merchant.memberId}:available`)).toBe(wallet);
  const statement = await api(db.sql, merchant.userId, 'merchant_account', {});
  expect(statement.items.slice(0, 5).map((i: any) => i.kind)).toEqual(['withdraw', 'withdrawReturn', 'withdraw', 'withdrawReturn', 'withdraw']);
});
