// 已加入排队 is sent where the entry is created. When another transaction
// holds the queue's lock during a payment, the payment leaves its queue
// operation pending; the message follows the processor that applies it,
// exactly once, naming that entry. Real Postgres, two connections.
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { api, asService, login } from './helpers/sql.ts';

jest.setTimeout(120_000);

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('stack_joined', { max: 3 });
  await db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试商品一', 100);`);
});

afterAll(async () => {
  await db?.drop();
});

let n = 0;
const txid = () => `4200${Date.now()}${n++}`.padEnd(28, '0');

async function buy(name: string) {
  const m = await login(db.sql, `o-${name}-${process.pid}-${n++}`);
  const c = await api(db.sql, m.userId, 'orders_checkout', {
    lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'weapp',
  });
  const r = await asService(db.sql, async (tx) => (await tx`select app.confirm_payment(${c.orderId}, ${txid()}, ${c.payable}, ${m.openid}, now()) as r`)[0].r);
  expect(r).toBe('settled');
  return { member: m.memberId, orderId: c.orderId as string };
}

const joinedMessages = (member: string) =>
  db.sql`select kind, title, link, dedupe_key from app.inbox where member_id = ${member} and dedupe_key like 'joined:%'`;

test('a payment while another transaction holds the queue: one joined message once the processor applies the entry', async () => {
  const first = await buy('first');
  expect(await joinedMessages(first.member)).toHaveLength(1);
  const [{ queue_id }] = await db.sql`select queue_id from orders.lines where order_id = ${first.orderId}`;

  const holder = await db.sql.reserve();
  try {
    await holder`select pg_advisory_lock(rebate.lock_class(), ${Number(queue_id)}::integer)`;
    const second = await buy('second');
    // Paid, but its entry waits for the queue's lock: nothing joined yet, nothing announced.
    expect(await db.sql`select id from rebate.entries where order_id = ${second.orderId}`).toHaveLength(0);
    expect(await joinedMessages(second.member)).toHaveLength(0);
    // The processor cannot take the lock either while it is held.
    const [{ busy }] = await asService(db.sql, (tx) => tx`select app.apply_paid_order(${second.orderId}) as busy`);
    expect(busy).toBe(0);
    expect(await joinedMessages(second.member)).toHaveLength(0);

    await holder`select pg_advisory_unlock(rebate.lock_class(), ${Number(queue_id)}::integer)`;
    const [{ applied }] = await asService(db.sql, (tx) => tx`select app.apply_paid_order(${second.orderId}) as applied`);
    expect(applied).toBeGreaterThan(0);
    const [entry] = await db.sql`select id, entitlement::int from rebate.entries where order_id = ${second.orderId}`;
    const messages = await joinedMessages(second.member);
    expect(messages).toEqual([{
      kind: 'entryJoined', title: '已加入排队',
      link: `/packages/queue/pages/entry/index?id=${entry.id}`, dedupe_key: `joined:${second.orderId}:0`,
    }]);
    // Running the processor and the sweeper again announces nothing more.
    await asService(db.sql, (tx) => tx`select app.apply_paid_order(${second.orderId}), rebate.process_pending(100)`);
    expect(await joinedMessages(second.member)).toHaveLength(1);
    expect(await joinedMessages(first.member)).toHaveLength(1);
  } finally {
    holder.release();
  }
});
