jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent } from '@testing-library/react';
import QueuePage from '@/pages/queue/index';
import UnionEntryPage from '@/packages/queue/pages/union-entry/index';
import ProductPage from '@/packages/shop/pages/product/index';
import CheckoutPage from '@/packages/shop/pages/checkout/index';
import RewardsPage from '@/packages/promoter/pages/rewards/index';
import type { ApiResponse, UnionEntry, UnionOverview } from '@contract';
import { useSettings } from '@/stores/settings';
import { ApiError, callsOf } from './api-mock';
import { preview, product } from './fixtures';
import { byId, queryId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

const overview: UnionOverview = {
  mode: 'union',
  quotaRatio: '110',
  poolRatio: '60',
  dailyAt: '00:05',
  accelerationOn: true,
  accelerationRatio: '5',
  pool: 80_000,
  yesterdayInflow: 3_000_000,
  inflow7: 18_000_000,
  lastRunDate: '2026-12-03',
  waitingCount: 28,
  waitingQuota: 3_080_000,
};

const waiting: UnionEntry = {
  seq: '273',
  orderId: 'o273',
  line: 0,
  base: 100_000,
  ratio: '110',
  quota: 110_000,
  paid: 10_000,
  pending: 100_000,
  status: 'waiting',
  place: 1,
  quotaAhead: 0,
  completedDate: '2026-12-01',
  payableDate: '2026-12-02',
  paidDate: null,
  accelerated: 10_000,
  estimate: {
    status: 'estimate',
    days: 1,
    date: '2026-12-04',
    daysLow: 1,
    daysHigh: 2,
    dateFrom: '2026-12-03',
    dateTo: '2026-12-05',
    inflowPerDay: 2_571_429,
    basis: '按近7日日均流入 ¥25714.29 估算，仅供参考',
    method: 'trailing7d',
  },
};

const locked: UnionEntry = {
  ...waiting,
  seq: '280',
  orderId: 'o280',
  paid: 0,
  pending: 110_000,
  place: 8,
  quotaAhead: 760_000,
  payableDate: '2099-01-01',
  accelerated: 0,
};

const done: UnionEntry = { ...waiting, seq: '12', orderId: 'o12', paid: 110_000, pending: 0, status: 'done', place: null, quotaAhead: null, paidDate: '2026-11-20', accelerated: 0, estimate: null };

function unionMode() {
  useSettings.setState({ mode: 'union' });
}

describe('工会排队 queue tab', () => {
  test('pool figures, my entries with quota, place, quota ahead and a labelled estimate', async () => {
    setup({
      'union.overview': overview,
      'union.myEntries': { items: [waiting, locked], summary: { waitingCount: 2, quota: 220_000, paid: 10_000, pending: 210_000 } },
    });
    unionMode();
    await renderPage(<QueuePage />);
    expect(byId('page-queue-union')).toBeTruthy();
    expect(queryId('page-queue')).toBeNull();
    expect(byId('union-summary-pending').textContent).toBe('¥2100.00');
    expect(byId('union-summary-quota').textContent).toContain('¥2200.00');
    expect(byId('union-pool-balance').textContent).toContain('¥800.00');
    expect(byId('union-pool-yesterday').textContent).toContain('¥30000.00');
    expect(byId('union-pool-7d').textContent).toContain('¥180000.00');
    expect(byId('union-entry-273-quota').textContent).toContain('¥1100.00');
    expect(byId('union-entry-273-place').textContent).toBe('当前第 1 位，前方待返额度 ¥0.00');
    expect(byId('union-entry-280-place').textContent).toBe('当前第 8 位，前方待返额度 ¥7600.00');
    expect(byId('union-entry-273-estimate').textContent).toContain('预计');
    expect(byId('union-entry-273-estimate-basis').textContent).toContain('不构成返还承诺');
    // A locked entry (minWaitDays) says when it starts taking part, and that it keeps its place.
    expect(byId('union-entry-280-locked').textContent).toBe('2099-01-01 起参与返还（保持排队位置）');
    expect(queryId('union-entry-273-locked')).toBeNull();
    expect(byId('union-disclaimer').textContent).toContain('不承诺');
    expect(callsOf('union.myEntries')).toEqual([{ status: 'waiting' }]);
    // Opening an entry goes to its detail page.
    fireEvent.click(byId('union-entry-273'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/queue/pages/union-entry/index?seq=273' });
  });

  test('finished tab and the empty state', async () => {
    setup({ 'union.overview': overview, 'union.myEntries': (p) => (p.status === 'finished' ? { items: [done], summary: { waitingCount: 0, quota: 110_000, paid: 110_000, pending: 0 } } : { items: [], summary: { waitingCount: 0, quota: 110_000, paid: 110_000, pending: 0 } }) });
    unionMode();
    await renderPage(<QueuePage />);
    expect(byId('union-entries-empty').textContent).toContain('订单完成后即加入工会排队');
    await act(async () => fireEvent.click(byId('union-tabs-finished')));
    expect(byId('union-entry-12-status').textContent).toBe('已返完');
    expect(queryId('union-entry-12-estimate')).toBeNull();
  });

  test('an error is shown with a retry', async () => {
    setup({ 'union.overview': overview, 'union.myEntries': new ApiError('服务繁忙，请稍后再试', 500) });
    unionMode();
    await renderPage(<QueuePage />);
    expect(byId('union-entries-error')).toBeTruthy();
  });
});

describe('工会排队 entry detail', () => {
  test('quota, dates, acceleration, the pool, the estimate labelled', async () => {
    setup({ 'union.overview': overview, 'union.entry': { entry: waiting } }, { seq: '273' });
    unionMode();
    await renderPage(<UnionEntryPage />);
    expect(callsOf('union.entry')).toEqual([{ seq: '273' }]);
    expect(byId('union-entry-273-paid').textContent).toContain('¥100.00');
    expect(byId('union-entry-273').textContent).toContain('推广加速已返 ¥100.00');
    expect(byId('union-entry-payable').textContent).toContain('2026-12-02');
    expect(byId('union-entry-273-estimate').textContent).toContain('预计');
    expect(byId('union-pool-yesterday').textContent).toContain('¥30000.00');
  });

  test('not found', async () => {
    setup({ 'union.overview': overview, 'union.entry': new ApiError('排队记录不存在', 404, 'seq') }, { seq: '9' });
    unionMode();
    await renderPage(<UnionEntryPage />);
    expect(byId('union-entry-error').textContent).toContain('排队记录不存在');
  });
});

describe('工会排队 product and checkout', () => {
  const detail: ApiResponse<'catalog.product'> = { product: { ...product, images: [], description: '', stock: 10, store: null }, queue: preview };

  test('product page: the quota this purchase joins with and the pool, no classic preview', async () => {
    setup({ 'catalog.product': detail, 'union.overview': overview }, { id: 'p1' });
    unionMode();
    await renderPage(<ProductPage />);
    // 16800 × 110% = 18480.
    expect(byId('product-union-quota').textContent).toBe('实付 ¥168.00，订单完成后加入工会排队，返还额度 ¥184.80');
    expect(byId('product-union-pool').textContent).toContain('返利池昨日流入 ¥30000.00');
    expect(byId('product-union-pool').textContent).toContain('近7日流入 ¥180000.00');
    expect(queryId('queue-preview-entitlement')).toBeNull();
    expect(byId('union-disclaimer')).toBeTruthy();
  });

  test('checkout: the quota of the payable amount', async () => {
    setup(
      {
        'union.overview': overview,
        'orders.preview': {
          lines: [{ productId: 'p1', title: '大米', image: null, price: 16800, quantity: 1, paid: 15800, queue: preview }],
          goodsTotal: 16800,
          points: { balance: 1000, used: 1000, deduction: 1000 },
          love: { balance: 0, used: 0, deduction: 0 },
          coupon: { balance: 0, deduction: 0 },
          payable: 15800,
          deductionOrders: 'join',
        },
      },
      { productId: 'p1', qty: '1' },
    );
    unionMode();
    await renderPage(<CheckoutPage />);
    expect(byId('checkout-union-quota').textContent).toBe('实付 ¥158.00，订单完成后加入工会排队，返还额度 ¥173.80');
    expect(queryId('checkout-line-0-estimate')).toBeNull();
  });
});

describe('推广加速 promoter rewards', () => {
  test('explains acceleration and lists acceleration rewards', async () => {
    setup({
      'union.overview': overview,
      'promoter.rewards': {
        items: [
          { id: 'r2', kind: 'acceleration', amount: 500, status: 'available', orderId: 'o2', fromMaskedName: '李**', createdAt: '2026-12-02T09:00:00+08:00' },
          { id: 'r1', kind: 'direct', amount: 1680, status: 'available', orderId: 'o1', fromMaskedName: '王**', createdAt: '2026-11-21T09:00:00+08:00' },
        ],
        nextCursor: null,
        totals: { frozen: 0, available: 2180, cancelled: 0 },
      },
    });
    unionMode();
    await renderPage(<RewardsPage />);
    expect(byId('acceleration-explain').textContent).toContain('按其订单金额的 5%');
    expect(byId('acceleration-explain').textContent).toContain('不超过该订单为平台带来的净利润');
    expect(byId('acceleration-total').textContent).toBe('推广加速累计 ¥5.00（1 笔）');
    expect(byId('acceleration-r2').textContent).toContain('+¥5.00');
    expect(queryId('acceleration-r1')).toBeNull();
    expect(byId('reward-r2').textContent).toContain('推广加速');
  });

  test('classic mode: no acceleration section', async () => {
    setup({ 'promoter.rewards': { items: [], nextCursor: null, totals: { frozen: 0, available: 0, cancelled: 0 } } });
    await renderPage(<RewardsPage />);
    expect(queryId('acceleration-explain')).toBeNull();
    expect(callsOf('union.overview')).toEqual([]);
  });
});
