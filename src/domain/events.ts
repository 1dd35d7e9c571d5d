// Replay events (SPEC §10): the validated shapes both engines consume.
// `parseEvent` (below the types) turns one JSON value into one of these or
// throws a ValidationError naming the field.
import type { Fen, Ratio } from './money';
import type { CumulativeTier, LotteryConfig, RandomReturn, SettingsPatch } from './settings';

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
}
export interface ProductEvent {
  type: 'product';
  id: string;
  price: Fen;
  source: 'self' | 'supplier';
  cost: Fen;
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
