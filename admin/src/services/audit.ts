import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listAudit = (p: R<'audit.list'>) => call('audit.list', p);
export const listAuditOperators = () => call('audit.operators', {});
