// Replay events (SPEC §10): the validated shapes both engines consume.
// `parseEvent` (below the types) turns one JSON value into one of these or
// throws a ValidationError naming the field.
import type { Fen, Ratio } from './money';
import type { CumulativeTier, LotteryConfig, RandomReturn, SettingsPatch } from './settings';
import { validateLevelRatios, validateLottery, validateSettingsPatch, validateTiers } from './settings';
import {
  expectArray,
  expectBoolean,
  expectClock,
  expectCount,
  expectEnum,
  expectFen,
  expectId,
  expectInstant,
  expectObject,
  expectRatio,
  fail,
  join,
  onlyKeys,
  type JsonObject,
} from './validate';

export interface TimeWindow {
  from: string; // "HH:MM", Asia/Shanghai
  to: string;
}

/** `{Q}`: per product / store / store product / cashier queue settings, all optional. */
export interface QueueConfig {
  enabled?: boolean;
  extractRatio?: Ratio;
  independentRatio?: Ratio; // products only
  defaultRatio?: Ratio; // store, store product, cashier
  memberLevelRatios?: Record<string, Ratio>;
  cumulativeTiers?: CumulativeTier[];
  lottery?: LotteryConfig | null;
  timeWindows?: TimeWindow[];
  dailyLimit?: number;
  totalLimit?: number;
  randomReturn?: RandomReturn; // store, cashier
  minWaitDays?: number; // union mode
}

export interface SettingsEvent {
  type: 'settings';
  patch: SettingsPatch;
}
export interface LevelEvent {
  type: 'level';
  id: string;
  ratio?: Ratio;
  teamRatio?: Ratio;
  shareholder?: boolean;
  /** Higher is better; default: definition order. */
  rank?: number;
  /** Automatic upgrade conditions, all optional; none = assigned by an operator only. */
  upgrade?: { completedSpend?: Fen; directReferrals?: number; teamSpend?: Fen };
}
export interface ProductEvent {
  type: 'product';
  id: string;
  price: Fen;
  source: 'self' | 'supplier';
  cost: Fen;
  /** Supplier credited the cost of a supplier product (default: the product id). */
  supplier?: string;
  queue: QueueConfig;
}
export interface StoreEvent {
  type: 'store';
  id: string;
  commission: Ratio;
  recruiter?: string;
  queue: QueueConfig;
}
export interface StoreProductEvent {
  type: 'storeProduct';
  id: string;
  store: string;
  price: Fen;
  cost: Fen;
  queue: QueueConfig;
}
export interface CashierEvent {
  type: 'cashier';
  id: string;
  store: string;
  queue: QueueConfig;
}
export interface UserEvent {
  type: 'user';
  id: string;
  level?: string;
  referrer?: string;
}
export interface OrderLineInput {
  product?: string;
  storeProduct?: string;
  paid: Fen;
  deducted: Fen;
  randomReturn?: 'cash' | 'points';
}
export interface MallOrderEvent {
  type: 'order';
  id: string;
  user: string;
  at: string;
  atMs: number;
  lines: OrderLineInput[];
}
export interface CashierOrderEvent {
  type: 'order';
  id: string;
  user: string;
  at: string;
  atMs: number;
  cashier: string;
  paid: Fen;
  deducted: Fen;
  randomReturn?: 'cash' | 'points';
}
export type OrderEvent = MallOrderEvent | CashierOrderEvent;
export interface CompleteEvent {
  type: 'complete';
  order: string;
  at: string;
  atMs: number;
}
export interface RefundEvent {
  type: 'refund';
  order: string;
  at: string;
  atMs: number;
}
export interface DrawEvent {
  type: 'draw';
  order: string;
  line: number;
  outcome?: Ratio;
}
export interface ExchangeEvent {
  type: 'exchange';
  order: string;
  line: number;
  to: 'points' | 'love' | 'coupon';
}
export interface TickEvent {
  type: 'tick';
  at: string;
  atMs: number;
}

export type ReplayEvent =
  | SettingsEvent
  | LevelEvent
  | ProductEvent
  | StoreEvent
  | StoreProductEvent
  | CashierEvent
  | UserEvent
  | OrderEvent
  | CompleteEvent
  | RefundEvent
  | DrawEvent
  | ExchangeEvent
  | TickEvent;

export function isCashierOrder(event: OrderEvent): event is CashierOrderEvent {
  return 'cashier' in event;
}

// ---------------------------------------------------------------------------
// Validation: one JSON value → one ReplayEvent, or a ValidationError naming
// the field. Structural rules only; rules that need the platform's state
// (unknown ids, order status) belong to the engines.

type ItemKind = 'product' | 'store' | 'storeProduct' | 'cashier';

const QUEUE_COMMON = [
  'enabled',
  'extractRatio',
  'memberLevelRatios',
  'cumulativeTiers',
  'lottery',
  'timeWindows',
  'dailyLimit',
  'totalLimit',
  'minWaitDays',
] as const;

/** `{Q}` keys allowed per item kind (SPEC §10). */
const QUEUE_KEYS: Record<ItemKind, readonly string[]> = {
  product: [...QUEUE_COMMON, 'independentRatio'],
  store: [...QUEUE_COMMON, 'defaultRatio', 'randomReturn'],
  storeProduct: [...QUEUE_COMMON, 'defaultRatio'],
  cashier: [...QUEUE_COMMON, 'defaultRatio', 'randomReturn'],
};

/** Largest per-user limit and wait accepted in `{Q}`. */
const MAX_LIMIT = 1_000_000;
const MAX_LINES = 100;

function parseTimeWindows(value: unknown, field: string): TimeWindow[] {
  return expectArray(value, field, 24).map((raw, i) => {
    const path = join(field, i);
    const obj = expectObject(raw, path);
    onlyKeys(obj, ['from', 'to'], path);
    const from = expectClock(obj.from, join(path, 'from'));
    const to = expectClock(obj.to, join(path, 'to'));
    // from == to would be an empty window; refuse it rather than guess "all day".
    if (from === to) fail(join(path, 'to'), 'must differ from from');
    return { from, to };
  });
}

function parseRandomReturn(value: unknown, field: string): RandomReturn {
  const obj = expectObject(value, field);
  onlyKeys(obj, ['on', 'cashCount', 'pointsCount'], field);
  const on = expectBoolean(obj.on, join(field, 'on'));
  const cashCount = expectCount(obj.cashCount, join(field, 'cashCount'), 1000);
  const pointsCount = expectCount(obj.pointsCount, join(field, 'pointsCount'), 1000);
  if (on && cashCount + pointsCount < 1) fail(join(field, 'cashCount'), 'cashCount + pointsCount must be at least 1');
  return { on, cashCount, pointsCount };
}

export function parseQueueConfig(value: unknown, kind: ItemKind, field = 'queue'): QueueConfig {
  const obj = expectObject(value, field);
  onlyKeys(obj, QUEUE_KEYS[kind], field);
  const q: QueueConfig = {};
  const f = (key: string) => join(field, key);
  if (obj.enabled !== undefined) q.enabled = expectBoolean(obj.enabled, f('enabled'));
  if (obj.extractRatio !== undefined) q.extractRatio = expectRatio(obj.extractRatio, f('extractRatio'));
  if (obj.independentRatio !== undefined) q.independentRatio = expectRatio(obj.independentRatio, f('independentRatio'));
  if (obj.defaultRatio !== undefined) q.defaultRatio = expectRatio(obj.defaultRatio, f('defaultRatio'));
  if (obj.memberLevelRatios !== undefined) q.memberLevelRatios = validateLevelRatios(obj.memberLevelRatios, f('memberLevelRatios'));
  if (obj.cumulativeTiers !== undefined) q.cumulativeTiers = validateTiers(obj.cumulativeTiers, f('cumulativeTiers'));
  if (obj.lottery !== undefined) q.lottery = validateLottery(obj.lottery, f('lottery'));
  if (obj.timeWindows !== undefined) q.timeWindows = parseTimeWindows(obj.timeWindows, f('timeWindows'));
  if (obj.dailyLimit !== undefined) q.dailyLimit = expectCount(obj.dailyLimit, f('dailyLimit'), MAX_LIMIT);
  if (obj.totalLimit !== undefined) q.totalLimit = expectCount(obj.totalLimit, f('totalLimit'), MAX_LIMIT);
  if (obj.randomReturn !== undefined) q.randomReturn = parseRandomReturn(obj.randomReturn, f('randomReturn'));
  if (obj.minWaitDays !== undefined) q.minWaitDays = expectCount(obj.minWaitDays, f('minWaitDays'), 3660);
  return q;
}

function parseUpgrade(value: unknown, field: string): NonNullable<LevelEvent['upgrade']> {
  const obj = expectObject(value, field);
  onlyKeys(obj, ['completedSpend', 'directReferrals', 'teamSpend'], field);
  const upgrade: NonNullable<LevelEvent['upgrade']> = {};
  if (obj.completedSpend !== undefined) upgrade.completedSpend = expectFen(obj.completedSpend, join(field, 'completedSpend'));
  if (obj.directReferrals !== undefined) upgrade.directReferrals = expectCount(obj.directReferrals, join(field, 'directReferrals'), MAX_LIMIT);
  if (obj.teamSpend !== undefined) upgrade.teamSpend = expectFen(obj.teamSpend, join(field, 'teamSpend'));
  return upgrade;
}

function optionalQueue(obj: JsonObject, kind: ItemKind): QueueConfig {
  return obj.queue === undefined ? {} : parseQueueConfig(obj.queue, kind);
}

function parseLineChoice(value: unknown, field: string): 'cash' | 'points' {
  return expectEnum(value, ['cash', 'points'] as const, field);
}

function parseLine(value: unknown, path: string): OrderLineInput {
  const obj = expectObject(value, path);
  onlyKeys(obj, ['product', 'storeProduct', 'paid', 'deducted', 'randomReturn'], path);
  const hasProduct = obj.product !== undefined;
  const hasStoreProduct = obj.storeProduct !== undefined;
  if (hasProduct === hasStoreProduct) {
    fail(join(path, hasProduct ? 'storeProduct' : 'product'), 'a line needs exactly one of product or storeProduct');
  }
  const line: OrderLineInput = hasProduct
    ? { product: expectId(obj.product, join(path, 'product')), paid: 0, deducted: 0 }
    : { storeProduct: expectId(obj.storeProduct, join(path, 'storeProduct')), paid: 0, deducted: 0 };
  line.paid = expectFen(obj.paid, join(path, 'paid'));
  if (obj.deducted !== undefined) line.deducted = expectFen(obj.deducted, join(path, 'deducted'));
  if (obj.randomReturn !== undefined) line.randomReturn = parseLineChoice(obj.randomReturn, join(path, 'randomReturn'));
  return line;
}

function parseOrder(obj: JsonObject): OrderEvent {
  const id = expectId(obj.id, 'id');
  const user = expectId(obj.user, 'user');
  const atMs = expectInstant(obj.at, 'at');
  const at = obj.at as string;
  if (obj.lines !== undefined) {
    if (obj.cashier !== undefined) fail('cashier', 'an order has either lines, or cashier and paid, not both');
    onlyKeys(obj, ['type', 'id', 'user', 'at', 'lines'], '');
    const raw = expectArray(obj.lines, 'lines', MAX_LINES);
    if (raw.length === 0) fail('lines', 'must have at least one line');
    return { type: 'order', id, user, at, atMs, lines: raw.map((l, i) => parseLine(l, join('lines', i))) };
  }
  if (obj.cashier === undefined) fail('lines', 'an order needs lines, or cashier and paid');
  onlyKeys(obj, ['type', 'id', 'user', 'at', 'cashier', 'paid', 'deducted', 'randomReturn'], '');
  const event: CashierOrderEvent = {
    type: 'order',
    id,
    user,
    at,
    atMs,
    cashier: expectId(obj.cashier, 'cashier'),
    paid: expectFen(obj.paid, 'paid'),
    deducted: obj.deducted === undefined ? 0 : expectFen(obj.deducted, 'deducted'),
  };
  if (obj.randomReturn !== undefined) event.randomReturn = parseLineChoice(obj.randomReturn, 'randomReturn');
  return event;
}

function parseLineIndex(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, 'must be a whole number');
  if (value < 0) fail(field, 'must not be negative');
  if (value >= MAX_LINES) fail(field, `must be below ${MAX_LINES}`);
  return value;
}

const EVENT_TYPES = [
  'settings',
  'level',
  'product',
  'store',
  'storeProduct',
  'cashier',
  'user',
  'order',
  'complete',
  'refund',
  'draw',
  'exchange',
  'tick',
] as const;

/**
 * Validates one replay event exactly per SPEC §10: types, required and
 * optional fields, unknown fields refused. Defaults are filled in here
 * (`queue` {}, `deducted` 0) so both engines see the same values.
 */
export function parseEvent(value: unknown): ReplayEvent {
  const obj = expectObject(value, 'event');
  const type = expectEnum(obj.type, EVENT_TYPES, 'type');
  switch (type) {
    case 'settings': {
      const { type: _type, ...rest } = obj;
      return { type, patch: validateSettingsPatch(rest) };
    }
    case 'level': {
      onlyKeys(obj, ['type', 'id', 'ratio', 'teamRatio', 'shareholder', 'rank', 'upgrade'], '');
      const event: LevelEvent = { type, id: expectId(obj.id, 'id') };
      if (obj.ratio !== undefined) event.ratio = expectRatio(obj.ratio, 'ratio');
      if (obj.teamRatio !== undefined) event.teamRatio = expectRatio(obj.teamRatio, 'teamRatio');
      if (obj.shareholder !== undefined) event.shareholder = expectBoolean(obj.shareholder, 'shareholder');
      if (obj.rank !== undefined) event.rank = expectCount(obj.rank, 'rank', MAX_LIMIT);
      if (obj.upgrade !== undefined) event.upgrade = parseUpgrade(obj.upgrade, 'upgrade');
      return event;
    }
    case 'product': {
      onlyKeys(obj, ['type', 'id', 'price', 'source', 'cost', 'supplier', 'queue'], '');
      const event: ProductEvent = {
        type,
        id: expectId(obj.id, 'id'),
        price: expectFen(obj.price, 'price'),
        source: expectEnum(obj.source, ['self', 'supplier'] as const, 'source'),
        cost: expectFen(obj.cost, 'cost'),
        queue: {},
      };
      if (obj.supplier !== undefined) {
        event.supplier = expectId(obj.supplier, 'supplier');
        if (event.source !== 'supplier') fail('supplier', 'only a supplier product has a supplier');
      }
      event.queue = optionalQueue(obj, 'product');
      return event;
    }
    case 'store': {
      onlyKeys(obj, ['type', 'id', 'commission', 'recruiter', 'queue'], '');
      const event: StoreEvent = {
        type,
        id: expectId(obj.id, 'id'),
        commission: expectRatio(obj.commission, 'commission'),
        queue: {},
      };
      if (obj.recruiter !== undefined) event.recruiter = expectId(obj.recruiter, 'recruiter');
      event.queue = optionalQueue(obj, 'store');
      return event;
    }
    case 'storeProduct':
      onlyKeys(obj, ['type', 'id', 'store', 'price', 'cost', 'queue'], '');
      return {
        type,
        id: expectId(obj.id, 'id'),
        store: expectId(obj.store, 'store'),
        price: expectFen(obj.price, 'price'),
        cost: expectFen(obj.cost, 'cost'),
        queue: optionalQueue(obj, 'storeProduct'),
      };
    case 'cashier':
      onlyKeys(obj, ['type', 'id', 'store', 'queue'], '');
      return { type, id: expectId(obj.id, 'id'), store: expectId(obj.store, 'store'), queue: optionalQueue(obj, 'cashier') };
    case 'user': {
      onlyKeys(obj, ['type', 'id', 'level', 'referrer'], '');
      const event: UserEvent = { type, id: expectId(obj.id, 'id') };
      if (obj.level !== undefined) event.level = expectId(obj.level, 'level');
      if (obj.referrer !== undefined) event.referrer = expectId(obj.referrer, 'referrer');
      return event;
    }
    case 'order':
      return parseOrder(obj);
    case 'complete':
    case 'refund':
      onlyKeys(obj, ['type', 'order', 'at'], '');
      return { type, order: expectId(obj.order, 'order'), at: obj.at as string, atMs: expectInstant(obj.at, 'at') };
    case 'draw': {
      onlyKeys(obj, ['type', 'order', 'line', 'outcome'], '');
      const event: DrawEvent = { type, order: expectId(obj.order, 'order'), line: parseLineIndex(obj.line, 'line') };
      if (obj.outcome !== undefined) event.outcome = expectRatio(obj.outcome, 'outcome');
      return event;
    }
    case 'exchange':
      onlyKeys(obj, ['type', 'order', 'line', 'to'], '');
      return {
        type,
        order: expectId(obj.order, 'order'),
        line: parseLineIndex(obj.line, 'line'),
        to: expectEnum(obj.to, ['points', 'love', 'coupon'] as const, 'to'),
      };
    case 'tick':
      onlyKeys(obj, ['type', 'at'], '');
      return { type, at: obj.at as string, atMs: expectInstant(obj.at, 'at') };
  }
}
