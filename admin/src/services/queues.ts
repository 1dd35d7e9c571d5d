import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listQueues = () => call('queues.list', {});
export const listEntries = (p: R<'queues.entries'>) => call('queues.entries', p);
export const setQueuePaused = (p: R<'queues.setPaused'>) => call('queues.setPaused', p);
export const runDue = () => call('queues.runDue', {});
