// `npm run simulate -- --from-db`: the exported stream (today's settings,
// catalogue, members, the window's orders, completions and refunds) replayed
// by the model engine gives the database's own state, byte for byte, when
// every order is in the window; orders before the window are left out.
import { normalizeRatio } from '@/domain/money';
import { parseEvent } from '@/domain/events';
import { ModelEngine } from '@/domain/engine';
import { printState, type ReplayState } from '@/domain/state';
import { createTestDatabase, type TestDatabase } from '../../scripts/db/database';
import { createDbEngine } from '../../scripts/replay/db-engine';
import { exportStream } from '../../scripts/simulate/export';

jest.setTimeout(60_000);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('sim_export');
});
afterAll(async () => {
  await db?.drop();
});

const DAY = 86_400_000;
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

test('the export replays to the database state', async () => {
  const { sql } = db;
  await sql.unsafe(`
    select rebate.update_settings('{"extractRatio":"20","distribution":{"on":true,"directRatio":"5"}}', 'test');
    select catalog.upsert_level('{"id":"vip","ratio":"120","teamRatio":"3"}');
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{"independentRatio":"110"}}');
    select members.upsert_member('{"id":"R"}');
    select members.upsert_member('{"id":"A","referrer":"R"}');
    select members.upsert_member('{"id":"B","level":"vip"}');
    select catalog.upsert_store('{"id":"s1","commission":"10","recruiter":"R"}');
    select catalog.upsert_store_product('{"id":"sp1","store":"s1","price":5000,"cost":2000}');
    select catalog.upsert_cashier('{"id":"c1","store":"s1"}');`);
  const order = (o: object) => sql`select orders.pay_order(${sql.json(o as never)})`;
  await order({ id: 'old', user: 'A', at: at(10 * DAY), lines: [{ product: 'p1', paid: 10000 }] });
  await order({ id: 'o1', user: 'A', at: at(2 * DAY), lines: [{ product: 'p1', paid: 10000 }, { storeProduct: 'sp1', paid: 5000 }] });
  await order({ id: 'o2', user: 'B', at: at(DAY), cashier: 'c1', paid: 3000 });
  await order({ id: 'o3', user: 'B', at: at(DAY / 2), lines: [{ product: 'p1', paid: 9000, deducted: 1000 }] });
  await sql`select orders.complete_order('o1', ${at(DAY / 4)}::timestamptz)`;
  await sql`select orders.refund_order('o2', ${at(DAY / 8)}::timestamptz)`;

  const stream = await exportStream(sql, 3);
  expect(stream.filter((e) => e.type === 'order').map((e) => e.id)).toEqual(['o1', 'o2', 'o3']);
  expect(stream.filter((e) => e.type === 'complete' || e.type === 'refund').map((e) => `${e.type}:${e.order}`)).toEqual(['complete:o1', 'refund:o2']);

  // Without the order before the window the model agrees with the SQL engine fed the same window (a fresh database).
  const model = new ModelEngine({ log: false });
  for (const e of stream) model.apply(parseEvent(JSON.parse(JSON.stringify(e))));
  const dbEngine = await createDbEngine();
  try {
    for (const e of stream) await dbEngine.apply(parseEvent(JSON.parse(JSON.stringify(e))));
    expect(printState(model.state())).toBe(printState(await dbEngine.state()));
  } finally {
    await dbEngine.close();
  }

  // With every order in the window, the export replays to this database's state.
  const all = await exportStream(sql, 30);
  const full = new ModelEngine({ log: false });
  for (const e of all) full.apply(parseEvent(JSON.parse(JSON.stringify(e))));
  const [row] = await sql<{ state: ReplayState }[]>`select rebate.replay_state() as state`;
  const dbState = { ...row.state, entries: row.state.entries.map((e) => ({ ...e, ratio: normalizeRatio(e.ratio) })) };
  expect(printState(full.state())).toBe(printState(dbState));
});
