// Property tests of distribution rewards over random referral trees and order
// streams (test/support/event-stream.ts with the distribution feature on).
// After every event: the rewards of an order never exceed its cap, go to the
// right people and carry the status of their order; a refund reverses them to
// the fen; wallets equal queue payouts plus rewards, by status; each dividend
// period pays exactly D, split by largest remainder, and counts every
// completion once. Rewards never change the queue's money.
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { ModelEngine } from '@/domain/engine';
import { periodOf, type Reward } from '@/domain/engine/distribution';
import { parseEvent, type OrderEvent, type ReplayEvent } from '@/domain/events';
import { pct } from '@/domain/money';
import type { DistributionSettings } from '@/domain/settings';
import { validEventStream, type EventObject } from '../support/event-stream';

function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`);
}
function holds(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

const STATUS_OF_ORDER = { open: 'frozen', completed: 'available', refunded: 'cancelled' } as const;

interface Completion {
  order: string;
  user: string;
  atMs: number;
  base: number;
  paid: number;
  counted: boolean;
}

class DistributionChecker {
  private firstOrderMs: number | null = null;
  private cursor: number | null = null;
  private settled = 0;
  private completions: Completion[] = [];
  private walletsBefore = new Map<string, { available: number; frozen: number }>();

  constructor(private readonly engine: ModelEngine) {}

  /** Call right before applying `event`. */
  beforeEvent(): void {
    this.walletsBefore = new Map([...this.engine.data.wallets].map(([u, w]) => [u, { ...w }]));
  }

  afterEvent(event: ReplayEvent): void {
    if (event.type === 'order') this.checkOrder(event);
    if (event.type === 'complete') this.recordCompletion(event.order, event.atMs);
    if (event.type === 'refund') this.checkRefund(event.order);
    if (event.type === 'tick') this.checkTick(event.atMs);
    this.checkState();
  }

  /** Order base B, computed here from the catalogue in force (the engine records it at payment). */
  private expectedBase(event: OrderEvent, d: DistributionSettings): number {
    const { data } = this.engine;
    const lines = 'cashier' in event ? [{ cashier: event.cashier, paid: event.paid }] : event.lines;
    let base = 0;
    for (const line of lines as { product?: string; storeProduct?: string; cashier?: string; paid: number }[]) {
      if (d.base === 'paid') base += line.paid;
      else if (line.product !== undefined) base += Math.max(0, line.paid - data.products.get(line.product)!.cost);
      else {
        const store = line.storeProduct !== undefined ? data.storeProducts.get(line.storeProduct)!.store : data.cashiers.get(line.cashier!)!.store;
        base += pct(line.paid, data.stores.get(store)!.commission);
      }
    }
    return base;
  }

  private checkOrder(event: OrderEvent): void {
    const { data } = this.engine;
    if (this.firstOrderMs === null) this.firstOrderMs = event.atMs;
    const d = data.settings.distribution;
    const record = data.distribution.orders.get(event.id)!;
    const B = this.expectedBase(event, d);
    same(record.base, B, `base of ${event.id}`);
    const rewards = record.rewards;
    if (!d.on) {
      same(rewards.length, 0, `rewards of ${event.id} while distribution is off`);
      return;
    }
    const cap = pct(B, d.cap);
    const total = rewards.reduce((s, r) => s + r.amount, 0);
    holds(total <= cap, `rewards of ${event.id} (${total}) exceed the cap ${cap}`);
    const keys = new Set(rewards.map((r) => `${r.user}|${r.kind}`));
    same(keys.size, rewards.length, `one reward per (order, user, kind) in ${event.id}`);
    const buyer = data.users.get(event.user)!;
    const upline = buyer.ancestors;
    same(upline[0], buyer.referrer, `upline of ${event.user} starts with its referrer`);
    const stores = new Set(data.orders.get(event.id)!.lines.filter((l) => l.store !== undefined).map((l) => l.store!));
    const recruiters = new Set([...stores].map((s) => data.stores.get(s)!.recruiter).filter((r) => r !== undefined));
    const direct = rewards.find((r) => r.kind === 'direct');
    const indirect = rewards.find((r) => r.kind === 'indirect');
    // Direct is first under the cap, indirect second: their amounts are exact.
    const directAmount = upline.length > 0 ? Math.min(pct(B, d.directRatio), cap) : 0;
    same(direct?.amount ?? 0, directAmount, `direct of ${event.id}`);
    if (direct) same(direct.user, upline[0], `direct receiver of ${event.id}`);
    same(indirect?.amount ?? 0, upline.length > 1 ? Math.min(pct(B, d.indirectRatio), cap - directAmount) : 0, `indirect of ${event.id}`);
    if (indirect) same(indirect.user, upline[1], `indirect receiver of ${event.id}`);
    for (const r of rewards) {
      holds(r.amount > 0, `zero reward in ${event.id}`);
      same(r.status, 'frozen', `status of a new reward of ${event.id}`);
      if (r.kind === 'levelDiff' || r.kind === 'sameLevel') {
        holds(d.levelDifference, `${r.kind} in ${event.id} without levelDifference`);
        holds(upline.includes(r.user), `${r.kind} of ${event.id} to ${r.user}, not in the upline`);
      }
      if (r.kind === 'recruit') holds(recruiters.has(r.user), `recruit of ${event.id} to ${r.user}, not a recruiter of its stores`);
      if (r.kind === 'sameLevel') same(r.amount <= pct(B, d.sameLevelRatio), true, `sameLevel of ${event.id} above its ratio`);
    }
    // Level differences: Σ never above the highest team ratio of the upline (walk of differences).
    const maxTeam = upline.reduce((m, u) => {
      const level = data.users.get(u)!.level;
      const t = new Decimal((level !== undefined && data.levels.get(level)?.teamRatio) || '0');
      return Decimal.max(m, t);
    }, new Decimal(0));
    const levelDiff = rewards.filter((r) => r.kind === 'levelDiff').reduce((s, r) => s + r.amount, 0);
    // Each difference rounds on its own: at most half a fen up per paid step.
    const steps = rewards.filter((r) => r.kind === 'levelDiff').length;
    holds(levelDiff <= pct(B, maxTeam.toFixed()) + steps, `level differences of ${event.id} above the top team ratio`);
  }

  private recordCompletion(orderId: string, atMs: number): void {
    const { data } = this.engine;
    const order = data.orders.get(orderId)!;
    const record = data.distribution.orders.get(orderId)!;
    const paid = order.lines.reduce((s, l) => s + l.paid, 0);
    same(record.paid, paid, `cash paid of ${orderId}`);
    this.completions.push({ order: orderId, user: order.user, atMs, base: record.base, paid, counted: false });
  }

  /** A refund moves exactly the order's rewards and its entries' payouts out of the frozen wallets. */
  private checkRefund(orderId: string): void {
    const { data } = this.engine;
    const order = data.orders.get(orderId)!;
    const out = new Map<string, number>();
    for (const r of data.distribution.orders.get(orderId)!.rewards) out.set(r.user, (out.get(r.user) ?? 0) + r.amount);
    for (const line of order.lines) if (line.entry) out.set(order.user, (out.get(order.user) ?? 0) + line.entry.paid);
    for (const [user, w] of data.wallets) {
      const before = this.walletsBefore.get(user) ?? { available: 0, frozen: 0 };
      same(w.available, before.available, `available of ${user} changed by the refund of ${orderId}`);
      same(w.frozen, before.frozen - (out.get(user) ?? 0), `frozen of ${user} after the refund of ${orderId}`);
    }
  }

  private shareholders(): string[] {
    const { data } = this.engine;
    return [...data.users.values()].filter((u) => u.level !== undefined && data.levels.get(u.level)?.shareholder === true).map((u) => u.id);
  }

  private checkTick(atMs: number): void {
    const { data } = this.engine;
    const d = data.settings.distribution;
    const labels = data.distribution.settledPeriods.slice(this.settled);
    this.settled = data.distribution.settledPeriods.length;
    if (this.firstOrderMs === null) {
      same(labels.length, 0, 'periods settled before any order');
      return;
    }
    let cursor = this.cursor ?? periodOf(d.dividendPeriod, this.firstOrderMs).startMs;
    const holders = this.shareholders();
    for (const label of labels) {
      const period = periodOf(d.dividendPeriod, cursor);
      same(label, period.label, 'next settled period');
      holds(period.endMs <= atMs, `period ${label} settled before it ended`);
      const inWindow = this.completions.filter((c) => c.atMs >= cursor && c.atMs < period.endMs);
      for (const c of inWindow) {
        holds(!c.counted, `completion of ${c.order} counted twice`);
        c.counted = true;
      }
      const revenue = inWindow.reduce((s, c) => s + c.base, 0);
      const D = d.on && new Decimal(d.dividendRatio).gt(0) ? pct(revenue, d.dividendRatio) : 0;
      const paid = data.distribution.rewards.filter((r) => r.order === `dividend:${label}`);
      if (D === 0 || holders.length === 0) {
        same(paid.length, 0, `dividends of ${label} with D = ${D} and ${holders.length} shareholders`);
      } else {
        // Split to the fen.
        same(paid.reduce((s, r) => s + r.amount, 0), D, `Σ dividends of ${label}`);
        const weights = new Map<string, bigint>(holders.map((h) => [h, 0n]));
        if (d.dividendSplit === 'weighted') {
          for (const c of inWindow) {
            for (const u of [c.user, ...data.users.get(c.user)!.ancestors]) if (weights.has(u)) weights.set(u, weights.get(u)! + BigInt(c.paid));
          }
        }
        if ([...weights.values()].every((w) => w === 0n)) for (const h of holders) weights.set(h, 1n);
        const W = [...weights.values()].reduce((s, w) => s + w, 0n);
        for (const [h, w] of weights) {
          const floor = (BigInt(D) * w) / W;
          const got = BigInt(paid.find((r) => r.user === h)?.amount ?? 0);
          holds(got === floor || got === floor + 1n, `dividend of ${h} in ${label}: ${got}, exact share ${floor}..${floor + 1n}`);
        }
        for (const r of paid) {
          holds(weights.has(r.user), `dividend of ${label} to ${r.user}, not a shareholder`);
          same(r.status, 'available', `status of a dividend of ${label}`);
          holds(r.amount > 0, `zero dividend in ${label}`);
        }
      }
      cursor = period.endMs;
    }
    if (labels.length > 0) this.cursor = cursor;
    // Nothing due is left: the next period (from the cursor) ends after the tick.
    holds(periodOf(d.dividendPeriod, cursor).endMs > atMs, `a period ending before ${atMs} was not settled`);
  }

  private checkState(): void {
    const { data } = this.engine;
    const frozen = new Map<string, number>();
    const available = new Map<string, number>();
    const add = (m: Map<string, number>, u: string, x: number) => m.set(u, (m.get(u) ?? 0) + x);
    // Queue payouts, by the status of the entry owner's order.
    for (const queue of data.queues.values()) {
      for (const e of queue.entries) {
        if (e.order.status === 'open') add(frozen, e.user, e.paid);
        if (e.order.status === 'completed') add(available, e.user, e.paid);
      }
    }
    // Rewards, by their status, which follows their order's.
    for (const r of data.distribution.rewards) {
      if (r.kind !== 'dividend') same(r.status, STATUS_OF_ORDER[data.orders.get(r.order)!.status], `status of ${r.kind} of ${r.order} to ${r.user}`);
      if (r.status === 'frozen') add(frozen, r.user, r.amount);
      if (r.status === 'available') add(available, r.user, r.amount);
    }
    for (const [user, w] of data.wallets) {
      same(w.available, available.get(user) ?? 0, `available of ${user}`);
      same(w.frozen, frozen.get(user) ?? 0, `frozen of ${user}`);
    }
  }

  /** At the end: every completion before the cursor was counted (times never go back in these streams). */
  finish(): void {
    for (const c of this.completions) {
      if (this.cursor !== null && c.atMs < this.cursor) holds(c.counted, `completion of ${c.order} in no period`);
    }
  }
}

function runChecked(events: EventObject[]): ModelEngine {
  const engine = new ModelEngine({ log: false });
  const checker = new DistributionChecker(engine);
  for (const raw of events) {
    const event = parseEvent(JSON.parse(JSON.stringify(raw)));
    checker.beforeEvent();
    engine.apply(event);
    checker.afterEvent(event);
  }
  checker.finish();
  return engine;
}

const distributionStreams = (minCommands = 1, maxCommands = 80) => validEventStream({ minCommands, maxCommands, features: { distribution: true } });

test('distribution invariants hold after every event of random trees and order streams', () => {
  fc.assert(
    fc.property(distributionStreams(), (events) => {
      runChecked(events);
    }),
    { numRuns: 300 },
  );
});

test('distribution invariants hold on long streams, which do pay rewards and dividends', () => {
  let rewarded = 0;
  let dividends = 0;
  fc.assert(
    fc.property(distributionStreams(400, 800), (events) => {
      const engine = runChecked(events);
      const rewards = engine.data.distribution.rewards;
      if (rewards.some((r) => r.kind !== 'dividend')) rewarded++;
      if (rewards.some((r) => r.kind === 'dividend')) dividends++;
    }),
    { numRuns: 12 },
  );
  // The streams exercise what they claim to (a check that could never fail otherwise).
  expect(rewarded).toBeGreaterThan(0);
  expect(dividends).toBeGreaterThan(0);
});

test('rewards never change the queue: same stream with distribution off differs only by the rewards in wallets', () => {
  fc.assert(
    fc.property(distributionStreams(1, 60), (events) => {
      const on = new ModelEngine({ log: false });
      const off = new ModelEngine({ log: false });
      for (const raw of events) {
        on.apply(parseEvent(JSON.parse(JSON.stringify(raw))));
        const plain = raw.type === 'settings' && raw.distribution ? { ...raw, distribution: { ...(raw.distribution as object), on: false } } : raw;
        off.apply(parseEvent(JSON.parse(JSON.stringify(plain))));
      }
      const a = on.state();
      const b = off.state();
      expect(b.rewards).toEqual([]);
      expect(a.entries).toEqual(b.entries);
      expect(a.reserves).toEqual(b.reserves);
      expect(a.platform).toEqual(b.platform);
      const byStatus = (rewards: Reward[], user: string, status: Reward['status']) =>
        rewards.filter((r) => r.user === user && r.status === status).reduce((s, r) => s + r.amount, 0);
      for (const user of Object.keys(a.wallets)) {
        const rewards = on.data.distribution.rewards;
        expect(a.wallets[user].available - b.wallets[user].available).toBe(byStatus(rewards, user, 'available'));
        expect(a.wallets[user].frozen - b.wallets[user].frozen).toBe(byStatus(rewards, user, 'frozen'));
      }
    }),
    { numRuns: 100 },
  );
});

test('the checker catches a broken engine', () => {
  // Guard against a checker that cannot fail: tamper with one reward's amount.
  const engine = new ModelEngine();
  const checker = new DistributionChecker(engine);
  const events = [
    { type: 'settings', distribution: { on: true, directRatio: '10' } },
    { type: 'product', id: 'p1', price: 1000, source: 'self', cost: 0 },
    { type: 'user', id: 'A' },
    { type: 'user', id: 'B', referrer: 'A' },
    { type: 'order', id: 'o1', user: 'B', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 1000 }] },
    { type: 'complete', order: 'o1', at: '2026-01-02T10:00:00+08:00' },
  ].map((e) => parseEvent(e));
  for (const e of events.slice(0, 5)) {
    checker.beforeEvent();
    engine.apply(e);
    checker.afterEvent(e);
  }
  // Direct A = 100, frozen; completion moves it. A reward 1 fen short is caught.
  checker.beforeEvent();
  engine.apply(events[5]);
  engine.data.distribution.rewards[0].amount -= 1;
  expect(() => checker.afterEvent(events[5])).toThrow('available of A: got 100, expected 99');
});
