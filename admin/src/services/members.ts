import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listMembers = (p: R<'members.list'>) => call('members.list', p);
export const memberDetail = (p: R<'members.detail'>) => call('members.detail', p);
export const setMemberLevel = (p: R<'members.setLevel'>) => call('members.setLevel', p);
export const listLevels = () => call('members.levels', {});
export const saveLevel = (p: R<'members.levelSave'>) => call('members.levelSave', p);
