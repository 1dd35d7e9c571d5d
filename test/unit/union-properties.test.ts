// Union queue mode over random multi-day streams (validEventStream with
// features {union, distribution}), applied one event at a time:
// - the pool: every run's pool before + inflow = paid + pool after, runs chain,
//   and Σ inflow = Σ paid by runs + the pool now;
// - no entry paid twice: each entry's paid = Σ its run payout + accelerations,
//   never above its quota; wallets = rewards + union payouts;
// - strict order: each run pays a prefix, in seq order, of the entries that
//   were waiting and payable, in full, and stops only at an entry whose
//   remaining quota the pool no longer covers;
// - acceleration never above the order's net profit (recomputed here from
//   the events: costs, supply prices and commissions as settled, and the
//   order's rewards).
import fc from 'fast-check';
import { ModelEngine } from '../../src/domain/engine';
import { parseEvent, type ReplayEvent } from '../../src/domain/events';
import { pct } from '../../src/domain/money';
import { validEventStream } from '../support/event-stream';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

interface Catalogue {
  cost: Map<string, number>;
  supplier: Map<string, boolean>;
  commission: Map<string, string>;
  spStore: Map<string, string>;
  cashierStore: Map<string, string>;
}

/**
 * Profit of each line of an order (SPEC §5), independent of the engine's
 * code: at payment, a supplier line's supply price and a store line's
 * commission are fixed; a self-operated line's cost is read at completion
 * (null here, filled in then).
 */
function paymentBasis(cat: Catalogue, order: Extract<ReplayEvent, { type: 'order' }>): { product: string | null; fixed: number | null; paid: number }[] {
  if ('cashier' in order && order.cashier !== undefined) {
    return [{ product: null, fixed: Math.min(order.paid, pct(order.paid, cat.commission.get(cat.cashierStore.get(order.cashier)!)!)), paid: order.paid }];
  }
  return (order as { lines: { product?: string; storeProduct?: string; paid: number }[] }).lines.map((l) => {
    if (l.product !== undefined) {
      return { product: l.product, fixed: cat.supplier.get(l.product) ? Math.max(0, l.paid - cat.cost.get(l.product)!) : null, paid: l.paid };
    }
    return { product: null, fixed: Math.min(l.paid, pct(l.paid, cat.commission.get(cat.spStore.get(l.storeProduct!)!)!)), paid: l.paid };
  });
}

function profitAtCompletion(cat: Catalogue, basis: ReturnType<typeof paymentBasis>): number {
  return basis.reduce((sum, b) => sum + (b.fixed ?? Math.max(0, b.paid - cat.cost.get(b.product!)!)), 0);
}

test('pool conservation, no double payment, strict full payouts, acceleration within net profit', () => {
  let sawPayout = false;
  let sawAcceleration = false;
  fc.assert(
    fc.property(validEventStream({ maxCommands: 80, features: { union: true, distribution: true } }), (objects) => {
      const engine = new ModelEngine();
      const u = engine.data.union;
      const cat: Catalogue = { cost: new Map(), supplier: new Map(), commission: new Map(), spStore: new Map(), cashierStore: new Map() };
      const orders = new Map<string, ReturnType<typeof paymentBasis>>();
      for (const object of objects) {
        const event = parseEvent(object);
        if (event.type === 'product') {
          cat.cost.set(event.id, event.cost);
          cat.supplier.set(event.id, event.source === 'supplier');
        }
        if (event.type === 'store') cat.commission.set(event.id, event.commission);
        if (event.type === 'storeProduct') cat.spStore.set(event.id, event.store);
        if (event.type === 'cashier') cat.cashierStore.set(event.id, event.store);
        if (event.type === 'order') orders.set(event.id, paymentBasis(cat, event));

        // Before a tick: what was waiting, with its remaining quota.
        const waitingBefore = new Map(u.entries.filter((e) => e.status === 'waiting').map((e) => [e.seq, e.quota - e.paid]));
        const runsBefore = u.runs.length;
        const accBefore = u.accelerations.length;
        let netBefore = 0;
        if (event.type === 'complete') {
          const rewards = engine.data.distribution.rewards
            .filter((r) => r.order === event.order && r.status !== 'cancelled' && r.kind !== 'acceleration')
            .reduce((s, r) => s + r.amount, 0);
          netBefore = Math.max(0, profitAtCompletion(cat, orders.get(event.order)!) - rewards);
        }

        engine.apply(event);

        if (event.type === 'complete') {
          for (const a of u.accelerations.slice(accBefore)) {
            sawAcceleration = true;
            expect(a.order).toBe(event.order);
            expect(a.amount).toBeGreaterThan(0);
            expect(a.amount).toBeLessThanOrEqual(netBefore);
          }
        }
        if (event.type === 'tick') {
          const paidEarlier = new Set<number>();
          for (const run of u.runs.slice(runsBefore)) {
            const paidNow = u.entries.filter((e) => e.paidDay === run.day);
            if (paidNow.length > 0) sawPayout = true;
            // Paid in full, their remaining quota as it was before the tick.
            expect(paidNow.reduce((s, e) => s + waitingBefore.get(e.seq)!, 0)).toBe(run.paidAmount);
            for (const e of paidNow) expect(e.paid).toBe(e.quota);
            // A prefix of the payable entries that were waiting: nothing payable skipped before the last one paid.
            const payable = [...waitingBefore.keys()]
              .filter((seq) => !paidEarlier.has(seq) && u.entries[seq - 1].payableDay <= run.day)
              .sort((a, b) => a - b);
            const paidSeqs = paidNow.map((e) => e.seq).sort((a, b) => a - b);
            expect(paidSeqs).toEqual(payable.slice(0, paidSeqs.length));
            // It stopped only because the pool did not cover the next one.
            const next = payable[paidSeqs.length];
            if (next !== undefined) expect(waitingBefore.get(next)!).toBeGreaterThan(run.poolAfter);
            for (const seq of paidSeqs) paidEarlier.add(seq);
          }
        }
      }

      // Pool conservation over the whole stream.
      u.runs.forEach((run, i) => {
        expect(run.poolBefore + run.inflow).toBe(run.paidAmount + run.poolAfter);
        expect(run.poolBefore).toBe(i === 0 ? 0 : u.runs[i - 1].poolAfter);
        // unionPoolRatio is at most 100 in these streams: the pool never takes more than the net profit.
        expect(run.inflow).toBeLessThanOrEqual(run.netProfit);
      });
      const inflow = u.runs.reduce((s, r) => s + r.inflow, 0);
      const paidByRuns = u.runs.reduce((s, r) => s + r.paidAmount, 0);
      expect(inflow).toBe(paidByRuns + u.pool);
      // Net profit counted once: the runs' N is the lines' net (of lines counted so far).
      const counted = u.lines.filter((l) => l.settledDay !== null).reduce((s, l) => s + l.net, 0);
      expect(u.runs.reduce((s, r) => s + r.netProfit, 0)).toBe(counted);

      // No entry paid twice: its paid is its run payout plus its accelerations.
      const accelerated = new Map<number, number>();
      for (const a of u.accelerations) accelerated.set(a.seq, (accelerated.get(a.seq) ?? 0) + a.amount);
      const accelerationTotal = u.accelerations.reduce((s, a) => s + a.amount, 0);
      expect(u.entries.reduce((s, e) => s + e.paid, 0)).toBe(paidByRuns + accelerationTotal);
      for (const e of u.entries) {
        expect(e.paid).toBeLessThanOrEqual(e.quota);
        expect(e.status === 'done').toBe(e.paid === e.quota);
        if (e.paidDay === null) expect(e.paid).toBe(accelerated.get(e.seq) ?? 0);
      }

      // Wallets: union payouts and accelerations are available; rewards by status.
      let available = 0;
      let frozen = 0;
      for (const w of engine.data.wallets.values()) {
        available += w.available;
        frozen += w.frozen;
      }
      const rewards = engine.data.distribution.rewards.filter((r) => r.kind !== 'acceleration');
      expect(available).toBe(paidByRuns + accelerationTotal + rewards.filter((r) => r.status === 'available').reduce((s, r) => s + r.amount, 0));
      expect(frozen).toBe(rewards.filter((r) => r.status === 'frozen').reduce((s, r) => s + r.amount, 0));
      // No classic queue money in union mode.
      expect(engine.data.totals).toEqual({ extracted: 0, refundedToReserves: 0, kept: 0, absorbed: 0 });
    }),
    { numRuns: RUNS },
  );
  // The generator reaches the interesting cases.
  expect(sawPayout).toBe(true);
  expect(sawAcceleration).toBe(true);
});
