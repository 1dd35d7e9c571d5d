// Orders: payment (entries join, extraction at settleOn = "paid"),
// completion and refund (docs/engine-semantics.md "Orders", "Completion",
// "Refund"). Each handler validates everything first, then mutates.
import type { CompleteEvent, OrderEvent, QueueConfig, RefundEvent } from '../events';
import { isCashierOrder } from '../events';
import { normalizeRatio, pct, type Fen, type Ratio } from '../money';
import { fail, join } from '../validate';
import { cancelOrderRewards, releaseOrderRewards, rewardOrder } from './distribution';
import type { LimitCounter, Line, LineKind, ModelData, Order } from './model';
import { recordCompletion } from './members';
import { commitRandomReturn, planRandomReturn, releaseOrderCredits, takeBackOrderCredits, takeSlot } from './options';
import { resolveLine, type EntryChoice } from './ratio';
import { advanceHead, allocate, ensureQueue, joinQueue, wallet } from './queue';
import { lineSettlement, settleCompleted, settlePaid, settleRefunded } from './settlement';
import { localDay } from './time';
import { completeUnionOrder, isUnionMode, UNION_QUEUE } from './union';

interface LineInput {
  kind: LineKind;
  item: string;
  paid: Fen;
  deducted: Fen;
  randomReturn?: 'cash' | 'points';
  /** Index in `lines`, or null for a cashier order (its fields are top-level). */
  index: number | null;
}

/** Field path of `key` of this line, for error messages (built only on failure: this is the hot path). */
function fieldOf(input: LineInput, key: string): string {
  return input.index === null ? key : join(join('lines', input.index), key);
}

interface PlannedLine {
  line: Line;
  entry: { ratio: Ratio; lottery: EntryChoice['lottery']; entitlement: Fen; limitKeys: readonly string[] } | null;
}

function lineInputs(e: OrderEvent): LineInput[] {
  if (isCashierOrder(e)) {
    return [{ kind: 'cashier', item: e.cashier, paid: e.paid, deducted: e.deducted, randomReturn: e.randomReturn, index: null }];
  }
  return e.lines.map((l, i) => ({
    kind: l.product !== undefined ? 'product' : 'storeProduct',
    item: (l.product ?? l.storeProduct)!,
    paid: l.paid,
    deducted: l.deducted,
    randomReturn: l.randomReturn,
    index: i,
  }));
}

function requireItem(data: ModelData, input: LineInput): void {
  const exists =
    input.kind === 'product'
      ? data.products.has(input.item)
      : input.kind === 'storeProduct'
        ? data.storeProducts.has(input.item)
        : data.cashiers.has(input.item);
  if (!exists) fail(fieldOf(input, input.kind), `unknown ${input.kind === 'storeProduct' ? 'store product' : input.kind} "${input.item}"`);
}

/**
 * Keys of the limit counters a line of this item counts in; a store's limits
 * count its store-product lines. Refunds recompute them from the line rather
 * than keeping them on every entry.
 */
function limitKeys(kind: LineKind, item: string, store: string | undefined): readonly string[] {
  if (kind === 'storeProduct') return [`${kind}:${item}`, `store:${store}`];
  return [`${kind}:${item}`];
}

/** A user's limit counters by limit key; created on first use. */
function userCounters(data: ModelData, user: string): Map<string, LimitCounter> {
  let counters = data.limits.get(user);
  if (!counters) data.limits.set(user, (counters = new Map()));
  return counters;
}

export function applyOrder(data: ModelData, e: OrderEvent): void {
  const { settings } = data;
  if (data.orders.has(e.id)) fail('id', `order "${e.id}" already exists`);
  if (!data.users.has(e.user)) fail('user', `unknown user "${e.user}"`);
  const inputs = lineInputs(e);
  for (const input of inputs) {
    requireItem(data, input);
  }

  const day = localDay(e.atMs);
  // Entries planned earlier in this order count towards the limits of later lines.
  const planned = new Map<string, number>();
  const counters = data.limits.get(e.user);
  const count = (key: string, daily: boolean): number => {
    const c = counters?.get(key);
    const before = c ? (daily ? (c.byDay.get(day) ?? 0) : c.total) : 0;
    return before + (planned.get(key) ?? 0);
  };

  const plan: PlannedLine[] = inputs.map((input, index) => {
    // The line's rules (SQL: rebate.resolve_line), then whether it gets an entry (SQL: orders.line_joins).
    const rules = resolveLine(data, input.kind, input.item, e.user, e.atMs);
    // Union mode: no classic entry or extraction; the line joins the union queue at completion (union.ts).
    const union = isUnionMode(data);
    const extraction = union ? 0 : pct(input.paid, rules.extractRatio);
    const { commission, merchant, supplier, supply } = lineSettlement(data, input.kind, input.item, rules.configs.storeId, input.paid, extraction);
    // Every field in one literal (no spreads): a million lines share one object shape.
    const line: Line = {
      index,
      kind: input.kind,
      item: input.item,
      store: rules.configs.storeId,
      paid: input.paid,
      deducted: input.deducted,
      queue: union ? UNION_QUEUE : rules.queue,
      extraction,
      settleOn: union ? 'completed' : settings.settleOn,
      allocated: false,
      commission,
      merchant,
      supplier,
      supply,
      entry: null,
    };
    const keys = limitKeys(input.kind, input.item, rules.configs.storeId);
    // The item's own limits, then (store products) its store's: in the order of `keys`.
    const limited = [rules.configs.item, rules.configs.store];
    const joins =
      !union &&
      rules.enabled &&
      rules.inWindow &&
      !(settings.deductionOrders === 'noJoin' && input.deducted > 0) &&
      keys.every((key, k) => {
        const config = limited[k]!;
        return (
          (config.dailyLimit === undefined || count(key, true) < config.dailyLimit) &&
          (config.totalLimit === undefined || count(key, false) < config.totalLimit)
        );
      });
    if (!joins) return { line, entry: null };
    for (const key of keys) planned.set(key, (planned.get(key) ?? 0) + 1);
    const { ratio, lottery } = rules.entry;
    return { line, entry: { ratio, lottery, entitlement: pct(input.paid, ratio), limitKeys: keys } };
  });
  // Random-return slots of the joining entries (a bad pin fails here, before any change).
  const slots = planRandomReturn(
    data,
    plan.map(({ line, entry }, i) => ({ queue: line.queue, joins: entry !== null, pin: inputs[i].randomReturn, field: () => fieldOf(inputs[i], 'randomReturn') })),
  );

  // Validated; from here on nothing fails.
  const order: Order = { id: e.id, user: e.user, atMs: e.atMs, status: 'open', lines: [] };
  data.orders.set(e.id, order);
  wallet(data, e.user);
  for (let i = 0; i < plan.length; i++) {
    const { line, entry } = plan[i];
    const queue = ensureQueue(data, line.queue);
    order.lines.push(line);
    if (!entry) continue;
    line.entry = joinQueue(queue, {
      queue: line.queue,
      order,
      line: line.index,
      user: e.user,
      base: line.paid,
      ratio: entry.ratio,
      entitlement: entry.entitlement,
      paid: 0,
      day,
      lottery: entry.lottery,
      drawn: false,
      group: null,
      slot: null,
      credited: null,
    });
    const slot = slots.choices[i];
    if (slot) takeSlot(data, line.entry, slot);
    const userLimits = userCounters(data, e.user);
    for (const key of entry.limitKeys) {
      let c = userLimits.get(key);
      if (!c) userLimits.set(key, (c = { total: 0, byDay: new Map() }));
      c.total++;
      c.byDay.set(day, (c.byDay.get(day) ?? 0) + 1);
    }
  }
  commitRandomReturn(data, slots);
  for (const line of order.lines) {
    if (line.settleOn === 'paid') settle(data, order, line);
  }
  settlePaid(data, order);
  rewardOrder(data, order);
}

function settle(data: ModelData, order: Order, line: Line): void {
  allocate(data, ensureQueue(data, line.queue), line.extraction, order.id, line.index);
  line.allocated = true;
}

function openOrder(data: ModelData, e: CompleteEvent | RefundEvent): Order {
  const order = data.orders.get(e.order);
  if (!order) fail('order', `unknown order "${e.order}"`);
  if (order.status !== 'open') fail('order', `order "${e.order}" is already ${order.status}`);
  if (e.atMs < order.atMs) fail('at', 'must not be before the order time');
  return order;
}

export function applyComplete(data: ModelData, e: CompleteEvent): void {
  const order = openOrder(data, e);
  order.status = 'completed';
  for (const line of order.lines) {
    if (line.settleOn === 'completed') settle(data, order, line);
  }
  // Everything paid to this order's entries so far was credited frozen.
  const w = wallet(data, order.user);
  for (const line of order.lines) {
    if (!line.entry) continue;
    w.frozen -= line.entry.paid;
    w.available += line.entry.paid;
  }
  settleCompleted(data, order);
  releaseOrderRewards(data, order, e.atMs);
  releaseOrderCredits(data, order);
  recordCompletion(data, order);
  if (order.lines[0]?.queue === UNION_QUEUE) completeUnionOrder(data, order, e.atMs);
}

export function applyRefund(data: ModelData, e: RefundEvent): void {
  const order = openOrder(data, e);
  order.status = 'refunded';
  const w = wallet(data, order.user);
  for (const line of order.lines) {
    const entry = line.entry;
    if (entry) {
      entry.status = 'cancelled';
      // The refunded entry's payouts fund its queue's reserve.
      w.frozen -= entry.paid;
      const queue = ensureQueue(data, entry.queue);
      queue.reserve += entry.paid;
      data.totals.refundedToReserves += entry.paid;
      advanceHead(queue);
      const userLimits = data.limits.get(order.user)!;
      for (const key of limitKeys(line.kind, line.item, line.store)) {
        const c = userLimits.get(key)!;
        c.total--;
        c.byDay.set(entry.day, c.byDay.get(entry.day)! - 1);
      }
    }
    // An extraction already taken is refunded by the platform, not clawed back.
    if (line.allocated) data.totals.absorbed += line.extraction;
  }
  settleRefunded(data, order);
  cancelOrderRewards(data, order);
  takeBackOrderCredits(data, order);
}
