// Screens that said something untrue (issue 15): a ¥0 entry shown as 已返完,
// "支付成功" above a refund, three words for one amount, a header total that
// did not add up, length-revealing masks, errors under the wrong field, an
// unknown route that kept the previous page, emoji without an emoji font.
jest.mock('@/services/api', () => require('./api-mock'));

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render } from '@testing-library/react';
import App, { showNotFound } from '@/app';
import ApplyPage from '@/packages/merchant/pages/apply/index';
import NotFoundPage from '@/packages/common/pages/not-found/index';
import OrderPage from '@/packages/shop/pages/order/index';
import QueueProgressPage from '@/packages/queue/pages/progress/index';
import QueuePage from '@/pages/queue/index';
import { PAGES } from '@/pages';
import { maskName, TERMS } from '@/utils/format';
import type { ApiResponse, MerchantApplication } from '@contract';
import { ApiError } from './api-mock';
import { entry, order } from './fixtures';
import { byId, queryId, renderPage, setup } from './helpers';
import Taro, { hooks } from './mocks/taro';

const SRC = join(__dirname, '..', '..', 'src');

describe('a fully points-paid line (entry of entitlement 0)', () => {
  const zero = entry({ entryId: 'z1', base: 0, entitlement: 0, paid: 0, pending: 0, status: 'done', position: null, amountAhead: null, estimate: null });

  test('is not "已返完": it says it carries no rights, no progress bar', async () => {
    setup({ 'orders.detail': { order: { ...order.order, payable: 0, pointsDeduction: 16800, pointsUsed: 16800, entries: [zero] } } }, { id: 'o1', paid: '1' });
    await renderPage(<OrderPage />);
    expect(byId('entry-z1-status').textContent).toBe('无权益');
    expect(byId('entry-z1').textContent).not.toContain('已返完');
    expect(byId('entry-z1-empty').textContent).toBe('实付 ¥0.00，本行不产生排队权益');
    expect(queryId('entry-z1-progress')).toBeNull();
    // and the header does not claim it joined a queue
    expect(byId('order-paid-note').textContent).toBe('支付成功');
  });

  test('an entry that was returned in full still reads 已返完', async () => {
    setup({ 'orders.detail': { order: { ...order.order, entries: [entry({ paid: 21840, pending: 0, status: 'done' })] } } }, { id: 'o1', paid: '1' });
    await renderPage(<OrderPage />);
    expect(byId('entry-e1-status').textContent).toBe('已返完');
    expect(byId('order-paid-note').textContent).toBe('支付成功，已加入排队返利');
  });
});

describe('order header after a refund', () => {
  test.each(['refunding', 'refunded', 'closed'] as const)('%s: the status alone, no "支付成功，已加入…"', async (status) => {
    setup({ 'orders.detail': { order: { ...order.order, status, canRefund: false } } }, { id: 'o1', paid: '1' });
    await renderPage(<OrderPage />);
    expect(byId('order-status').textContent).toBe({ refunding: '退款中', refunded: '已退款', closed: '已关闭' }[status]);
    expect(queryId('order-paid-note')).toBeNull();
    expect(byId('page-order').textContent).not.toContain('支付成功');
  });
});

describe('one glossary: 权益 / 已返 / 待返 on every screen', () => {
  test('the progress list uses the same words as the entry card', async () => {
    const all = { queueId: true, progress: true, cumulativeReward: true, pendingReward: true, memberInfo: true, pendingAmount: true };
    const rows: ApiResponse<'queue.progress'> = {
      items: [{ entryId: 'x1', mine: false, status: 'waiting', seq: 1, progress: '50', paid: 5000, entitlement: 10000, pending: 5000, member: { maskedName: '张**', avatarUrl: null } }],
      nextCursor: null,
      queue: { key: 'product:p1', name: '商品队列', waitingCount: 1, pending: 5000 },
      display: all,
    };
    setup({ 'queue.progress': rows }, { key: 'product:p1' });
    await renderPage(<QueueProgressPage />);
    expect(byId('qrow-x1-paid').textContent).toBe(`${TERMS.paid} ¥50.00`);
    expect(byId('qrow-x1-entitlement').textContent).toBe(`${TERMS.entitlement} ¥100.00`);
    expect(byId('qrow-x1-pending').textContent).toBe(`${TERMS.pending} ¥50.00`);
  });

  test('no screen uses a synonym the glossary retired (docs/frontend.md)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'frontend.md'), 'utf8');
    const retired = [...doc.matchAll(/not「([^」]+)」/g)].map((m) => m[1]);
    expect(retired).toEqual(expect.arrayContaining(['累计奖励', '待奖励', '待奖励金额']));
    const offenders = sources(SRC).filter((f) => retired.some((w) => readFileSync(f, 'utf8').includes(w)));
    expect(offenders).toEqual([]);
  });
});

describe('the queue header', () => {
  test('总权益 = 已返 + 待返, as the server sums them', async () => {
    setup({ 'queue.myEntries': { items: [entry()], nextCursor: null, summary: { waitingCount: 1, entitlement: 21840, paid: 10920, pending: 10920 } } });
    await renderPage(<QueuePage />);
    const fen = (id: string) => Math.round(Number(byId(id).textContent!.replace(/[^0-9.]/g, '')) * 100);
    expect(fen('queue-summary-entitlement')).toBe(fen('queue-summary-paid') + fen('queue-summary-pending'));
    expect(byId('page-queue').textContent).toContain(TERMS.totalEntitlement);
  });
});

describe('masks', () => {
  test.each([
    ['鲍', '鲍**'],
    ['卡尔', '卡**'],
    ['卡西尔', '卡**'],
    ['卡西莫多尔', '卡**'],
  ])('%s → %s (first character + **, whatever the length)', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe('merchant application errors land under their own field', () => {
  const fill: MerchantApplication = { storeName: '幸福便利店', category: '便利店', contactName: '王五', phone: '13800000000', address: '城东路1号', licenseNo: '91440300MA5FXXXX1X', intro: '' };
  const FIELDS = ['storeName', 'category', 'contactName', 'phone', 'address', 'licenseNo', 'intro'] as const;

  async function submitWith(err: ApiError) {
    setup({ 'merchant.apply': err });
    await renderPage(<ApplyPage />);
    for (const [k, v] of Object.entries(fill)) fireEvent.change(byId(`apply-${k}`), { target: { value: v } });
    await act(async () => fireEvent.click(byId('apply-submit')));
  }

  test.each(FIELDS)('a server error on %s shows under %s only', async (field) => {
    await submitWith(new ApiError(`${field} 不对`, 400, field));
    expect(byId(`apply-${field}-error`).textContent).toBe(`${field} 不对`);
    for (const other of FIELDS.filter((f) => f !== field)) expect(queryId(`apply-${other}-error`)).toBeNull();
    expect(queryId('apply-form-error')).toBeNull();
  });

  test('an error on no field of the form shows under the form, not under a field', async () => {
    await submitWith(new ApiError('已有审核中的申请', 409, null));
    expect(byId('apply-form-error').textContent).toBe('已有审核中的申请');
    for (const f of FIELDS) expect(queryId(`apply-${f}-error`)).toBeNull();
  });

  test('an error on a request field the form does not show (recruiterScene) too', async () => {
    await submitWith(new ApiError('邀请码无效', 400, 'recruiterScene'));
    expect(byId('apply-form-error').textContent).toBe('邀请码无效');
    for (const f of FIELDS) expect(queryId(`apply-${f}-error`)).toBeNull();
  });
});

describe('an unknown route', () => {
  test('the app opens the 404 page in its place (weapp onPageNotFound, h5 router 404)', async () => {
    setup({});
    await act(async () => {
      render(<App>{null}</App>);
    });
    expect(hooks.pageNotFound).toHaveLength(1);
    hooks.pageNotFound[0]({ path: '/pages/gone/index' });
    expect(Taro.redirectTo).toHaveBeenLastCalledWith({ url: `/${PAGES.notFound}?path=%2Fpages%2Fgone%2Findex` });
    showNotFound(undefined);
    expect(Taro.redirectTo).toHaveBeenLastCalledWith({ url: `/${PAGES.notFound}` });
  });

  test('the 404 page says so and leads home', async () => {
    setup({}, { path: '%2Fpages%2Fgone%2Findex' });
    await renderPage(<NotFoundPage />);
    expect(byId('page-not-found').textContent).toContain('页面不存在');
    expect(byId('not-found-path').textContent).toBe('/pages/gone/index');
    fireEvent.click(byId('not-found-home'));
    expect(Taro.switchTab).toHaveBeenLastCalledWith({ url: `/${PAGES.home}` });
  });
});

describe('no emoji (they render as boxes without an emoji font)', () => {
  test('no source file of the app contains an emoji', () => {
    const found = sources(SRC).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\p{Extended_Pictographic}/u.test(line) ? [`${f.slice(SRC.length + 1)}:${i + 1}`] : [])),
    );
    expect(found).toEqual([]);
  });

  test('the rule sees one', () => {
    expect(/\p{Extended_Pictographic}/u.test('🛍️ 商品')).toBe(true);
    expect(/\p{Extended_Pictographic}/u.test('✓ ¥ › 商品')).toBe(false);
  });
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(tsx?|scss|html)$/.test(name) ? [p] : [];
  });
}
