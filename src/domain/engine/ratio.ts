// Ratios of a line: its extraction ratio and its entry's reward ratio.
// Each is a chain of sources; the first defined one wins (SPEC §4). The
// core engine has only the tail of the §4 chains (independent/default
// ratios); member levels, cumulative tiers and lotteries slot in front.
import type { QueueConfig } from '../events';
import type { Ratio } from '../money';
import type { Settings } from '../settings';
import type { LineKind, ModelData } from './model';

/** What a ratio source may look at. */
export interface RatioContext {
  settings: Settings;
  kind: LineKind;
  /** `{Q}` of the product / store product / cashier. */
  item: QueueConfig;
  /** `{Q}` of the store (store products only). */
  store?: QueueConfig;
  user: string;
  atMs: number;
}

type Source = (ctx: RatioContext) => Ratio | undefined;

const ENTRY_CHAINS: Record<LineKind, Source[]> = {
  // §4 mall chain steps 6–7.
  product: [(c) => c.item.independentRatio, (c) => c.settings.defaultRatio],
  // §4 store chain steps 9–11.
  storeProduct: [(c) => c.item.defaultRatio, (c) => c.store?.defaultRatio, (c) => c.settings.defaultRatio],
  // §4 cashier chain steps 6–7.
  cashier: [(c) => c.item.defaultRatio, (c) => c.settings.defaultRatio],
};

const EXTRACT_CHAINS: Record<LineKind, Source[]> = {
  product: [(c) => c.item.extractRatio, (c) => c.settings.extractRatio],
  storeProduct: [(c) => c.item.extractRatio, (c) => c.store?.extractRatio, (c) => c.settings.extractRatio],
  cashier: [(c) => c.item.extractRatio, (c) => c.settings.extractRatio],
};

function first(chain: Source[], ctx: RatioContext): Ratio {
  for (const source of chain) {
    const ratio = source(ctx);
    if (ratio !== undefined) return ratio;
  }
  // The base setting always exists, so every chain ends in a ratio.
  throw new Error(`ratio chain for ${ctx.kind} has no value`);
}

export function entryRatio(ctx: RatioContext): Ratio {
  return first(ENTRY_CHAINS[ctx.kind], ctx);
}

export function extractRatio(ctx: RatioContext): Ratio {
  return first(EXTRACT_CHAINS[ctx.kind], ctx);
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
