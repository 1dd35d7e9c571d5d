jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent } from '@testing-library/react';
import CashierPayPage from '@/packages/cashier/pages/pay/index';
import ReceiptPage from '@/packages/cashier/pages/receipt/index';
import QueueProgressPage from '@/packages/queue/pages/progress/index';
import EntryPage from '@/packages/queue/pages/entry/index';
import DrawPage from '@/packages/queue/pages/draw/index';
import ExchangePage from '@/packages/queue/pages/exchange/index';
import type { ApiResponse, DisplaySettings } from '@contract';
import { ApiError, callsOf } from './api-mock';
import { entry, order, preview } from './fixtures';
import { byId, queryId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

const cashierInfo: ApiResponse<'cashier.info'> = {
  cashier: { id: 'c1', name: '1号收银台', storeId: 's1', storeName: '幸福便利店', storeLogo: null, storeAddress: '城东路 1 号' },
  queue: { ...preview, queueKey: 'cashier:c1', queueName: '收银台·幸福便利店', ratio: '100', entitlement: 10000, base: 10000, extractRatio: '10', lottery: null },
};

describe('扫码买单 cashier', () => {
  test('invalid code', async () => {
    setup({});
    await renderPage(<CashierPayPage />);
    expect(byId('cashier-error').textContent).toContain('收款码无效');
  });

  test('loading', async () => {
    setup({ 'cashier.info': 'pending' }, { scene: 'c1' });
    await renderPage(<CashierPayPage />);
    expect(byId('cashier-loading')).toBeTruthy();
  });

  test('store error', async () => {
    setup({ 'cashier.info': new ApiError('收银台已停用', 404, 'cashierId') }, { scene: 'c1' });
    await renderPage(<CashierPayPage />);
    expect(byId('cashier-error').textContent).toContain('收银台已停用');
  });

  test('keypad amount → pay in fen → receipt', async () => {
    setup(
      {
        'cashier.info': cashierInfo,
        'cashier.pay': { orderId: 'o5', payable: 1250, payment: { kind: 'wechat', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'RSA', paySign: 's' } },
      },
      { scene: encodeURIComponent('c1') },
    );
    await renderPage(<CashierPayPage />);
    expect(byId('cashier-store').textContent).toBe('幸福便利店');
    expect(byId('queue-preview-estimate-text').textContent).toBe('2026-12-06 至 2026-12-20 返完（约 18 天）');
    expect(byId('cashier-pay').textContent).toBe('请输入金额');
    for (const k of ['1', '2', 'dot', '5', '9', '9']) fireEvent.click(byId(`cashier-keypad-${k}`));
    expect(byId('cashier-amount').textContent).toContain('12.59');
    fireEvent.click(byId('cashier-keypad-del'));
    expect(byId('cashier-pay').textContent).toBe('付款 ¥12.50');
    await act(async () => fireEvent.click(byId('cashier-pay')));
    expect(callsOf('cashier.pay')).toEqual([{ cashierId: 'c1', amount: 1250, platform: 'weapp' }]);
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/cashier/pages/receipt/index?orderId=o5' });
  });

  test('receipt shows the new queue entry', async () => {
    setup({ 'orders.detail': { order: { ...order.order, kind: 'cashier', payable: 1250 } } }, { orderId: 'o5' });
    await renderPage(<ReceiptPage />);
    expect(byId('receipt-amount').textContent).toBe('¥12.50');
    expect(byId('entry-e1')).toBeTruthy();
  });

  test('receipt without entry explains why', async () => {
    setup({ 'orders.detail': { order: { ...order.order, entries: [] } } }, { orderId: 'o5' });
    await renderPage(<ReceiptPage />);
    expect(byId('receipt-no-entry')).toBeTruthy();
  });
});

describe('队列进程 progress list', () => {
  const all: DisplaySettings = { queueId: true, progress: true, cumulativeReward: true, pendingReward: true, memberInfo: true, pendingAmount: true };
  const rows = (display: DisplaySettings): ApiResponse<'queue.progress'> => ({
    items: [
      { entryId: 'x1', mine: false, status: 'waiting', seq: 1, progress: '50', paid: 5000, entitlement: 10000, pending: 5000, member: { maskedName: '张三丰', avatarUrl: null } },
      { entryId: 'x2', mine: true, status: 'waiting', seq: 2, progress: '0', paid: 0, entitlement: 10000, pending: 10000, member: { maskedName: '小王', avatarUrl: null } },
    ],
    nextCursor: null,
    queue: { key: 'product:p1', name: '商品队列·大米', waitingCount: 2, pending: 15000 },
    display,
  });

  test('all columns on; other members masked even if sent unmasked', async () => {
    setup({ 'queue.progress': rows(all) }, { key: 'product%3Ap1' });
    await renderPage(<QueueProgressPage />);
    expect(callsOf('queue.progress')[0]).toEqual(expect.objectContaining({ queueKey: 'product:p1' }));
    expect(byId('qrow-x1-seq').textContent).toBe('1');
    expect(byId('qrow-x1-member').textContent).toBe('张**');
    expect(byId('qrow-x2-member').textContent).toContain('（我）');
    expect(byId('qrow-x1-paid').textContent).toContain('¥50.00');
    expect(byId('qrow-x1-entitlement').textContent).toContain('¥100.00');
    expect(byId('qrow-x1-pending').textContent).toContain('¥50.00');
    expect(byId('qrow-x1-progress').getAttribute('data-percent')).toBe('50');
  });

  test('toggles off hide their columns, even if the server sent the fields', async () => {
    const off: DisplaySettings = { queueId: false, progress: false, cumulativeReward: false, pendingReward: false, memberInfo: false, pendingAmount: false };
    setup({ 'queue.progress': rows(off) }, { key: 'product:p1' });
    await renderPage(<QueueProgressPage />);
    for (const suffix of ['seq', 'member', 'paid', 'entitlement', 'pending', 'progress']) expect(queryId(`qrow-x1-${suffix}`)).toBeNull();
    expect(byId('qrow-x1').textContent).not.toContain('张');
  });

  test('empty and error', async () => {
    setup({ 'queue.progress': { ...rows(all), items: [] } }, { key: 'k' });
    await renderPage(<QueueProgressPage />);
    expect(byId('progress-empty')).toBeTruthy();
  });

  test('error', async () => {
    setup({ 'queue.progress': new ApiError('队列不存在', 404) }, { key: 'k' });
    await renderPage(<QueueProgressPage />);
    expect(byId('progress-error').textContent).toContain('队列不存在');
  });
});

describe('排队详情 entry', () => {
  test('data and error', async () => {
    setup({ 'queue.entry': { entry: entry() } }, { id: 'e1' });
    await renderPage(<EntryPage />);
    expect(byId('entry-e1')).toBeTruthy();
    expect(byId('entry-e1-estimate-text').textContent).toBe('2026-11-30 至 2026-12-09 返完（约 9 天）');
    expect(byId('entry-e1-estimate-basis').textContent).toContain('¥50.67');
  });

  test('an entry of a queue without inflow says so instead of a date', async () => {
    const noInflow = { status: 'noInflow' as const, days: null, date: null, daysLow: null, daysHigh: null, dateFrom: null, dateTo: null, inflowPerDay: 0, basis: '近7日队列无流入，暂无法估算', method: 'trailing7d' };
    setup({ 'queue.entry': { entry: entry({ estimate: noInflow }) } }, { id: 'e1' });
    await renderPage(<EntryPage />);
    expect(byId('entry-e1-estimate-text').textContent).toBe('近7日队列无流入，暂无法估算');
    expect(byId('entry-e1-estimate').textContent).not.toContain('预计');
  });

  test('error', async () => {
    setup({ 'queue.entry': new ApiError('记录不存在', 404) }, { id: 'e9' });
    await renderPage(<EntryPage />);
    expect(byId('entry-error').textContent).toContain('记录不存在');
  });
});

describe('抽奖 draw', () => {
  afterEach(() => jest.useRealTimers());

  test('spins, then the drawn ratio replaces the old one', async () => {
    jest.useFakeTimers();
    setup(
      {
        'queue.entry': { entry: entry({ canDraw: true, paid: 0, pending: 16800, ratio: '100', entitlement: 16800, lottery: { kind: 'fixed', ratios: ['10', '20', '50'] } }) },
        'queue.draw': { entryId: 'e1', previousRatio: '100', ratio: '150', entitlement: 25200, lottery: { kind: 'fixed', ratios: ['10', '20', '50'] } },
      },
      { id: 'e1' },
    );
    await renderPage(<DrawPage />);
    expect(byId('draw-face').textContent).toBe('100%');
    expect(byId('draw-options').textContent).toContain('10% / 20% / 50%');
    await act(async () => {
      fireEvent.click(byId('draw-start'));
    });
    expect(byId('draw-start').textContent).toBe('抽奖中…');
    await act(async () => {
      jest.advanceTimersByTime(1500);
    });
    expect(byId('draw-face').textContent).toBe('150%');
    expect(byId('draw-result').textContent).toContain('100%');
    expect(byId('draw-result').textContent).toContain('¥252.00');
    expect(callsOf('queue.draw')).toEqual([{ entryId: 'e1' }]);
  });

  test('not available once paid', async () => {
    setup({ 'queue.entry': { entry: entry({ canDraw: false }) } }, { id: 'e1' });
    await renderPage(<DrawPage />);
    expect(byId('draw-unavailable')).toBeTruthy();
  });

  test('error', async () => {
    setup({ 'queue.entry': new ApiError('记录不存在', 404) }, { id: 'e1' });
    await renderPage(<DrawPage />);
    expect(byId('draw-error')).toBeTruthy();
  });
});

describe('兑换 exchange', () => {
  const pv: ApiResponse<'queue.exchangePreview'> = {
    entryId: 'e1',
    pending: 10920,
    options: [
      { to: 'points', ratio: '100', amount: 10920, frozen: false },
      { to: 'love', ratio: '80', amount: 8736, frozen: true },
      { to: 'coupon', ratio: '100', amount: 10920, frozen: false },
    ],
  };

  test('pick a target, see what it becomes, confirm', async () => {
    setup({ 'queue.entry': { entry: entry() }, 'queue.exchangePreview': pv, 'queue.exchange': { entryId: 'e1', to: 'love', amount: 8736, status: 'exchanged' } }, { id: 'e1' });
    await renderPage(<ExchangePage />);
    expect(byId('exchange-pending').textContent).toBe('¥109.20');
    expect(byId('exchange-amount-points').textContent).toBe('10,920');
    expect(byId('exchange-amount-coupon').textContent).toBe('¥109.20');
    expect(byId('exchange-option-love').textContent).toContain('冻结');
    fireEvent.click(byId('exchange-option-love'));
    expect(byId('exchange-confirm').textContent).toBe('确认兑换为爱心值');
    await act(async () => fireEvent.click(byId('exchange-confirm')));
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: expect.stringContaining('8,736') }));
    expect(callsOf('queue.exchange')).toEqual([{ entryId: 'e1', to: 'love' }]);
    expect(byId('exchange-done').textContent).toContain('8,736 爱心值');
  });

  test('cancel in the dialog does nothing', async () => {
    setup({ 'queue.entry': { entry: entry() }, 'queue.exchangePreview': pv }, { id: 'e1' });
    Taro.showModal.mockImplementation(() => Promise.resolve({ confirm: false, cancel: true }));
    await renderPage(<ExchangePage />);
    fireEvent.click(byId('exchange-option-points'));
    await act(async () => fireEvent.click(byId('exchange-confirm')));
    expect(callsOf('queue.exchange')).toEqual([]);
  });

  test('not exchangeable', async () => {
    setup({ 'queue.entry': { entry: entry({ canExchange: false, status: 'done' }) }, 'queue.exchangePreview': { ...pv, options: [] } }, { id: 'e1' });
    await renderPage(<ExchangePage />);
    expect(byId('exchange-unavailable')).toBeTruthy();
  });

  test('error', async () => {
    setup({ 'queue.entry': new ApiError('记录不存在', 404), 'queue.exchangePreview': pv }, { id: 'e1' });
    await renderPage(<ExchangePage />);
    expect(byId('exchange-error').textContent).toContain('记录不存在');
  });
});
