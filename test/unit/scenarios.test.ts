// Every scenario under test/scenarios runs through the replay runner on the
// model engine; the expected numbers are worked out by hand from
// docs/engine-semantics.md in the comments (defaults: extractRatio 10,
// defaultRatio 100, settleOn paid, strict, emptyQueueFunds platform).
import { readdirSync } from 'node:fs';
import type { EntryState, ReplayState } from '@/domain/state';
import { SCENARIO_DIR as DIR, scenarioBook } from '../support/scenarios';

const { covered, replay, replayError } = scenarioBook();

/** [queue, seq, order, paid, status] of every entry, in output order. */
function rows(state: ReplayState): [string, number, string, number, string][] {
  return state.entries.map((e) => [e.queue, e.seq, e.order, e.paid, e.status]);
}

function entry(state: ReplayState, order: string, line = 0): EntryState {
  const found = state.entries.find((e) => e.order === order && e.line === line);
  if (!found) throw new Error(`no entry for ${order} line ${line}`);
  return found;
}

describe('SPEC §11 worked examples', () => {
  test('example 1: A, B, C, D each buy p1 (10000, ratio 100, extraction 10)', async () => {
    const s = await replay('spec-example-1');
    // Each later order extracts 1000 and pays A: 3 × 1000. A's own extraction has no one to pay.
    expect(entry(s, 'oA')).toMatchObject({ entitlement: 10000, paid: 3000, status: 'waiting', seq: 1 });
    for (const o of ['oB', 'oC', 'oD']) expect(entry(s, o).paid).toBe(0);
    expect(s.platform).toEqual({ absorbed: 0, kept: 1000 });
    expect(s.wallets.A).toEqual({ available: 0, frozen: 3000 });
  });

  test('example 2: ratio 130, extraction 65, U1 then U2 buy p1 at 16800', async () => {
    const s = await replay('spec-example-2');
    // 16800 × 130% = 21840; 16800 × 65% = 10920 paid to U1; remaining 10920.
    const u1 = entry(s, 'o1');
    expect(u1).toMatchObject({ entitlement: 21840, paid: 10920, ratio: '130' });
    expect(u1.entitlement - u1.paid).toBe(10920);
    expect(entry(s, 'o2').paid).toBe(0);
  });
});

describe('settings and catalogue', () => {
  test('settings merge: earlier scalars stay in force', async () => {
    const s = await replay('settings-merge');
    // extractRatio 20 and emptyQueueFunds reserve: oA's 200 goes to the reserve,
    // oB pays A 200 from the reserve + its own 200.
    expect(entry(s, 'oA').paid).toBe(400);
    expect(s.reserves['product:p1']).toBe(0);
    expect(s.platform.kept).toBe(0);
  });

  test('a later product event replaces the whole definition, queue included', async () => {
    const s = await replay('catalogue-replace');
    // oA: 150% → 1500, extraction 50% kept (500). Replaced: oB 100% → 1000, extraction 10% = 100 to A.
    expect(entry(s, 'oA')).toMatchObject({ ratio: '150', entitlement: 1500, paid: 100 });
    expect(entry(s, 'oB')).toMatchObject({ ratio: '100', entitlement: 1000, paid: 0 });
    expect(s.platform.kept).toBe(500);
  });

  test('referrer bound once; a later user event without it keeps it', async () => {
    const s = await replay('referrer');
    expect(Object.keys(s.wallets)).toEqual(['A', 'B', 'C']);
  });
});

describe('queue keys', () => {
  test('per family and switch; entries keep the queue they joined', async () => {
    const s = await replay('queue-keys');
    expect(rows(s)).toEqual([
      ['cashier:c1', 1, 'o2', 0, 'waiting'],
      ['cashiers', 1, 'o4', 0, 'waiting'],
      ['mall', 1, 'o3', 0, 'waiting'],
      // o5 (mallQueue off again) extracts 100 into product:p1 and pays o1's entry.
      ['product:p1', 1, 'o1', 100, 'waiting'],
      ['product:p1', 2, 'o5', 0, 'waiting'],
      ['product:p2', 1, 'o1', 0, 'waiting'],
      ['store:s1', 1, 'o1', 0, 'waiting'],
      ['store:s2', 1, 'o1', 0, 'waiting'],
      ['stores', 1, 'o3', 0, 'waiting'],
    ]);
    // 8 lines before o5, each 100 with no other order's entry in its queue.
    expect(s.platform.kept).toBe(800);
    expect(Object.keys(s.reserves).sort()).toEqual(['cashier:c1', 'cashiers', 'mall', 'product:p1', 'product:p2', 'store:s1', 'store:s2', 'stores']);
  });
});

describe('ratios', () => {
  test('extraction ratio: product → base; store product → store product → store → base; cashier → cashier → base', async () => {
    const s = await replay('extract-ratio-chain');
    // B's 10000 lines pay A's first entries: p1 30% = 3000, p2 base 10% = 1000,
    // sp2 → store s1 20% = 2000 (+ C's sp1 at its own 40% = 4000 → 6000),
    // sp3 → store s2 unset → base 1000, c1 25% = 2500, c2 → base 1000 (not its store's 20%).
    expect(entry(s, 'oA1', 0).paid).toBe(3000);
    expect(entry(s, 'oA1', 1).paid).toBe(1000);
    expect(entry(s, 'oA1', 2).paid).toBe(6000);
    expect(entry(s, 'oA1', 3).paid).toBe(1000);
    expect(entry(s, 'oA2').paid).toBe(2500);
    expect(entry(s, 'oA3').paid).toBe(1000);
    // A's own six extractions: 3000 + 1000 + 4000 + 1000 + 2500 + 1000.
    expect(s.platform.kept).toBe(12500);
    expect(s.wallets.A.frozen).toBe(14500);
  });

  test('entry ratio: independent → base default; store product → store → base; cashier → base; half up', async () => {
    const s = await replay('entry-ratio-chain');
    // base defaultRatio 90.
    expect(entry(s, 'o1', 0)).toMatchObject({ ratio: '150', entitlement: 1500 });
    expect(entry(s, 'o1', 1)).toMatchObject({ ratio: '90', entitlement: 900 });
    expect(entry(s, 'o1', 2)).toMatchObject({ ratio: '80', entitlement: 800 });
    expect(entry(s, 'o1', 3)).toMatchObject({ ratio: '120', entitlement: 1200 });
    expect(entry(s, 'o1', 4)).toMatchObject({ ratio: '90', entitlement: 900 });
    // 100 × 0.5% = 0.5 → 1 (half up).
    expect(entry(s, 'o1', 5)).toMatchObject({ ratio: '0.5', entitlement: 1 });
    // "110.50" prints "110.5"; 1001 × 110.5% = 1106.105 → 1106.
    expect(entry(s, 'o2')).toMatchObject({ ratio: '110.5', entitlement: 1106 });
    // Cashier c2 ignores its store's 120.
    expect(entry(s, 'o3')).toMatchObject({ ratio: '90', entitlement: 900 });
    // Extractions: 5 × 100 + 10 + 1001 × 10% = 100.1 → 100, + 100.
    expect(s.platform.kept).toBe(710);
  });

  test('an entry with entitlement 0 is created done and never takes money', async () => {
    const s = await replay('entry-zero-done');
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 0, 'done'],
      ['product:p1', 2, 'oB', 0, 'done'],
      ['product:p2', 1, 'oC', 0, 'done'],
    ]);
    // Nobody can take oA's or oB's 100.
    expect(s.platform.kept).toBe(200);
  });
});

describe('lines without an entry still give their extraction', () => {
  test('plugin off', async () => {
    const s = await replay('no-entry-plugin-off');
    // o1 (off): no entry, 100 kept; o2: entry, own 100 kept; o3 (off): 100 to o2's entry.
    expect(rows(s)).toEqual([['product:p1', 1, 'o2', 100, 'waiting']]);
    expect(s.platform.kept).toBe(200);
  });

  test('item, store (for store products only) and cashier queue switch', async () => {
    const s = await replay('no-entry-item-disabled');
    expect(rows(s)).toEqual([
      ['cashier:c1', 1, 'oB2', 0, 'waiting'],
      ['product:p1', 1, 'oA', 100, 'waiting'],
      ['store:s1', 1, 'oA', 100, 'waiting'],
    ]);
    // oA 2 × 100 + oB2 100 + oB3 100 (c2 off: queue exists, no entry).
    expect(s.platform.kept).toBe(400);
    expect(s.reserves).toEqual({ 'cashier:c1': 0, 'cashier:c2': 0, 'product:p1': 0, 'store:s1': 0 });
  });

  test('deductionOrders noJoin', async () => {
    const s = await replay('no-entry-deduction');
    // oB (deducted 200, noJoin): no entry, extracts 10% of 800 = 80 for A;
    // oC: 100 for A; oB2 (join again): entry, 80 for A → 260.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 260, 'waiting'],
      ['product:p1', 2, 'oC', 0, 'waiting'],
      ['product:p1', 3, 'oB2', 0, 'waiting'],
    ]);
    expect(entry(s, 'oB2').base).toBe(800);
  });

  test('time windows in Asia/Shanghai time', async () => {
    const s = await replay('time-windows');
    // p1 09:00–12:00: o1 09:00 in, o2 12:00 out, o3 03:30Z = 11:30 in, o4 01:00Z = 09:00 in, o5 08:59 out.
    // p2 22:00–02:00 wraps: o6 23:30 in, o7 01:59 in, o8 02:00 out, o9 12:00 out.
    // sp1 uses store s1's 10:00–11:00: o10 10:30 in, o11 11:00 out; sp2 has its own 20:00–21:00: o12 out, o13 in.
    // c1 ignores its store's windows: o14 03:00 in.
    expect(rows(s)).toEqual([
      ['cashier:c1', 1, 'o14', 0, 'waiting'],
      ['product:p1', 1, 'o1', 400, 'waiting'],
      ['product:p1', 2, 'o3', 0, 'waiting'],
      ['product:p1', 3, 'o4', 0, 'waiting'],
      ['product:p2', 1, 'o6', 300, 'waiting'],
      ['product:p2', 2, 'o7', 0, 'waiting'],
      ['store:s1', 1, 'o10', 300, 'waiting'],
      ['store:s1', 2, 'o13', 0, 'waiting'],
    ]);
    // The first order of each queue: o1, o6, o10, o14.
    expect(s.platform.kept).toBe(400);
  });

  test('per-user daily and total limits', async () => {
    const s = await replay('user-limits');
    // p1 daily 1: o2 same local day → none; o3 16:00Z = next local day → entry; B counts apart.
    // p2 total 2: o5 lines 0, 1 join, line 2 not; o6 none; refund o5 frees both; o7 joins.
    // Store s1 daily 1 counts its store products: o8 sp1 joins, sp2 not.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'o1', 300, 'waiting'],
      ['product:p1', 2, 'o3', 0, 'waiting'],
      ['product:p1', 3, 'o4', 0, 'waiting'],
      ['product:p2', 1, 'o5', 100, 'cancelled'],
      ['product:p2', 2, 'o5', 0, 'cancelled'],
      ['product:p2', 3, 'o7', 0, 'waiting'],
      ['store:s1', 1, 'o8', 0, 'waiting'],
    ]);
    // o6's 100 went to o5's entry, refunded into the reserve; o7 finds no other entry,
    // so the reserve stays and its 100 is kept.
    expect(s.reserves['product:p2']).toBe(100);
    // Kept: o1 100, o5 300, o7 100, o8 200. Absorbed: o5's three lines.
    expect(s.platform).toEqual({ absorbed: 300, kept: 700 });
  });
});

describe('allocation', () => {
  test('an order never pays its own entries; all lines join before extraction', async () => {
    const s = await replay('same-order-lines');
    // oA: 150 kept. oB: 100 + 200 to A seq1 (B's seq3/4 excluded). oC: 1000 → seq1 needs 700, seq2 gets 300.
    expect(rows(s)).toEqual([
      ['mall', 1, 'oA', 1000, 'done'],
      ['mall', 2, 'oA', 300, 'waiting'],
      ['mall', 3, 'oB', 0, 'waiting'],
      ['mall', 4, 'oB', 0, 'waiting'],
      ['mall', 5, 'oC', 0, 'waiting'],
    ]);
    expect(s.platform.kept).toBe(150);
    expect(s.wallets.A.frozen).toBe(1300);
  });

  test('completedFirst, then strict (rule in force at each allocation)', async () => {
    const s = await replay('completed-first');
    // oB 150: 15 to A. oB completed. oC: 100 to B (completed first). oE: 50 fills B, 50 to A.
    // Strict again: oD's 100 to A. A = 15 + 50 + 100.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 165, 'waiting'],
      ['product:p1', 2, 'oB', 150, 'done'],
      ['product:p1', 3, 'oC', 0, 'waiting'],
      ['product:p1', 4, 'oE', 0, 'waiting'],
      ['product:p1', 5, 'oD', 0, 'waiting'],
    ]);
    // B's order was completed before it was paid: credited available.
    expect(s.wallets.B).toEqual({ available: 150, frozen: 0 });
    expect(s.wallets.A).toEqual({ available: 0, frozen: 165 });
  });

  test('paused: entries join, the platform keeps the extraction, the reserve waits', async () => {
    const s = await replay('paused');
    // oA: 100 → reserve. oB (paused): 100 kept. oC: reserve 100 + 100 to A.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 200, 'waiting'],
      ['product:p1', 2, 'oB', 0, 'waiting'],
      ['product:p1', 3, 'oC', 0, 'waiting'],
    ]);
    expect(s.platform.kept).toBe(100);
    expect(s.reserves['product:p1']).toBe(0);
  });

  test('emptyQueueFunds reserve then platform; the reserve pays first', async () => {
    const s = await replay('empty-queue-funds');
    // Entitlements 10% = 100. oA: 100 → reserve. oB: reserve fills A; oB's 100 → reserve.
    // Platform again: oC: reserve fills B; oC's 100 kept.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 100, 'done'],
      ['product:p1', 2, 'oB', 100, 'done'],
      ['product:p1', 3, 'oC', 0, 'waiting'],
    ]);
    expect(s.reserves['product:p1']).toBe(0);
    expect(s.platform.kept).toBe(100);
  });

  test('settleOn is recorded per line at payment', async () => {
    const s = await replay('settle-on-completed');
    // oA, oB settle on completed. complete oB: 100 to A (frozen). oC (paid): 100 to A.
    // complete oA: 100 to B (oB completed → available); A's 200 → available.
    // refund oC: settled on paid → absorbed 100.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 200, 'waiting'],
      ['product:p1', 2, 'oB', 100, 'waiting'],
      ['product:p1', 3, 'oC', 0, 'cancelled'],
    ]);
    expect(s.wallets.A).toEqual({ available: 200, frozen: 0 });
    expect(s.wallets.B).toEqual({ available: 100, frozen: 0 });
    expect(s.platform).toEqual({ absorbed: 100, kept: 0 });
  });

  test('frozen until the entry owner’s order completes, then available', async () => {
    const s = await replay('frozen-available');
    // oB: 100 to A frozen; complete oA → available; oC: 100 to A straight to available.
    expect(entry(s, 'oA').paid).toBe(200);
    expect(s.wallets.A).toEqual({ available: 200, frozen: 0 });
    expect(s.wallets.B).toEqual({ available: 0, frozen: 0 });
  });

  test('refund: entry cancelled, its payouts to the reserve, extraction absorbed', async () => {
    const s = await replay('refund');
    // A got 200 (oB, oC). Refund oA: 200 → reserve, oA's 100 absorbed.
    // oD: reserve 200 + 100 to B. oE (settles on completed) refunded: nothing absorbed.
    expect(rows(s)).toEqual([
      ['product:p1', 1, 'oA', 200, 'cancelled'],
      ['product:p1', 2, 'oB', 300, 'waiting'],
      ['product:p1', 3, 'oC', 0, 'waiting'],
      ['product:p1', 4, 'oD', 0, 'waiting'],
      ['product:p1', 5, 'oE', 0, 'cancelled'],
    ]);
    expect(s.wallets.A).toEqual({ available: 0, frozen: 0 });
    expect(s.wallets.B).toEqual({ available: 0, frozen: 300 });
    expect(s.reserves['product:p1']).toBe(0);
    expect(s.platform).toEqual({ absorbed: 100, kept: 100 });
  });
});

describe('error scenarios stop at the bad line and name the field', () => {
  test.each([
    ['error-complete-twice', 5, 'order'],
    ['error-refund-after-complete', 5, 'order'],
    ['error-refund-twice', 5, 'order'],
    ['error-complete-before-order', 4, 'at'],
    ['error-unknown-order', 4, 'order'],
    ['error-duplicate-order', 4, 'id'],
    ['error-unknown-product', 3, 'lines[1].product'],
    ['error-unknown-user', 3, 'user'],
    ['error-unknown-store', 1, 'store'],
    // Line 3 is blank and still counted.
    ['error-negative-amount', 4, 'lines[0].paid'],
    ['error-referrer-cycle', 4, 'referrer'],
    ['error-referrer-change', 4, 'referrer'],
    ['error-referrer-self', 1, 'referrer'],
    // p1 has no lottery anywhere in its chain: the entry is not drawable.
    ['error-draw-not-drawable', 4, 'line'],
  ])('%s → line %i, %s', async (name, line, field) => {
    const r = await replayError(name);
    expect(r.line).toBe(line);
    expect(r.message.startsWith(`${field}: `)).toBe(true);
  });

  test('invalid JSON names the line', async () => {
    expect(await replayError('error-invalid-json')).toMatchObject({ line: 3, message: 'invalid JSON' });
  });
});

afterAll(() => {
  // Every scenario file has a test above.
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''));
  // distribution-*: test/unit/distribution.test.ts covers them (and checks it).
  // options-*: test/unit/options.test.ts covers them (and checks it).
  // union-*: test/unit/union.test.ts covers them (and checks it).
  // settlement-*: test/unit/settlement.test.ts covers them (and checks it).
  const missing = files.filter(
    (f) =>
      !covered.has(f) && !f.startsWith('distribution-') && !f.startsWith('options-') && !f.startsWith('union-') && !f.startsWith('settlement-'),
  );
  if (missing.length > 0) throw new Error(`scenarios without a test: ${missing.join(', ')}`);
});
