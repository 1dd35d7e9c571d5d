// SPEC §11 worked examples 1 and 2 through the db engine, and the SQL
// defaults kept equal to src/domain/settings.ts.
import { parseEvent } from '@/domain/events';
import { DEFAULT_SETTINGS } from '@/domain/settings';
import type { ReplayState } from '@/domain/state';
import { createTestDatabase } from '../../scripts/db/database';
import { createDbEngine } from '../../scripts/replay/db-engine';

jest.setTimeout(60_000);

async function replay(events: object[]): Promise<ReplayState> {
  const engine = await createDbEngine();
  try {
    for (const e of events) await engine.apply(parseEvent(e));
    return await engine.state();
  } finally {
    await engine.close();
  }
}

function entryOf(state: ReplayState, user: string) {
  const e = state.entries.find((x) => x.user === user);
  if (!e) throw new Error(`no entry for ${user}`);
  return e;
}

test('example 1 (seed §3): A is paid 3000 by B, C and D; they get nothing yet', async () => {
  const users = ['A', 'B', 'C', 'D'];
  const state = await replay([
    { type: 'product', id: 'p1', price: 10000, source: 'self', cost: 5000 },
    ...users.map((id) => ({ type: 'user', id })),
    ...users.map((user, i) => ({
      type: 'order',
      id: `o${i + 1}`,
      user,
      at: `2026-01-01T10:0${i}:00+08:00`,
      lines: [{ product: 'p1', paid: 10000 }],
    })),
  ]);
  expect(entryOf(state, 'A')).toMatchObject({ entitlement: 10000, paid: 3000, status: 'waiting', ratio: '100', seq: 1 });
  for (const u of ['B', 'C', 'D']) expect(entryOf(state, u)).toMatchObject({ entitlement: 10000, paid: 0, status: 'waiting' });
  expect(state.wallets.A).toEqual({ available: 0, frozen: 3000 });
});

test('example 2 (seed §5): ratio 130, extraction 65: U1 owed 21840, paid 10920', async () => {
  const state = await replay([
    { type: 'product', id: 'p1', price: 16800, source: 'self', cost: 9000, queue: { independentRatio: '130', extractRatio: '65' } },
    { type: 'user', id: 'U1' },
    { type: 'user', id: 'U2' },
    { type: 'order', id: 'o1', user: 'U1', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 16800 }] },
    { type: 'order', id: 'o2', user: 'U2', at: '2026-01-01T10:05:00+08:00', lines: [{ product: 'p1', paid: 16800 }] },
  ]);
  const u1 = entryOf(state, 'U1');
  expect(u1).toMatchObject({ entitlement: 21840, paid: 10920, ratio: '130', status: 'waiting' });
  expect(u1.entitlement - u1.paid).toBe(10920);
  expect(entryOf(state, 'U2')).toMatchObject({ entitlement: 21840, paid: 0 });
});

test('example 3 (seed §2, union): 300 entries of 100000, a day of 30,000,000 pays the first 272 and carries 80,000', async () => {
  const orders = Array.from({ length: 300 }, (_x, i) => [
    { type: 'order', id: `o${i + 1}`, user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 100_000 }] },
    { type: 'complete', order: `o${i + 1}`, at: '2026-01-01T12:00:00+08:00' },
  ]).flat();
  const state = await replay([
    { type: 'settings', mode: 'union' },
    // p1 sells at cost: the 300 entries add no profit; Z's order brings the day's
    // net profit to 50,000,000, 60% of it = 30,000,000 into the pool.
    { type: 'product', id: 'p1', price: 100_000, source: 'self', cost: 100_000 },
    { type: 'product', id: 'p2', price: 50_000_000, source: 'self', cost: 0 },
    { type: 'user', id: 'A' },
    { type: 'user', id: 'Z' },
    ...orders,
    { type: 'order', id: 'oZ', user: 'Z', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p2', paid: 50_000_000 }] },
    { type: 'complete', order: 'oZ', at: '2026-01-01T13:00:00+08:00' },
    { type: 'tick', at: '2026-01-02T00:05:00+08:00' },
  ]);
  const union = state.entries.filter((e) => e.queue === 'union');
  expect(union.filter((e) => e.status === 'done').map((e) => e.seq)).toEqual(Array.from({ length: 272 }, (_x, i) => i + 1));
  expect(union.slice(0, 272).every((e) => e.entitlement === 110_000 && e.paid === 110_000)).toBe(true);
  expect(union.slice(272).every((e) => e.status === 'waiting' && e.paid === 0)).toBe(true);
  expect(state.union.pool).toBe(80_000);
  expect(state.wallets.A.available).toBe(29_920_000);
});

test('the SQL default settings are DEFAULT_SETTINGS', async () => {
  const db = await createTestDatabase('defaults');
  try {
    const [row] = await db.sql<{ d: unknown; c: unknown }[]>`select rebate.default_settings() as d, rebate.current_settings() as c`;
    expect(row.d).toEqual(DEFAULT_SETTINGS);
    expect(row.c).toEqual(DEFAULT_SETTINGS);
  } finally {
    await db.drop();
  }
});
