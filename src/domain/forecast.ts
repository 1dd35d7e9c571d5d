// Honest payout estimates (SPEC §9, §5): how long until `amount` more fen
// flow into a queue (or the union pool), from its trailing daily inflow.
// One rule, two places: this file and util.forecast in
// supabase/migrations/0011_forecast.sql compute the same JSON, fen for fen
// and day for day (test/unit/forecast.test.ts, supabase/tests/12_forecast.sql).
//
// The range comes from the daily variance: over k days the inflow is
// mean·k ± z·sd·sqrt(k·(1 + k/n)); the k/n term is the error of a mean taken
// from n days, which dominates long waits. Exact integer arithmetic (BigInt
// here, numeric in SQL), so both sides agree on every boundary.
import type { Fen } from './money';
import { formatYuan } from './money';

/** Trailing window of the estimate, in days (24 h slices back from now). */
export const FORECAST_WINDOW_DAYS = 7;
/** z² of the range, as a fraction: z = 1.6 (about 89% two-sided under a normal model). */
export const FORECAST_Z2 = { num: 256n, den: 100n } as const;
/** Longest horizon searched; a pessimistic bound beyond it is open ("or later"). */
export const FORECAST_MAX_DAYS = 3650;

export interface ForecastInput {
  /** Fen that must still flow in before the entry is filled: remaining entitlement ahead + its own − the reserve. */
  amount: Fen;
  /** Inflow per day of the trailing window (fen, any order, at least 2 days). */
  daily: readonly Fen[];
  /** Local date (Asia/Shanghai, YYYY-MM-DD) the projection counts from. */
  today: string;
  /** Earliest local date the entry may be paid (minWaitDays), if any. */
  notBefore?: string | null;
  /** The queue is paused: nothing reaches its entries until it resumes. */
  paused?: boolean;
}

export type ForecastStatus = 'estimate' | 'noInflow' | 'paused';

export interface Forecast {
  status: ForecastStatus;
  /** Mean inflow per day over the window, rounded half up (fen); null when paused. */
  inflowPerDay: Fen | null;
  /** Days until filled at the mean inflow; null without an estimate. */
  days: number | null;
  /** Optimistic and pessimistic days (high null: beyond FORECAST_MAX_DAYS). */
  daysLow: number | null;
  daysHigh: number | null;
  /** Expected date, and the range the payout is projected to complete in (dateTo null: open). */
  date: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  /** The basis in words, shown beside the figure. */
  basis: string;
  method: 'trailing7d';
}

const DAY_MS = 86_400_000;

/** YYYY-MM-DD plus `days`. */
export function addDays(date: string, days: number): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Asia/Shanghai local date of an instant. */
export function shanghaiDate(atMs: number): string {
  return new Date(atMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Buckets inflow events into `days` 24-hour slices back from `nowMs`
 * (slice 0 = (now − 24 h, now]), as rebate.queue_inflow does. Events after
 * now, or at or before the window's start, are left out.
 */
export function trailingInflow(events: Iterable<{ atMs: number; amount: Fen }>, nowMs: number, days = FORECAST_WINDOW_DAYS): Fen[] {
  const out = new Array<Fen>(days).fill(0);
  for (const e of events) {
    if (e.atMs > nowMs) continue;
    const slice = Math.floor((nowMs - e.atMs) / DAY_MS);
    if (slice >= 0 && slice < days) out[slice] += e.amount;
  }
  return out;
}

function later(a: string, b: string | null | undefined): string {
  return b && b > a ? b : a;
}

/** Smallest k in [lo, hi] with pred(k), for a predicate false then true; null if none. */
function firstDay(lo: number, hi: number, pred: (k: bigint) => boolean): number | null {
  if (!pred(BigInt(hi))) return null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(BigInt(mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The estimate for one waiting entry (or any amount waiting on an inflow series). */
export function forecast(input: ForecastInput): Forecast {
  const { daily, today } = input;
  if (daily.length < 2) throw new Error('forecast: daily needs at least 2 days');
  const base = { method: 'trailing7d' as const };
  if (input.paused) {
    return {
      ...base,
      status: 'paused',
      inflowPerDay: null,
      days: null,
      daysLow: null,
      daysHigh: null,
      date: null,
      dateFrom: null,
      dateTo: null,
      basis: '队列奖励暂停中，暂停期间不产生返还，暂无法估算',
    };
  }
  const n = BigInt(daily.length);
  let s = 0n;
  let q = 0n;
  for (const d of daily) {
    const x = BigInt(d);
    s += x;
    q += x * x;
  }
  // Mean rounded half up: floor((2s + n) / 2n).
  const inflowPerDay = Number((2n * s + n) / (2n * n));
  if (s === 0n) {
    return {
      ...base,
      status: 'noInflow',
      inflowPerDay: 0,
      days: null,
      daysLow: null,
      daysHigh: null,
      date: null,
      dateFrom: null,
      dateTo: null,
      basis: `近${daily.length}日队列无流入，暂无法估算`,
    };
  }
  const basis = `按近${daily.length}日日均流入 ¥${formatYuan(inflowPerDay)} 估算，仅供参考`;
  const a = BigInt(Math.max(0, input.amount));
  if (a === 0n) {
    const d = later(today, input.notBefore);
    return { ...base, status: 'estimate', inflowPerDay, days: 0, daysLow: 0, daysHigh: 0, date: d, dateFrom: d, dateTo: d, basis };
  }
  // Variance numerator: n·Σx² − (Σx)² = n²(n−1)·sample variance.
  const v = n * q - s * s;
  const { num, den } = FORECAST_Z2;
  // Optimistic: s·k/n + z·sd·sqrt(k(n+k)/n) ≥ a.  Pessimistic: s·k/n − z·sd·sqrt(k(n+k)/n) ≥ a.
  const optimistic = (k: bigint) => {
    const d = s * k - n * a;
    return d >= 0n || d * d * (n - 1n) * den <= num * v * k * (n + k);
  };
  const pessimistic = (k: bigint) => {
    const d = s * k - n * a;
    return d >= 0n && d * d * (n - 1n) * den >= num * v * k * (n + k);
  };
  const days = Number((n * a + s - 1n) / s); // ceil(n·a / s)
  const daysLow = firstDay(1, days, optimistic) ?? days;
  const daysHigh = firstDay(days, Math.max(days, FORECAST_MAX_DAYS), pessimistic);
  return {
    ...base,
    status: 'estimate',
    inflowPerDay,
    days,
    daysLow,
    daysHigh,
    date: later(addDays(today, days), input.notBefore),
    // The crossing happens within day k: from the day before (late in the day) to day k itself.
    dateFrom: later(addDays(today, daysLow - 1), input.notBefore),
    dateTo: daysHigh === null ? null : later(addDays(today, daysHigh), input.notBefore),
    basis,
  };
}
