// Benchmarks of the model engine (no database):
// - model-replay: a synthetic stream of BENCH_MODEL_ORDERS (1,000,000) orders
//   through the model engine (parse, validate, apply), ÷ the time to parse
//   the same lines and sum what they paid. Target ratio ≤ 5.
// - estimate-calibration: a synthetic stationary 90-day stream
//   (BENCH_CALIBRATION_ORDERS_PER_DAY, 300) replayed event by event; each entry
//   gets the estimate of src/domain/forecast.ts when it joins; coverage = the
//   share of entries filled inside their predicted date range, among those
//   whose range ended inside the stream (outcome known), joined after a 7-day
//   warm-up, and not refunded. Target coverage ≥ 0.8; ratio = coverage / 0.8.
import { ModelEngine, type Entry } from '../../src/domain/engine';
import { parseEvent } from '../../src/domain/events';
import { FORECAST_WINDOW_DAYS, forecast, shanghaiDate, trailingInflow } from '../../src/domain/forecast';
import { Simulation, type InflowEvent } from '../../src/domain/simulate';
import { parseSyntheticSpec, syntheticStream, type SyntheticSpec } from '../../src/domain/synthetic';
import type { BenchContext, BenchResult } from './common';
import { envInt, now, round } from './common';

/** Lines of `text` without splitting it into an array (a million-order stream is ~200 MB). */
function* lines(text: string): Generator<string> {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end === -1) {
      if (start < text.length) yield text.slice(start);
      return;
    }
    if (end > start) yield text.slice(start, end);
    start = end + 1;
  }
}

function replaySpec(orders: number): SyntheticSpec {
  const perDay = 10_000;
  return parseSyntheticSpec({
    seed: 13,
    start: '2026-01-01T00:00:00+08:00',
    days: Math.max(1, Math.ceil(orders / perDay)),
    ordersPerDay: perDay,
    users: 20_000,
    products: [
      { id: 'rice', price: 16800, cost: 9000, weight: 3, queue: { independentRatio: '130', extractRatio: '65' } },
      { id: 'oil', price: 5900, cost: 3000, weight: 5 },
      { id: 'tea', price: 29800, cost: 12000, weight: 1 },
      { id: 'soap', price: 1200, cost: 500, weight: 4, queue: { extractRatio: '30' } },
    ],
    completeAfterDays: [7, 10],
    refundRate: 0.02,
    refundAfterDays: [0, 3],
    settings: { distribution: { on: true, directRatio: '5', indirectRatio: '2' } },
  });
}

export async function modelReplay(ctx: BenchContext): Promise<BenchResult> {
  const target = envInt('BENCH_MODEL_ORDERS', 1_000_000);
  ctx.log(`model-replay: generating ${target} orders`);
  const parts: string[] = [];
  let orders = 0;
  for (const e of syntheticStream(replaySpec(target))) {
    if (e.type === 'order') {
      if (orders === target) continue;
      orders++;
    }
    parts.push(JSON.stringify(e));
  }
  const text = `${parts.join('\n')}\n`;
  parts.length = 0;
  ctx.log(`model-replay: ${orders} orders, ${round(text.length / 1e6, 1)} MB; parse and sum`);

  // Baseline: parse every line and sum what the orders paid.
  let t = now();
  let sum = 0;
  for (const line of lines(text)) {
    const e = JSON.parse(line);
    if (e.type === 'order') for (const l of e.lines) sum += l.paid;
  }
  const parseMs = now() - t;

  ctx.log('model-replay: through the model engine');
  t = now();
  const engine = new ModelEngine({ log: false });
  for (const line of lines(text)) engine.apply(parseEvent(JSON.parse(line)));
  const modelMs = now() - t;
  const paid = [...engine.data.orders.values()].reduce((a, o) => a + o.lines.reduce((b, l) => b + l.paid, 0), 0);
  if (paid !== sum) throw new Error(`model-replay: the model saw ${paid} paid, the parse ${sum}`);
  return {
    bench: 'model-replay',
    ratio: round(modelMs / parseMs, 2),
    orders,
    ordersPerSec: Math.round(orders / (modelMs / 1000)),
    modelMs: Math.round(modelMs),
    parseMs: Math.round(parseMs),
    target: '<= 5',
  };
}

/** The tail of a time-ordered inflow list inside the 7-day window (binary search: the list only grows). */
function lastWeek(list: InflowEvent[], nowMs: number): InflowEvent[] {
  const from = nowMs - FORECAST_WINDOW_DAYS * 86_400_000;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].atMs <= from) lo = mid + 1;
    else hi = mid;
  }
  return list.slice(lo);
}

function calibrationSpec(perDay: number): SyntheticSpec {
  return parseSyntheticSpec({
    seed: 29,
    start: '2026-01-01T00:00:00+08:00',
    days: 90,
    ordersPerDay: perDay,
    users: 5_000,
    // Ratio 100%, extraction 50%: every entry is filled by about two later orders' worth,
    // so the wait grows with the backlog and entries of the first half fill within the stream.
    products: [
      { id: 'rice', price: 16800, cost: 9000, weight: 3, queue: { extractRatio: '50' } },
      { id: 'oil', price: 5900, cost: 3000, weight: 5, queue: { extractRatio: '50' } },
      { id: 'tea', price: 29800, cost: 12000, weight: 1, queue: { extractRatio: '50' } },
    ],
    completeAfterDays: [7, 10],
    refundRate: 0.03,
    refundAfterDays: [0, 3],
  });
}

export async function estimateCalibration(ctx: BenchContext): Promise<BenchResult> {
  const perDay = envInt('BENCH_CALIBRATION_ORDERS_PER_DAY', 300);
  const spec = calibrationSpec(perDay);
  const startMs = Date.parse(spec.start);
  const endDate = shanghaiDate(startMs + spec.days * 86_400_000 - 1);
  const warmupMs = startMs + 7 * 86_400_000;
  const predicted = new Map<Entry, { from: string; to: string | null }>();
  const filledOn = new Map<Entry, string>();
  // Remaining entitlement of the waiting entries of each queue, kept as the stream goes (a scan per order is quadratic).
  const outstanding = new Map<string, number>();
  const add = (queue: string, fen: number) => outstanding.set(queue, (outstanding.get(queue) ?? 0) + fen);
  const sim = new Simulation({
    trackInflow: true,
    onFilled: (entry, atMs) => filledOn.set(entry, shanghaiDate(atMs)),
    onAllocation: (a) => {
      for (const p of a.payouts) add(a.queue, -p.amount);
    },
  });
  const data = sim.engine.data;
  ctx.log(`estimate-calibration: 90 days at ${perDay} orders a day`);
  const t = now();
  for (const raw of syntheticStream(spec)) {
    const event = parseEvent(raw);
    if (event.type === 'refund') {
      for (const line of data.orders.get(event.order)?.lines ?? []) {
        if (line.entry?.status === 'waiting') add(line.queue, -(line.entry.entitlement - line.entry.paid));
      }
    }
    sim.apply(event);
    if (event.type !== 'order') continue;
    const order = data.orders.get(event.id)!;
    for (const line of order.lines) {
      if (line.entry?.status === 'waiting') add(line.queue, line.entry.entitlement - line.entry.paid);
    }
    if (event.atMs < warmupMs) continue;
    for (const line of order.lines) {
      const entry = line.entry;
      if (!entry || entry.status !== 'waiting') continue;
      const queue = data.queues.get(entry.queue)!;
      // Strict order and the newest entry: every waiting entry is ahead (its own remaining included);
      // the reserve is paid out first.
      const f = forecast({
        amount: outstanding.get(entry.queue)! - queue.reserve,
        daily: trailingInflow(lastWeek(sim.inflow.get(entry.queue) ?? [], event.atMs), event.atMs),
        today: shanghaiDate(event.atMs),
        paused: data.settings.paused,
      });
      if (f.status === 'estimate') predicted.set(entry, { from: f.dateFrom!, to: f.dateTo });
    }
  }
  const ms = now() - t;
  let counted = 0;
  let hits = 0;
  let early = 0;
  let late = 0;
  let open = 0;
  for (const [entry, range] of predicted) {
    if (entry.status === 'cancelled') continue;
    if (range.to === null) {
      open++;
      continue;
    }
    if (range.to > endDate) continue; // outcome not known inside the stream
    counted++;
    const paid = filledOn.get(entry);
    if (paid !== undefined && paid >= range.from && paid <= range.to) hits++;
    else if (paid !== undefined && paid < range.from) early++;
    else late++;
  }
  const coverage = counted ? hits / counted : 0;
  return {
    bench: 'estimate-calibration',
    ratio: round(coverage / 0.8, 3),
    coverage: round(coverage, 3),
    entries: counted,
    early,
    late,
    openRange: open,
    replayMs: Math.round(ms),
    target: 'coverage >= 0.8',
  };
}
