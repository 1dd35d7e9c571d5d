// ModelEngine rules not visible in a single scenario's output: atomicity,
// catalogue references, settings merge, unsupported features, limits edges.
// Expected values are worked out by hand in the comments.
import { ModelEngine } from '@/domain/engine';
import { parseEvent } from '@/domain/events';
import { printState } from '@/domain/state';
import { apply, failField } from '../support/scenarios';


let n = 0;
const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00+08:00`;
const buy = (user: string, item: object, paid = 1000, minute = 0) => ({
  type: 'order',
  id: `o${++n}`,
  user,
  at: at(minute),
  lines: [{ ...item, paid }],
});

function base(): ModelEngine {
  const engine = new ModelEngine();
  apply(
    engine,
    { type: 'product', id: 'p1', price: 1000, source: 'self', cost: 0 },
    { type: 'store', id: 's1', commission: '10' },
    { type: 'storeProduct', id: 'sp1', store: 's1', price: 1000, cost: 0, queue: { totalLimit: 1 } },
    { type: 'storeProduct', id: 'sp2', store: 's1', price: 1000, cost: 0 },
    { type: 'cashier', id: 'c1', store: 's1', queue: { dailyLimit: 0 } },
    { type: 'user', id: 'A' },
    { type: 'user', id: 'B' },
  );
  return engine;
}

describe('a rejected event changes nothing', () => {
  test.each<[string, object, string]>([
    // Line 0 is fine; line 1 is not: line 0 must not have joined or extracted.
    ['unknown product on line 1', { type: 'order', id: 'ox', user: 'A', at: at(5), lines: [{ product: 'p1', paid: 1000 }, { product: 'p9', paid: 1 }] }, 'lines[1].product'],
    ['unknown user', { type: 'order', id: 'ox', user: 'Z', at: at(5), lines: [{ product: 'p1', paid: 1000 }] }, 'user'],
    ['duplicate order id', { type: 'order', id: 'o-a', user: 'B', at: at(5), cashier: 'c1', paid: 10 }, 'id'],
    ['pinned points without random return', { type: 'order', id: 'ox', user: 'A', at: at(5), lines: [{ product: 'p1', paid: 1000 }, { product: 'p1', paid: 1, randomReturn: 'points' }] }, 'lines[1].randomReturn'],
    ['complete before the order', { type: 'complete', order: 'o-a', at: '2026-01-01T09:59:00+08:00' }, 'at'],
    ['a mode change once an order exists, with a valid setting', { type: 'settings', mallQueue: true, mode: 'union' }, 'mode'],
  ])('%s', (_name, event, field) => {
    const engine = base();
    apply(engine, { type: 'order', id: 'o-a', user: 'A', at: at(1), lines: [{ product: 'p1', paid: 1000 }] });
    const before = printState(engine.state());
    const log = engine.allocations.length;
    const totals = { ...engine.totals };
    expect(failField(engine, event)).toBe(field);
    expect(printState(engine.state())).toBe(before);
    expect(engine.allocations.length).toBe(log);
    expect(engine.totals).toEqual(totals);
    expect(engine.data.settings.mallQueue).toBe(false);
  });
});

describe('catalogue', () => {
  test('references must exist', () => {
    const engine = base();
    expect(failField(engine, { type: 'user', id: 'C', level: 'gold' })).toBe('level');
    expect(failField(engine, { type: 'user', id: 'C', referrer: 'Z' })).toBe('referrer');
    expect(failField(engine, { type: 'store', id: 's2', commission: '1', recruiter: 'Z' })).toBe('recruiter');
    expect(failField(engine, { type: 'cashier', id: 'c2', store: 's9' })).toBe('store');
    expect(failField(engine, { type: 'storeProduct', id: 'sp9', store: 's9', price: 1, cost: 0 })).toBe('store');
    expect(engine.data.users.has('C')).toBe(false);
  });

  test('a bound referrer stays when a later event omits it; the same referrer again is fine', () => {
    const engine = base();
    apply(engine, { type: 'level', id: 'vip' }, { type: 'user', id: 'C', referrer: 'A' }, { type: 'user', id: 'C', level: 'vip' });
    expect(engine.data.users.get('C')).toEqual({ id: 'C', level: 'vip', referrer: 'A', ancestors: ['A'] });
    // A user event replaces the user (level dropped) except for the bound referrer.
    apply(engine, { type: 'user', id: 'C', referrer: 'A' });
    expect(engine.data.users.get('C')).toEqual({ id: 'C', referrer: 'A', ancestors: ['A'] });
    expect(failField(engine, { type: 'user', id: 'C', referrer: 'B' })).toBe('referrer');
  });

  test('a referrer binds only at registration: an existing unbound user cannot get one later', () => {
    const engine = base();
    apply(engine, { type: 'user', id: 'C', referrer: 'A' }, { type: 'user', id: 'D', referrer: 'C' });
    // Upline lists, nearest first: D → C → A.
    expect(engine.data.users.get('D')!.ancestors).toEqual(['C', 'A']);
    // A → C would close a cycle; A → B is just late. Both are refused and change nothing.
    expect(failField(engine, { type: 'user', id: 'A', referrer: 'C' })).toBe('referrer');
    expect(failField(engine, { type: 'user', id: 'A', referrer: 'B' })).toBe('referrer');
    expect(engine.data.users.get('A')).toEqual({ id: 'A', ancestors: [] });
  });
});

describe('settings', () => {
  test('nested objects merge key by key, scalars replace', () => {
    const engine = new ModelEngine();
    apply(engine, { type: 'settings', exchangeRatio: { points: '50' }, extractRatio: '20' }, { type: 'settings', exchangeRatio: { love: '80' } });
    expect(engine.data.settings.exchangeRatio).toEqual({ points: '50', love: '80', coupon: '100' });
    expect(engine.data.settings.extractRatio).toBe('20');
  });

  test('switching a feature off is accepted', () => {
    const engine = base();
    apply(engine, { type: 'settings', distribution: { on: false }, randomReturn: { on: false }, lottery: null, memberLevelRatios: {} });
    expect(engine.data.settings.lottery).toBeNull();
  });
});

describe('limits', () => {
  test('a store product line counts against its own limit and its store’s', () => {
    const engine = base();
    // sp1 totalLimit 1: the second sp1 line of A gets no entry; sp2 has no limits.
    apply(engine, buy('A', { storeProduct: 'sp1' }), buy('A', { storeProduct: 'sp1' }, 1000, 1), buy('A', { storeProduct: 'sp2' }, 1000, 2));
    expect(engine.state().entries.map((e) => [e.order, e.seq])).toEqual([
      [`o${n - 2}`, 1],
      [`o${n}`, 2],
    ]);
    // Now a store limit: s1 totalLimit 2 counts both store products: A has 2 → none; B has 0 → joins.
    apply(engine, { type: 'store', id: 's1', commission: '10', queue: { totalLimit: 2 } }, buy('A', { storeProduct: 'sp2' }, 1000, 3), buy('B', { storeProduct: 'sp2' }, 1000, 4));
    expect(engine.state().entries.map((e) => e.user)).toEqual(['A', 'A', 'B']);
  });

  test('limit 0 means no entry, but the extraction still counts', () => {
    const engine = base();
    apply(engine, { type: 'order', id: 'oc', user: 'A', at: at(0), cashier: 'c1', paid: 1000 });
    expect(engine.state().entries).toEqual([]);
    expect(engine.state().reserves).toEqual({ 'cashier:c1': 0 });
    expect(engine.totals.kept).toBe(100);
  });
});

test('complete at the order time itself is accepted', () => {
  const engine = base();
  apply(engine, { type: 'order', id: 'oa', user: 'A', at: at(3), lines: [{ product: 'p1', paid: 1000 }] }, { type: 'complete', order: 'oa', at: at(3) });
  expect(engine.data.orders.get('oa')!.status).toBe('completed');
});

test('a reserve only pays its own queue', () => {
  const engine = base();
  // p1's queue gets a 100 reserve; a store product order in store:s1 must not use it.
  apply(
    engine,
    { type: 'settings', emptyQueueFunds: 'reserve' },
    { type: 'order', id: 'oa', user: 'A', at: at(0), lines: [{ product: 'p1', paid: 1000 }, { storeProduct: 'sp2', paid: 1000 }] },
    { type: 'order', id: 'ob', user: 'B', at: at(1), lines: [{ storeProduct: 'sp2', paid: 500 }] },
  );
  const s = engine.state();
  // oa: 100 → product:p1 reserve, 100 → store:s1 reserve. ob: store:s1 reserve 100 + 50 to A's sp2 entry.
  expect(s.reserves).toEqual({ 'product:p1': 100, 'store:s1': 0 });
  expect(s.entries.find((e) => e.queue === 'store:s1' && e.user === 'A')!.paid).toBe(150);
});

test('allocation log records each payout with its sources', () => {
  const engine = base();
  apply(
    engine,
    { type: 'settings', emptyQueueFunds: 'reserve' },
    { type: 'order', id: 'oa', user: 'A', at: at(0), lines: [{ product: 'p1', paid: 1000 }] },
    { type: 'order', id: 'ob', user: 'B', at: at(1), lines: [{ product: 'p1', paid: 300 }] },
  );
  // oa: 100 to the reserve. ob: reserve 100 then its 30 to A.
  expect(engine.allocations[1]).toMatchObject({
    queue: 'product:p1',
    order: 'ob',
    extraction: 30,
    reserveBefore: 100,
    reserveAfter: 0,
    toReserve: 0,
    toKept: 0,
    payouts: [{ order: 'oa', seq: 1, amount: 130, fromReserve: 100, fromExtraction: 30, frozen: true }],
  });
});
