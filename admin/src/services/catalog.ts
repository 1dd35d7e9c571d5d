import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listCategories = () => call('catalog.categories', {});
export const saveCategory = (p: R<'catalog.saveCategory'>) => call('catalog.saveCategory', p);
export const listProducts = (p: R<'catalog.products'>) => call('catalog.products', p);
export const saveProduct = (p: R<'catalog.saveProduct'>) => call('catalog.saveProduct', p);
export const setOnSale = (p: R<'catalog.setOnSale'>) => call('catalog.setOnSale', p);
export const uploadImage = (p: R<'catalog.uploadImage'>) => call('catalog.uploadImage', p);
export const queueChain = (p: R<'catalog.queueChain'>) => call('catalog.queueChain', p);
export const importProducts = (p: R<'catalog.importProducts'>) => call('catalog.importProducts', p);
export const listBanners = () => call('catalog.banners', {});
export const saveBanner = (p: R<'catalog.saveBanner'>) => call('catalog.saveBanner', p);
