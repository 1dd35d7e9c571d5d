import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listMembers = (p: R<'members.list'>) => call('members.list', p);
export const memberDetail = (p: R<'members.detail'>) => call('members.detail', p);
export const setMemberLevel = (p: R<'members.setLevel'>) => call('members.setLevel', p);
export const setShareholder = (p: R<'members.setShareholder'>) => call('members.setShareholder', p);
export const listLevels = () => call('levels.list', {});
export const saveLevel = (p: R<'levels.save'>) => call('levels.save', p);
export const listPromoterLevels = () => call('promoterLevels.list', {});
export const savePromoterLevel = (p: R<'promoterLevels.save'>) => call('promoterLevels.save', p);
