// Synthetic order streams for the what-if simulator and the benchmarks:
// Poisson arrivals, a price mix, completion and refund delays, all from a
// seeded generator so the same spec always gives the same stream. Pure (no
// I/O): yields plain event objects in time order, one at a time, so a
// million-order stream never sits in memory.
import type { QueueConfig } from './events';
import type { Fen } from './money';
import type { SettingsPatch } from './settings';
import { validateSettingsPatch } from './settings';
import { ValidationError } from './validate';

export interface SyntheticProduct {
  id: string;
  price: Fen;
  cost: Fen;
  source?: 'self' | 'supplier';
  /** Relative share of orders (default 1). */
  weight?: number;
  queue?: QueueConfig;
}

export interface SyntheticSpec {
  seed: number;
  /** First instant (ISO 8601 with offset). */
  start: string;
  days: number;
  ordersPerDay: number;
  users: number;
  products: SyntheticProduct[];
  /** Completion (after-sales end) this many days after payment, uniform in [min, max]. */
  completeAfterDays: [number, number];
  /** Share of orders refunded instead, and when. */
  refundRate: number;
  refundAfterDays: [number, number];
  /** Settings at the start of the stream (a settings patch), if any. */
  settings?: SettingsPatch;
}

export type SyntheticEvent = Record<string, unknown> & { type: string };

const DAY_MS = 86_400_000;

function fail(field: string, reason: string): never {
  throw new ValidationError(field, reason);
}

/** Checks a spec read from JSON; errors name the field. */
export function parseSyntheticSpec(value: unknown): SyntheticSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('spec', 'must be an object');
  const v = value as Record<string, unknown>;
  const num = (k: string, min: number, max: number, int = true): number => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max || (int && !Number.isInteger(x))) {
      fail(k, `must be ${int ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return x;
  };
  const range = (k: string): [number, number] => {
    const x = v[k];
    if (!Array.isArray(x) || x.length !== 2 || x.some((n) => typeof n !== 'number' || n < 0 || n > 365) || x[0] > x[1]) {
      fail(k, 'must be [min, max] days, 0 <= min <= max <= 365');
    }
    return [x[0], x[1]];
  };
  if (typeof v.start !== 'string' || Number.isNaN(Date.parse(v.start))) fail('start', 'must be an ISO 8601 time');
  if (!Array.isArray(v.products) || v.products.length === 0) fail('products', 'must be a non-empty array');
  const products = (v.products as unknown[]).map((p, i) => {
    const o = p as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) fail(`products[${i}]`, 'must be an object');
    if (typeof o.id !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(o.id)) fail(`products[${i}].id`, 'must be an id');
    for (const k of ['price', 'cost']) {
      if (typeof o[k] !== 'number' || !Number.isSafeInteger(o[k]) || (o[k] as number) < 0) fail(`products[${i}].${k}`, 'must be fen (a non-negative integer)');
    }
    if (o.weight !== undefined && (typeof o.weight !== 'number' || !(o.weight > 0))) fail(`products[${i}].weight`, 'must be a positive number');
    return o as unknown as SyntheticProduct;
  });
  const settings = v.settings === undefined ? undefined : validateSettingsPatch(v.settings, 'settings');
  return {
    seed: num('seed', 0, 2 ** 32 - 1),
    start: v.start as string,
    days: num('days', 1, 3650),
    ordersPerDay: num('ordersPerDay', 0, 10_000_000, false),
    users: num('users', 1, 10_000_000),
    products,
    completeAfterDays: range('completeAfterDays'),
    refundRate: num('refundRate', 0, 1, false),
    refundAfterDays: range('refundAfterDays'),
    settings,
  };
}

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). Not for money. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Pending {
  atMs: number;
  seq: number;
  event: SyntheticEvent;
}

/** A binary min-heap on (atMs, seq). */
class Heap {
  private items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  push(p: Pending): void {
    const a = this.items;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (less(a[parent], a[i])) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Pending, b: Pending): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The stream: settings (if any), products, users, then orders, completions and refunds in time order. */
export function* syntheticStream(spec: SyntheticSpec): Generator<SyntheticEvent> {
  const rand = seededRandom(spec.seed);
  if (spec.settings) yield { type: 'settings', ...spec.settings };
  for (const p of spec.products) {
    yield { type: 'product', id: p.id, price: p.price, source: p.source ?? 'self', cost: p.cost, ...(p.queue ? { queue: p.queue } : {}) };
  }
  for (let u = 1; u <= spec.users; u++) yield { type: 'user', id: `u${u}` };
  const weights = spec.products.map((p) => p.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const startMs = Date.parse(spec.start);
  const endMs = startMs + spec.days * DAY_MS;
  const heap = new Heap();
  let seq = 0;
  let n = 0;
  let t = startMs;
  const between = ([min, max]: [number, number]) => (min + rand() * (max - min)) * DAY_MS;
  for (;;) {
    // Exponential inter-arrival times: a Poisson process of ordersPerDay a day.
    t += spec.ordersPerDay > 0 ? Math.max(1, Math.round((-Math.log(1 - rand()) / spec.ordersPerDay) * DAY_MS)) : endMs;
    const next = t < endMs ? t : endMs;
    while (heap.size > 0 && heap.peek()!.atMs <= next) yield heap.pop()!.event;
    if (t >= endMs) break;
    n++;
    const id = `o${n}`;
    let pick = rand() * total;
    let k = 0;
    while (k < weights.length - 1 && pick >= weights[k]) pick -= weights[k++];
    const product = spec.products[k];
    const user = `u${1 + Math.floor(rand() * spec.users)}`;
    yield { type: 'order', id, user, at: iso(t), lines: [{ product: product.id, paid: product.price }] };
    const refund = rand() < spec.refundRate;
    const at = t + Math.max(1, Math.round(between(refund ? spec.refundAfterDays : spec.completeAfterDays)));
    if (at < endMs) heap.push({ atMs: at, seq: seq++, event: { type: refund ? 'refund' : 'complete', order: id, at: iso(at) } });
  }
}
