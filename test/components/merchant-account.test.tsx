// 商家结算 (merchant.account): balances, the statement, and the withdrawal
// through the shoppers' withdraw page with from=merchant.
jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent } from '@testing-library/react';
import type { ApiResponse } from '@contract';
import MerchantAccountPage from '@/packages/merchant/pages/account/index';
import WithdrawPage from '@/packages/wallet/pages/withdraw/index';
import { callsOf } from './api-mock';
import { byId, findId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

const account: ApiResponse<'merchant.account'> = {
  storeId: 's1',
  available: 7750,
  frozen: 2500,
  withdrawing: 1000,
  commission: '12.5',
  withdrawRule: { minAmount: 1000, maxAmount: 1_000_000, feeRatio: '0', minFee: 0 },
  items: [
    { id: '9', kind: 'settled', amount: 7750, direction: 'in', balance: 'available', title: '订单完成·结算到账', orderId: 'O123', createdAt: '2026-01-08T10:00:00+08:00' },
    { id: '5', kind: 'sale', amount: 7750, direction: 'in', balance: 'frozen', title: '订单收入·售后期内冻结', orderId: 'O123', createdAt: '2026-01-01T10:00:00+08:00' },
  ],
  nextCursor: null,
};

test('balances, commission and the statement with the order numbers', async () => {
  setup({ 'merchant.account': account });
  await renderPage(<MerchantAccountPage />);
  expect((await findId('merchant-available')).textContent).toContain('¥77.50');
  expect(byId('merchant-frozen').textContent).toContain('¥25.00');
  expect(byId('merchant-withdrawing').textContent).toContain('¥10.00');
  expect(byId('page-merchant-account').textContent).toContain('12.5%');
  expect(byId('statement-9').textContent).toContain('订单完成·结算到账 · O123');
  expect(byId('statement-9').textContent).toContain('+¥77.50');
  expect(byId('statement-5').textContent).toContain('冻结');
  await act(async () => fireEvent.click(byId('merchant-withdraw')));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/wallet/pages/withdraw/index?from=merchant' });
});

test('nothing available: the withdraw button does nothing', async () => {
  setup({ 'merchant.account': { ...account, available: 0 } });
  await renderPage(<MerchantAccountPage />);
  await act(async () => fireEvent.click(await findId('merchant-withdraw')));
  expect(Taro.navigateTo).not.toHaveBeenCalled();
});

test('withdraw page with from=merchant: the merchant balance and a merchant withdrawal', async () => {
  setup({ 'merchant.account': account, 'wallet.withdraw': { withdrawalId: 'w9', amount: 5000, fee: 0, net: 5000, status: 'reviewing' } }, { from: 'merchant' });
  await renderPage(<WithdrawPage />);
  expect(byId('page-withdraw').textContent).toContain('可提现 ¥77.50');
  fireEvent.change(byId('withdraw-amount'), { target: { value: '80' } });
  await act(async () => fireEvent.click(byId('withdraw-submit')));
  expect(byId('withdraw-error').textContent).toContain('超出可提现余额');
  fireEvent.change(byId('withdraw-amount'), { target: { value: '50' } });
  await act(async () => fireEvent.click(byId('withdraw-submit')));
  expect(callsOf('wallet.withdraw')).toEqual([{ amount: 5000, from: 'merchant' }]);
  expect(callsOf('wallet.summary')).toEqual([]);
});
