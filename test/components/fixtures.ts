// Sample payloads per the API contract (amounts in fen, ratios as strings).
import type { ApiResponse, MyEntry, ProductCard, QueuePreview } from '@contract';

export const product: ProductCard = {
  id: 'p1',
  title: '有机五常大米 5kg',
  image: null,
  price: 16800,
  marketPrice: 19900,
  sales: 321,
  source: 'self',
  queueRatio: '130',
};

export const preview: QueuePreview = {
  enabled: true,
  queueKey: 'product:p1',
  queueName: '商品队列·有机五常大米',
  ratio: '130',
  entitlement: 21840,
  base: 16800,
  extractRatio: '65',
  waitingCount: 12,
  amountAhead: 153000,
  lottery: { kind: 'fixed', ratios: ['10', '20', '50'] },
  estimate: {
    status: 'estimate',
    days: 18,
    date: '2026-12-13',
    daysLow: 12,
    daysHigh: 25,
    dateFrom: '2026-12-06',
    dateTo: '2026-12-20',
    inflowPerDay: 8500,
    basis: '按近7日日均流入 ¥85.00 估算，仅供参考',
    method: 'trailing7d',
  },
  paused: false,
};

export function entry(over: Partial<MyEntry> = {}): MyEntry {
  return {
    entryId: 'e1',
    queueKey: 'product:p1',
    queueName: '商品队列·有机五常大米',
    seq: 7,
    orderId: 'o1',
    lineIndex: 0,
    title: '有机五常大米 5kg',
    image: null,
    base: 16800,
    ratio: '130',
    entitlement: 21840,
    paid: 10920,
    pending: 10920,
    status: 'waiting',
    joinedAt: '2026-11-20T10:00:00+08:00',
    position: 3,
    amountAhead: 45600,
    estimate: {
      status: 'estimate',
      days: 9,
      date: '2026-12-04',
      daysLow: 6,
      daysHigh: 14,
      dateFrom: '2026-11-30',
      dateTo: '2026-12-09',
      inflowPerDay: 5067,
      basis: '按近7日日均流入 ¥50.67 估算，仅供参考',
      method: 'trailing7d',
    },
    canDraw: false,
    lottery: null,
    drawnRatio: null,
    canExchange: true,
    exchangedTo: null,
    ...over,
  };
}

export const home: ApiResponse<'catalog.home'> = {
  banners: [],
  notice: '新用户下单享排队权益',
  categories: [{ id: 'c1', name: '粮油', icon: null, parentId: null }],
  recommended: [product, { ...product, id: 'p2', title: '土鸡蛋 30 枚', price: 4500, queueRatio: null }],
};

export const order: ApiResponse<'orders.detail'> = {
  order: {
    orderId: 'o1',
    kind: 'mall',
    status: 'paid',
    title: '有机五常大米 5kg',
    image: null,
    itemCount: 1,
    payable: 16800,
    createdAt: '2026-11-20T10:00:00+08:00',
    lines: [{ productId: 'p1', title: '有机五常大米 5kg', image: null, price: 16800, quantity: 1, paid: 16800 }],
    goodsTotal: 16800,
    pointsUsed: 0,
    pointsDeduction: 0,
    loveUsed: 0,
    loveDeduction: 0,
    couponDeduction: 0,
    paidAt: '2026-11-20T10:00:05+08:00',
    completedAt: null,
    entries: [entry({ paid: 0, pending: 21840 })],
    canRefund: true,
    refund: null,
    canPay: false,
  },
};

export const walletSummary: ApiResponse<'wallet.summary'> = {
  available: 12345,
  frozen: 10920,
  frozenUnlocks: [
    { date: '2026-12-08', queue: 8000, reward: 0, amount: 8000 },
    { date: '2026-12-11', queue: 1920, reward: 1000, amount: 2920 },
  ],
  withdrawing: 0,
  points: 1200,
  love: { available: 300, frozen: 0 },
  coupon: 500,
  withdrawRule: { minAmount: 1000, maxAmount: 500000, feeRatio: '0.6', minFee: 10 },
};
