// Base settings of the queue rebate plugin (SPEC §8, §10): the one definition
// of their names, shapes and defaults. The validator, the model engine, the
// SQL adapter and the operator console all use this file.
import { compareRatio, normalizeRatio, type Ratio } from './money';
import {
  expectArray,
  expectBoolean,
  expectClock,
  expectCount,
  expectEnum,
  expectObject,
  expectRatio,
  expectString,
  fail,
  isObject,
  join,
  onlyKeys,
  type Json,
  type JsonObject,
} from './validate';

export type LotteryConfig =
  | { kind: 'fixed'; ratios: Ratio[]; weights?: number[] }
  | { kind: 'range'; min: Ratio; max: Ratio };

export interface CumulativeTier {
  days: number;
  minSpend: number;
  ratio: Ratio;
}

export interface RandomReturn {
  on: boolean;
  cashCount: number;
  pointsCount: number;
}

export interface DistributionSettings {
  on: boolean;
  base: 'paid' | 'profit';
  directRatio: Ratio;
  indirectRatio: Ratio;
  levelDifference: boolean;
  sameLevelRatio: Ratio;
  dividendRatio: Ratio;
  dividendPeriod: 'monthly' | 'weekly';
  dividendSplit: 'equal' | 'weighted';
  recruitRatio: Ratio;
  accelerationRatio: Ratio;
  cap: Ratio;
}

export interface DisplaySettings {
  queueId: boolean;
  progress: boolean;
  cumulativeReward: boolean;
  pendingReward: boolean;
  memberInfo: boolean;
  pendingAmount: boolean;
}

export interface Settings {
  mode: 'classic' | 'union';
  enabled: boolean;
  newProductsDefaultOn: boolean;
  deductionOrders: 'join' | 'noJoin';
  settleOn: 'paid' | 'completed';
  queueOrder: 'strict' | 'completedFirst';
  name: string;
  exchangeButtonName: string;
  extractRatio: Ratio;
  defaultRatio: Ratio;
  memberLevelRatios: Record<string, Ratio>;
  lottery: LotteryConfig | null;
  exchangeRatio: { points: Ratio; love: Ratio; coupon: Ratio };
  loveFrozen: boolean;
  mallQueue: boolean;
  allStoresQueue: boolean;
  allCashiersQueue: boolean;
  randomReturn: RandomReturn;
  clearing: { on: boolean; schedule: string };
  paused: boolean;
  display: DisplaySettings;
  emptyQueueFunds: 'platform' | 'reserve';
  afterSalesDays: number;
  unionQuotaRatio: Ratio;
  unionPoolRatio: Ratio;
  unionDailyAt: string;
  distribution: DistributionSettings;
}

/** A fresh platform, and every replay, starts from these (SPEC §8). */
export const DEFAULT_SETTINGS: Settings = {
  mode: 'classic',
  enabled: true,
  newProductsDefaultOn: true,
  deductionOrders: 'join',
  settleOn: 'paid',
  queueOrder: 'strict',
  name: '排队返利',
  exchangeButtonName: '兑换',
  extractRatio: '10',
  defaultRatio: '100',
  memberLevelRatios: {},
  lottery: null,
  exchangeRatio: { points: '100', love: '100', coupon: '100' },
  loveFrozen: false,
  mallQueue: false,
  allStoresQueue: false,
  allCashiersQueue: false,
  randomReturn: { on: false, cashCount: 1, pointsCount: 0 },
  clearing: { on: false, schedule: 'daily 00:00' },
  paused: false,
  display: {
    queueId: true,
    progress: true,
    cumulativeReward: true,
    pendingReward: true,
    memberInfo: true,
    pendingAmount: true,
  },
  emptyQueueFunds: 'platform',
  afterSalesDays: 7,
  unionQuotaRatio: '110',
  unionPoolRatio: '60',
  unionDailyAt: '00:05',
  distribution: {
    on: false,
    base: 'paid',
    directRatio: '0',
    indirectRatio: '0',
    levelDifference: false,
    sameLevelRatio: '0',
    dividendRatio: '0',
    dividendPeriod: 'monthly',
    dividendSplit: 'equal',
    recruitRatio: '0',
    accelerationRatio: '0',
    cap: '100',
  },
};

export function validateLottery(value: unknown, field: string): LotteryConfig | null {
  if (value === null) return null;
  const obj = expectObject(value, field);
  const kind = expectEnum(obj.kind, ['fixed', 'range'] as const, join(field, 'kind'));
  if (kind === 'fixed') {
    onlyKeys(obj, ['kind', 'ratios', 'weights'], field);
    const ratios = expectArray(obj.ratios, join(field, 'ratios'), 100).map((r, i) =>
      expectRatio(r, join(join(field, 'ratios'), i)),
    );
    if (ratios.length === 0) fail(join(field, 'ratios'), 'must not be empty');
    if (new Set(ratios.map(normalizeRatio)).size !== ratios.length) {
      fail(join(field, 'ratios'), 'must not repeat a ratio');
    }
    if (obj.weights === undefined) return { kind, ratios };
    const weights = expectArray(obj.weights, join(field, 'weights'), 100).map((w, i) =>
      expectCount(w, join(join(field, 'weights'), i), 1_000_000),
    );
    if (weights.length !== ratios.length) fail(join(field, 'weights'), 'must have one weight per ratio');
    if (weights.every((w) => w === 0)) fail(join(field, 'weights'), 'must not all be 0');
    return { kind, ratios, weights };
  }
  onlyKeys(obj, ['kind', 'min', 'max'], field);
  const min = expectRatio(obj.min, join(field, 'min'));
  const max = expectRatio(obj.max, join(field, 'max'));
  if (compareRatio(min, max) > 0) fail(join(field, 'max'), 'must not be below min');
  return { kind, min, max };
}

export function validateTiers(value: unknown, field: string): CumulativeTier[] {
  return expectArray(value, field, 50).map((t, i) => {
    const path = join(field, i);
    const obj = expectObject(t, path);
    onlyKeys(obj, ['days', 'minSpend', 'ratio'], path);
    const days = expectCount(obj.days, join(path, 'days'), 3660);
    if (days < 1) fail(join(path, 'days'), 'must be at least 1');
    return {
      days,
      minSpend: expectCount(obj.minSpend, join(path, 'minSpend'), 10_000_000_000),
      ratio: expectRatio(obj.ratio, join(path, 'ratio')),
    };
  });
}

export function validateLevelRatios(value: unknown, field: string): Record<string, Ratio> {
  const obj = expectObject(value, field);
  const out: Record<string, Ratio> = {};
  for (const [level, ratio] of Object.entries(obj)) out[level] = expectRatio(ratio, join(field, level));
  return out;
}

/** "daily HH:MM" | "weekly D HH:MM" (D 1=Mon..7=Sun) | "monthly D HH:MM" (D 1..28) | ISO time. */
export function validateSchedule(value: unknown, field: string): string {
  const s = expectString(value, field, 40);
  if (/^daily ([01]\d|2[0-3]):[0-5]\d$/.test(s)) return s;
  if (/^weekly [1-7] ([01]\d|2[0-3]):[0-5]\d$/.test(s)) return s;
  if (/^monthly ([1-9]|1\d|2[0-8]) ([01]\d|2[0-3]):[0-5]\d$/.test(s)) return s;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))) return s;
  fail(field, 'must be "daily HH:MM", "weekly D HH:MM", "monthly D HH:MM" or an ISO time');
}

/** Extraction takes part of what was paid: never more than 100%. */
export function expectExtractRatio(value: unknown, field: string): Ratio {
  const r = expectRatio(value, field);
  if (compareRatio(r, '100') > 0) fail(field, 'must be at most 100');
  return r;
}

type FieldCheck = (value: unknown, field: string) => Json | LotteryConfig | null;

const bool: FieldCheck = expectBoolean;
const ratio: FieldCheck = expectRatio;

/** Nested objects: their own keys and checks; merged key by key. */
const NESTED: Record<string, Record<string, FieldCheck>> = {
  exchangeRatio: { points: ratio, love: ratio, coupon: ratio },
  randomReturn: {
    on: bool,
    cashCount: (v, f) => expectCount(v, f, 1000),
    pointsCount: (v, f) => expectCount(v, f, 1000),
  },
  clearing: { on: bool, schedule: validateSchedule },
  display: {
    queueId: bool,
    progress: bool,
    cumulativeReward: bool,
    pendingReward: bool,
    memberInfo: bool,
    pendingAmount: bool,
  },
  distribution: {
    on: bool,
    base: (v, f) => expectEnum(v, ['paid', 'profit'] as const, f),
    directRatio: ratio,
    indirectRatio: ratio,
    levelDifference: bool,
    sameLevelRatio: ratio,
    dividendRatio: ratio,
    dividendPeriod: (v, f) => expectEnum(v, ['monthly', 'weekly'] as const, f),
    dividendSplit: (v, f) => expectEnum(v, ['equal', 'weighted'] as const, f),
    recruitRatio: ratio,
    accelerationRatio: ratio,
    cap: ratio,
  },
};

const SCALAR: Record<string, FieldCheck> = {
  mode: (v, f) => expectEnum(v, ['classic', 'union'] as const, f),
  enabled: bool,
  newProductsDefaultOn: bool,
  deductionOrders: (v, f) => expectEnum(v, ['join', 'noJoin'] as const, f),
  settleOn: (v, f) => expectEnum(v, ['paid', 'completed'] as const, f),
  queueOrder: (v, f) => expectEnum(v, ['strict', 'completedFirst'] as const, f),
  name: (v, f) => expectString(v, f, 20),
  exchangeButtonName: (v, f) => expectString(v, f, 10),
  extractRatio: expectExtractRatio,
  defaultRatio: ratio,
  memberLevelRatios: validateLevelRatios as FieldCheck,
  lottery: validateLottery,
  loveFrozen: bool,
  mallQueue: bool,
  allStoresQueue: bool,
  allCashiersQueue: bool,
  paused: bool,
  emptyQueueFunds: (v, f) => expectEnum(v, ['platform', 'reserve'] as const, f),
  afterSalesDays: (v, f) => expectCount(v, f, 365),
  unionQuotaRatio: ratio,
  unionPoolRatio: ratio,
  unionDailyAt: expectClock,
};

export const SETTING_KEYS = [...Object.keys(SCALAR), ...Object.keys(NESTED)];

export type SettingsPatch = Partial<{ [K in keyof Settings]: Settings[K] extends object ? Partial<Settings[K]> | Settings[K] : Settings[K] }>;

/** Checks a settings patch (the body of a `settings` event); names the first bad field. */
export function validateSettingsPatch(value: unknown, path = ''): SettingsPatch {
  const obj = expectObject(value, path || 'settings');
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(obj)) {
    const field = join(path, key);
    if (key in SCALAR) {
      out[key] = SCALAR[key](raw, field);
    } else if (key in NESTED) {
      const nested = expectObject(raw, field);
      const checks = NESTED[key];
      const part: Record<string, unknown> = {};
      for (const [sub, subRaw] of Object.entries(nested)) {
        if (!(sub in checks)) fail(join(field, sub), 'unknown field');
        part[sub] = checks[sub](subRaw, join(field, sub));
      }
      out[key] = part;
    } else {
      fail(field, 'unknown field');
    }
  }
  return out as SettingsPatch;
}

/** Applies a validated patch: nested objects merge key by key, the rest replace. */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const base = (current as unknown as Record<string, unknown>)[key];
    next[key] = key in NESTED && isObject(value) && isObject(base) ? { ...base, ...value } : value;
  }
  const merged = next as unknown as Settings;
  if (merged.randomReturn.on && merged.randomReturn.cashCount + merged.randomReturn.pointsCount < 1) {
    fail(join('randomReturn', 'cashCount'), 'cashCount + pointsCount must be at least 1');
  }
  return merged;
}
