// Catalogue events: create the item, or replace it when the id exists.
// References must exist when the event is applied.
import type { CashierEvent, LevelEvent, ProductEvent, StoreEvent, StoreProductEvent, UserEvent } from '../events';
import { fail } from '../validate';
import type { ModelData } from './model';
import { ancestorsOf } from './distribution';
import { recordReferral } from './members';
import { wallet } from './queue';
import { openMerchant, openSupplier, requireStoreExtraction, withItem } from './settlement';

export function applyLevel(data: ModelData, e: LevelEvent): void {
  const { type: _t, ...level } = e;
  // Definition order (the default rank) is kept when a level is redefined.
  const index = data.levels.get(e.id)?.index ?? data.levels.size;
  data.levels.set(e.id, { ...level, index });
}

export function applyProduct(data: ModelData, e: ProductEvent): void {
  const { type: _t, ...product } = e;
  data.products.set(e.id, product);
  openSupplier(data, product);
}

function requireUser(data: ModelData, id: string, field: string): void {
  if (!data.users.has(id)) fail(field, `unknown user "${id}"`);
}

function requireStore(data: ModelData, id: string, field: string): void {
  if (!data.stores.has(id)) fail(field, `unknown store "${id}"`);
}

export function applyStore(data: ModelData, e: StoreEvent): void {
  if (e.recruiter !== undefined) requireUser(data, e.recruiter, 'recruiter');
  const { type: _t, ...store } = e;
  requireStoreExtraction({ ...data, stores: withItem(data.stores, e.id, store) }, 'commission');
  data.stores.set(e.id, store);
  openMerchant(data, e.id);
}

export function applyStoreProduct(data: ModelData, e: StoreProductEvent): void {
  requireStore(data, e.store, 'store');
  const { type: _t, ...sp } = e;
  requireStoreExtraction({ ...data, storeProducts: withItem(data.storeProducts, e.id, sp) }, 'queue.extractRatio');
  data.storeProducts.set(e.id, sp);
}

export function applyCashier(data: ModelData, e: CashierEvent): void {
  requireStore(data, e.store, 'store');
  const { type: _t, ...cashier } = e;
  requireStoreExtraction({ ...data, cashiers: withItem(data.cashiers, e.id, cashier) }, 'queue.extractRatio');
  data.cashiers.set(e.id, cashier);
}

export function applyUser(data: ModelData, e: UserEvent): void {
  if (e.level !== undefined && !data.levels.has(e.level)) fail('level', `unknown level "${e.level}"`);
  const existing = data.users.get(e.id);
  const bound = existing?.referrer;
  if (e.referrer !== undefined && e.referrer !== bound) {
    if (bound !== undefined) fail('referrer', `already bound to "${bound}" and cannot change`);
    if (e.referrer === e.id) fail('referrer', 'a user cannot refer themself');
    // A referrer binds only at the user's first event (registration), so a
    // new user has no downline yet and no binding can close a cycle.
    if (existing) fail('referrer', `"${e.id}" is already registered without a referrer; a referrer binds only at registration`);
    requireUser(data, e.referrer, 'referrer');
  }
  // A bound referrer (and so the upline) stays when a later event omits it.
  const referrer = e.referrer ?? bound;
  const ancestors = existing ? existing.ancestors : ancestorsOf(data, referrer);
  data.users.set(e.id, {
    id: e.id,
    ...(e.level !== undefined ? { level: e.level } : {}),
    ...(referrer !== undefined ? { referrer } : {}),
    ancestors,
  });
  if (!existing && referrer !== undefined) recordReferral(data, referrer);
  wallet(data, e.id);
}
