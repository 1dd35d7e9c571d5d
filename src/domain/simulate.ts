// The what-if simulator (SPEC §9): the model engine over an order stream,
// with today's settings and with proposed ones, reduced to the figures an
// operator compares. The final state is the replay output of the same
// stream (`npm run replay`), so the CLI, the console's web worker and replay
// agree by construction (test/unit/simulate-cli.test.ts proves it).
import { checkCompliance, type ComplianceFlag } from './compliance';
import { ModelEngine, type Allocation, type Entry } from './engine';
import type { ReplayEvent, SettingsEvent } from './events';
import type { Fen } from './money';
import type { SettingsPatch } from './settings';
import { printState } from './state';

const DAY_MS = 86_400_000;

export interface WaitFigures {
  /** Entries filled during the stream, and days from payment to filled (nearest rank). */
  filled: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface SimulationFigures {
  events: number;
  orders: number;
  /** Extraction taken from orders (paid out, reserved or kept). */
  extracted: Fen;
  /** Money that reached shoppers' wallets from queues and stays there (entries not cancelled). */
  paidOut: Fen;
  /** Remaining entitlement of waiting entries: what the platform's queues still owe. */
  outstanding: Fen;
  reserves: Fen;
  /** Platform: extraction kept, refunded extraction absorbed, and kept − absorbed. */
  kept: Fen;
  absorbed: Fen;
  platformNet: Fen;
  /** Distribution rewards not cancelled. */
  rewards: Fen;
  entries: { total: number; waiting: number; done: number; cancelled: number; other: number };
  wait: WaitFigures;
  compliance: ComplianceFlag[];
}

export interface SimulationResult {
  figures: SimulationFigures;
  /** The replay output (canonical JSON), when asked for. */
  state?: string;
}

export interface InflowEvent {
  atMs: number;
  amount: Fen;
}

export interface SimulationOptions {
  /** Keep per-queue inflow events (extraction offered while not paused) for estimates. */
  trackInflow?: boolean;
  /** Called for every entry the moment it is filled, with the event time. */
  onFilled?: (entry: Entry, atMs: number) => void;
  /** Called for every allocation (one line's extraction), with the event time. */
  onAllocation?: (allocation: Allocation, atMs: number) => void;
}

/** One run of the model over a stream, event by event. */
export class Simulation {
  readonly engine = new ModelEngine({ log: true });
  readonly inflow = new Map<string, InflowEvent[]>();
  private readonly waits: number[] = [];
  private readonly filled = new WeakSet<Entry>();
  private events = 0;
  private orders = 0;
  private clockMs = 0;

  constructor(private readonly options: SimulationOptions = {}) {}

  /** Applies one validated event; a ValidationError leaves the run unchanged. */
  apply(event: ReplayEvent): void {
    this.engine.apply(event);
    this.events++;
    if (event.type === 'order') this.orders++;
    if ('atMs' in event && typeof event.atMs === 'number') this.clockMs = Math.max(this.clockMs, event.atMs);
    const log = this.engine.data.allocations!;
    if (log.length === 0) return;
    const at = 'atMs' in event && typeof event.atMs === 'number' ? event.atMs : this.clockMs;
    for (const a of log) {
      this.options.onAllocation?.(a, at);
      if (this.options.trackInflow && !a.paused) {
        let list = this.inflow.get(a.queue);
        if (!list) this.inflow.set(a.queue, (list = []));
        list.push({ atMs: at, amount: a.extraction });
      }
      for (const p of a.payouts) {
        const entry = this.engine.data.queues.get(p.queue)!.entries[p.seq - 1];
        if (entry.status === 'done' && !this.filled.has(entry)) {
          this.filled.add(entry);
          this.waits.push((at - entry.order.atMs) / DAY_MS);
          this.options.onFilled?.(entry, at);
        }
      }
    }
    // The log is only a window onto this event's allocations: keep memory flat.
    log.length = 0;
  }

  result(withState = false): SimulationResult {
    const data = this.engine.data;
    const state = this.engine.state();
    const entries = { total: 0, waiting: 0, done: 0, cancelled: 0, other: 0 };
    let paidOut = 0;
    let outstanding = 0;
    for (const e of state.entries) {
      entries.total++;
      if (e.status === 'waiting') {
        entries.waiting++;
        outstanding += e.entitlement - e.paid;
      } else if (e.status === 'done') entries.done++;
      else if (e.status === 'cancelled') entries.cancelled++;
      else entries.other++;
      if (e.status !== 'cancelled') paidOut += e.paid;
    }
    const reserves = Object.values(state.reserves).reduce((a, b) => a + b, 0);
    const rewards = state.rewards.filter((r) => r.status !== 'cancelled').reduce((a, r) => a + r.amount, 0);
    const figures: SimulationFigures = {
      events: this.events,
      orders: this.orders,
      extracted: data.totals.extracted,
      paidOut,
      outstanding,
      reserves,
      kept: state.platform.kept,
      absorbed: state.platform.absorbed,
      platformNet: state.platform.kept - state.platform.absorbed,
      rewards,
      entries,
      wait: waitFigures(this.waits),
      compliance: checkCompliance(data.settings, {
        levels: data.levels.values(),
        products: data.products.values(),
        stores: data.stores.values(),
        storeProducts: data.storeProducts.values(),
        cashiers: data.cashiers.values(),
      }),
    };
    return withState ? { figures, state: printState(state) } : { figures };
  }
}

function waitFigures(waits: number[]): WaitFigures {
  if (waits.length === 0) return { filled: 0, p50: null, p90: null, p99: null, max: null };
  const sorted = Float64Array.from(waits).sort();
  const rank = (q: number) => round1(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { filled: sorted.length, p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: round1(sorted[sorted.length - 1]) };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The stream with the proposed settings in force throughout: the patch
 * first, and again after each settings event of the stream (a recorded
 * change would otherwise undo it).
 */
export function* withProposedSettings(events: Iterable<ReplayEvent>, patch: SettingsPatch): Generator<ReplayEvent> {
  const proposed: SettingsEvent = { type: 'settings', patch };
  yield proposed;
  for (const e of events) {
    yield e;
    if (e.type === 'settings') yield proposed;
  }
}

/** Both runs of one stream: as recorded (today's settings) and with the proposed patch. */
export function compareSettings(
  events: readonly ReplayEvent[],
  patch: SettingsPatch,
  withState = false,
): { current: SimulationResult; proposed: SimulationResult } {
  const current = new Simulation();
  for (const e of events) current.apply(e);
  const proposed = new Simulation();
  for (const e of withProposedSettings(events, patch)) proposed.apply(e);
  return { current: current.result(withState), proposed: proposed.result(withState) };
}
