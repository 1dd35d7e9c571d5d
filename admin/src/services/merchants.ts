import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listApplications = (p: R<'merchants.applications'>) => call('merchants.applications', p);
export const reviewApplication = (p: R<'merchants.review'>) => call('merchants.review', p);
export const listStores = (p: R<'merchants.stores'>) => call('merchants.stores', p);
export const saveStore = (p: R<'merchants.saveStore'>) => call('merchants.saveStore', p);
export const listStoreProducts = (p: R<'merchants.storeProducts'>) => call('merchants.storeProducts', p);
export const saveStoreProduct = (p: R<'merchants.saveStoreProduct'>) => call('merchants.saveStoreProduct', p);
export const listCashiers = (p: R<'merchants.cashiers'>) => call('merchants.cashiers', p);
export const saveCashier = (p: R<'merchants.saveCashier'>) => call('merchants.saveCashier', p);
export const listSuppliers = (p: R<'merchants.suppliers'>) => call('merchants.suppliers', p);
export const saveSupplier = (p: R<'merchants.saveSupplier'>) => call('merchants.saveSupplier', p);
