// Distribution rewards (SPEC §6, docs/engine-semantics.md "Distribution
// rewards"): the distribution-* scenarios under test/scenarios and engine
// rules around them. Every expected number is worked out by hand in the
// comments (pct = round half up to whole fen).
import { readdirSync } from 'node:fs';
import { ModelEngine } from '@/domain/engine';
import { largestRemainder, periodOf } from '@/domain/engine/distribution';
import { sortRewards, type ReplayState, type RewardState } from '@/domain/state';
import { SCENARIO_DIR as DIR, apply, failField, scenarioBook } from '../support/scenarios';

const { covered, replay } = scenarioBook();

/** [order, user, kind, amount, status] of every reward, in output order (order, user, kind). */
function rewards(state: { rewards: RewardState[] }): [string, string, string, number, string][] {
  return sortRewards(state.rewards).map((r) => [r.order, r.user, r.kind, r.amount, r.status]);
}


describe('per-order rewards (scenarios)', () => {
  test('direct and indirect: frozen at payment, available at completion, cancelled by a refund', async () => {
    const s = await replay('distribution-direct-indirect');
    // Chain D → C → B → A. o0 was paid while distribution was off: nothing.
    // o1 (D): B = 10000 + 3333 = 13333; direct C pct(13333, 10) = 1333.3 → 1333,
    //   indirect B pct(13333, 5) = 666.65 → 667; completed → available.
    // o2 (C): direct B 500, indirect A 250; refunded → cancelled.
    // o3 (A): no referrer, nothing. o4 (B): direct A 200, no indirect (A has no referrer);
    //   completed after distribution was switched off: still becomes available.
    // o5 (D): paid while off: nothing.
    expect(rewards(s)).toEqual([
      ['o1', 'B', 'indirect', 667, 'available'],
      ['o1', 'C', 'direct', 1333, 'available'],
      ['o2', 'A', 'indirect', 250, 'cancelled'],
      ['o2', 'B', 'direct', 500, 'cancelled'],
      ['o4', 'A', 'direct', 200, 'available'],
    ]);
    expect(s.wallets).toEqual({
      A: { available: 200, frozen: 0 },
      B: { available: 667, frozen: 0 },
      C: { available: 1333, frozen: 0 },
      D: { available: 0, frozen: 0 },
    });
    // The queue plugin is off: every line's 10% is kept, rewards never touch the platform:
    // 100 + (1000 + 333) + 500 + 500 + 200 + 400 = 3033; o2's 500 absorbed by its refund.
    expect(s.platform).toEqual({ absorbed: 500, kept: 3033 });
    expect(s.entries).toEqual([]);
  });

  test('level difference walk and one same-level bonus; later level changes move nothing', async () => {
    const s = await replay('distribution-level-difference');
    // X → U1 (L1 1.5) → U2 (none) → U3 (L1 1.5) → U4 (L2 2.5) → U5 (L2 2.5) → U6 (L3 4) → U7 (L3 4) → U8 (L2 2.5).
    // o1, B = 10000: direct U1 1000, indirect U2 500;
    //   walk: U1 1.5 > 0 → 1.5% = 150 (h 1.5); U2 0; U3 = h → sameLevel 0.5% = 50;
    //   U4 2.5 → 1% = 100 (h 2.5); U5 = h but the bonus is taken; U6 4 → 1.5% = 150 (h 4); U7, U8 nothing.
    // o2, B = 50: direct 5, indirect 2.5 → 3; U1 0.75 → 1; sameLevel 0.25 → 0 (not created);
    //   U4 pct(50, 2.5 − 1.5) = 0.5 → 1 (not pct(50, 2.5) − pct(50, 1.5) = 1 − 1 = 0); U6 pct(50, 1.5) = 0.75 → 1.
    expect(rewards(s)).toEqual([
      ['o1', 'U1', 'direct', 1000, 'available'],
      ['o1', 'U1', 'levelDiff', 150, 'available'],
      ['o1', 'U2', 'indirect', 500, 'available'],
      ['o1', 'U3', 'sameLevel', 50, 'available'],
      ['o1', 'U4', 'levelDiff', 100, 'available'],
      ['o1', 'U6', 'levelDiff', 150, 'available'],
      ['o2', 'U1', 'direct', 5, 'frozen'],
      ['o2', 'U1', 'levelDiff', 1, 'frozen'],
      ['o2', 'U2', 'indirect', 3, 'frozen'],
      ['o2', 'U4', 'levelDiff', 1, 'frozen'],
      ['o2', 'U6', 'levelDiff', 1, 'frozen'],
    ]);
    expect(s.wallets.U1).toEqual({ available: 1150, frozen: 6 });
    expect(s.wallets.U2).toEqual({ available: 500, frozen: 3 });
    expect(s.wallets.U3).toEqual({ available: 50, frozen: 0 });
    expect(s.wallets.U4).toEqual({ available: 100, frozen: 1 });
    expect(s.wallets.U6).toEqual({ available: 150, frozen: 1 });
    for (const u of ['U5', 'U7', 'U8', 'X']) expect(s.wallets[u]).toEqual({ available: 0, frozen: 0 });
  });

  test('recruit: per store of the order, summed per recruiter, recruiter at payment', async () => {
    const s = await replay('distribution-recruit');
    // o1: s1 lines 10000 + 475 = 10475 → 2% = 209.5 → 210; s2 2525 → 50.5 → 51; R gets one
    //   recruit of 261 (not pct(12999, 2) = 260); s3 has no recruiter; p1 is a mall product.
    // o2: cashier c1 of s4 → Q 60, completed. o3: R buys at its own store s1 → R 20, refunded.
    // s1 now recruited by Q: o4 sp1 1000 → Q 20; o1's reward stays R's.
    expect(rewards(s)).toEqual([
      ['o1', 'R', 'recruit', 261, 'frozen'],
      ['o2', 'Q', 'recruit', 60, 'available'],
      ['o3', 'R', 'recruit', 20, 'cancelled'],
      ['o4', 'Q', 'recruit', 20, 'frozen'],
    ]);
    expect(s.wallets).toEqual({
      B: { available: 0, frozen: 0 },
      Q: { available: 60, frozen: 20 },
      R: { available: 0, frozen: 261 },
    });
  });

  test('cap: rewards trimmed in the order direct, indirect, level difference, same level, recruit', async () => {
    const s = await replay('distribution-cap');
    // X → U1 (10) → U2 (10) → U3 (20); sp1 at s1 recruited by R. Each order B = 10000.
    // Uncapped: direct U1 1000, indirect U2 800, levelDiff U1 1000, levelDiff U3 1000,
    //   sameLevel U2 500, recruit R 600 (total 4900).
    // o1 cap 35% = 3500: 1000, 800, 1000 (700 left), U3 cut to 700, sameLevel and recruit cut to 0.
    // o2 cap 40% = 4000: ... U3 1000 (200 left), sameLevel U2 cut to 200, recruit 0.
    // o3 cap 100%: all six. o4 cap 0: nothing.
    expect(rewards(s)).toEqual([
      ['o1', 'U1', 'direct', 1000, 'frozen'],
      ['o1', 'U1', 'levelDiff', 1000, 'frozen'],
      ['o1', 'U2', 'indirect', 800, 'frozen'],
      ['o1', 'U3', 'levelDiff', 700, 'frozen'],
      ['o2', 'U1', 'direct', 1000, 'frozen'],
      ['o2', 'U1', 'levelDiff', 1000, 'frozen'],
      ['o2', 'U2', 'indirect', 800, 'frozen'],
      ['o2', 'U2', 'sameLevel', 200, 'frozen'],
      ['o2', 'U3', 'levelDiff', 1000, 'frozen'],
      ['o3', 'R', 'recruit', 600, 'frozen'],
      ['o3', 'U1', 'direct', 1000, 'frozen'],
      ['o3', 'U1', 'levelDiff', 1000, 'frozen'],
      ['o3', 'U2', 'indirect', 800, 'frozen'],
      ['o3', 'U2', 'sameLevel', 500, 'frozen'],
      ['o3', 'U3', 'levelDiff', 1000, 'frozen'],
    ]);
    // U1 2000 × 3; U2 800 + 1000 + 1300; U3 700 + 1000 + 1000; R 600.
    expect(s.wallets.U1.frozen).toBe(6000);
    expect(s.wallets.U2.frozen).toBe(3100);
    expect(s.wallets.U3.frozen).toBe(2700);
    expect(s.wallets.R.frozen).toBe(600);
  });

  test('profit base: per line, never below 0, costs and commissions at payment', async () => {
    const s = await replay('distribution-profit-base');
    // o1: p1 10000 − 6000 = 4000; p1 5000 − 6000 → 0; p2 (supplier) 3500 − 3000 = 500;
    //   sp1 12.5% of 1000 = 125; sp1 12.5% of 3 = 0.375 → 0. B = 4625 → direct 462.5 → 463.
    // o2: cashier 12.5% of 2000 = 250 → 25. p1 now costs 9000: o3 10000 − 9000 = 1000 → 100.
    // base "paid" again: o4 777 → 77.7 → 78.
    expect(rewards(s)).toEqual([
      ['o1', 'A', 'direct', 463, 'frozen'],
      ['o2', 'A', 'direct', 25, 'frozen'],
      ['o3', 'A', 'direct', 100, 'frozen'],
      ['o4', 'A', 'direct', 78, 'frozen'],
    ]);
    expect(s.wallets.A).toEqual({ available: 0, frozen: 666 });
  });

  test('one wallet: queue payouts follow the entry owner’s order, rewards the buyer’s order', async () => {
    const s = await replay('distribution-wallet');
    // o1 (A): extraction 100 kept. o2 (B): 100 to A's entry (frozen, o1 open) + direct A 100 frozen.
    // complete o1: A's payout available. complete o2: A's reward available → A 200 / 0.
    // o3 (B, 2000): 200 to A's entry, available at once (o1 completed); direct A 200 frozen.
    // refund o3: reward cancelled (−200 frozen); its extraction 200 absorbed; A keeps the payout.
    expect(rewards(s)).toEqual([
      ['o2', 'A', 'direct', 100, 'available'],
      ['o3', 'A', 'direct', 200, 'cancelled'],
    ]);
    expect(s.wallets).toEqual({ A: { available: 400, frozen: 0 }, B: { available: 0, frozen: 0 } });
    expect(s.entries.map((e) => [e.order, e.paid, e.status])).toEqual([
      ['o1', 300, 'waiting'],
      ['o2', 0, 'waiting'],
      ['o3', 0, 'cancelled'],
    ]);
    expect(s.platform).toEqual({ absorbed: 200, kept: 100 });
  });
});

describe('dividends (scenarios)', () => {
  test('monthly, equal split, largest remainder, Shanghai month boundaries, each period once', async () => {
    const s = await replay('distribution-dividend-monthly');
    // January (first order's month): o1 100000 + o4 10000 (completed 23:59:59 local) = 110000;
    //   D = 1% = 1100 = 3 × 366 + 2 → S1, S2 (smaller ids) 367, S3 366.
    //   The tick at 23:59:59 is before January's end: nothing then.
    // February: o2 completed 2026-01-31T16:30Z = Feb 1 00:30 local: 33400 → 334 = 3 × 111 + 1 → S1 112.
    //   o3 refunded never completes. The second March tick pays nothing again.
    // March: S3 no longer has a level; o5 20000 → 200 → S1, S2 100 each.
    expect(rewards(s)).toEqual([
      ['dividend:2026-01', 'S1', 'dividend', 367, 'available'],
      ['dividend:2026-01', 'S2', 'dividend', 367, 'available'],
      ['dividend:2026-01', 'S3', 'dividend', 366, 'available'],
      ['dividend:2026-02', 'S1', 'dividend', 112, 'available'],
      ['dividend:2026-02', 'S2', 'dividend', 111, 'available'],
      ['dividend:2026-02', 'S3', 'dividend', 111, 'available'],
      ['dividend:2026-03', 'S1', 'dividend', 100, 'available'],
      ['dividend:2026-03', 'S2', 'dividend', 100, 'available'],
    ]);
    expect(s.wallets.S1).toEqual({ available: 579, frozen: 0 });
    expect(s.wallets.S2).toEqual({ available: 578, frozen: 0 });
    expect(s.wallets.S3).toEqual({ available: 477, frozen: 0 });
    expect(s.wallets.B).toEqual({ available: 0, frozen: 0 });
  });

  test('weekly (ISO weeks), weighted by downline completed spend, self included', async () => {
    const s = await replay('distribution-dividend-weekly-weighted');
    // 2026-W02 (Mon Jan 5 – Sun Jan 11): revenue 1000 + 2000 + 1500 + 500 + 3000 = 8000;
    //   D = pct(8000, 10.01) = 800.8 → 801. Weights: S1 = A 1000 + A2 2000 + S1 500 = 3500,
    //   S2 = B 1500, S3 0 (C is nobody's downline). 801 × 3500 / 5000 = 560.7, 801 × 1500 / 5000 = 240.3:
    //   560 + 240 = 800, the last fen to S1 (remainder .7) → 561, 240; S3 0 → no reward.
    // 2026-W03: only C's 1000 → D = 100.1 → 100; no weight at all → equal: 34, 33, 33.
    expect(rewards(s)).toEqual([
      ['dividend:2026-W02', 'S1', 'dividend', 561, 'available'],
      ['dividend:2026-W02', 'S2', 'dividend', 240, 'available'],
      ['dividend:2026-W03', 'S1', 'dividend', 34, 'available'],
      ['dividend:2026-W03', 'S2', 'dividend', 33, 'available'],
      ['dividend:2026-W03', 'S3', 'dividend', 33, 'available'],
    ]);
    expect(s.wallets.S1.available).toBe(595);
    expect(s.wallets.S2.available).toBe(273);
    expect(s.wallets.S3.available).toBe(33);
  });
});

describe('referral binding', () => {
  function users(): ModelEngine {
    const engine = new ModelEngine();
    apply(engine, { type: 'user', id: 'A' }, { type: 'user', id: 'B', referrer: 'A' }, { type: 'user', id: 'C', referrer: 'B' });
    return engine;
  }

  test('the upline list is fixed at binding, nearest first', () => {
    const engine = users();
    apply(engine, { type: 'user', id: 'D', referrer: 'C' });
    expect(engine.data.users.get('D')!.ancestors).toEqual(['C', 'B', 'A']);
    // Re-sending the user (same referrer, or none) keeps it.
    apply(engine, { type: 'user', id: 'D', referrer: 'C' }, { type: 'user', id: 'D' });
    expect(engine.data.users.get('D')).toEqual({ id: 'D', referrer: 'C', ancestors: ['C', 'B', 'A'] });
  });

  test.each<[string, object]>([
    ['self-referral', { type: 'user', id: 'E', referrer: 'E' }],
    ['unknown referrer', { type: 'user', id: 'E', referrer: 'Z' }],
    ['another referrer', { type: 'user', id: 'C', referrer: 'A' }],
    ['a referrer after registration (would close a cycle)', { type: 'user', id: 'A', referrer: 'C' }],
    ['a referrer after registration (no cycle)', { type: 'user', id: 'A', referrer: 'E0' }],
  ])('%s is an error on referrer and changes nothing', (_name, event) => {
    const engine = users();
    apply(engine, { type: 'user', id: 'E0' });
    const before = JSON.stringify([...engine.data.users.values()]);
    expect(failField(engine, event)).toBe('referrer');
    expect(JSON.stringify([...engine.data.users.values()])).toBe(before);
  });
});

describe('safe defaults', () => {
  const setup = [
    { type: 'level', id: 'T', teamRatio: '20', shareholder: true },
    { type: 'user', id: 'A', level: 'T' },
    { type: 'user', id: 'B', level: 'T', referrer: 'A' },
    { type: 'user', id: 'C', referrer: 'B' },
    { type: 'store', id: 's1', commission: '10', recruiter: 'A' },
    { type: 'storeProduct', id: 'sp1', store: 's1', price: 1000, cost: 0 },
  ];
  const order = (id: string, minute: number) => ({
    type: 'order',
    id,
    user: 'C',
    at: `2026-01-05T10:${String(minute).padStart(2, '0')}:00+08:00`,
    lines: [{ storeProduct: 'sp1', paid: 10000 }],
  });

  test('distribution is off by default: no rewards at all', () => {
    const engine = new ModelEngine();
    apply(engine, ...setup, order('o1', 0), { type: 'complete', order: 'o1', at: '2026-01-06T10:00:00+08:00' });
    expect(engine.state().rewards).toEqual([]);
    expect(engine.data.settings.distribution).toMatchObject({ on: false, levelDifference: false, sameLevelRatio: '0', dividendRatio: '0', recruitRatio: '0' });
  });

  test('switched on with direct and indirect ratios only: team, recruit and dividend stay off', () => {
    const engine = new ModelEngine();
    apply(engine, { type: 'settings', enabled: false, distribution: { on: true, directRatio: '3', indirectRatio: '2' } }, ...setup, order('o1', 0));
    // B = 10000: direct B 300, indirect A 200; A's recruit and both team ratios of 20% are not paid.
    expect(rewards(engine.state())).toEqual([
      ['o1', 'A', 'indirect', 200, 'frozen'],
      ['o1', 'B', 'direct', 300, 'frozen'],
    ]);
  });
});

describe('dividend periods and settlement', () => {
  const base = [
    { type: 'settings', enabled: false, distribution: { on: true, dividendRatio: '10' } },
    { type: 'level', id: 'SH', shareholder: true },
    { type: 'product', id: 'p1', price: 1000, source: 'self', cost: 0 },
    { type: 'user', id: 'S' },
    { type: 'user', id: 'B' },
  ];
  const buy = (id: string, at: string, paid: number, completeAt: string) => [
    { type: 'order', id, user: 'B', at, lines: [{ product: 'p1', paid }] },
    { type: 'complete', order: id, at: completeAt },
  ];
  const tick = (at: string) => ({ type: 'tick', at });

  test('no order yet: a tick settles nothing (periods start with the first order’s)', () => {
    const engine = new ModelEngine();
    apply(engine, ...base, { type: 'user', id: 'S', level: 'SH' }, tick('2026-03-01T00:00:00+08:00'));
    expect(engine.data.distribution.settledPeriods).toEqual([]);
    apply(engine, ...buy('o1', '2026-03-10T10:00:00+08:00', 1000, '2026-03-11T10:00:00+08:00'), tick('2026-05-01T00:00:00+08:00'));
    // March and April, not January or February. March: 10% of 1000 = 100 to S.
    expect(engine.data.distribution.settledPeriods).toEqual(['2026-03', '2026-04']);
    expect(rewards(engine.state())).toEqual([['dividend:2026-03', 'S', 'dividend', 100, 'available']]);
  });

  test('no shareholder, or distribution off at the tick: the period is settled with nothing, never revisited', () => {
    const engine = new ModelEngine();
    apply(engine, ...base, ...buy('o1', '2026-01-10T10:00:00+08:00', 1000, '2026-01-11T10:00:00+08:00'), tick('2026-02-01T00:00:00+08:00'));
    // January: no shareholder → settled, nothing paid.
    apply(engine, { type: 'user', id: 'S', level: 'SH' }, ...buy('o2', '2026-02-10T10:00:00+08:00', 2000, '2026-02-11T10:00:00+08:00'));
    apply(engine, { type: 'settings', distribution: { on: false } }, tick('2026-03-01T00:00:00+08:00'));
    // February: off at the tick → settled, nothing paid.
    apply(engine, { type: 'settings', distribution: { on: true } }, ...buy('o3', '2026-03-10T10:00:00+08:00', 3000, '2026-03-11T10:00:00+08:00'));
    apply(engine, tick('2026-04-01T00:00:00+08:00'), tick('2026-04-02T00:00:00+08:00'));
    // March only: 10% of 3000 = 300 (January's 1000 and February's 2000 are not paid later).
    expect(engine.data.distribution.settledPeriods).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(rewards(engine.state())).toEqual([['dividend:2026-03', 'S', 'dividend', 300, 'available']]);
    expect(engine.state().wallets.S).toEqual({ available: 300, frozen: 0 });
  });

  test('switching monthly → weekly: the next window starts where the last one ended', () => {
    const engine = new ModelEngine();
    apply(engine, ...base, { type: 'user', id: 'S', level: 'SH' });
    // January: 1000 (completed Jan 20). February 1 is a Sunday; 2026-W05 = Jan 26 – Feb 1.
    apply(engine, ...buy('o1', '2026-01-20T10:00:00+08:00', 1000, '2026-01-20T11:00:00+08:00'));
    apply(engine, ...buy('o2', '2026-01-28T10:00:00+08:00', 2000, '2026-01-28T11:00:00+08:00'));
    apply(engine, tick('2026-02-01T00:00:00+08:00'));
    apply(engine, { type: 'settings', distribution: { dividendPeriod: 'weekly' } });
    apply(engine, ...buy('o3', '2026-02-01T10:00:00+08:00', 4000, '2026-02-01T11:00:00+08:00'));
    apply(engine, ...buy('o4', '2026-02-02T10:00:00+08:00', 8000, '2026-02-02T11:00:00+08:00'));
    apply(engine, tick('2026-02-09T00:00:00+08:00'));
    // 2026-01: o1 + o2 = 3000 → 300. Then the window [Feb 1, Feb 2) labelled 2026-W05: o3 4000 → 400
    // (o2, though in W05, was already counted in January). 2026-W06 (Feb 2 – Feb 8): o4 8000 → 800.
    expect(rewards(engine.state())).toEqual([
      ['dividend:2026-01', 'S', 'dividend', 300, 'available'],
      ['dividend:2026-W05', 'S', 'dividend', 400, 'available'],
      ['dividend:2026-W06', 'S', 'dividend', 800, 'available'],
    ]);
  });

  test('revenue uses each order’s base recorded at payment (profit)', () => {
    const engine = new ModelEngine();
    apply(engine, ...base, { type: 'user', id: 'S', level: 'SH' }, { type: 'product', id: 'p1', price: 1000, source: 'self', cost: 600 });
    apply(engine, { type: 'settings', distribution: { base: 'profit' } }, { type: 'order', id: 'o1', user: 'B', at: '2026-01-10T10:00:00+08:00', lines: [{ product: 'p1', paid: 1000 }] });
    apply(engine, { type: 'settings', distribution: { base: 'paid' } }, { type: 'order', id: 'o2', user: 'B', at: '2026-01-10T11:00:00+08:00', lines: [{ product: 'p1', paid: 1000 }] });
    apply(engine, { type: 'complete', order: 'o1', at: '2026-01-11T10:00:00+08:00' }, { type: 'complete', order: 'o2', at: '2026-01-11T10:00:00+08:00' });
    apply(engine, tick('2026-02-01T00:00:00+08:00'));
    // o1 profit 1000 − 600 = 400, o2 paid 1000: revenue 1400 → 140.
    expect(rewards(engine.state())).toEqual([['dividend:2026-01', 'S', 'dividend', 140, 'available']]);
  });
});

describe('period labels (Asia/Shanghai)', () => {
  const t = (iso: string) => Date.parse(iso);

  test('months start at local midnight of the 1st', () => {
    expect(periodOf('monthly', t('2026-01-31T15:59:59Z')).label).toBe('2026-01');
    expect(periodOf('monthly', t('2026-01-31T16:00:00Z'))).toEqual({
      startMs: t('2026-02-01T00:00:00+08:00'),
      endMs: t('2026-03-01T00:00:00+08:00'),
      label: '2026-02',
    });
    expect(periodOf('monthly', t('2026-12-31T23:00:00+08:00')).endMs).toBe(t('2027-01-01T00:00:00+08:00'));
  });

  test('ISO weeks: Monday 00:00 local, labelled with the year of their Thursday', () => {
    // 2026-01-01 is a Thursday: week 1 is Mon 2025-12-29 – Sun 2026-01-04.
    expect(periodOf('weekly', t('2025-12-29T00:00:00+08:00'))).toEqual({
      startMs: t('2025-12-29T00:00:00+08:00'),
      endMs: t('2026-01-05T00:00:00+08:00'),
      label: '2026-W01',
    });
    expect(periodOf('weekly', t('2025-12-28T23:59:59+08:00')).label).toBe('2025-W52');
    // 2021-01-03 (Sunday) is in 2020-W53; 2024-12-30 (Monday) starts 2025-W01; 2027-01-01 is in 2026-W53.
    expect(periodOf('weekly', t('2021-01-03T12:00:00+08:00')).label).toBe('2020-W53');
    expect(periodOf('weekly', t('2024-12-30T00:00:00+08:00')).label).toBe('2025-W01');
    expect(periodOf('weekly', t('2027-01-01T00:00:00+08:00')).label).toBe('2026-W53');
    // Sunday 23:59 local (15:59 UTC) vs Monday 00:00 local (16:00 UTC Sunday).
    expect(periodOf('weekly', t('2026-01-11T15:59:00Z')).label).toBe('2026-W02');
    expect(periodOf('weekly', t('2026-01-11T16:00:00Z')).label).toBe('2026-W03');
  });
});

describe('largest remainder', () => {
  const w = (pairs: [string, number][]) => pairs.map(([id, weight]) => ({ id, weight: BigInt(weight) }));

  test('equal weights: the fen left go to the smaller ids', () => {
    // 5 = 3 × 1 + 2 → a and b get the extra fen, whatever the input order.
    expect(Object.fromEntries(largestRemainder(5, w([['c', 1], ['b', 1], ['a', 1]])))).toEqual({ a: 2, b: 2, c: 1 });
  });

  test('weighted: largest fractional part first', () => {
    // 3 × 3/4 = 2.25, 3 × 1/4 = 0.75 → 2 + 0 = 2; the last fen to y (0.75 > 0.25).
    expect(Object.fromEntries(largestRemainder(3, w([['x', 3], ['y', 1]])))).toEqual({ x: 2, y: 1 });
    // 10 × 1/3 each = 3.33…: one fen left, to a.
    expect(Object.fromEntries(largestRemainder(10, w([['b', 7], ['a', 7], ['c', 7]])))).toEqual({ a: 4, b: 3, c: 3 });
  });

  test('exact with amounts and weights beyond 2^53', () => {
    // 10^12 fen split 1 : 2 : 3 (weights scaled by 10^15): 166666666666.67, 333333333333.33, 500000000000.
    const big = (n: number) => BigInt(n) * 10n ** 15n;
    const shares = largestRemainder(1_000_000_000_000, [
      { id: 'a', weight: big(1) },
      { id: 'b', weight: big(2) },
      { id: 'c', weight: big(3) },
    ]);
    expect(Object.fromEntries(shares)).toEqual({ a: 166_666_666_667, b: 333_333_333_333, c: 500_000_000_000 });
  });
});

afterAll(() => {
  // Every distribution-* scenario has a test above.
  const files = readdirSync(DIR)
    .filter((f) => f.startsWith('distribution-') && f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''));
  const missing = files.filter((f) => !covered.has(f));
  if (missing.length > 0) throw new Error(`distribution scenarios without a test: ${missing.join(', ')}`);
});
