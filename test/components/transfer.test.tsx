// 转让 page: code → masked recipient → confirm → result, with the values the
// server answered; the form's own checks and the server's named refusals.
jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent } from '@testing-library/react';
import type { ApiRequest, ApiResponse } from '@contract';
import TransferPage from '@/packages/wallet/pages/transfer/index';
import WalletPage from '@/packages/wallet/pages/index/index';
import { normaliseMemberCode, parseTransferAmount, transferable, validateTransfer } from '@/domain/transfer';
import { ApiError, callsOf } from './api-mock';
import { byId, findId, queryId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

const list: ApiResponse<'transfer.list'> = {
  items: [
    { transferId: '7', direction: 'in', kind: 'love', amount: 120, counterpart: { maskedName: '王**' }, createdAt: '2026-01-02T09:30:00+08:00' },
    { transferId: '5', direction: 'out', kind: 'points', amount: 1500, counterpart: { maskedName: '赵**' }, createdAt: '2026-01-01T10:00:00+08:00' },
  ],
  nextCursor: null,
  myCode: 'MYCODE01',
  balances: { points: 2000, love: 300 },
  dailyLimit: { points: 5000, love: 50000 },
  usedToday: { points: 1500, love: 0 },
};
const recipient = { code: 'AB12CD34', maskedName: '李**' };

async function fill(code: string, amount: string) {
  fireEvent.change(byId('transfer-code'), { target: { value: code } });
  fireEvent.change(byId('transfer-amount'), { target: { value: amount } });
  await act(async () => fireEvent.click(byId('transfer-next')));
}

test('code → the masked recipient to confirm → the transfer and its result', async () => {
  setup({
    'transfer.list': list,
    'transfer.lookup': { recipient },
    'transfer.send': (p: ApiRequest<'transfer.send'>) => ({
      transferId: '9', kind: p.kind, amount: p.amount, recipient, createdAt: '2026-01-03T10:00:00+08:00', replayed: false, balance: 2000 - p.amount,
    }),
  });
  await renderPage(<TransferPage />);
  expect((await findId('transfer-balance')).textContent).toBe('可用 2,000 积分，今日还可转让 3,500');
  expect(byId('transfer-my-code').textContent).toBe('MYCODE01');
  expect(byId('transfer-record-7').textContent).toContain('来自 王**');
  expect(byId('transfer-record-7').textContent).toContain('+120 爱心值');
  expect(byId('transfer-record-5').textContent).toContain('-1,500 积分');

  await fill(' ab12cd34 ', '300');
  expect(callsOf('transfer.lookup')).toEqual([{ code: 'AB12CD34' }]);
  expect(byId('transfer-recipient').textContent).toBe('李**（会员码 AB12CD34）');
  expect(byId('transfer-confirm-amount').textContent).toBe('300 积分');
  expect(callsOf('transfer.send')).toEqual([]);

  await act(async () => fireEvent.click(byId('transfer-submit')));
  const [sent] = callsOf('transfer.send') as ApiRequest<'transfer.send'>[];
  expect(sent).toEqual({ code: 'AB12CD34', kind: 'points', amount: 300, requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/) });
  expect(byId('transfer-done-text').textContent).toBe('已向 李** 转让 300 积分');
  expect(byId('transfer-done-balance').textContent).toContain('剩余 1,700 积分');
  await act(async () => fireEvent.click(byId('transfer-back')));
  expect(Taro.navigateBack).toHaveBeenCalled();
});

test('love: the love balance and limit, and a fresh requestId per confirmation', async () => {
  setup({
    'transfer.list': list,
    'transfer.lookup': { recipient },
    'transfer.send': (p: ApiRequest<'transfer.send'>) => ({
      transferId: '10', kind: p.kind, amount: p.amount, recipient, createdAt: '2026-01-03T10:00:00+08:00', replayed: false, balance: 300 - p.amount,
    }),
  });
  await renderPage(<TransferPage />);
  await act(async () => fireEvent.click(await findId('transfer-kind-love')));
  expect(byId('transfer-balance').textContent).toBe('可用 300 爱心值，今日还可转让 50,000');
  await act(async () => fireEvent.click(byId('transfer-all')));
  await fill('AB12CD34', (byId('transfer-amount') as HTMLInputElement).value);
  expect(byId('transfer-confirm-amount').textContent).toBe('300 爱心值');
  await act(async () => fireEvent.click(byId('transfer-submit')));
  await act(async () => fireEvent.click(byId('transfer-again')));
  await fill('AB12CD34', '10');
  await act(async () => fireEvent.click(byId('transfer-submit')));
  const sends = callsOf('transfer.send') as ApiRequest<'transfer.send'>[];
  expect(sends.map((s) => [s.kind, s.amount])).toEqual([['love', 300], ['love', 10]]);
  expect(sends[0].requestId).not.toBe(sends[1].requestId);
});

test('the form refuses what it can see: bad code, own code, over the balance, over the day\'s limit', async () => {
  setup({ 'transfer.list': list, 'transfer.lookup': { recipient } });
  const first = await renderPage(<TransferPage />);
  await findId('transfer-next');
  await fill('AB1', '10');
  expect(byId('transfer-code-error').textContent).toBe('请输入 6–10 位会员码');
  await fill('mycode01', '10');
  expect(byId('transfer-code-error').textContent).toBe('不能转让给自己');
  await fill('AB12CD34', '2001');
  expect(byId('transfer-amount-error').textContent).toBe('积分余额不足（可用 2000）');
  await fill('AB12CD34', '1.5');
  expect(byId('transfer-amount-error').textContent).toBe('请输入正整数数量');
  first.unmount();
  setup({ 'transfer.list': { ...list, usedToday: { points: 4000, love: 0 } }, 'transfer.lookup': { recipient } });
  await renderPage(<TransferPage />);
  await findId('transfer-next');
  await fill('AB12CD34', '1001');
  expect(byId('transfer-amount-error').textContent).toBe('超出每日转让上限，今日还可转让 1000 积分');
  expect(callsOf('transfer.lookup')).toEqual([]);
});

test('the server\'s refusals are shown on their field and nothing is confirmed', async () => {
  setup({ 'transfer.list': list, 'transfer.lookup': new ApiError('没有这个会员码', 404, 'code', 'not_found') });
  const first = await renderPage(<TransferPage />);
  await findId('transfer-next');
  await fill('ZZZZZZZZ', '10');
  expect(byId('transfer-code-error').textContent).toBe('没有这个会员码');
  expect(queryId('transfer-confirm')).toBeNull();
  first.unmount();

  setup({ 'transfer.list': list, 'transfer.lookup': { recipient }, 'transfer.send': new ApiError('积分余额不足', 400, 'amount', 'invalid') });
  await renderPage(<TransferPage />);
  await findId('transfer-next');
  await fill('AB12CD34', '10');
  await act(async () => fireEvent.click(byId('transfer-submit')));
  expect(byId('transfer-amount-error').textContent).toBe('积分余额不足');
  expect(queryId('transfer-done')).toBeNull();
});

test('the wallet page opens the transfer page', async () => {
  setup({
    'wallet.summary': {
      available: 0, frozen: 0, withdrawing: 0, points: 2000, love: { available: 300, frozen: 0 }, coupon: 0,
      withdrawRule: { minAmount: 100, maxAmount: 199999, feeRatio: '0', minFee: 0 },
    },
  });
  await renderPage(<WalletPage />);
  await act(async () => fireEvent.click(await findId('wallet-transfer')));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/wallet/pages/transfer/index' });
});

test('the form rules on their own', () => {
  expect(normaliseMemberCode(' ab12cd34 ')).toBe('AB12CD34');
  expect([parseTransferAmount('300'), parseTransferAmount('0'), parseTransferAmount('-1'), parseTransferAmount('1e3'), parseTransferAmount('01')]).toEqual([300, null, null, null, null]);
  expect(transferable({ balance: 2000, dailyLimit: 5000, usedToday: 4000 })).toBe(1000);
  expect(transferable({ balance: 200, dailyLimit: 5000, usedToday: 0 })).toBe(200);
  expect(transferable({ balance: 200, dailyLimit: 5000, usedToday: 6000 })).toBe(0);
  expect(validateTransfer({ code: 'AB12CD34', amount: 1000, kind: 'points' }, { balance: 2000, dailyLimit: 5000, usedToday: 4000 }, 'X')).toBeNull();
});
