// Union queue mode (SPEC §5, docs/engine-semantics.md "Union queue mode"):
// the union-* scenarios under test/scenarios, with the numbers worked out by
// hand in the comments, and the rules around them on the model engine.
import { readdirSync } from 'node:fs';
import { ModelEngine } from '../../src/domain/engine';
import { estimateUnionEntry, quotaAhead, trailingInflow } from '../../src/domain/engine/union';
import { parseEvent } from '../../src/domain/events';
import type { EntryState, ReplayState } from '../../src/domain/state';
import { printState } from '../../src/domain/state';
import { SCENARIO_DIR as DIR, apply, failField, scenarioBook } from '../support/scenarios';

const { covered, text, replay, replayError } = scenarioBook();

function entry(state: ReplayState, order: string, line = 0): EntryState {
  const found = state.entries.find((e) => e.order === order && e.line === line);
  if (!found) throw new Error(`no entry for ${order} line ${line}`);
  return found;
}

/** A model engine after the first `n` lines of a scenario (blank lines skipped). */
function prefix(name: string, n: number): ModelEngine {
  const engine = new ModelEngine();
  const lines = text(name).split('\n').filter((l) => l.trim() !== '');
  for (const line of lines.slice(0, n)) engine.apply(parseEvent(JSON.parse(line)));
  return engine;
}

describe('SPEC §11 example 3', () => {
  test('300 entries of 1000 yuan, a day of 30,000,000 fen pays the first 272 in full and carries 80,000', async () => {
    const s = await replay('union-spec-example-3');
    const union = s.entries.filter((e) => e.queue === 'union');
    // 300 entries of p1 (cost = price: no profit) + Z's 50,000,000 (cost 0): N = 50,000,000, pool 60% = 30,000,000.
    expect(union).toHaveLength(301);
    expect(union.slice(0, 300).every((e) => e.entitlement === 110_000 && e.ratio === '110')).toBe(true);
    expect(union.filter((e) => e.status === 'done').map((e) => e.seq)).toEqual(Array.from({ length: 272 }, (_x, i) => i + 1));
    expect(union.slice(0, 272).every((e) => e.paid === 110_000)).toBe(true);
    expect(union.slice(272).every((e) => e.paid === 0 && e.status === 'waiting')).toBe(true);
    expect(s.union.pool).toBe(80_000);
    expect(s.wallets.A).toEqual({ available: 272 * 110_000, frozen: 0 });
    // The union queue has a pool, no reserve; no classic queue exists.
    expect(s.reserves).toEqual({});
  });
});

describe('union scenarios', () => {
  test('mixed sources: profit by source, the order rewards taken from it, quota = base × 110%', async () => {
    const s = await replay('union-mixed-sources');
    // o1: self 10000−6000 = 4000, supplier 5000−4500 = 500, store product 3000 × 20% = 600;
    // direct reward 10% of 18000 = 1800 taken from line 0 → net 2200 + 500 + 600 = 3300.
    // o2 (cashier): 8000 × 20% = 1600. N = 4900, pool 60% = 2940; head quota 11000 > 2940: nothing paid.
    expect([entry(s, 'o1', 0), entry(s, 'o1', 1), entry(s, 'o1', 2), entry(s, 'o2')].map((e) => [e.seq, e.entitlement])).toEqual([
      [1, 11000],
      [2, 5500],
      [3, 3300],
      [4, 8800],
    ]);
    expect(s.union.pool).toBe(2940);
    expect(s.rewards).toEqual([{ amount: 1800, kind: 'direct', order: 'o1', status: 'available', user: 'R' }]);
  });

  test('carry over several days until the pool covers whole entries', async () => {
    const s = await replay('union-carry');
    // Pool 50%. Day 1 profit 2 × 2000 → 2000. Day 2: 3 × 2000 → +3000 = 5000.
    // Day 3: 50000 − 8000 = 42000 → +21000 = 26000: A 11000, B 11000 (4000 left);
    // C's 11000 > 4000 stops the walk. Day 4: nothing new, 4000 carries.
    expect(entry(s, 'oA')).toMatchObject({ seq: 1, paid: 11000, status: 'done' });
    expect(entry(s, 'oB')).toMatchObject({ seq: 2, paid: 11000, status: 'done' });
    expect(entry(s, 'oC', 0)).toMatchObject({ seq: 3, paid: 0, status: 'waiting' });
    expect(entry(s, 'oD')).toMatchObject({ seq: 6, entitlement: 55000, paid: 0 });
    expect(s.union.pool).toBe(4000);
    expect(s.wallets.A.available + s.wallets.B.available).toBe(22000);
  });

  test('a line refunded before completion never joins and adds no profit', async () => {
    const s = await replay('union-refund');
    // Only oB: profit 5000 → pool 3000.
    expect(s.entries.map((e) => e.order)).toEqual(['oB']);
    expect(s.union.pool).toBe(3000);
  });

  test('minWaitDays: a locked entry is skipped, keeps its place and is paid first once payable', async () => {
    const s = await replay('union-min-wait');
    // Pool 100%. oA (slow, 3 days, no profit) completes 05-01: payable from the 05-04 run.
    // 05-02: +10000; A locked (skipped), B's 11000 > 10000. 05-03: +20000 = 30000: A locked, B paid (19000 left),
    // B2's 22000 > 19000. 05-04: A (seq 1) is payable and paid before B2: 8000 left.
    const engine = prefix('union-min-wait', 13);
    expect(engine.data.union.entries.map((e) => [e.seq, e.status, e.paidDay])).toEqual([
      [1, 'waiting', null],
      [2, 'done', engine.data.union.entries[1].completedDay + 2],
      [3, 'waiting', null],
    ]);
    expect(entry(s, 'oA')).toMatchObject({ seq: 1, paid: 11000, status: 'done' });
    expect(entry(s, 'oB2')).toMatchObject({ seq: 3, paid: 0, status: 'waiting' });
    expect(s.union.pool).toBe(8000);
  });

  test('acceleration goes to the referrer’s oldest waiting entry, capped by the order’s net profit', async () => {
    const s = await replay('union-acceleration');
    // oA1: profit 1000 − direct 500 = 500 net; 30% of 10000 = 3000 capped to 500 → R's seq 1.
    // oA2: profit 8000 − 500 = 7500 net; 3000 → seq 1 (3500 paid). oN has no referrer.
    // N = 1000 + 1000 + (500 − 500) + (7500 − 3000) + 8000 = 14500 → pool 60% = 8700:
    // seq 1 due 7500 paid in full, 1200 left; seq 2's 11000 not covered.
    expect(s.rewards.filter((r) => r.kind === 'acceleration')).toEqual([
      { amount: 500, kind: 'acceleration', order: 'oA1', status: 'available', user: 'R' },
      { amount: 3000, kind: 'acceleration', order: 'oA2', status: 'available', user: 'R' },
    ]);
    expect(entry(s, 'oR1')).toMatchObject({ seq: 1, paid: 11000, status: 'done' });
    expect(entry(s, 'oR2')).toMatchObject({ paid: 0, status: 'waiting' });
    expect(s.union.pool).toBe(1200);
    expect(s.wallets.R).toEqual({ available: 500 + 500 + 500 + 3000 + 7500, frozen: 0 });
  });

  test('ticks: before unionDailyAt nothing runs, a repeated tick pays nothing twice, missed days are caught up', async () => {
    // Pool 100%, daily at 02:00. oA (profit 10000) completes 07-01.
    const beforeTime = prefix('union-ticks', 7);
    expect(beforeTime.data.union.runs).toEqual([]);
    expect(beforeTime.data.union.pool).toBe(0);
    // 02:00 on 07-02: the run of 07-02 counts oA (oB completed on 07-02 waits for the next day): 10000 < 11000.
    const first = prefix('union-ticks', 10);
    expect(first.data.union.runs.map((r) => [r.netProfit, r.inflow, r.paidCount, r.poolAfter])).toEqual([[10000, 10000, 0, 10000]]);
    const again = prefix('union-ticks', 12);
    expect(printState(again.state())).toBe(printState(first.state()));
    expect(again.data.union.runs).toHaveLength(1);
    const s = await replay('union-ticks');
    // 07-05 03:00 catches up 07-03 (+1000 from oB: 11000 pays A), 07-04 and 07-05 (nothing new).
    expect(entry(s, 'oA')).toMatchObject({ paid: 11000, status: 'done' });
    expect(entry(s, 'oB')).toMatchObject({ entitlement: 1100, paid: 0, status: 'waiting' });
    expect(s.union.pool).toBe(0);
    expect(prefix('union-ticks', 13).data.union.runs.map((r) => r.inflow)).toEqual([10000, 1000, 0, 0]);
  });

  test('the mode cannot change once an order exists; sending the same mode is fine', async () => {
    const r = await replayError('union-error-mode-change');
    expect(r.line).toBe(6);
    expect(r.message).toBe('mode: cannot be changed once an order exists (union and classic queues are separate systems, chosen at setup)');
  });
});

describe('rules', () => {
  test('the mode is chosen at setup: changes before the first order are accepted, after it refused and nothing changes', () => {
    const engine = new ModelEngine();
    apply(engine, { type: 'settings', mode: 'union' }, { type: 'settings', mode: 'classic' }, { type: 'settings', mode: 'union' });
    apply(
      engine,
      { type: 'user', id: 'A' },
      { type: 'product', id: 'p1', price: 100, source: 'self', cost: 0 },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 100 }] },
    );
    const before = printState(engine.state());
    expect(failField(engine, { type: 'settings', mode: 'classic', unionPoolRatio: '10' })).toBe('mode');
    expect(printState(engine.state())).toBe(before);
    expect(engine.data.settings.unionPoolRatio).toBe('60');
  });

  test('union-mode orders create no classic entry and no extraction; rewards still apply', () => {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'settings', mode: 'union', distribution: { on: true, directRatio: '10' } },
      { type: 'user', id: 'R' },
      { type: 'user', id: 'A', referrer: 'R' },
      { type: 'product', id: 'p1', price: 1000, source: 'self', cost: 0 },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 1000 }] },
    );
    const s = engine.state();
    expect(s.entries).toEqual([]);
    expect(s.platform).toEqual({ absorbed: 0, kept: 0 });
    expect(s.rewards).toEqual([{ amount: 100, kind: 'direct', order: 'o1', status: 'frozen', user: 'R' }]);
  });

  test('plugin or item off at completion: no entry, the profit still feeds the pool', () => {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'settings', mode: 'union', unionPoolRatio: '100' },
      { type: 'user', id: 'A' },
      { type: 'product', id: 'p1', price: 1000, source: 'self', cost: 0, queue: { enabled: false } },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 1000 }] },
      { type: 'complete', order: 'o1', at: '2026-01-01T11:00:00+08:00' },
      { type: 'tick', at: '2026-01-02T00:05:00+08:00' },
    );
    expect(engine.state().entries).toEqual([]);
    expect(engine.state().union.pool).toBe(1000);
  });

  test('a zero quota joins done; commission above 100% is capped at paid', () => {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'settings', mode: 'union', unionQuotaRatio: '0', unionPoolRatio: '100' },
      { type: 'user', id: 'A' },
      { type: 'store', id: 's1', commission: '150' },
      { type: 'cashier', id: 'c1', store: 's1' },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', cashier: 'c1', paid: 1000 },
      { type: 'complete', order: 'o1', at: '2026-01-01T11:00:00+08:00' },
      { type: 'tick', at: '2026-01-02T00:05:00+08:00' },
    );
    expect(engine.state().entries).toMatchObject([{ seq: 1, entitlement: 0, paid: 0, status: 'done', ratio: '0' }]);
    expect(engine.state().union.pool).toBe(1000);
  });

  test('quota ahead counts waiting entries before the seq; trailing inflow sums the window of run days', async () => {
    const engine = prefix('union-carry', 16);
    const u = engine.data.union;
    // After the 02-05 catch-up: seqs 1, 2 done; 3, 4, 5 (11000 each) and 6 (55000) waiting.
    expect(quotaAhead(u, 6)).toEqual({ ahead: 33000, own: 55000 });
    expect(quotaAhead(u, 3)).toEqual({ ahead: 0, own: 11000 });
    const last = u.runs[u.runs.length - 1].day;
    // Runs: 2000, 3000, 21000, 0 (the last four days).
    expect(trailingInflow(u, last, 7)).toBe(26000);
    expect(trailingInflow(u, last, 2)).toBe(21000);
    expect(trailingInflow(u, last - 1, 1)).toBe(21000);
    // Estimates through the shared forecast: the last 7 run days' inflow (02-05 back to 01-30:
    // no runs before 02-02) 0, 0, 0, 2000, 3000, 21000, 0 = 26000, mean 26000 / 7; pool 4000.
    // Seq 3: 11000 − 4000 = 7000 → ceil(7 × 7000 / 26000) = 2 days after 02-05.
    const e3 = estimateUnionEntry(u, 3);
    expect(e3).toMatchObject({ ahead: 0, own: 11000, pool: 4000, daily: [0, 0, 0, 2000, 3000, 21000, 0] });
    expect(e3.forecast).toMatchObject({ status: 'estimate', days: 2, date: '2026-02-07', inflowPerDay: 3714 });
    // Seq 6: 33000 + 55000 − 4000 = 84000 → ceil(7 × 84000 / 26000) = 23 days.
    expect(estimateUnionEntry(u, 6).forecast).toMatchObject({ days: 23, date: '2026-02-28' });
    // A done entry has no estimate.
    expect(estimateUnionEntry(u, 1).forecast).toBeNull();
  });
});

afterAll(() => {
  // Every union-* scenario has a test above.
  const files = readdirSync(DIR)
    .filter((f) => f.startsWith('union-') && f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''));
  const missing = files.filter((f) => !covered.has(f));
  if (missing.length > 0) throw new Error(`union scenarios without a test: ${missing.join(', ')}`);
});
