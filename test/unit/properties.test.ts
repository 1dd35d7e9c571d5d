// Property tests of the model engine over random valid event streams
// (test/support/event-stream.ts). After every event a shadow ledger, built
// only from the allocation log and refunds, is checked against the engine:
// conservation, entitlement caps, queue order, frozen/available split,
// no negative balance. Invalid streams must stop at the bad line, name the
// field and change nothing.
import fc from 'fast-check';
import { ModelEngine, type Allocation, type Entry } from '../../src/domain/engine';
import { parseEvent, type ReplayEvent } from '../../src/domain/events';
import { pct } from '../../src/domain/money';
import { printState } from '../../src/domain/state';
import { ValidationError } from '../../src/domain/validate';
import { createModelEngine } from '../../scripts/replay/model-engine';
import { runReplay } from '../../scripts/replay/run';
import { invalidEventStream, validEventStream, type EventObject } from '../support/event-stream';

const key = (e: { queue: string; seq: number }) => `${e.queue}#${e.seq}`;

/** A cheap assertion: the checks run on every event of long streams. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`);
}
function holds(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

class Checker {
  private paid = new Map<string, number>();
  private reserves = new Map<string, number>();
  private kept = 0;
  private absorbed = 0;
  private extracted = 0;
  private extractedByOrder = new Map<string, number>();
  private seen = 0;

  constructor(private readonly engine: ModelEngine) {}

  private shadowPaid(e: { queue: string; seq: number }): number {
    return this.paid.get(key(e)) ?? 0;
  }

  /** Payment order of an entry under `rule` (lower is paid first). */
  private position(e: Entry, rule: Allocation['rule']): number {
    return rule === 'strict' || e.order.status === 'completed' ? e.seq : 1e12 + e.seq;
  }

  afterEvent(event: ReplayEvent): void {
    const { data } = this.engine;
    if (event.type === 'refund') {
      const order = data.orders.get(event.order)!;
      for (const line of order.lines) {
        if (!line.entry) continue;
        const q = line.entry.queue;
        this.reserves.set(q, (this.reserves.get(q) ?? 0) + this.shadowPaid(line.entry));
      }
      this.absorbed += this.extractedByOrder.get(order.id) ?? 0;
    }
    if (event.type === 'order') {
      for (const line of data.orders.get(event.id)!.lines) {
        if (!line.entry) continue;
        same(line.entry.base, line.paid, `base of ${key(line.entry)}`);
        same(line.entry.entitlement, pct(line.entry.base, line.entry.ratio), `entitlement of ${key(line.entry)}`);
      }
    }
    const log = this.engine.allocations;
    for (; this.seen < log.length; this.seen++) this.checkAllocation(log[this.seen]);
    this.checkState();
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

    // Eligible when the allocation started: not this order's, not cancelled, not full.
    const eligibleBefore = entries.filter(
      (e) => e.order.id !== a.order && e.status !== 'cancelled' && this.shadowPaid(e) < e.entitlement,
    );
    let reserveLeft = reserveBefore;
    let lastPos = -1;
    payouts.forEach((p, i) => {
      const e = entries[p.seq - 1];
      same(e.seq, p.seq, 'payout seq');
      same(p.order, e.order.id, 'payout order');
      holds(p.order !== a.order, `order ${a.order} paid its own entry ${key(e)}`);
      holds(e.status !== 'cancelled', `cancelled entry ${key(e)} paid`);
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

  private checkState(): void {
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
        if (e.order.status === 'open') frozen.set(e.user, (frozen.get(e.user) ?? 0) + e.paid);
        if (e.order.status === 'completed') available.set(e.user, (available.get(e.user) ?? 0) + e.paid);
      });
    }
    let wallets = 0;
    for (const [user, w] of data.wallets) {
      same(w.available, available.get(user) ?? 0, `available of ${user}`);
      same(w.frozen, frozen.get(user) ?? 0, `frozen of ${user}`);
      wallets += w.available + w.frozen;
    }
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

test('valid streams replay without errors, deterministically', async () => {
  await fc.assert(
    fc.asyncProperty(validEventStream({ maxCommands: 30 }), async (events) => {
      const text = events.map((e) => JSON.stringify(e)).join('\n');
      const a = await runReplay(text, await createModelEngine());
      const b = await runReplay(text, await createModelEngine());
      expect(a.ok).toBe(true);
      expect(b).toEqual(a);
    }),
    { numRuns: 50 },
  );
});

test('an invalid event stops the run at its line, names the field and changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(invalidEventStream({ maxCommands: 30 }), async ({ lines, line, field }) => {
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
