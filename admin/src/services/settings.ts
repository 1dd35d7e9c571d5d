import { call } from './client';
import type { AdminRequest as R } from './contract';

export const getSettings = () => call('settings.get', {});
export const previewSettings = (p: R<'settings.preview'>) => call('settings.preview', p);
export const updateSettings = (p: R<'settings.update'>) => call('settings.update', p);
export const enableAllProducts = () => call('settings.enableAllProducts', {});
