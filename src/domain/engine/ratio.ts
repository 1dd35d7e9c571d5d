// Ratios of a line: its extraction ratio and its entry's reward ratio.
// Each is a chain of sources; the first one that applies wins (SPEC §4,
// docs/engine-semantics.md "Reward ratio chains").
import type { QueueConfig } from '../events';
import { compareRatio, normalizeRatio, type Ratio } from '../money';
import type { CumulativeTier, LotteryConfig, Settings } from '../settings';
import { windowSpend, type SpendFamily } from './members';
import type { LineKind, ModelData } from './model';
import { queueKey } from './queue';
import { inTimeWindows } from './time';

/** What a ratio source may look at. */
export interface RatioContext {
  settings: Settings;
  kind: LineKind;
  /** `{Q}` of the product / store product / cashier. */
  item: QueueConfig;
  /** `{Q}` of the store (store products only). */
  store?: QueueConfig;
  /** The store of a store product or cashier. */
  storeId?: string;
  user: string;
  atMs: number;
}

/** The entry's starting ratio, and the lottery it may be drawn with (null: not drawable). */
export interface EntryChoice {
  ratio: Ratio; // normalised
  lottery: LotteryConfig | null;
}

type RatioSource = (ctx: RatioContext, data: ModelData) => Ratio | undefined;
type Step = { ratio: RatioSource } | { lottery: (ctx: RatioContext, data: ModelData) => LotteryConfig | null | undefined };

function own<T>(map: Record<string, T> | undefined, key: string | undefined): T | undefined {
  if (!map || key === undefined || !Object.prototype.hasOwnProperty.call(map, key)) return undefined;
  return map[key];
}

function levelOf(ctx: RatioContext, data: ModelData): string | undefined {
  return data.users.get(ctx.user)?.level;
}

/** Member-level ratio of a `{Q}` map: applies when the buyer has a level the map names. */
const memberLevel =
  (pickMap: (ctx: RatioContext) => Record<string, Ratio> | undefined): RatioSource =>
  (ctx, data) =>
    own(pickMap(ctx), levelOf(ctx, data));

/** Base member-level ratio: `settings.memberLevelRatios[level]`, else the level's own `ratio`. */
const baseMemberLevel: RatioSource = (ctx, data) => {
  const level = levelOf(ctx, data);
  if (level === undefined) return undefined;
  return own(ctx.settings.memberLevelRatios, level) ?? data.levels.get(level)?.ratio;
};

function family(ctx: RatioContext): SpendFamily {
  return ctx.kind === 'product' ? { kind: 'mall' } : { kind: 'store', store: ctx.storeId! };
}

/** Cumulative tiers: the highest ratio among the tiers the buyer's completed spend qualifies for. */
const cumulative =
  (pickTiers: (ctx: RatioContext) => CumulativeTier[] | undefined): RatioSource =>
  (ctx, data) => {
    let best: Ratio | undefined;
    for (const tier of pickTiers(ctx) ?? []) {
      if (windowSpend(data, ctx.user, family(ctx), tier.days, ctx.atMs) < tier.minSpend) continue;
      if (best === undefined || compareRatio(tier.ratio, best) > 0) best = tier.ratio;
    }
    return best;
  };

const fixed = (get: (ctx: RatioContext) => Ratio | undefined): Step => ({ ratio: (ctx) => get(ctx) });

const ENTRY_CHAINS: Record<LineKind, Step[]> = {
  // Mall: P member-level → base member-level → P cumulative → P lottery → base lottery → P independent → base default.
  product: [
    { ratio: memberLevel((c) => c.item.memberLevelRatios) },
    { ratio: baseMemberLevel },
    { ratio: cumulative((c) => c.item.cumulativeTiers) },
    { lottery: (c) => c.item.lottery },
    { lottery: (c) => c.settings.lottery },
    fixed((c) => c.item.independentRatio),
    fixed((c) => c.settings.defaultRatio),
  ],
  // Store product SP of store S.
  storeProduct: [
    { ratio: memberLevel((c) => c.item.memberLevelRatios) },
    { ratio: memberLevel((c) => c.store?.memberLevelRatios) },
    { ratio: baseMemberLevel },
    { ratio: cumulative((c) => c.item.cumulativeTiers) },
    { ratio: cumulative((c) => c.store?.cumulativeTiers) },
    { lottery: (c) => c.item.lottery },
    { lottery: (c) => c.store?.lottery },
    { lottery: (c) => c.settings.lottery },
    fixed((c) => c.item.defaultRatio),
    fixed((c) => c.store?.defaultRatio),
    fixed((c) => c.settings.defaultRatio),
  ],
  // Cashier C (its store's `{Q}` plays no part).
  cashier: [
    { ratio: memberLevel((c) => c.item.memberLevelRatios) },
    { ratio: baseMemberLevel },
    { ratio: cumulative((c) => c.item.cumulativeTiers) },
    { lottery: (c) => c.item.lottery },
    { lottery: (c) => c.settings.lottery },
    fixed((c) => c.item.defaultRatio),
    fixed((c) => c.settings.defaultRatio),
  ],
};

type Source = (ctx: RatioContext) => Ratio | undefined;

const EXTRACT_CHAINS: Record<LineKind, Source[]> = {
  product: [(c) => c.item.extractRatio, (c) => c.settings.extractRatio],
  storeProduct: [(c) => c.item.extractRatio, (c) => c.store?.extractRatio, (c) => c.settings.extractRatio],
  cashier: [(c) => c.item.extractRatio, (c) => c.settings.extractRatio],
};

/** The first fixed ratio from step `from` on (every chain ends in the base default, so there is one). */
function firstRatioFrom(chain: Step[], from: number, ctx: RatioContext, data: ModelData): Ratio {
  for (let i = from; i < chain.length; i++) {
    const step = chain[i];
    if ('ratio' in step) {
      const r = step.ratio(ctx, data);
      if (r !== undefined) return r;
    }
  }
  throw new Error(`ratio chain for ${ctx.kind} has no value`);
}

/**
 * The entry's ratio: the first source that applies. A lottery source starts
 * the entry with the first independent/default ratio below it and makes it
 * drawable with that lottery's config.
 */
export function entryChoice(ctx: RatioContext, data: ModelData): EntryChoice {
  const chain = ENTRY_CHAINS[ctx.kind];
  for (let i = 0; i < chain.length; i++) {
    const step = chain[i];
    if ('lottery' in step) {
      const lottery = step.lottery(ctx, data);
      if (lottery) return { ratio: normalizeRatio(firstRatioFrom(chain, i + 1, ctx, data)), lottery };
      continue;
    }
    const ratio = step.ratio(ctx, data);
    if (ratio !== undefined) return { ratio: normalizeRatio(ratio), lottery: null };
  }
  throw new Error(`ratio chain for ${ctx.kind} has no value`);
}

export function extractRatio(ctx: RatioContext): Ratio {
  for (const source of EXTRACT_CHAINS[ctx.kind]) {
    const ratio = source(ctx);
    if (ratio !== undefined) return ratio;
  }
  // The base setting always exists, so every chain ends in a ratio.
  throw new Error(`extraction chain for ${ctx.kind} has no value`);
}

/** The `{Q}` configs a line of this item sees: its own and, for store products, its store's. */
export function itemConfigs(
  data: ModelData,
  kind: LineKind,
  id: string,
): { item: QueueConfig; store?: QueueConfig; storeId?: string } {
  if (kind === 'product') return { item: data.products.get(id)!.queue };
  if (kind === 'storeProduct') {
    const sp = data.storeProducts.get(id)!;
    return { item: sp.queue, store: data.stores.get(sp.store)!.queue, storeId: sp.store };
  }
  const cashier = data.cashiers.get(id)!;
  return { item: cashier.queue, storeId: cashier.store };
}

/**
 * Everything one line of an item resolves to for `user` at `atMs`: its
 * queue, extraction ratio, entry ratio and lottery (§4), the item's switches
 * and time windows. The one resolver of the model; its SQL mirror is
 * `rebate.resolve_line`, which payment and every preview call.
 */
export interface LineRules {
  configs: { item: QueueConfig; store?: QueueConfig; storeId?: string };
  queue: string;
  extractRatio: Ratio;
  entry: EntryChoice;
  /** The plugin and the item's (and its store's) queue switches. */
  enabled: boolean;
  /** `atMs` is inside the item's time windows (a store product without its own uses its store's). */
  inWindow: boolean;
}

export function resolveLine(data: ModelData, kind: LineKind, item: string, user: string, atMs: number): LineRules {
  const { settings } = data;
  const configs = itemConfigs(data, kind, item);
  const ctx: RatioContext = { settings, kind, item: configs.item, store: configs.store, storeId: configs.storeId, user, atMs };
  const windows = kind === 'storeProduct' && !configs.item.timeWindows?.length ? configs.store?.timeWindows : configs.item.timeWindows;
  return {
    configs,
    queue: queueKey(settings, kind, item, configs.storeId),
    extractRatio: extractRatio(ctx),
    entry: entryChoice(ctx, data),
    enabled: settings.enabled && configs.item.enabled !== false && configs.store?.enabled !== false,
    inWindow: inTimeWindows(windows, atMs),
  };
}
