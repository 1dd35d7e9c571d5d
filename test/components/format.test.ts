import { estimateText, maskName, parseYuanInput, progressPercent, ratioText, yuan } from '@/utils/format';
import { nextAmountText } from '@/components/Keypad';
import { cashierIdFrom, inviteSceneFrom } from '@/utils/scene';
import { selectedTotal } from '@/stores/cart';

test('money display goes through formatYuan', () => {
  expect(yuan(16800)).toBe('¥168.00');
  expect(yuan(1)).toBe('¥0.01');
  expect(ratioText('130.00')).toBe('130%');
  expect(ratioText('12.50')).toBe('12.5%');
});

test('progress percent is exact decimal, capped, rounded down', () => {
  expect(progressPercent(10920, 21840)).toBe('50');
  expect(progressPercent(1, 3)).toBe('33.3');
  expect(progressPercent(2, 3)).toBe('66.6');
  expect(progressPercent(0, 0)).toBe('0');
  expect(progressPercent(5, 4)).toBe('100');
});

test('estimates are estimates', () => {
  expect(estimateText(null)).toBe('暂无足够数据估算');
  expect(estimateText({ days: null, date: null, method: 'trailing7d' })).toBe('暂无足够数据估算');
  expect(estimateText({ days: 5, date: '2026-12-01', method: 'trailing7d' })).toBe('预计约 5 天，约 2026-12-01');
  expect(estimateText({ status: 'estimate', days: 5, date: '2026-12-01', dateFrom: '2026-11-30', dateTo: '2026-12-03', method: 'trailing7d' })).toBe(
    '预计 2026-11-30 至 2026-12-03 返完（约 5 天）',
  );
  expect(estimateText({ status: 'estimate', days: 5, date: '2026-12-01', dateFrom: '2026-11-28', dateTo: null, method: 'trailing7d' })).toBe(
    '预计 2026-11-28 之后 返完（约 5 天）',
  );
  expect(estimateText({ status: 'noInflow', days: null, date: null, method: 'trailing7d' })).toBe('近7日队列无流入，暂无法估算');
  expect(estimateText({ status: 'paused', days: null, date: null, method: 'trailing7d' })).toBe('队列奖励暂停中，暂无法估算');
});

test('names are masked unless the server already masked them', () => {
  expect(maskName('张三丰')).toBe('张**');
  expect(maskName('A')).toBe('A**');
  expect(maskName('王*')).toBe('王*');
  expect(maskName('')).toBe('匿名用户');
});

test('yuan input → fen without floats', () => {
  expect(parseYuanInput('12.5')).toBe(1250);
  expect(parseYuanInput('0.07')).toBe(7);
  expect(parseYuanInput('19.99')).toBe(1999);
  expect(parseYuanInput('1.234')).toBeNull();
  expect(parseYuanInput('abc')).toBeNull();
  expect(parseYuanInput('')).toBeNull();
});

test('keypad: one dot, two decimals, no leading zeros, bounded', () => {
  let t = '';
  for (const k of ['0', '0', '5']) t = nextAmountText(t, k);
  expect(t).toBe('5');
  for (const k of ['.', '.', '1', '2', '3']) t = nextAmountText(t, k);
  expect(t).toBe('5.12');
  expect(nextAmountText('', '.')).toBe('0.');
  expect(nextAmountText('9999999', '9')).toBe('9999999');
  expect(nextAmountText('5.1', 'del')).toBe('5.');
});

test('scenes: invite and cashier', () => {
  expect(inviteSceneFrom({ scene: encodeURIComponent('i=AB12') })).toBe('i=AB12');
  expect(inviteSceneFrom({ invite: 'AB12' })).toBe('i=AB12');
  expect(inviteSceneFrom({ scene: 'c1' })).toBeNull();
  expect(cashierIdFrom({ scene: 'c1' })).toBe('c1');
  expect(cashierIdFrom({ cashierId: 'c_2' })).toBe('c_2');
  expect(cashierIdFrom({ scene: '../x' })).toBeNull();
  expect(cashierIdFrom({})).toBeNull();
});

test('cart total sums selected lines in integer fen', () => {
  const item = { title: '', image: null, queueRatio: null };
  expect(
    selectedTotal([
      { ...item, productId: 'a', price: 1999, quantity: 3, selected: true },
      { ...item, productId: 'b', price: 1, quantity: 1, selected: false },
    ]),
  ).toBe(5997);
});
