// In-memory data of the model engine. Plain records, mutated only by the
// event handlers after an event has been fully validated.
import type { QueueConfig } from '../events';
import type { Fen, Ratio } from '../money';
import type { RandomSource, Slot } from '../random';
import type { LotteryConfig, Settings } from '../settings';
import type { EntryStatus, RewardKind, RewardStatus } from '../state';

export interface Level {
  id: string;
  ratio?: Ratio;
  teamRatio?: Ratio;
  shareholder?: boolean;
  /** Higher is better; default the definition index. */
  rank?: number;
  /** Automatic upgrade conditions; none = operator-assigned only. */
  upgrade?: LevelUpgrade;
  /** Definition order: distinct level ids defined before this one (kept on redefinition). */
  index: number;
}

export interface LevelUpgrade {
  completedSpend?: Fen;
  directReferrals?: number;
  teamSpend?: Fen;
}

export interface Product {
  id: string;
  price: Fen;
  source: 'self' | 'supplier';
  cost: Fen;
  /** Supplier account of a supplier product (default: the product id). */
  supplier?: string;
  queue: QueueConfig;
}

export interface Store {
  id: string;
  commission: Ratio;
  recruiter?: string;
  queue: QueueConfig;
}

export interface StoreProduct {
  id: string;
  store: string;
  price: Fen;
  cost: Fen;
  queue: QueueConfig;
}

export interface Cashier {
  id: string;
  store: string;
  queue: QueueConfig;
}

export interface User {
  id: string;
  level?: string;
  referrer?: string;
  /** Upline, nearest first (referrer, its referrer, ...); fixed when the referrer binds. */
  ancestors: readonly string[];
}

export type LineKind = 'product' | 'storeProduct' | 'cashier';

export interface Entry {
  queue: string;
  seq: number;
  order: Order;
  line: number;
  user: string;
  base: Fen;
  ratio: Ratio; // normalised
  entitlement: Fen;
  paid: Fen;
  status: EntryStatus;
  /** Local day of its order: the day of the user's limit counters it counts in (keys from its line, orders.ts `limitKeys`). */
  day: number;
  /** Lottery config the entry may be drawn with (a lottery source of §4), or null. */
  lottery: LotteryConfig | null;
  drawn: boolean;
  /** Random-return group number in its queue and the slot kind taken; null without random return. */
  group: number | null;
  slot: Slot | null;
  /** What an exchange or a conversion credited (taken back by a refund). */
  credited: Credit | null;
}

export interface Credit {
  to: 'points' | 'love' | 'coupon';
  amount: Fen;
  /** Love credited frozen (`loveFrozen`), released at the order's completion. */
  frozen: boolean;
}

/** The open random-return group of a queue. */
export interface RandomGroup {
  no: number;
  cashCount: number;
  pointsCount: number;
  /** The drawn permutation of slots. */
  slots: Slot[];
  /** Entries that joined the group so far, and how many of each kind they took. */
  taken: number;
  cash: number;
  points: number;
}

export interface Line {
  index: number;
  kind: LineKind;
  item: string; // product / store product / cashier id
  store?: string; // store of a store product or cashier
  paid: Fen;
  deducted: Fen;
  queue: string;
  extraction: Fen;
  /** `settleOn` in force at payment; a later settings change does not move it. */
  settleOn: 'paid' | 'completed';
  /** True once its extraction went through allocation (paid out, reserved or kept). */
  allocated: boolean;
  /** Settlement fixed at payment (settlement.ts): platform commission and merchant share (store lines), supplier and supply price. */
  commission: Fen;
  merchant: Fen;
  supplier: string | null;
  supply: Fen;
  entry: Entry | null;
}

export interface Order {
  id: string;
  user: string;
  atMs: number;
  status: 'open' | 'completed' | 'refunded';
  lines: Line[];
}

export interface Queue {
  key: string;
  nextSeq: number;
  /** In seq order. */
  entries: Entry[];
  /** Entries before this index are final (no longer waiting); walks start here. */
  head: number;
  reserve: Fen;
  /** Random-return groups opened so far, and the open one. */
  groups: number;
  group: RandomGroup | null;
}

export interface Wallet {
  available: Fen;
  frozen: Fen;
}

/** One payment to one entry, within one allocation. */
export interface Payout {
  queue: string;
  seq: number;
  order: string; // the entry's order
  line: number;
  user: string;
  amount: Fen; // fromReserve + fromExtraction
  fromReserve: Fen;
  fromExtraction: Fen;
  frozen: boolean; // credited frozen (entry's order not completed) or available
}

/** One allocation of one line's extraction (docs/engine-semantics.md). */
export interface Allocation {
  queue: string;
  order: string; // the paying order
  line: number;
  extraction: Fen;
  rule: 'strict' | 'completedFirst';
  paused: boolean;
  reserveBefore: Fen;
  reserveAfter: Fen;
  payouts: Payout[];
  /** Unspent extraction: to the reserve or kept by the platform. */
  toReserve: Fen;
  toKept: Fen;
}

export interface Totals {
  /** Every fen of extraction that went through allocation. */
  extracted: Fen;
  /** Entries' payouts moved to reserves by refunds. */
  refundedToReserves: Fen;
  kept: Fen;
  absorbed: Fen;
}

/** Entries a user holds under one limit key (cancelled ones taken back): in all, and per local day. */
export interface LimitCounter {
  total: number;
  byDay: Map<number, number>;
}

export interface ModelData {
  settings: Settings;
  levels: Map<string, Level>;
  products: Map<string, Product>;
  stores: Map<string, Store>;
  storeProducts: Map<string, StoreProduct>;
  cashiers: Map<string, Cashier>;
  users: Map<string, User>;
  orders: Map<string, Order>;
  queues: Map<string, Queue>;
  wallets: Map<string, Wallet>;
  /** Per-user limit counters: user → limit key (`product:<id>`, `store:<id>`, ...) → counter. */
  limits: Map<string, Map<string, LimitCounter>>;
  totals: Totals;
  /** Allocation log for invariant checks; null when logging is off. */
  allocations: Allocation[] | null;
  /** Distribution rewards and dividend periods (distribution.ts). */
  distribution: DistributionData;
  /** Points, love value (available / frozen) and coupons per user (options.ts). */
  points: Map<string, Fen>;
  love: Map<string, Wallet>;
  coupons: Map<string, Fen>;
  /** Merchant balances per store and supplier balances per supplier (settlement.ts). */
  merchants: Map<string, Wallet>;
  suppliers: Map<string, Fen>;
  /** Spend statistics for cumulative tiers and level upgrades (members.ts). */
  members: Map<string, MemberStats>;
  /** Platform clock (latest `at` seen) and the clearing mark (jobs.ts). */
  clockMs: number | null;
  clearingMarkMs: number | null;
  /** Union queue mode: entries, pool, daily runs (union.ts). */
  union: UnionData;
  /** Where random choices take their 48 bits (seeded in replay). */
  random: RandomSource;
}

/** A completed order's spend by family: mall lines, and per store its store-product and cashier lines. */
export interface CompletedSpend {
  atMs: number;
  mall: Fen;
  /** null without store lines: one is kept per completed order, and most are mall-only. */
  stores: Map<string, Fen> | null;
}

export interface MemberStats {
  /** Σ paid of the member's completed orders. */
  ownSpend: Fen;
  /** Σ ownSpend of every member below (all depths), kept up to date at each completion. */
  teamSpend: Fen;
  /** Users bound to this member as referrer. */
  directReferrals: number;
  /** Completed orders, in completion order. */
  completed: CompletedSpend[];
}

// ---- distribution rewards (distribution.ts)

export interface Reward {
  /** The paying order's id, or `dividend:<period>`. */
  order: string;
  user: string;
  kind: RewardKind;
  amount: Fen;
  status: RewardStatus;
}

/** What distribution records of one order at payment. */
export interface OrderDistribution {
  /** Order base B: Σ line bases under the `distribution.base` in force at payment. */
  base: Fen;
  /** Σ cash paid on the lines (weights of a weighted dividend). */
  paid: Fen;
  /** Its rewards (one per user and kind), in creation order. */
  rewards: Reward[];
}

/** A completed order waiting for its dividend period to be settled. */
export interface DividendCompletion {
  order: string;
  user: string;
  atMs: number;
  base: Fen;
  paid: Fen;
}

export interface DistributionData {
  /** Every reward ever created, in creation order (cancelled ones stay, as history). */
  rewards: Reward[];
  orders: Map<string, OrderDistribution>;
  /** `at` of the first order ever paid: dividend periods start with its period. */
  firstOrderMs: number | null;
  /** End of the last settled dividend period; null before the first settlement. */
  dividendCursorMs: number | null;
  /** Completions not yet counted in a settled period. */
  pending: DividendCompletion[];
  /** Labels of settled periods (`2026-01`, `2026-W05`), in settlement order. */
  settledPeriods: string[];
}

// ---- union queue mode (union.ts)

export interface UnionEntry {
  seq: number;
  order: string;
  line: number;
  user: string;
  base: Fen;
  /** unionQuotaRatio at completion, normalised. */
  ratio: Ratio;
  quota: Fen;
  paid: Fen;
  status: 'waiting' | 'done';
  /** Local day (days since 1970-01-01, Shanghai) of the completion. */
  completedDay: number;
  /** First run day that may pay it: completedDay + max(1, minWaitDays). */
  payableDay: number;
  /** Run day that paid it in full; null while waiting or when acceleration filled it. */
  paidDay: number | null;
}

/** One completed line's profit, waiting for the daily run that counts it. */
export interface UnionLine {
  order: string;
  line: number;
  day: number;
  profit: Fen;
  /** profit minus its share of the order's rewards and acceleration (never negative). */
  net: Fen;
  settledDay: number | null;
}

/** The report of one daily run (pool history). */
export interface UnionRun {
  day: number;
  netProfit: Fen;
  inflow: Fen;
  poolBefore: Fen;
  paidCount: number;
  paidAmount: Fen;
  poolAfter: Fen;
}

export interface UnionAcceleration {
  order: string;
  user: string;
  seq: number;
  amount: Fen;
}

export interface UnionData {
  /** In seq order (seq = index + 1). */
  entries: UnionEntry[];
  /** Entries before this index are done; walks start here. */
  head: number;
  pool: Fen;
  lines: UnionLine[];
  /** The last run day; null before the first run. */
  lastRunDay: number | null;
  runs: UnionRun[];
  accelerations: UnionAcceleration[];
}
