// Queues: keys, joining, and allocation of one line's extraction
// (docs/engine-semantics.md "Allocation of one line's extraction X in queue Q").
import type { Fen } from '../money';
import type { Settings } from '../settings';
import type { Allocation, Entry, LineKind, ModelData, Payout, Queue, Wallet } from './model';

/** The queue a line joins, from the switches in force at payment. */
export function queueKey(settings: Settings, kind: LineKind, item: string, store: string | undefined): string {
  if (kind === 'product') return settings.mallQueue ? 'mall' : `product:${item}`;
  if (kind === 'storeProduct') return settings.allStoresQueue ? 'stores' : `store:${store}`;
  return settings.allCashiersQueue ? 'cashiers' : `cashier:${item}`;
}

export function ensureQueue(data: ModelData, key: string): Queue {
  let queue = data.queues.get(key);
  if (!queue) {
    queue = { key, nextSeq: 1, entries: [], head: 0, reserve: 0, groups: 0, group: null };
    data.queues.set(key, queue);
  }
  return queue;
}

export function wallet(data: ModelData, user: string): Wallet {
  let w = data.wallets.get(user);
  if (!w) {
    w = { available: 0, frozen: 0 };
    data.wallets.set(user, w);
  }
  return w;
}

function open(entry: Entry): boolean {
  return entry.status === 'waiting' && entry.paid < entry.entitlement;
}

/** Moves the head past entries that can never be paid again. */
function advanceHead(queue: Queue): void {
  while (queue.head < queue.entries.length && !open(queue.entries[queue.head])) queue.head++;
}

/** Eligible entries in payment order under `rule`; stops being useful once funds run out, so it is lazy. */
function* eligible(queue: Queue, orderId: string, rule: Settings['queueOrder']): Generator<Entry> {
  const { entries } = queue;
  if (rule === 'strict') {
    for (let i = queue.head; i < entries.length; i++) {
      const e = entries[i];
      if (open(e) && e.order.id !== orderId) yield e;
    }
    return;
  }
  for (let i = queue.head; i < entries.length; i++) {
    const e = entries[i];
    if (e.order.status === 'completed' && open(e) && e.order.id !== orderId) yield e;
  }
  for (let i = queue.head; i < entries.length; i++) {
    const e = entries[i];
    if (e.order.status !== 'completed' && open(e) && e.order.id !== orderId) yield e;
  }
}

/** Credits a payout: frozen until the entry's own order is completed. */
function credit(data: ModelData, entry: Entry, amount: Fen): boolean {
  const w = wallet(data, entry.user);
  const frozen = entry.order.status !== 'completed';
  if (frozen) w.frozen += amount;
  else w.available += amount;
  return frozen;
}

/**
 * Allocates extraction `x` of line `line` of order `orderId` in `queue`:
 * reserve first, then x, to eligible entries in order; the unspent reserve
 * stays, the unspent extraction goes to the reserve or the platform.
 */
export function allocate(data: ModelData, queue: Queue, x: Fen, orderId: string, line: number): void {
  const { settings, totals } = data;
  totals.extracted += x;
  const record: Allocation | null = data.allocations
    ? {
        queue: queue.key,
        order: orderId,
        line,
        extraction: x,
        rule: settings.queueOrder,
        paused: settings.paused,
        reserveBefore: queue.reserve,
        reserveAfter: queue.reserve,
        payouts: [],
        toReserve: 0,
        toKept: 0,
      }
    : null;
  data.allocations?.push(record!);

  if (settings.paused) {
    // Paused: entries still join, the platform keeps the extraction.
    totals.kept += x;
    if (record) record.toKept = x;
    return;
  }

  let reserve = queue.reserve;
  let rest = x;
  for (const entry of eligible(queue, orderId, settings.queueOrder)) {
    if (reserve + rest === 0) break;
    const need = entry.entitlement - entry.paid;
    const fromReserve = Math.min(reserve, need);
    const fromExtraction = Math.min(rest, need - fromReserve);
    const amount = fromReserve + fromExtraction;
    reserve -= fromReserve;
    rest -= fromExtraction;
    entry.paid += amount;
    if (entry.paid === entry.entitlement) entry.status = 'done';
    const frozen = credit(data, entry, amount);
    if (record) {
      const payout: Payout = {
        queue: queue.key,
        seq: entry.seq,
        order: entry.order.id,
        line: entry.line,
        user: entry.user,
        amount,
        fromReserve,
        fromExtraction,
        frozen,
      };
      record.payouts.push(payout);
    }
  }
  advanceHead(queue);

  queue.reserve = reserve;
  if (rest > 0) {
    if (settings.emptyQueueFunds === 'reserve') {
      queue.reserve += rest;
      if (record) record.toReserve = rest;
    } else {
      totals.kept += rest;
      if (record) record.toKept = rest;
    }
  }
  if (record) record.reserveAfter = queue.reserve;
}

/** Appends an entry with the next seq; an entry with nothing to receive is done at once. */
export function joinQueue(queue: Queue, entry: Omit<Entry, 'seq' | 'status'>): Entry {
  // Every field spelled out (no spread): one object shape for every entry, cheap to build and to read.
  const full: Entry = {
    queue: entry.queue,
    seq: queue.nextSeq++,
    order: entry.order,
    line: entry.line,
    user: entry.user,
    base: entry.base,
    ratio: entry.ratio,
    entitlement: entry.entitlement,
    paid: entry.paid,
    status: entry.entitlement === 0 ? 'done' : 'waiting',
    day: entry.day,
    lottery: entry.lottery,
    drawn: entry.drawn,
    group: entry.group,
    slot: entry.slot,
    credited: entry.credited,
  };
  queue.entries.push(full);
  advanceHead(queue);
  return full;
}

export { advanceHead };
