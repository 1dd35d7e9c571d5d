// Union queue mode (工会排队; SPEC §5, docs/engine-semantics.md "Union queue
// mode"): one platform-wide queue `union` joined at line completion with
// quota = base × unionQuotaRatio, funded by a daily pool of unionPoolRatio ×
// the previous days' net profit, paying whole entries strictly in order;
// acceleration (推广加速) pays a referrer's oldest waiting entry at once from
// the referee order's net profit. Mirrors supabase/migrations/0009_union.sql.
//
// Everything here runs after its event was validated, except
// `checkModeChange`, which validates.
import Decimal from 'decimal.js';
import { normalizeRatio, pct, type Fen, type Ratio } from '../money';
import type { SettingsPatch } from '../settings';
import { fail } from '../validate';
import type { Line, ModelData, Order, UnionData, UnionEntry, UnionRun } from './model';
import { wallet } from './queue';
import { forecast, FORECAST_WINDOW_DAYS, type Forecast } from '../forecast';
import { clockMinutes, localDay } from './time';

/** The queue key union entries print with, and the key union-mode lines record. */
export const UNION_QUEUE = 'union';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

// The data types live in model.ts (the engine's data), so model.ts imports nothing back from here.
export type { UnionAcceleration, UnionData, UnionEntry, UnionLine, UnionRun } from './model';

export function emptyUnion(): UnionData {
  return { entries: [], head: 0, pool: 0, lines: [], lastRunDay: null, runs: [], accelerations: [] };
}

export function isUnionMode(data: ModelData): boolean {
  return data.settings.mode === 'union';
}

/** A `settings` event: the mode is chosen at setup; changing it once any order exists is refused. */
export function checkModeChange(data: ModelData, patch: SettingsPatch): void {
  if (patch.mode !== undefined && patch.mode !== data.settings.mode && data.orders.size > 0) {
    fail('mode', 'cannot be changed once an order exists (union and classic queues are separate systems, chosen at setup)');
  }
}

// ---------------------------------------------------------------------------
// Completion: profit, entries, acceleration

/**
 * Profit of one line by source, as settled (settlement.ts): self-operated
 * paid − cost (the catalogue at completion); supplier paid − the supply price
 * fixed at payment; store product and cashier the platform's commission fixed
 * at payment. Never below 0, so the pool only ever takes what the platform keeps.
 */
export function lineProfit(data: ModelData, line: Pick<Line, 'kind' | 'item' | 'paid' | 'commission' | 'supplier' | 'supply'>): Fen {
  if (line.kind !== 'product') return line.commission;
  const cost = line.supplier !== null ? line.supply : data.products.get(line.item)!.cost;
  return Math.max(0, line.paid - cost);
}

/** Whether a completed line gets a union entry: the plugin and the item (and a store product's store) enabled. */
function lineJoins(data: ModelData, line: Line): boolean {
  if (!data.settings.enabled) return false;
  if (line.kind === 'product') return data.products.get(line.item)!.queue.enabled !== false;
  if (line.kind === 'storeProduct') {
    const sp = data.storeProducts.get(line.item)!;
    return sp.queue.enabled !== false && data.stores.get(line.store!)!.queue.enabled !== false;
  }
  return data.cashiers.get(line.item)!.queue.enabled !== false;
}

/** minWaitDays of the line's item, else its store's (store products and cashiers); 0 when none. */
function minWaitDays(data: ModelData, line: Line): number {
  const store = line.store === undefined ? undefined : data.stores.get(line.store);
  if (line.kind === 'product') return data.products.get(line.item)!.queue.minWaitDays ?? 0;
  const own = line.kind === 'storeProduct' ? data.storeProducts.get(line.item)!.queue : data.cashiers.get(line.item)!.queue;
  return own.minWaitDays ?? store?.queue.minWaitDays ?? 0;
}

/** Takes `amount` from the lines' values in line order, each never below 0. */
function spread(values: Fen[], amount: Fen): Fen[] {
  let left = amount;
  return values.map((v) => {
    const take = Math.min(v, left);
    left -= take;
    return v - take;
  });
}

/**
 * Called at the end of a completion in union mode: every line records its
 * net profit for the next daily run, eligible lines join the union queue in
 * line order, then the buyer's direct referrer may be accelerated.
 */
export function completeUnionOrder(data: ModelData, order: Order, atMs: number): void {
  const { settings } = data;
  const u = data.union;
  const day = localDay(atMs);
  const record = data.distribution.orders.get(order.id);
  const rewards = (record?.rewards ?? []).reduce((s, r) => (r.status === 'cancelled' ? s : s + r.amount), 0);
  const profits = order.lines.map((l) => lineProfit(data, l));
  const net0 = spread(profits, rewards);
  const orderNet = net0.reduce((s, v) => s + v, 0);

  const ratio = normalizeRatio(settings.unionQuotaRatio);
  for (const line of order.lines) {
    if (!lineJoins(data, line)) continue;
    const quota = pct(line.paid, settings.unionQuotaRatio);
    u.entries.push({
      seq: u.entries.length + 1,
      order: order.id,
      line: line.index,
      user: order.user,
      base: line.paid,
      ratio,
      quota,
      paid: 0,
      status: quota === 0 ? 'done' : 'waiting',
      completedDay: day,
      payableDay: day + Math.max(1, minWaitDays(data, line)),
      paidDay: null,
    });
  }
  advanceUnionHead(u);

  const acceleration = accelerate(data, order, orderNet, record?.base ?? 0);
  const net = spread(net0, acceleration);
  order.lines.forEach((line, i) => {
    u.lines.push({ order: order.id, line: line.index, day, profit: profits[i], net: net[i], settledDay: null });
  });
}

/**
 * Acceleration: with distribution on and accelerationRatio > 0, pct(order
 * base B, accelerationRatio), capped by the order's net profit and by the
 * remaining quota of the referrer's oldest waiting union entry, is paid to
 * that entry at once (available). Returns the amount paid.
 */
function accelerate(data: ModelData, order: Order, orderNet: Fen, base: Fen): Fen {
  const d = data.settings.distribution;
  if (!d.on || !new Decimal(d.accelerationRatio).gt(0)) return 0;
  const referrer = data.users.get(order.user)?.referrer;
  if (referrer === undefined) return 0;
  const u = data.union;
  let target: UnionEntry | undefined;
  for (let i = u.head; i < u.entries.length; i++) {
    const e = u.entries[i];
    if (e.status === 'waiting' && e.user === referrer) {
      target = e;
      break;
    }
  }
  if (!target) return 0;
  const amount = Math.min(pct(base, d.accelerationRatio), orderNet, target.quota - target.paid);
  if (amount <= 0) return 0;
  target.paid += amount;
  if (target.paid === target.quota) target.status = 'done';
  wallet(data, referrer).available += amount;
  data.distribution.rewards.push({ order: order.id, user: referrer, kind: 'acceleration', amount, status: 'available' });
  u.accelerations.push({ order: order.id, user: referrer, seq: target.seq, amount });
  advanceUnionHead(u);
  return amount;
}

function advanceUnionHead(u: UnionData): void {
  while (u.head < u.entries.length && u.entries[u.head].status !== 'waiting') u.head++;
}

// ---------------------------------------------------------------------------
// The daily run

/** The instant of local day `day` at `minutes` past local midnight (Shanghai). */
function localInstant(day: number, minutes: number): number {
  return day * DAY_MS + minutes * 60_000 - OFFSET_MS;
}

/**
 * The settlement of run day R: every unsettled line completed before day R
 * adds its net profit; pool += pct(Σ net, unionPoolRatio); then waiting
 * entries payable by R (payableDay <= R; locked ones are skipped and keep
 * their place) are paid their whole remaining quota in seq order while the
 * pool covers it; the first one it does not cover stops the walk.
 */
export function runUnionDay(data: ModelData, day: number): UnionRun {
  const u = data.union;
  let netProfit = 0;
  for (const line of u.lines) {
    if (line.settledDay === null && line.day < day) {
      line.settledDay = day;
      netProfit += line.net;
    }
  }
  const inflow = pct(netProfit, data.settings.unionPoolRatio);
  const poolBefore = u.pool;
  let pool = poolBefore + inflow;
  let paidCount = 0;
  let paidAmount = 0;
  for (let i = u.head; i < u.entries.length; i++) {
    const e = u.entries[i];
    if (e.status !== 'waiting' || e.payableDay > day) continue;
    const due = e.quota - e.paid;
    if (due > pool) break;
    pool -= due;
    e.paid = e.quota;
    e.status = 'done';
    e.paidDay = day;
    wallet(data, e.user).available += due;
    paidCount++;
    paidAmount += due;
  }
  advanceUnionHead(u);
  u.pool = pool;
  const run: UnionRun = { day, netProfit, inflow, poolBefore, paidCount, paidAmount, poolAfter: pool };
  u.runs.push(run);
  u.lastRunDay = day;
  return run;
}

/**
 * The union job of `tick` at T: every run day R whose unionDailyAt (Shanghai)
 * is at or before T and that has not run yet, in order. The first run day is
 * the day after the earliest completed line; no line yet: nothing runs.
 */
export function runUnionDue(data: ModelData, atMs: number): void {
  const u = data.union;
  let day: number;
  if (u.lastRunDay !== null) {
    day = u.lastRunDay + 1;
  } else {
    const pending = u.lines.filter((l) => l.settledDay === null);
    if (pending.length === 0) return;
    day = Math.min(...pending.map((l) => l.day)) + 1;
  }
  const minutes = clockMinutes(data.settings.unionDailyAt);
  while (localInstant(day, minutes) <= atMs) {
    runUnionDay(data, day);
    day++;
  }
}

// ---------------------------------------------------------------------------
// Estimates

/** Trailing pool inflow: Σ inflow of the runs of the `days` run days up to and including `lastDay`. */
export function trailingInflow(u: UnionData, lastDay: number, days: number): Fen {
  return u.runs.filter((r) => r.day > lastDay - days && r.day <= lastDay).reduce((s, r) => s + r.inflow, 0);
}

/** The quota still owed to waiting entries ahead of `seq` (payable or not), and this entry's own remainder. */
export function quotaAhead(u: UnionData, seq: number): { ahead: Fen; own: Fen } {
  let ahead = 0;
  for (let i = u.head; i < seq - 1 && i < u.entries.length; i++) {
    const e = u.entries[i];
    if (e.status === 'waiting') ahead += e.quota - e.paid;
  }
  const self = u.entries[seq - 1];
  return { ahead, own: self ? self.quota - self.paid : 0 };
}

export interface UnionEstimate {
  /** Σ remaining quota of the waiting entries ahead (locked ones included). */
  ahead: Fen;
  /** This entry's remaining quota. */
  own: Fen;
  /** The pool after the last run. */
  pool: Fen;
  /** Inflow of the run days D − 6 … D (D = the last run day), oldest first; 0 for a day without a run. */
  daily: Fen[];
  /** The shared forecast (src/domain/forecast.ts); null before the first run or for an entry not waiting. */
  forecast: Forecast | null;
}

/** Local day number → YYYY-MM-DD. */
function dayDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * An estimate, never a promise (docs/engine-semantics.md "Union queue mode",
 * Estimates): the shared forecast of `ahead + own − pool` fen from the pool's
 * inflow of the last 7 run days, counted from the last run day, not before
 * the entry's payable day.
 */
export function estimateUnionEntry(u: UnionData, seq: number): UnionEstimate {
  const entry = u.entries[seq - 1];
  const { ahead, own } = quotaAhead(u, seq);
  const last = u.lastRunDay;
  const daily = Array.from({ length: FORECAST_WINDOW_DAYS }, (_x, i) =>
    last === null ? 0 : trailingInflow(u, last - (FORECAST_WINDOW_DAYS - 1 - i), 1),
  );
  const waiting = entry !== undefined && entry.status === 'waiting';
  return {
    ahead,
    own,
    pool: u.pool,
    daily,
    forecast:
      !waiting || last === null
        ? null
        : forecast({ amount: ahead + own - u.pool, daily, today: dayDate(last), notBefore: dayDate(entry.payableDay) }),
  };
}
