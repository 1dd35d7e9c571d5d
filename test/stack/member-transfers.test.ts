// 转让 under concurrency, through api.transfer_send as the members (the way
// the api function calls it): many transfers at once from one sender never
// pass the daily limit or the balance, the same requestId sent at once moves
// money once, and two members sending to each other at once do not deadlock;
// the ledger sums to what was credited.
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { api, balance, login, type Member } from './helpers/sql.ts';

jest.setTimeout(120_000);

let db: TestDatabase;
let a: Member;
let b: Member;
const code: Record<string, string> = {};

async function credit(m: Member, kind: 'points' | 'love', amount: number, key: string) {
  const currency = kind === 'points' ? 'POINTS' : 'LOVE';
  await db.sql`select ledger.transfer(${key}, 'exchange', array[
    row(${'world:' + currency}, ${currency}, ${-amount})::ledger.leg, row(${kind + ':' + m.memberId}, ${currency}, ${amount})::ledger.leg])`;
}

/** 'ok', or the refused field. */
async function send(from: Member, to: Member, amount: number, requestId: string): Promise<string> {
  try {
    await api(db.sql, from.userId, 'transfer_send', { code: code[to.memberId], kind: 'points', amount, requestId });
    return 'ok';
  } catch (err) {
    const e = err as { code?: string; column_name?: string; message: string };
    return e.code === '22023' ? `refused ${e.column_name}` : `error ${e.code} ${e.message}`;
  }
}

beforeAll(async () => {
  db = await createTestDatabase('stack_transfers', { max: 14 });
  a = await login(db.sql, `o-tr-a-${process.pid}`);
  b = await login(db.sql, `o-tr-b-${process.pid}`);
  for (const m of [a, b]) [{ c: code[m.memberId] }] = await db.sql`select invite_code as c from app.profiles where member_id = ${m.memberId}`;
  await db.sql`update app.site_content set value = '{"dailyLimit": {"points": 500, "love": 500}}' where key = 'transferRule'`;
  await credit(a, 'points', 1000, 'seed-a');
  await credit(b, 'points', 1000, 'seed-b');
});

afterAll(async () => {
  await db?.drop();
});

/** Runs fn while another connection holds member m's points account row, so every call reaches its checks before any commits. */
async function whileAccountHeld<T>(m: Member, fn: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const holder = db.sql.begin(async (tx) => {
    await tx`select 1 from ledger.accounts where code = ${'points:' + m.memberId} for update`;
    held();
    await released;
  });
  await isHeld;
  const running = fn();
  await new Promise((r) => setTimeout(r, 500));
  release();
  await holder;
  return running;
}

test('12 transfers of 100 at once from one sender: exactly the daily limit (500) goes through', async () => {
  const results = await whileAccountHeld(a, () => Promise.all(Array.from({ length: 12 }, (_, i) => send(a, b, 100, `limit-${i}-req`))));
  expect(results.filter((r) => r === 'ok')).toHaveLength(5);
  expect(results.filter((r) => r !== 'ok')).toEqual(Array(7).fill('refused amount'));
  expect(await balance(db.sql, `points:${a.memberId}`)).toBe(500);
  expect(await balance(db.sql, `points:${b.memberId}`)).toBe(1500);
});

test('the same requestId sent 6 times at once moves the points once', async () => {
  const before = await balance(db.sql, `points:${b.memberId}`);
  const results = await whileAccountHeld(b, () => Promise.all(Array.from({ length: 6 }, () => send(b, a, 70, 'same-request-1'))));
  expect(results).toEqual(Array(6).fill('ok'));
  expect(await balance(db.sql, `points:${b.memberId}`)).toBe(before - 70);
  const [{ n }] = await db.sql`select count(*)::int as n from members.transfers where request_id = 'same-request-1'`;
  expect(n).toBe(1);
  const [{ inbox }] = await db.sql`select count(*)::int as inbox from app.inbox where dedupe_key like 'transfer-%' and member_id = ${a.memberId} and kind = 'transferReceived'`;
  expect(inbox).toBe(1);
});

test('both members sending to each other at once: no deadlock, every transfer goes through, sums hold', async () => {
  await db.sql`update app.site_content set value = '{"dailyLimit": {"points": 100000, "love": 500}}' where key = 'transferRule'`;
  const aBefore = await balance(db.sql, `points:${a.memberId}`);
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? send(b, a, 10, `cross-b-${i}`) : send(a, b, 7, `cross-a-${i}`))),
  );
  expect(results).toEqual(Array(16).fill('ok'));
  expect(await balance(db.sql, `points:${a.memberId}`)).toBe(aBefore + 8 * 10 - 8 * 7);
  expect((await balance(db.sql, `points:${a.memberId}`)) + (await balance(db.sql, `points:${b.memberId}`))).toBe(2000);
  const [{ bad }] = await db.sql`
    select count(*)::int as bad from (
      select t.id from ledger.transfers t join ledger.entries e on e.transfer_id = t.id
      where t.kind = 'member-transfer' group by t.id having sum(e.amount) <> 0 or count(*) <> 2) x`;
  expect(bad).toBe(0);
  const [{ sent }] = await db.sql`select coalesce(sum(amount), 0)::int as sent from members.transfers where from_member = ${a.memberId}`;
  expect(sent).toBe(500 + 8 * 7);
});
