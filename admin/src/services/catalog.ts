import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listCategories = () => call('catalog.categories', {});
export const saveCategory = (p: R<'catalog.categorySave'>) => call('catalog.categorySave', p);
export const deleteCategory = (p: R<'catalog.categoryDelete'>) => call('catalog.categoryDelete', p);
export const listProducts = (p: R<'catalog.products'>) => call('catalog.products', p);
export const getProduct = (p: R<'catalog.product'>) => call('catalog.product', p);
export const saveProduct = (p: R<'catalog.productSave'>) => call('catalog.productSave', p);
export const setProductsOnSale = (p: R<'catalog.productsSetOnSale'>) => call('catalog.productsSetOnSale', p);
export const bulkCreateProducts = (p: R<'catalog.bulkCreate'>) => call('catalog.bulkCreate', p);
export const getHome = () => call('catalog.home', {});
export const saveHome = (p: R<'catalog.homeSave'>) => call('catalog.homeSave', p);
export const uploadImage = (p: R<'uploads.image'>) => call('uploads.image', p);
