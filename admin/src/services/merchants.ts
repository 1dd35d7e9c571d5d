import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listApplications = (p: R<'merchants.applications'>) => call('merchants.applications', p);
export const reviewApplication = (p: R<'merchants.review'>) => call('merchants.review', p);
export const listStores = (p: R<'merchants.stores'>) => call('merchants.stores', p);
export const saveStore = (p: R<'merchants.storeSave'>) => call('merchants.storeSave', p);
export const listStoreProducts = (p: R<'merchants.storeProducts'>) => call('merchants.storeProducts', p);
export const saveStoreProduct = (p: R<'merchants.storeProductSave'>) => call('merchants.storeProductSave', p);
export const listCashiers = (p: R<'merchants.cashiers'>) => call('merchants.cashiers', p);
export const saveCashier = (p: R<'merchants.cashierSave'>) => call('merchants.cashierSave', p);
export const cashierCode = (p: R<'merchants.cashierCode'>) => call('merchants.cashierCode', p);
export const listSuppliers = () => call('merchants.suppliers', {});
export const saveSupplier = (p: R<'merchants.supplierSave'>) => call('merchants.supplierSave', p);
