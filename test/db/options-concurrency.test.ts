// Random return under concurrent orders: 12 connections pay orders into one
// queue with random return on (cashCount 2, pointsCount 3) while the
// processor runs wherever it gets the queue lock; then the sweeper. Every
// complete group must hold exactly cashCount cash entries, the open one at
// most cashCount, and every converted entry's points must be credited.
import { connect, createTestDatabase, type Sql, type TestDatabase } from '../../scripts/db/database';

jest.setTimeout(300_000);

const CLIENTS = 12;
const ORDERS_PER_CLIENT = 40;
const RETRYABLE = new Set(['40P01', '40001', '55P03']);

let db: TestDatabase;
const conns: Sql[] = [];

beforeAll(async () => {
  db = await createTestDatabase('optconc');
  await db.sql`select rebate.update_settings(${db.sql.json({ randomReturn: { on: true, cashCount: 2, pointsCount: 3 } })}, 'test')`;
  await db.sql`select catalog.upsert_product(${db.sql.json({ id: 'hot', price: 1000, source: 'self', cost: 0 })})`;
  for (let u = 0; u < CLIENTS; u++) await db.sql`select members.upsert_member(${db.sql.json({ id: `u${u}` })})`;
  for (let c = 0; c < CLIENTS; c++) conns.push(connect(db.url));
});

afterAll(async () => {
  await Promise.all(conns.map((c) => c.end({ timeout: 5 })));
  await db?.drop();
});

test('exactly cashCount cash per group under concurrent orders', async () => {
  await Promise.all(
    conns.map(async (sql, c) => {
      for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
        const order = { id: `o${c}-${i}`, user: `u${c}`, at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'hot', paid: 1000 + i }] };
        for (let attempt = 0; ; attempt++) {
          try {
            await sql`select orders.pay_order(${sql.json(order)})`;
            break;
          } catch (error) {
            if (!RETRYABLE.has((error as { code?: string }).code ?? '') || attempt > 20) throw error;
          }
        }
      }
    }),
  );
  while ((await db.sql<{ n: number }[]>`select rebate.process_pending() as n`)[0].n > 0);

  const total = CLIENTS * ORDERS_PER_CLIENT;
  const groups = await db.sql<{ g: number; n: number; cash: number }[]>`
    select rr_group as g, count(*)::int as n, count(*) filter (where rr_slot = 'cash')::int as cash
    from rebate.entries group by rr_group order by rr_group`;
  expect(groups.reduce((s, g) => s + g.n, 0)).toBe(total);
  const full = groups.filter((g) => g.n === 5);
  expect(full.length).toBe(Math.floor(total / 5));
  for (const g of full) expect(g.cash).toBe(2);
  for (const g of groups.filter((x) => x.n !== 5)) {
    expect(g.n).toBeLessThan(5);
    expect(g.cash).toBeLessThanOrEqual(2);
  }
  const [state] = await db.sql<{ groups: number; taken: number }[]>`select groups, taken from rebate.random_groups`;
  expect(state.groups).toBe(groups.length);
  // Every converted entry is credited its points (exchangeRatio.points = 100%), nothing else is.
  const [points] = await db.sql<{ credited: string; balances: string; converted: number; statusOk: boolean }[]>`
    select (select sum(exchanged_amount) from rebate.entries where status = 'converted')::text as credited,
           (select sum(balance) from ledger.accounts where code like 'points:%')::text as balances,
           (select count(*) from rebate.entries where rr_slot = 'points')::int as converted,
           (select bool_and((rr_slot = 'points') = (status = 'converted')) from rebate.entries) as "statusOk"`;
  expect(points.statusOk).toBe(true);
  expect(points.converted).toBe(total - groups.reduce((s, g) => s + g.cash, 0));
  expect(points.balances).toBe(points.credited);
});
