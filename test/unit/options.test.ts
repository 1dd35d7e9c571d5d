// Ratio rules and shopper options (docs/engine-semantics.md "Ratio rules and
// shopper options", "Member levels (upgrade)"): every `options-*` scenario
// under test/scenarios, with the expected numbers worked out by hand in the
// comments (defaults: extractRatio 10, defaultRatio 100, settleOn paid,
// strict, emptyQueueFunds platform, every exchangeRatio 100). Seeded random
// choices are recomputed here independently, with Node's SHA-256 and the
// doc's formulas.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { ModelEngine } from '@/domain/engine';
import { parseEvent } from '@/domain/events';
import { printState, type EntryState, type ReplayState } from '@/domain/state';
import { ValidationError } from '@/domain/validate';
import { SCENARIO_DIR as DIR, scenarioBook } from '../support/scenarios';

const { covered, text, replay, replayError } = scenarioBook();

/** The engine itself, for what the output does not show (love split, levels, stats). */
function engineAfter(name: string): ModelEngine {
  const engine = new ModelEngine();
  for (const line of text(name).split('\n')) if (line.trim()) engine.apply(parseEvent(JSON.parse(line)));
  return engine;
}

function entry(state: ReplayState, order: string, line = 0): EntryState {
  const found = state.entries.find((e) => e.order === order && e.line === line);
  if (!found) throw new Error(`no entry for ${order} line ${line}`);
  return found;
}

/** [order, line, ratio, entitlement] of every entry of `queue`, in seq order. */
function ratios(state: ReplayState, queue: string): [string, number, string, number][] {
  return state.entries.filter((e) => e.queue === queue).map((e) => [e.order, e.line, e.ratio, e.entitlement]);
}

// Independent re-implementation of the doc's seeded draw rule (Node crypto, BigInt).
function u48(label: string): bigint {
  return BigInt(`0x${createHash('sha256').update(label, 'utf8').digest('hex').slice(0, 12)}`);
}
function pickN(label: string, n: number): number {
  return Number((u48(label) * BigInt(n)) / 2n ** 48n);
}
/** A range draw in hundredths: min×100 + pick(max×100 − min×100 + 1). */
function rangeDraw(label: string, min: number, max: number): number {
  return min * 100 + pickN(label, max * 100 - min * 100 + 1);
}
/** Hundredths as a normalised ratio string: 11713 → "117.13", 12050 → "120.5", 12000 → "120". */
function ratioText(k: number): string {
  const cents = String(k % 100).padStart(2, '0').replace(/0+$/, '');
  return cents ? `${Math.floor(k / 100)}.${cents}` : String(Math.floor(k / 100));
}
function slotsFor(queue: string, group: number, cash: number, points: number): string[] {
  const s = [...Array(cash).fill('cash'), ...Array(points).fill('points')];
  for (let i = s.length - 1; i >= 1; i--) {
    const j = pickN(`random-return:${queue}:${group}:${i}`, i + 1);
    [s[i], s[j]] = [s[j], s[i]];
  }
  return s;
}

describe('§4 reward ratio chains', () => {
  test('mall: P member-level → base member-level (settings, else the level ratio) → P cumulative → P independent → base default', async () => {
    const s = await replay('options-ratio-mall-chain');
    expect(ratios(s, 'product:p1')).toEqual([
      // N has no level: p1's gold map does not apply → independentRatio 90.
      ['oN2', 0, '90', 900],
      ['oN3', 0, '90', 4500],
      // G gold: p1's own map 150. S silver: base settings 105 beats the level's own 101.
      ['oG', 0, '150', 1500],
      ['oS', 0, '105', 1050],
      // B bronze: no ratio anywhere for bronze → independent 90.
      ['oB', 0, '90', 900],
    ]);
    expect(ratios(s, 'product:p2')).toEqual([
      // oN4 (01-10 10:00): 30 days back from 12-11 10:00: oN1 2500 (12-20) + oN2 1000 = 3500
      // (oN3 is not completed, oN2b is a store line) → 130, 115, 110 and the 1-day 125 (oN2
      // 01-09 12:00) qualify; the highest ratio wins → 130.
      ['oN4', 0, '130', 1300],
      // G gold on p2: no p2 map → base member-level: settings have no gold → level ratio 120,
      // before p2's tiers.
      ['oG', 1, '120', 1200],
      // oN5 (01-25 10:00): from 12-26 10:00: oN2 1000 + oN4 1000 (supplier p2 counts) = 2000;
      // sp1's 9000 (store family) does not → 115 (not 130); 1 day: nothing.
      ['oN5', 0, '115', 1150],
      // oN6 (01-26 09:59): oN2 + oN4 + oN5 = 3000 → 130 (1-day 125 also qualifies).
      ['oN6', 0, '130', 1300],
      // oN7 at 02-08 12:00:00: the window starts at 01-09 12:00:00 inclusive → oN2 counts → 3000 → 130.
      ['oN7', 0, '130', 1300],
      // oN8 one second later: oN2 falls out → 2000 → 115.
      ['oN8', 0, '115', 1150],
    ]);
    expect(ratios(s, 'product:p3')).toEqual([
      ['oN1', 0, '100', 2500],
      ['oG', 2, '120', 1200],
      ['oS', 1, '105', 1050],
      ['oB', 1, '100', 1000],
    ]);
    // extractRatio 0: nothing moves.
    expect(s.platform).toEqual({ absorbed: 0, kept: 0 });
  });

  test('store product and cashier chains; store family = its store-product lines and its cashiers', async () => {
    const s = await replay('options-ratio-store-chain');
    expect(ratios(s, 'store:s1')).toEqual([
      // oN4 (01-05 10:00): s1 spend in 10 days = oN2 1500 (c1); p1's 9000 is mall, oN3 is store s2.
      // sp1: SP tier 5000 no, S tier 2000 no → SP default 80; sp2 → S default 95.
      ['oN4', 0, '80', 800],
      ['oN4', 1, '95', 950],
      // oN6 (01-06): 1500 + oN4's s1 lines 2000 = 3500 → SP tier no, S tier 135 for both.
      ['oN6', 0, '135', 1350],
      ['oN6', 1, '135', 1350],
      // oN7 (01-07): + oN6 2000 = 5500 → SP tier 145 (before the S tier).
      ['oN7', 0, '145', 1450],
      // oN8 (01-12 10:30): from 01-02 10:30, oN2 (10:00) drops out: 2000 + 2000 = 4000 → S tier 135.
      ['oN8', 0, '135', 1350],
      // G gold: sp1's own gold map 170; sp2: no SP / S gold ratio → base settings 140.
      ['oG', 0, '170', 1700],
      ['oG', 1, '140', 1400],
      // V vip: sp1 has gold only → S map vip 160; sp2 → S map 160.
      ['oV', 0, '160', 1600],
      ['oV', 1, '160', 1600],
    ]);
    // sp3 in s2: N has s2 spend (oN3 5000) but s2 has no tiers → base 100; V: no map → level ratio 111.
    expect(ratios(s, 'store:s2')).toEqual([
      ['oN4', 2, '100', 1000],
      ['oV', 2, '111', 1110],
    ]);
    expect(ratios(s, 'cashier:c1')).toEqual([
      // oN2 (01-02): no s1 spend yet → base default 100.
      ['oN2', 0, '100', 1500],
      // oN5 (01-05 10:01): oN2 1500 ≥ 1000 → c1 tier 122 (oN4 not completed yet).
      ['oN5', 0, '122', 1220],
      // G: c1 map has vip only → base 140. V: c1 map vip 180.
      ['oGc', 0, '140', 1400],
      ['oVc1', 0, '180', 1800],
    ]);
    // c2: default 70 for N (no tiers); V: base member-level → level ratio 111 (the store's maps play no part).
    expect(ratios(s, 'cashier:c2')).toEqual([
      ['oN3', 0, '70', 3500],
      ['oN9', 0, '70', 700],
      ['oVc2', 0, '111', 1110],
    ]);
  });

  test('lottery sources: start at the first independent/default ratio below, drawable with that config', async () => {
    const engine = engineAfter('options-lottery-chain');
    const lottery = (order: string, line = 0) => engine.data.orders.get(order)!.lines[line].entry!.lottery;
    // Before any draw the starting ratios were: p1 90 (its own lottery), p2 95 (base lottery),
    // p3 100, sp1 75 (store lottery), sp2 85, p4 100, cashier c1 100 (base lottery).
    expect(lottery('o1', 0)).toEqual({ kind: 'fixed', ratios: ['50', '150'], weights: [1, 3] });
    expect(lottery('o1', 1)).toEqual({ kind: 'range', min: '80', max: '120' });
    expect(lottery('o1', 3)).toEqual({ kind: 'fixed', ratios: ['60'] });
    expect(lottery('o3')).toEqual({ kind: 'range', min: '80', max: '120' });
    // G gold on p3: member-level 130 comes first: not drawable.
    expect(lottery('o2')).toBeNull();

    const s = await replay('options-lottery-chain');
    expect(entry(s, 'o2')).toMatchObject({ ratio: '130', entitlement: 1300 });
    // Pinned: 150 → 1500; "120.00" = max, prints "120"; 60 → 600.
    expect(entry(s, 'o1', 0)).toMatchObject({ ratio: '150', entitlement: 1500 });
    expect(entry(s, 'o1', 1)).toMatchObject({ ratio: '120', entitlement: 1200 });
    expect(entry(s, 'o1', 3)).toMatchObject({ ratio: '60', entitlement: 600 });
    // A one-ratio set always draws it.
    expect(entry(s, 'o1', 4)).toMatchObject({ ratio: '60', entitlement: 600 });
    // Seeded: range 80..120 = 8000 + pick(4001) hundredths.
    const k2 = rangeDraw('draw:o1:2', 80, 120);
    expect(entry(s, 'o1', 2).ratio).toBe(ratioText(k2));
    // 1000 × (k/100)% = k/10 fen, half up: floor((k + 5) / 10).
    expect(entry(s, 'o1', 2).entitlement).toBe(Math.floor((k2 + 5) / 10));
    const k3 = rangeDraw('draw:o3:0', 80, 120);
    expect(entry(s, 'o3').ratio).toBe(ratioText(k3));
    expect(entry(s, 'o3').entitlement).toBe(Math.floor((k3 + 5) / 10));
    // Fixed, equal weights: index pick(3) of [10, 20, 50].
    expect(entry(s, 'o1', 5).ratio).toBe(['10', '20', '50'][pickN('draw:o1:5', 3)]);
    // Weights [1, 3]: pick(4) = 0 → 50, 1..3 → 150.
    expect(entry(s, 'o4').ratio).toBe(pickN('draw:o4:0', 4) === 0 ? '50' : '150');
  });

  test('a draw replaces the ratio and the entitlement before allocation uses it; 0 → done', async () => {
    const s = await replay('options-draw-allocation');
    // oA 1000 drawn 200 → 2000; its 100 kept. oB 10000: 1000 to A; drawn 50 → 5000.
    // oD 500: 50 to A (1050); drawn 0 → entitlement 0, done. oC 30000: 3000 → A 950 (done), B 2050.
    expect(s.entries.map((e) => [e.order, e.ratio, e.entitlement, e.paid, e.status])).toEqual([
      ['oA', '200', 2000, 2000, 'done'],
      ['oB', '50', 5000, 2050, 'waiting'],
      ['oD', '0', 0, 0, 'done'],
      ['oC', '100', 30000, 0, 'waiting'],
    ]);
    expect(s.platform.kept).toBe(100);
    expect(s.wallets.A.frozen).toBe(2000);
    expect(s.wallets.B.frozen).toBe(2050);
  });
});

describe('exchange', () => {
  test('remaining entitlement at exchangeRatio; love frozen until completion; refund takes it back', async () => {
    const s = await replay('options-exchange');
    // oA 10000 (1000 kept); oB pays A 1000. A exchanges 9000 at 100% → 9000 points.
    // oC's 1000 skips exchanged A → B. B exchanges 9000 at 50% → 4500 love; C 10000 at 80% → 8000 coupons.
    // loveFrozen: oE 3333 (333 kept, nobody waiting) → love 3333 × 50% = 1666.5 → 1667 frozen; oF 1000
    // (100 kept) → 500 frozen. Refund oE: 1667 taken back, 333 absorbed. complete oF: 500 available.
    expect(s.entries.map((e) => [e.order, e.paid, e.status])).toEqual([
      ['oA', 1000, 'exchanged'],
      ['oB', 1000, 'exchanged'],
      ['oC', 0, 'exchanged'],
      ['oE', 0, 'cancelled'],
      ['oF', 0, 'exchanged'],
    ]);
    expect(s.points).toEqual({ A: 9000, B: 0, C: 0, D: 0 });
    expect(s.love).toEqual({ A: 0, B: 4500, C: 0, D: 500 });
    expect(s.coupons).toEqual({ A: 0, B: 0, C: 8000, D: 0 });
    // An exchanged entry's paid money stays and follows its order: A completed → available.
    expect(s.wallets.A).toEqual({ available: 1000, frozen: 0 });
    expect(s.wallets.B).toEqual({ available: 0, frozen: 1000 });
    expect(s.platform).toEqual({ absorbed: 333, kept: 1433 });
    const engine = engineAfter('options-exchange');
    expect(engine.data.love.get('D')).toEqual({ available: 500, frozen: 0 });
    expect(engine.data.love.get('B')).toEqual({ available: 4500, frozen: 0 });
  });
});

describe('random return', () => {
  test('pinned slots, per-queue config (store / cashier own, else base), conversion to points', async () => {
    const s = await replay('options-random-return');
    // Base group 1 cash + 2 points, points at 50%. p1 group 1: o1 cash, o2 points (500), o3 points
    // (2000 → 1000); o3's p2 line has no entry (disabled): its cash pin takes no slot.
    // Group 2: o4 cash, o5 two points (500 each). A is the only cash entry ahead: 100 (o2) + 200 +
    // 100 + 100 + 100 = 600. s1's own (0 cash, 1 points): o6 converted, 800 × 50% = 400.
    // c1's own config is off: o7's cash pin is fine, no slot. Refund o2 takes B's 500 back.
    expect(s.entries.map((e) => [e.queue, e.seq, e.order, e.line, e.paid, e.status])).toEqual([
      ['cashier:c1', 1, 'o7', 0, 0, 'waiting'],
      ['product:p1', 1, 'o1', 0, 600, 'waiting'],
      ['product:p1', 2, 'o2', 0, 0, 'cancelled'],
      ['product:p1', 3, 'o3', 0, 0, 'converted'],
      ['product:p1', 4, 'o4', 0, 0, 'waiting'],
      ['product:p1', 5, 'o5', 0, 0, 'converted'],
      ['product:p1', 6, 'o5', 1, 0, 'converted'],
      ['store:s1', 1, 'o6', 0, 0, 'converted'],
    ]);
    expect(s.points).toEqual({ A: 0, B: 0, C: 1000, D: 0, E: 1000, F: 400 });
    // Kept: o1 100, o3's p2 line 100, o6 80, o7 100. Absorbed: o2's 100.
    expect(s.platform).toEqual({ absorbed: 100, kept: 380 });
    expect(s.wallets.A.frozen).toBe(600);
    const engine = engineAfter('options-random-return');
    const groups = engine.data.queues.get('product:p1')!.entries.map((e) => [e.group, e.slot]);
    expect(groups).toEqual([
      [1, 'cash'],
      [1, 'points'],
      [1, 'points'],
      [2, 'cash'],
      [2, 'points'],
      [2, 'points'],
    ]);
  });

  test('seeded permutations; a config change opens a new group; a pin takes its kind, the rest adapts', async () => {
    const s = await replay('options-random-return-seeded');
    // Group 1 (2 cash, 3 points): o1, o2, o3 ×3 take slots 0..4 of its permutation; group 2: o4 ×2.
    const g1 = slotsFor('product:p1', 1, 2, 3);
    const g2 = slotsFor('product:p1', 2, 2, 3);
    // Group 3 (1, 1): o5 line 0 pinned points; line 1 gets slot 1 if it is cash, else the cash left: cash.
    const expected = [...g1, g2[0], g2[1], 'points', 'cash'];
    const p1 = s.entries.filter((e) => e.queue === 'product:p1');
    expect(p1.slice(0, 9).map((e) => (e.status === 'converted' ? 'points' : 'cash'))).toEqual(expected);
    // Random return off: o6 takes no slot.
    expect(p1[9]).toMatchObject({ order: 'o6', status: expect.stringMatching(/^(waiting|done)$/) });
    // Each conversion: 1000 × 100% points.
    const conversions = expected.filter((k) => k === 'points').length;
    expect(s.points.A).toBe(conversions * 1000);
    // Group 1 has exactly 2 cash entries, whatever the permutation.
    expect(g1.filter((k) => k === 'cash').length).toBe(2);
  });
});

describe('clearing', () => {
  test('daily, weekly, monthly and ISO schedules against the clearing mark', async () => {
    const s = await replay('options-clearing');
    // On before any timed event: mark null. Tick 01-01 23:59: occurrence 01-01 00:00, nothing that
    // old; mark = 01-01 00:00. Tick 01-02 00:00: oA (paid 100 by oB), oB cleared.
    // oC (01-02 09:00): its 100 kept (nobody waiting). Tick 01-02 20:00: occurrence = mark, nothing.
    // Weekly Monday 12:00: oD (01-05 11:00, a Monday) pays C 100; tick 12:30 clears oC, oD.
    // oE 13:00: 100 kept. Off, on again (monthly 1st): mark = clock 01-05 13:00; tick 01-31:
    // occurrence 01-01 ≤ mark, nothing; tick 02-01: oE cleared. ISO 02-10 08:00: oF (100 kept)
    // survives the 02-09 tick, is cleared at 02-10 08:00; 02-11 changes nothing.
    // complete oA: its 100 available. refund oB (cleared): cancelled, 100 absorbed.
    expect(s.entries.map((e) => [e.order, e.paid, e.status])).toEqual([
      ['oA', 100, 'cleared'],
      ['oB', 0, 'cancelled'],
      ['oC', 100, 'cleared'],
      ['oD', 0, 'cleared'],
      ['oE', 0, 'cleared'],
      ['oF', 0, 'cleared'],
    ]);
    expect(s.platform).toEqual({ absorbed: 100, kept: 400 });
    expect(s.wallets.A).toEqual({ available: 100, frozen: 0 });
    expect(s.wallets.C).toEqual({ available: 0, frozen: 100 });
  });
});

describe('member levels', () => {
  test('automatic upgrades after completions (own spend, direct referrals, team spend), rank, never down', async () => {
    const s = await replay('options-level-upgrade');
    // Ratios: bronze 110, silver 120, gold 150, staff 50; no level → 100.
    // oB1 completes: B own 2000 → bronze. oA1 completes: A own 3000 + 2 directs → silver (rank 1 > 0);
    // R's team 2000 + 3000 = 5000 → gold. oC1 completes: C bronze; A's team 6000 → gold (rank 10).
    // D staff (rank 100, operator only) stays staff after 100000. The operator sets A to bronze;
    // oB2's completion re-evaluates A (team 7000) → gold again.
    expect(s.entries.map((e) => [e.order, e.ratio, e.entitlement])).toEqual([
      ['oB1', '100', 2000],
      ['oB2', '110', 1100],
      ['oA1', '100', 3000],
      ['oR1', '150', 1500],
      ['oC1', '100', 4000],
      ['oA2', '150', 1500],
      ['oD1', '50', 50000],
      ['oD2', '50', 500],
      ['oA3', '110', 1100],
      ['oA4', '150', 1500],
    ]);
    const engine = engineAfter('options-level-upgrade');
    const level = (u: string) => engine.data.users.get(u)!.level;
    expect([level('R'), level('A'), level('B'), level('C'), level('D')]).toEqual(['gold', 'gold', 'bronze', 'bronze', 'staff']);
    // Team spend, kept incrementally: A = B 3000 + C 4000; R = A 3000 + 7000.
    const stats = (u: string) => engine.data.members.get(u)!;
    expect([stats('A').ownSpend, stats('A').teamSpend, stats('A').directReferrals]).toEqual([3000, 7000, 2]);
    expect([stats('R').ownSpend, stats('R').teamSpend, stats('R').directReferrals]).toEqual([0, 10000, 1]);
    // The bound referrer stayed through the operator's user event.
    expect(engine.data.users.get('A')!.referrer).toBe('R');
  });

  test('rank default is definition order (kept on redefinition); equal ranks: the later level wins', () => {
    const engine = new ModelEngine();
    for (const e of [
      { type: 'level', id: 'a', upgrade: {} },
      { type: 'level', id: 'b', upgrade: {} },
      { type: 'level', id: 'c', rank: 1, upgrade: {} },
      // Redefining a keeps index 0: rank 0 < b's 1.
      { type: 'level', id: 'a', upgrade: { completedSpend: 0 } },
      { type: 'product', id: 'p1', price: 1, source: 'self', cost: 0 },
      { type: 'user', id: 'U' },
      { type: 'order', id: 'o1', user: 'U', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 1 }] },
      { type: 'complete', order: 'o1', at: '2026-01-01T10:00:00+08:00' },
    ]) {
      engine.apply(parseEvent(e));
    }
    // b (default rank 1, index 1) and c (rank 1, index 2) tie: c was defined later.
    expect(engine.data.users.get('U')!.level).toBe('c');
    expect(engine.data.levels.get('a')!.index).toBe(0);
  });
});

describe('option errors stop at the bad line, name the field and change nothing', () => {
  test.each([
    ['options-error-draw-not-in-set', 6, 'outcome'],
    // 200 is in the set with weight 0: it can never be drawn.
    ['options-error-draw-zero-weight', 6, 'outcome'],
    ['options-error-draw-out-of-range', 6, 'outcome'],
    ['options-error-draw-twice', 7, 'line'],
    ['options-error-draw-after-payout', 7, 'line'],
    ['options-error-draw-no-line', 6, 'line'],
    ['options-error-exchange-twice', 6, 'line'],
    ['options-error-exchange-unknown-order', 5, 'order'],
    ['options-error-exchange-refunded', 6, 'line'],
    // 1 cash + 1 points: the second cash pin of the same order has no slot.
    ['options-error-random-return-pin', 5, 'lines[1].randomReturn'],
    ['options-error-level-upgrade', 2, 'upgrade.teamSpend'],
    ['options-error-clearing-schedule', 1, 'clearing.schedule'],
    ['options-error-tick-at', 2, 'at'],
  ])('%s → line %i, %s', async (name, line, field) => {
    const source = text(name);
    const result = await replayError(name); // fails the test if the replay succeeds
    expect(result.line).toBe(line);
    expect(result.message.startsWith(`${field}: `)).toBe(true);
    // Nothing of the bad event was applied.
    const lines = source.split('\n');
    const engine = new ModelEngine();
    for (const l of lines.slice(0, line - 1)) if (l.trim()) engine.apply(parseEvent(JSON.parse(l)));
    const before = printState(engine.state());
    expect(() => engine.apply(parseEvent(JSON.parse(lines[line - 1])))).toThrow(ValidationError);
    expect(printState(engine.state())).toBe(before);
  });
});

afterAll(() => {
  const files = readdirSync(DIR)
    .filter((f) => f.startsWith('options-') && f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''));
  const missing = files.filter((f) => !covered.has(f));
  if (missing.length > 0) throw new Error(`options scenarios without a test: ${missing.join(', ')}`);
});
