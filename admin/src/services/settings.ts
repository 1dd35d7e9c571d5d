import { call } from './client';
import type { AdminRequest } from './contract';

export const getSettings = () => call('settings.get', {});
export const updateSettings = (p: AdminRequest<'settings.update'>) => call('settings.update', p);
export const enableAllProducts = () => call('settings.enableAllProducts', {});
