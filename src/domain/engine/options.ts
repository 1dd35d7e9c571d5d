// Shopper options on entries (docs/engine-semantics.md "Lottery draw",
// "Exchange", "Random return"): drawing a lottery ratio, exchanging an
// entry's remainder for points / love value / coupons, and random-return
// conversion to points. Points, love and coupons live here too.
import type { DrawEvent, ExchangeEvent } from '../events';
import { normalizeRatio, pct, type Fen } from '../money';
import { drawLottery, isPossibleOutcome, shuffleSlots, type Slot } from '../random';
import { fail } from '../validate';
import type { Credit, Entry, ModelData, Order, Queue, RandomGroup } from './model';
import { advanceHead, ensureQueue } from './queue';

// ---------------------------------------------------------------------------
// Points, love value, coupons

function add(map: Map<string, Fen>, user: string, amount: Fen): void {
  map.set(user, (map.get(user) ?? 0) + amount);
}

function love(data: ModelData, user: string): { available: Fen; frozen: Fen } {
  let w = data.love.get(user);
  if (!w) data.love.set(user, (w = { available: 0, frozen: 0 }));
  return w;
}

/** Credits an exchange or conversion to the entry's owner and records it on the entry. */
function credit(data: ModelData, entry: Entry, to: Credit['to'], amount: Fen): void {
  // Love is frozen under `loveFrozen` until the entry's order completes.
  const frozen = to === 'love' && data.settings.loveFrozen && entry.order.status !== 'completed';
  entry.credited = { to, amount, frozen };
  if (to === 'points') add(data.points, entry.user, amount);
  else if (to === 'coupon') add(data.coupons, entry.user, amount);
  else if (frozen) love(data, entry.user).frozen += amount;
  else love(data, entry.user).available += amount;
}

/** At the order's completion: its frozen love becomes available. */
export function releaseOrderCredits(data: ModelData, order: Order): void {
  for (const line of order.lines) {
    const c = line.entry?.credited;
    if (!c || !c.frozen) continue;
    const w = love(data, order.user);
    w.frozen -= c.amount;
    w.available += c.amount;
    c.frozen = false;
  }
}

/** At a refund: what the order's entries were credited by exchange or conversion is taken back. */
export function takeBackOrderCredits(data: ModelData, order: Order): void {
  for (const line of order.lines) {
    const c = line.entry?.credited;
    if (!c) continue;
    if (c.to === 'points') add(data.points, order.user, -c.amount);
    else if (c.to === 'coupon') add(data.coupons, order.user, -c.amount);
    else if (c.frozen) love(data, order.user).frozen -= c.amount;
    else love(data, order.user).available -= c.amount;
  }
}

/** Love value printed in the replay state: available + frozen. */
export function loveTotal(data: ModelData, user: string): Fen {
  const w = data.love.get(user);
  return w ? w.available + w.frozen : 0;
}

// ---------------------------------------------------------------------------
// draw, exchange

function entryOf(data: ModelData, orderId: string, line: number): Entry {
  const order = data.orders.get(orderId);
  if (!order) fail('order', `unknown order "${orderId}"`);
  const entry = order.lines[line]?.entry;
  if (!entry) fail('line', `order "${orderId}" has no entry on line ${line}`);
  return entry;
}

export function applyDraw(data: ModelData, e: DrawEvent): void {
  const entry = entryOf(data, e.order, e.line);
  if (!entry.lottery) fail('line', 'this entry has no lottery to draw');
  if (entry.drawn) fail('line', 'this entry was already drawn');
  if (entry.status !== 'waiting') fail('line', `this entry is ${entry.status}, not waiting`);
  if (entry.paid > 0) fail('line', 'this entry has already received a payout');
  let ratio: string;
  if (e.outcome !== undefined) {
    if (!isPossibleOutcome(entry.lottery, e.outcome)) fail('outcome', 'is not a possible outcome of this lottery');
    ratio = normalizeRatio(e.outcome);
  } else {
    ratio = drawLottery(entry.lottery, data.random(`draw:${e.order}:${e.line}`));
  }
  entry.drawn = true;
  entry.ratio = ratio;
  entry.entitlement = pct(entry.base, ratio);
  if (entry.entitlement === 0) {
    entry.status = 'done';
    advanceHead(ensureQueue(data, entry.queue));
  }
}

export function applyExchange(data: ModelData, e: ExchangeEvent): void {
  const entry = entryOf(data, e.order, e.line);
  if (entry.status !== 'waiting') fail('line', `this entry is ${entry.status}, not waiting`);
  const remaining = entry.entitlement - entry.paid;
  credit(data, entry, e.to, pct(remaining, data.settings.exchangeRatio[e.to]));
  entry.status = 'exchanged';
  advanceHead(ensureQueue(data, entry.queue));
}

// ---------------------------------------------------------------------------
// Random return

/** The random-return config of a queue: a store's / cashier's own when set, else the base one; null when off. */
export function randomReturnConfig(data: ModelData, queueKey: string): { cashCount: number; pointsCount: number } | null {
  // `store:<id>` / `cashier:<id>` (ids may contain ':'); sliced, not regex-split: called for every line.
  const colon = queueKey.indexOf(':');
  const prefix = colon === -1 ? queueKey : queueKey.slice(0, colon);
  const id = queueKey.slice(colon + 1);
  const own =
    prefix === 'store' ? data.stores.get(id)?.queue.randomReturn : prefix === 'cashier' ? data.cashiers.get(id)?.queue.randomReturn : undefined;
  const rr = own ?? data.settings.randomReturn;
  if (!rr.on || rr.cashCount + rr.pointsCount === 0) return null;
  return { cashCount: rr.cashCount, pointsCount: rr.pointsCount };
}

export interface SlotRequest {
  queue: string;
  /** Whether the line gets an entry. */
  joins: boolean;
  pin?: Slot;
  /** Field of the pin: `lines[i].randomReturn` or `randomReturn` (built only for an error). */
  field: () => string;
}

/** The group and slot of a joining entry. */
export interface SlotChoice {
  group: number;
  slot: Slot;
}

export interface RandomReturnPlan {
  choices: (SlotChoice | null)[];
  /** Group state per touched queue after the order, committed with the order. */
  queues: Map<string, { groups: number; group: RandomGroup | null }>;
}

/**
 * Assigns slots to an order's joining entries, in line order, without
 * changing anything (a bad pin fails the whole order). A pin on a line
 * without an entry takes no slot; `points` on a queue without random return
 * is an error.
 */
export function planRandomReturn(data: ModelData, requests: SlotRequest[]): RandomReturnPlan {
  const queues: RandomReturnPlan['queues'] = new Map();
  const choices = requests.map((r): SlotChoice | null => {
    const config = randomReturnConfig(data, r.queue);
    if (!config) {
      if (r.pin === 'points') fail(r.field(), 'random return is off for this line');
      return null;
    }
    if (!r.joins) return null;
    let state = queues.get(r.queue);
    if (!state) {
      const q = data.queues.get(r.queue);
      state = { groups: q?.groups ?? 0, group: q?.group ? { ...q.group } : null };
      queues.set(r.queue, state);
    }
    let g = state.group;
    if (!g || g.taken === g.cashCount + g.pointsCount || g.cashCount !== config.cashCount || g.pointsCount !== config.pointsCount) {
      const no = state.groups + 1;
      const slots = shuffleSlots(config.cashCount, config.pointsCount, (i) => data.random(`random-return:${r.queue}:${no}:${i}`));
      g = { no, ...config, slots, taken: 0, cash: 0, points: 0 };
      state.groups = no;
      state.group = g;
    }
    const left = { cash: g.cashCount - g.cash, points: g.pointsCount - g.points };
    let slot: Slot;
    if (r.pin !== undefined) {
      if (left[r.pin] === 0) fail(r.field(), `no ${r.pin} slot left in this random-return group`);
      slot = r.pin;
    } else {
      slot = g.slots[g.taken];
      if (left[slot] === 0) slot = slot === 'cash' ? 'points' : 'cash';
    }
    g.taken++;
    g[slot]++;
    return { group: g.no, slot };
  });
  return { choices, queues };
}

/** Stores the planned group states (after the order's entries joined). */
export function commitRandomReturn(data: ModelData, plan: RandomReturnPlan): void {
  for (const [key, state] of plan.queues) {
    const queue: Queue = ensureQueue(data, key);
    queue.groups = state.groups;
    queue.group = state.group;
  }
}

/** A joined entry takes its slot; a `points` slot converts it at once. */
export function takeSlot(data: ModelData, entry: Entry, choice: SlotChoice): void {
  entry.group = choice.group;
  entry.slot = choice.slot;
  if (choice.slot === 'cash') return;
  entry.status = 'converted';
  credit(data, entry, 'points', pct(entry.entitlement, data.settings.exchangeRatio.points));
  advanceHead(ensureQueue(data, entry.queue));
}
