import { call } from './client';
import type { AdminRequest as R } from './contract';

export const getUnionSummary = () => call('union.summary', {});
export const getUnionHistory = (p: R<'union.history'> = {}) => call('union.history', p);
export const getUnionRunReport = (p: R<'union.runReport'>) => call('union.runReport', p);
export const getUnionQueue = (p: R<'union.queue'>) => call('union.queue', p);
