import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listQueues = (p: R<'queues.list'>) => call('queues.list', p);
export const listEntries = (p: R<'queues.entries'>) => call('queues.entries', p);
export const setQueuePaused = (p: R<'queues.setPaused'>) => call('queues.setPaused', p);
export const runClearing = (p: R<'queues.runClearing'>) => call('queues.runClearing', p);
