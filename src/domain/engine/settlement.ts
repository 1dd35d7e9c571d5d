// Settlement of every source (docs/engine-semantics.md "Settlement"): who
// gets the rest of a line's payment once its extraction is taken.
// - self-operated product: the platform (revenue, at completion);
// - supplier product: the supplier, credited the supply price (the
//   product's cost at payment) at completion; the platform keeps or bears
//   the difference;
// - store product and cashier payment: the platform charges its commission
//   (paid × store commission%, at most what the extraction leaves) and the
//   merchant is credited paid − extraction − commission, frozen at payment,
//   available at completion, returned to the shopper by a refund.
// A store configuration whose extraction + commission exceeds 100% is
// refused (classic mode: union mode takes no extraction), naming the field
// of the event that would cause it.
import Decimal from 'decimal.js';
import { pct, type Fen, type Ratio } from '../money';
import type { Settings } from '../settings';
import { fail } from '../validate';
import type { Cashier, Line, LineKind, ModelData, Order, Product, Store, StoreProduct } from './model';

/** What a line settles to, fixed at payment. */
export interface LineSettlement {
  commission: Fen;
  merchant: Fen;
  supplier: string | null;
  supply: Fen;
}

/** The supplier account of a supplier product: its `supplier`, or the product id. */
export function supplierOf(product: Product): string | null {
  return product.source === 'supplier' ? (product.supplier ?? product.id) : null;
}

export function lineSettlement(data: ModelData, kind: LineKind, item: string, store: string | undefined, paid: Fen, extraction: Fen): LineSettlement {
  if (kind === 'product') {
    const product = data.products.get(item)!;
    const supplier = supplierOf(product);
    return { commission: 0, merchant: 0, supplier, supply: supplier === null ? 0 : product.cost };
  }
  const rest = paid - extraction;
  const commission = Math.min(pct(paid, data.stores.get(store!)!.commission), rest);
  return { commission, merchant: rest - commission, supplier: null, supply: 0 };
}

function merchant(data: ModelData, store: string) {
  let m = data.merchants.get(store);
  if (!m) data.merchants.set(store, (m = { available: 0, frozen: 0 }));
  return m;
}

/** Payment: each store line's merchant share is credited frozen. */
export function settlePaid(data: ModelData, order: Order): void {
  for (const line of order.lines) if (line.merchant > 0) merchant(data, line.store!).frozen += line.merchant;
}

/** Completion: merchants' shares become available, suppliers are credited the supply price. */
export function settleCompleted(data: ModelData, order: Order): void {
  for (const line of order.lines) {
    if (line.merchant > 0) {
      const m = merchant(data, line.store!);
      m.frozen -= line.merchant;
      m.available += line.merchant;
    }
    if (line.supplier !== null && line.supply > 0) data.suppliers.set(line.supplier, (data.suppliers.get(line.supplier) ?? 0) + line.supply);
  }
}

/** Refund: the merchants' frozen shares go back to the shopper (with the rest of the payment). */
export function settleRefunded(data: ModelData, order: Order): void {
  for (const line of order.lines) if (line.merchant > 0) merchant(data, line.store!).frozen -= line.merchant;
}

export function openSupplier(data: ModelData, product: Product): void {
  const supplier = supplierOf(product);
  if (supplier !== null && !data.suppliers.has(supplier)) data.suppliers.set(supplier, 0);
}

export function openMerchant(data: ModelData, store: string): void {
  merchant(data, store);
}

/** A catalogue with one item replaced (or the base settings): what the check reads. */
export interface StoreCatalogue {
  settings: Settings;
  stores: Map<string, Store>;
  storeProducts: Map<string, StoreProduct>;
  cashiers: Map<string, Cashier>;
}

const over = (extract: Ratio, commission: Ratio) => new Decimal(extract).plus(commission).gt(100);

/**
 * True when some store's extraction (the store's own, or the base setting's;
 * each of its store products' and cashiers' effective extraction) plus its
 * commission exceeds 100%.
 */
export function storeExtractionExceeds(c: StoreCatalogue): boolean {
  // Union mode takes no extraction (its commission-based profit is capped at paid).
  if (c.settings.mode === 'union') return false;
  const base = c.settings.extractRatio;
  for (const store of c.stores.values()) {
    if (over(store.queue.extractRatio ?? base, store.commission)) return true;
  }
  for (const sp of c.storeProducts.values()) {
    const store = c.stores.get(sp.store)!;
    if (over(sp.queue.extractRatio ?? store.queue.extractRatio ?? base, store.commission)) return true;
  }
  for (const cashier of c.cashiers.values()) {
    if (over(cashier.queue.extractRatio ?? base, c.stores.get(cashier.store)!.commission)) return true;
  }
  return false;
}

/** Refuses a change (the candidate catalogue) that would make a store's extraction + commission exceed 100%. */
export function requireStoreExtraction(c: StoreCatalogue, field: string): void {
  if (storeExtractionExceeds(c)) fail(field, 'extraction + commission must not exceed 100%');
}

export function withItem<K, V>(map: Map<K, V>, key: K, value: V): Map<K, V> {
  return new Map(map).set(key, value);
}

export type { Line };
