import { call } from './client';
import type { AdminRequest as R } from './contract';

export const listOrders = (p: R<'orders.list'>) => call('orders.list', p);
export const orderDetail = (p: R<'orders.detail'>) => call('orders.detail', p);
export const listRefunds = (p: R<'refunds.list'>) => call('refunds.list', p);
export const reviewRefund = (p: R<'refunds.review'>) => call('refunds.review', p);
export const listWithdrawals = (p: R<'withdrawals.list'>) => call('withdrawals.list', p);
export const reviewWithdrawal = (p: R<'withdrawals.review'>) => call('withdrawals.review', p);
export const listAnomalies = (p: R<'anomalies.list'>) => call('anomalies.list', p);
export const resolveAnomaly = (p: R<'anomalies.resolve'>) => call('anomalies.resolve', p);
