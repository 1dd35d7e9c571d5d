import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listOperators = () => call('operators.list', {});
export const saveOperator = (p: R<'operators.save'>) => call('operators.save', p);
