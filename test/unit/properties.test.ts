// Property tests of the model engine over random valid event streams
// (test/support/event-stream.ts). After every event a shadow ledger, built
// only from the allocation log and refunds, is checked against the engine:
// conservation, entitlement caps, queue order, frozen/available split,
// no negative balance. With the options feature (ratio rules and shopper
// options) also: every entry's entitlement = pct(base, ratio) after draws and
// never exceeded, only legal status transitions per event (a cleared,
// exchanged, converted or done entry never receives money again), random-
// return groups within their cash / points counts, and points, love and
// coupons equal to the pct(...) credits of conversions and exchanges minus
// refunds. Invalid streams must stop at the bad line, name the field and
// change nothing.
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { ModelEngine, type Allocation, type Entry } from '@/domain/engine';
import { parseEvent, type ReplayEvent } from '@/domain/events';
import { compareRatio, pct } from '@/domain/money';
import type { LotteryConfig } from '@/domain/settings';
import { printState } from '@/domain/state';
import { ValidationError } from '@/domain/validate';
import { createModelEngine } from '../../scripts/replay/model-engine';
import { runReplay } from '../../scripts/replay/run';
import { ALL_FEATURES, invalidEventStream, validEventStream, type EventObject } from '../support/event-stream';

const key = (e: { queue: string; seq: number }) => `${e.queue}#${e.seq}`;

/** A cheap assertion: the checks run on every event of long streams. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`);
}
function holds(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/** What an entry looked like after the previous event. */
interface Snapshot {
  status: Entry['status'];
  paid: number;
  entitlement: number;
  ratio: string;
  drawn: boolean;
}

/** The random-return config of a queue, per the doc, recomputed independently of the engine. */
function rrConfig(data: ModelEngine['data'], queue: string): { cashCount: number; pointsCount: number } | null {
  const sep = queue.indexOf(':');
  const prefix = sep < 0 ? queue : queue.slice(0, sep);
  const id = queue.slice(sep + 1);
  const own = prefix === 'store' ? data.stores.get(id)?.queue.randomReturn : prefix === 'cashier' ? data.cashiers.get(id)?.queue.randomReturn : undefined;
  const rr = own ?? data.settings.randomReturn;
  return rr.on && rr.cashCount + rr.pointsCount > 0 ? { cashCount: rr.cashCount, pointsCount: rr.pointsCount } : null;
}

function possible(lottery: LotteryConfig, ratio: string): boolean {
  if (lottery.kind === 'range') return new Decimal(ratio).gte(lottery.min) && new Decimal(ratio).lte(lottery.max);
  return lottery.ratios.some((r, i) => compareRatio(r, ratio) === 0 && (lottery.weights?.[i] ?? 1) > 0);
}

type Account = 'points' | 'love' | 'coupon';

class Checker {
  private paid = new Map<string, number>();
  /** Entries after the previous event. */
  private prev = new Map<string, Snapshot>();
  /** Random-return groups: `queue#no` → config and what its entries took; last group number per queue. */
  private groups = new Map<string, { cashCount: number; pointsCount: number; cash: number; points: number }>();
  private lastGroup = new Map<string, number>();
  /** Expected points / love / coupons per user, and the credit of each entry. */
  private accounts: Record<Account, Map<string, number>> = { points: new Map(), love: new Map(), coupon: new Map() };
  private credits = new Map<string, { to: Account; amount: number; user: string }>();
  private reserves = new Map<string, number>();
  private kept = 0;
  private absorbed = 0;
  private extracted = 0;
  private extractedByOrder = new Map<string, number>();
  private seen = 0;
  /** Settlement shadow: per order, each store line's merchant share and each supplier line's supply price, fixed at payment. */
  private settlements = new Map<string, { store?: string; merchant: number; supplier?: string; supply: number }[]>();
  private merchants = new Map<string, { available: number; frozen: number }>();
  private suppliers = new Map<string, number>();

  constructor(private readonly engine: ModelEngine) {}

  private shadowPaid(e: { queue: string; seq: number }): number {
    return this.paid.get(key(e)) ?? 0;
  }

  /** Payment order of an entry under `rule` (lower is paid first). */
  private position(e: Entry, rule: Allocation['rule']): number {
    return rule === 'strict' || e.order.status === 'completed' ? e.seq : 1e12 + e.seq;
  }

  private credit(e: Entry, to: Account, amount: number): void {
    const acc = this.accounts[to];
    acc.set(e.user, (acc.get(e.user) ?? 0) + amount);
    this.credits.set(key(e), { to, amount, user: e.user });
  }

  afterEvent(event: ReplayEvent): void {
    const { data } = this.engine;
    if (event.type === 'exchange') {
      // The remainder R = entitlement − paid (both unchanged by the exchange) at exchangeRatio[to].
      const e = data.orders.get(event.order)!.lines[event.line].entry!;
      same(this.prev.get(key(e))?.status, 'waiting', `exchanged ${key(e)} was waiting`);
      same(e.status, 'exchanged', `status of exchanged ${key(e)}`);
      this.credit(e, event.to, pct(e.entitlement - e.paid, data.settings.exchangeRatio[event.to]));
    }
    if (event.type === 'draw') {
      const e = data.orders.get(event.order)!.lines[event.line].entry!;
      const before = this.prev.get(key(e))!;
      holds(before.status === 'waiting' && before.paid === 0 && !before.drawn && e.lottery !== null, `${key(e)} was not drawable`);
      holds(e.drawn && possible(e.lottery!, e.ratio), `${key(e)} drew ${e.ratio}, not a possible outcome`);
      if (event.outcome !== undefined) same(compareRatio(e.ratio, event.outcome), 0, `${key(e)} ignored its pinned outcome`);
    }
    if (event.type === 'refund') {
      const order = data.orders.get(event.order)!;
      for (const line of order.lines) {
        const c = line.entry && this.credits.get(key(line.entry));
        if (!c) continue;
        // A refund takes back what the order's exchanges and conversions credited.
        this.accounts[c.to].set(c.user, this.accounts[c.to].get(c.user)! - c.amount);
        this.credits.delete(key(line.entry!));
      }
    }
    if (event.type === 'refund') {
      const order = data.orders.get(event.order)!;
      for (const line of order.lines) {
        if (!line.entry) continue;
        const q = line.entry.queue;
        this.reserves.set(q, (this.reserves.get(q) ?? 0) + this.shadowPaid(line.entry));
      }
      this.absorbed += this.extractedByOrder.get(order.id) ?? 0;
    }
    if (event.type === 'order') this.settlePaid(event.id);
    if (event.type === 'complete') this.settleClosed(event.order, true);
    if (event.type === 'refund') this.settleClosed(event.order, false);
    if (event.type === 'order') {
      for (const line of data.orders.get(event.id)!.lines) {
        if (!line.entry) continue;
        const e = line.entry;
        same(e.base, line.paid, `base of ${key(e)}`);
        same(e.entitlement, pct(e.base, e.ratio), `entitlement of ${key(e)}`);
        this.checkGroup(e);
        if (e.status === 'converted') this.credit(e, 'points', pct(e.entitlement, data.settings.exchangeRatio.points));
      }
    }
    const log = this.engine.allocations;
    for (; this.seen < log.length; this.seen++) this.checkAllocation(log[this.seen]);
    this.checkState(event);
  }

  /**
   * Every fen of a line's payment lands in exactly one place: the extraction
   * (queue), the platform's commission, the merchant (store lines), the
   * supplier (supply price of a supplier product) or the platform's revenue
   * (the rest of a mall line). Recomputed from the catalogue at payment.
   */
  private settlePaid(orderId: string): void {
    const { data } = this.engine;
    const plan = data.orders.get(orderId)!.lines.map((line) => {
      if (line.kind === 'product') {
        const product = data.products.get(line.item)!;
        const supplier = product.source === 'supplier' ? (product.supplier ?? product.id) : undefined;
        const supply = supplier === undefined ? 0 : product.cost;
        same(line.supply, supply, `supply price of ${orderId}#${line.index}`);
        same(line.merchant + line.commission, 0, `merchant share of mall line ${orderId}#${line.index}`);
        return { supplier, supply, merchant: 0 };
      }
      const store = data.stores.get(line.store!)!;
      const commission = Math.min(pct(line.paid, store.commission), line.paid - line.extraction);
      const merchant = line.paid - line.extraction - commission;
      holds(merchant >= 0 && commission >= 0, `negative share on ${orderId}#${line.index}`);
      same(line.extraction + commission + merchant, line.paid, `${orderId}#${line.index}: extraction + commission + merchant = paid`);
      same(line.merchant, merchant, `merchant share of ${orderId}#${line.index}`);
      same(line.supply, 0, `supply price of store line ${orderId}#${line.index}`);
      const m = this.merchants.get(line.store!) ?? { available: 0, frozen: 0 };
      m.frozen += merchant;
      this.merchants.set(line.store!, m);
      return { store: line.store!, merchant, supply: 0 };
    });
    this.settlements.set(orderId, plan);
  }

  private settleClosed(orderId: string, completed: boolean): void {
    for (const s of this.settlements.get(orderId)!) {
      if (s.store !== undefined) {
        const m = this.merchants.get(s.store)!;
        m.frozen -= s.merchant;
        if (completed) m.available += s.merchant;
      }
      if (completed && s.supplier !== undefined) this.suppliers.set(s.supplier, (this.suppliers.get(s.supplier) ?? 0) + s.supply);
    }
  }

  /** A new entry's random-return slot: within its group's counts, groups consecutive, a new group when the config changes. */
  private checkGroup(e: Entry): void {
    const config = rrConfig(this.engine.data, e.queue);
    same(e.status === 'converted', e.slot === 'points', `${key(e)} converted iff it took a points slot`);
    if (!config) {
      same(e.group, null, `${key(e)} took a slot without random return`);
      return;
    }
    holds(e.group !== null, `${key(e)} took no slot under random return`);
    const last = this.lastGroup.get(e.queue) ?? 0;
    const gk = `${e.queue}#${e.group}`;
    let g = this.groups.get(gk);
    if (e.group !== last) {
      same(e.group, last + 1, `group number of ${key(e)}`);
      const open = this.groups.get(`${e.queue}#${last}`);
      // A group opens only when none is open, the open one is full, or the config changed.
      holds(
        !open || open.cash + open.points === open.cashCount + open.pointsCount || open.cashCount !== config.cashCount || open.pointsCount !== config.pointsCount,
        `${key(e)} opened group ${e.group} while group ${last} could take it`,
      );
      g = { ...config, cash: 0, points: 0 };
      this.groups.set(gk, g);
      this.lastGroup.set(e.queue, e.group!);
    } else {
      same(`${g!.cashCount}/${g!.pointsCount}`, `${config.cashCount}/${config.pointsCount}`, `config of group ${gk}`);
    }
    g![e.slot!]++;
    holds(g!.cash <= g!.cashCount, `group ${gk} has more than ${g!.cashCount} cash entries`);
    holds(g!.points <= g!.pointsCount, `group ${gk} has more than ${g!.pointsCount} points entries`);
  }

  /** Status and amount changes an event may make to an entry that existed before it. */
  private checkTransition(e: Entry, before: Snapshot, event: ReplayEvent): void {
    const k = key(e);
    const target = (event.type === 'draw' || event.type === 'exchange') && e.order.id === event.order && e.line === event.line;
    if (e.status !== before.status) {
      const move = `${before.status}→${e.status}`;
      const ok =
        (e.status === 'cancelled' && event.type === 'refund' && e.order.id === event.order) ||
        (move === 'waiting→done' && (event.type === 'order' || event.type === 'complete' || (event.type === 'draw' && target))) ||
        (move === 'waiting→exchanged' && event.type === 'exchange' && target) ||
        (move === 'waiting→cleared' && event.type === 'tick' && e.order.atMs <= event.atMs);
      holds(ok, `${k}: ${move} on a ${event.type} event`);
    }
    // Only a waiting entry is ever paid (never a cleared, exchanged, converted or done one).
    if (e.paid !== before.paid) holds(before.status === 'waiting' && e.paid > before.paid, `${k} paid ${e.paid - before.paid} while ${before.status}`);
    if (e.ratio !== before.ratio || e.entitlement !== before.entitlement) holds(event.type === 'draw' && target, `${k} ratio changed on a ${event.type} event`);
    same(e.entitlement, pct(e.base, e.ratio), `entitlement of ${k}`);
  }

  private checkAllocation(a: Allocation): void {
    const queue = this.engine.data.queues.get(a.queue)!;
    const entries = queue.entries;
    const reserveBefore = this.reserves.get(a.queue) ?? 0;
    same(a.reserveBefore, reserveBefore, `reserve of ${a.queue} before allocation`);
    const payouts = a.payouts;
    const fromReserve = payouts.reduce((s, p) => s + p.fromReserve, 0);
    const fromExtraction = payouts.reduce((s, p) => s + p.fromExtraction, 0);
    // Conservation inside one allocation.
    same(fromExtraction + a.toReserve + a.toKept, a.extraction, 'extraction split');
    same(reserveBefore - fromReserve + a.toReserve, a.reserveAfter, 'reserve after allocation');
    if (a.paused) {
      same(payouts.length, 0, 'payouts while paused');
      same(a.toKept, a.extraction, 'kept while paused');
      same(a.reserveAfter, reserveBefore, 'reserve while paused');
    }

    // Eligible when the allocation started: not this order's, waiting before this event, not full.
    const eligibleBefore = entries.filter(
      (e) => e.order.id !== a.order && this.prev.get(key(e))?.status === 'waiting' && this.shadowPaid(e) < e.entitlement,
    );
    let reserveLeft = reserveBefore;
    let lastPos = -1;
    payouts.forEach((p, i) => {
      const e = entries[p.seq - 1];
      same(e.seq, p.seq, 'payout seq');
      same(p.order, e.order.id, 'payout order');
      holds(p.order !== a.order, `order ${a.order} paid its own entry ${key(e)}`);
      holds(e.status !== 'cancelled', `cancelled entry ${key(e)} paid`);
      same(this.prev.get(key(e))?.status, 'waiting', `status before the payout to ${key(e)}`);
      same(p.amount, p.fromReserve + p.fromExtraction, 'payout sources');
      holds(p.amount > 0, 'empty payout');
      // Reserve money first.
      reserveLeft -= p.fromReserve;
      if (p.fromExtraction > 0) same(reserveLeft, 0, `extraction paid to ${key(e)} before the reserve ran out`);
      const after = this.shadowPaid(e) + p.amount;
      holds(after <= e.entitlement, `${key(e)} paid beyond its entitlement`);
      if (i < payouts.length - 1) same(after, e.entitlement, `${key(e)} not filled before the next entry`);
      this.paid.set(key(e), after);
      const pos = this.position(e, a.rule);
      holds(pos > lastPos, `${key(e)} paid out of ${a.rule} order`);
      lastPos = pos;
      same(p.frozen, e.order.status !== 'completed', `frozen flag of payout to ${key(e)}`);
    });
    // No eligible entry ahead of the last one paid was left unfilled; if money
    // was left over, no eligible entry was left unfilled at all.
    const leftover = !a.paused && a.reserveAfter + a.toKept > 0;
    for (const e of eligibleBefore) {
      if (leftover || this.position(e, a.rule) < lastPos) {
        same(this.shadowPaid(e), e.entitlement, `${key(e)} skipped by allocation of ${a.order} line ${a.line} in ${a.queue}`);
      }
    }
    this.reserves.set(a.queue, a.reserveAfter);
    this.kept += a.toKept;
    this.extracted += a.extraction;
    this.extractedByOrder.set(a.order, (this.extractedByOrder.get(a.order) ?? 0) + a.extraction);
  }

  private checkState(event: ReplayEvent): void {
    const { data } = this.engine;
    const frozen = new Map<string, number>();
    const available = new Map<string, number>();
    let reserves = 0;
    for (const queue of data.queues.values()) {
      same(queue.reserve, this.reserves.get(queue.key) ?? 0, `reserve of ${queue.key}`);
      holds(queue.reserve >= 0, `negative reserve ${queue.key}`);
      reserves += queue.reserve;
      queue.entries.forEach((e, i) => {
        same(e.seq, i + 1, `seq in ${queue.key}`);
        same(e.paid, this.shadowPaid(e), `paid of ${key(e)} vs its payouts`);
        holds(e.paid >= 0 && e.paid <= e.entitlement, `paid of ${key(e)} out of 0..entitlement`);
        if (e.status === 'waiting') holds(e.paid < e.entitlement, `${key(e)} waiting but full`);
        if (e.status === 'done') same(e.paid, e.entitlement, `${key(e)} done but not full`);
        same(e.status === 'cancelled', e.order.status === 'refunded', `${key(e)} cancelled iff refunded`);
        if (e.status === 'converted') same(e.paid, 0, `converted ${key(e)} paid from the queue`);
        const before = this.prev.get(key(e));
        if (before) this.checkTransition(e, before, event);
        else holds(event.type === 'order' && e.order.id === event.id, `${key(e)} appeared on a ${event.type} event`);
        this.prev.set(key(e), { status: e.status, paid: e.paid, entitlement: e.entitlement, ratio: e.ratio, drawn: e.drawn });
        if (e.order.status === 'open') frozen.set(e.user, (frozen.get(e.user) ?? 0) + e.paid);
        if (e.order.status === 'completed') available.set(e.user, (available.get(e.user) ?? 0) + e.paid);
      });
    }
    // Distribution rewards (when the stream has them) sit in the same wallets, by status.
    let rewards = 0;
    for (const r of data.distribution.rewards) {
      if (r.status === 'frozen') frozen.set(r.user, (frozen.get(r.user) ?? 0) + r.amount);
      if (r.status === 'available') available.set(r.user, (available.get(r.user) ?? 0) + r.amount);
      if (r.status !== 'cancelled') rewards += r.amount;
    }
    let wallets = 0;
    for (const [user, w] of data.wallets) {
      same(w.available, available.get(user) ?? 0, `available of ${user}`);
      same(w.frozen, frozen.get(user) ?? 0, `frozen of ${user}`);
      wallets += w.available + w.frozen;
    }
    wallets -= rewards;
    // Points, love and coupons: exactly the credits of conversions and exchanges still standing.
    for (const user of data.users.keys()) {
      same(data.points.get(user) ?? 0, this.accounts.points.get(user) ?? 0, `points of ${user}`);
      same(data.coupons.get(user) ?? 0, this.accounts.coupon.get(user) ?? 0, `coupons of ${user}`);
      const love = data.love.get(user) ?? { available: 0, frozen: 0 };
      holds(love.available >= 0 && love.frozen >= 0, `negative love of ${user}`);
      same(love.available + love.frozen, this.accounts.love.get(user) ?? 0, `love of ${user}`);
    }
    // Merchants and suppliers: exactly their shares, by order status; never negative.
    for (const [store, m] of data.merchants) {
      const expected = this.merchants.get(store) ?? { available: 0, frozen: 0 };
      holds(m.available >= 0 && m.frozen >= 0, `negative merchant balance of ${store}`);
      same(`${m.available}/${m.frozen}`, `${expected.available}/${expected.frozen}`, `merchant ${store} available/frozen`);
    }
    for (const store of this.merchants.keys()) holds(data.merchants.has(store), `merchant ${store} missing`);
    for (const [supplier, amount] of this.suppliers) same(data.suppliers.get(supplier), amount, `supplier ${supplier}`);
    for (const [supplier, amount] of data.suppliers) same(amount, this.suppliers.get(supplier) ?? 0, `supplier ${supplier}`);
    same(data.totals.kept, this.kept, 'kept');
    same(data.totals.absorbed, this.absorbed, 'absorbed');
    same(data.totals.extracted, this.extracted, 'extracted');
    // Every fen extracted is in a wallet, a reserve, or kept by the platform.
    same(wallets + reserves + this.kept, this.extracted, 'conservation');
  }
}

function runChecked(events: EventObject[]): ModelEngine {
  const engine = new ModelEngine();
  const checker = new Checker(engine);
  for (const raw of events) {
    const event = parseEvent(JSON.parse(JSON.stringify(raw)));
    engine.apply(event);
    checker.afterEvent(event);
  }
  return engine;
}

test('invariants hold after every event of random valid streams', () => {
  fc.assert(
    fc.property(validEventStream(), (events) => {
      runChecked(events);
    }),
    { numRuns: 500 },
  );
});

test('invariants hold on long streams', () => {
  fc.assert(
    fc.property(validEventStream({ minCommands: 800, maxCommands: 1500 }), (events) => {
      const engine = runChecked(events);
      // Long streams do move money (a check that could never fail otherwise).
      return engine.totals.extracted > 0;
    }),
    { numRuns: 10 },
  );
});

test('options: invariants hold after every event of random streams with ratio rules, draws, exchanges, random return, clearing, upgrades', () => {
  let drawn = 0;
  let converted = 0;
  let exchanged = 0;
  let cleared = 0;
  fc.assert(
    fc.property(validEventStream({ features: { options: true } }), (events) => {
      const engine = runChecked(events);
      for (const q of engine.data.queues.values()) {
        for (const e of q.entries) {
          if (e.drawn) drawn++;
          if (e.slot === 'points') converted++;
          if (e.status === 'exchanged') exchanged++;
          if (e.status === 'cleared') cleared++;
        }
      }
    }),
    { numRuns: 300 },
  );
  // The streams do exercise every option (a check that could never fail otherwise).
  expect(Math.min(drawn, converted, exchanged, cleared)).toBeGreaterThan(0);
});

test('options + distribution: invariants hold on long streams', () => {
  fc.assert(
    fc.property(validEventStream({ minCommands: 500, maxCommands: 1000, features: ALL_FEATURES }), (events) => {
      const engine = runChecked(events);
      return engine.totals.extracted > 0;
    }),
    { numRuns: 8 },
  );
});

test('the checker catches broken options', () => {
  const setup = [
    { type: 'settings', randomReturn: { on: true, cashCount: 1, pointsCount: 1 }, lottery: { kind: 'fixed', ratios: ['50', '150'] } },
    { type: 'product', id: 'p1', price: 100, source: 'self', cost: 0 },
    { type: 'user', id: 'A' },
    { type: 'user', id: 'B' },
    { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 1000, randomReturn: 'cash' }] },
  ].map((e) => parseEvent(e));
  const run = (last: object, tamper: (engine: ModelEngine) => void) => {
    const engine = new ModelEngine();
    const checker = new Checker(engine);
    for (const e of setup) {
      engine.apply(e);
      checker.afterEvent(e);
    }
    const event = parseEvent(last);
    engine.apply(event);
    tamper(engine);
    return () => checker.afterEvent(event);
  };
  const o2 = { type: 'order', id: 'o2', user: 'B', at: '2026-01-01T10:01:00+08:00', lines: [{ product: 'p1', paid: 1000 }] };
  // o2 takes the points slot: 1000 × 100% points. One point more is caught.
  expect(run(o2, (e) => e.data.points.set('B', 1001))).toThrow('points of B: got 1001, expected 1000');
  // A second cash entry in a group of one cash is caught.
  expect(
    run(o2, (e) => {
      const entry = e.data.queues.get('product:p1')!.entries[1];
      entry.slot = 'cash';
      entry.status = 'waiting';
      e.data.points.set('B', 0);
    }),
  ).toThrow('more than 1 cash entries');
  // An exchanged entry must not be paid afterwards, nor change status outside its events.
  expect(run({ type: 'exchange', order: 'o1', line: 0, to: 'coupon' }, (e) => (e.data.queues.get('product:p1')!.entries[0].status = 'cleared'))).toThrow(
    'status of exchanged product:p1#1',
  );
  // A drawn ratio outside the set is caught.
  expect(run({ type: 'draw', order: 'o1', line: 0 }, (e) => (e.data.queues.get('product:p1')!.entries[0].ratio = '70'))).toThrow('not a possible outcome');
});

test('the checker catches a broken engine', () => {
  // Guard against a checker that cannot fail: tamper with one payout.
  const engine = new ModelEngine();
  const checker = new Checker(engine);
  const events = [
    { type: 'product', id: 'p1', price: 100, source: 'self', cost: 0 },
    { type: 'user', id: 'A' },
    { type: 'user', id: 'B' },
    { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 1000 }] },
    { type: 'order', id: 'o2', user: 'B', at: '2026-01-01T10:01:00+08:00', lines: [{ product: 'p1', paid: 1000 }] },
  ].map((e) => parseEvent(e));
  for (const e of events.slice(0, 4)) {
    engine.apply(e);
    checker.afterEvent(e);
  }
  engine.apply(events[4]);
  engine.data.queues.get('product:p1')!.entries[0].paid += 1;
  expect(() => checker.afterEvent(events[4])).toThrow('paid of product:p1#1 vs its payouts');
});

test('the checker catches broken settlement', () => {
  const setup = [
    { type: 'product', id: 'p1', price: 100, source: 'supplier', cost: 70, supplier: 'acme' },
    { type: 'store', id: 's1', commission: '10' },
    { type: 'cashier', id: 'c1', store: 's1' },
    { type: 'user', id: 'A' },
    { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 100 }] },
  ].map((e) => parseEvent(e));
  const run = (last: object, tamper: (engine: ModelEngine) => void) => {
    const engine = new ModelEngine();
    const checker = new Checker(engine);
    for (const e of setup) {
      engine.apply(e);
      checker.afterEvent(e);
    }
    const event = parseEvent(last);
    engine.apply(event);
    tamper(engine);
    return () => checker.afterEvent(event);
  };
  const cashier = { type: 'order', id: 'o2', user: 'A', at: '2026-01-01T10:01:00+08:00', cashier: 'c1', paid: 1000 };
  // 1000 − extraction 100 − commission 100 = 800 frozen; one fen off either way is caught.
  expect(run(cashier, (e) => (e.data.merchants.get('s1')!.frozen += 1))).toThrow('merchant s1 available/frozen: got 0/801, expected 0/800');
  expect(run(cashier, (e) => (e.data.orders.get('o2')!.lines[0].merchant -= 1))).toThrow('merchant share of o2#0');
  // A supplier credited a fen too much at completion is caught.
  expect(run({ type: 'complete', order: 'o1', at: '2026-01-02T10:00:00+08:00' }, (e) => e.data.suppliers.set('acme', 71))).toThrow('supplier acme');
});

test.each([
  ['core', {}],
  // Unpinned draws and random-return groups are seeded: the same stream prints the same state.
  ['all features', ALL_FEATURES],
])('valid streams replay without errors, deterministically (%s)', async (_name, features) => {
  await fc.assert(
    fc.asyncProperty(validEventStream({ maxCommands: 30, features }), async (events) => {
      const text = events.map((e) => JSON.stringify(e)).join('\n');
      const a = await runReplay(text, await createModelEngine());
      const b = await runReplay(text, await createModelEngine());
      expect(a.ok).toBe(true);
      expect(b).toEqual(a);
    }),
    { numRuns: 50 },
  );
});

test.each([
  ['core', {}],
  ['options', { options: true }],
])('an invalid event stops the run at its line, names the field and changes nothing (%s)', async (_name, features) => {
  await fc.assert(
    fc.asyncProperty(invalidEventStream({ maxCommands: 30, features }), async ({ lines, line, field }) => {
      const result = await runReplay(lines.join('\n'), await createModelEngine());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.line).toBe(line);
      if (field === null) expect(result.message).toBe('invalid JSON');
      else expect(result.message.startsWith(`${field}: `)).toBe(true);

      if (field === null) return;
      const engine = new ModelEngine();
      for (const text of lines.slice(0, line - 1)) engine.apply(parseEvent(JSON.parse(text)));
      const before = printState(engine.state());
      const allocations = engine.allocations.length;
      expect(() => engine.apply(parseEvent(JSON.parse(lines[line - 1])))).toThrow(ValidationError);
      expect(printState(engine.state())).toBe(before);
      expect(engine.allocations.length).toBe(allocations);
    }),
    { numRuns: 200 },
  );
});
