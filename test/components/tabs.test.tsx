jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent, screen } from '@testing-library/react';
import Home from '@/pages/home/index';
import CategoryPage from '@/pages/category/index';
import QueuePage from '@/pages/queue/index';
import MePage from '@/pages/me/index';
import { ApiError, callsOf } from './api-mock';
import { entry, home, product } from './fixtures';
import { byId, findId, pullDown, queryId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';
import { useSettings } from '@/stores/settings';

describe('首页 home', () => {
  test('loading state while the catalog loads', async () => {
    setup({ 'catalog.home': 'pending' });
    await renderPage(<Home />);
    expect(byId('home-loading')).toBeTruthy();
  });

  test('error state shows the Chinese message and retries', async () => {
    setup({ 'catalog.home': new ApiError('服务繁忙，请稍后再试', 503) });
    await renderPage(<Home />);
    expect(byId('home-error').textContent).toContain('服务繁忙');
    setup({ 'catalog.home': home });
    await act(async () => fireEvent.click(byId('home-retry')));
    expect(await findId('product-p1')).toBeTruthy();
  });

  test('empty state when nothing is on sale', async () => {
    setup({ 'catalog.home': { ...home, categories: [], recommended: [] } });
    await renderPage(<Home />);
    expect(byId('home-empty')).toBeTruthy();
  });

  test('data: products with price in yuan and queue ratio; tap opens detail', async () => {
    setup({ 'catalog.home': home });
    await renderPage(<Home />);
    expect(byId('product-p1').textContent).toContain('168.00');
    expect(byId('product-p1').textContent).toContain('排队权益 130%');
    expect(byId('product-p2').textContent).not.toContain('排队权益');
    expect(byId('home-notice').textContent).toContain('新用户');
    fireEvent.click(byId('product-p1'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/shop/pages/product/index?id=p1' });
  });

  test('pull to refresh reloads', async () => {
    setup({ 'catalog.home': home });
    await renderPage(<Home />);
    await pullDown();
    expect(callsOf('catalog.home')).toHaveLength(2);
    expect(Taro.stopPullDownRefresh).toHaveBeenCalled();
  });
});

describe('分类 categories', () => {
  test('first category selected, its products listed; empty category', async () => {
    setup({
      'catalog.categories': { categories: [{ id: 'c1', name: '粮油', icon: null, parentId: null }, { id: 'c2', name: '生鲜', icon: null, parentId: null }] },
      'catalog.products': (p) => (p.categoryId === 'c1' ? { items: [product], nextCursor: null } : { items: [], nextCursor: null }),
    });
    await renderPage(<CategoryPage />);
    expect(await findId('product-p1')).toBeTruthy();
    await act(async () => fireEvent.click(byId('category-c2')));
    expect(await findId('category-products-empty')).toBeTruthy();
  });

  test('search sends the keyword', async () => {
    setup({
      'catalog.categories': { categories: [] },
      'catalog.products': { items: [product], nextCursor: null },
    });
    await renderPage(<CategoryPage />);
    fireEvent.change(byId('category-search'), { target: { value: '大米' } });
    await act(async () => fireEvent.click(byId('category-search-btn')));
    expect(callsOf('catalog.products')).toContainEqual(expect.objectContaining({ keyword: '大米' }));
  });

  test('error state', async () => {
    setup({ 'catalog.categories': new ApiError('网络连接失败，请检查网络后重试', 0), 'catalog.products': { items: [], nextCursor: null } });
    await renderPage(<CategoryPage />);
    expect(byId('categories-error').textContent).toContain('网络连接失败');
  });
});

describe('队列 my queue', () => {
  const page = (items = [entry()]) => ({
    items,
    nextCursor: null,
    summary: { waitingCount: 1, entitlement: 21840, paid: 10920, pending: 10920 },
  });

  test('loading, then entries with paid, pending, position and a labelled estimate', async () => {
    setup({ 'queue.myEntries': page() });
    await renderPage(<QueuePage />);
    expect(byId('queue-summary-pending').textContent).toBe('¥109.20');
    const card = byId('entry-e1');
    expect(byId('entry-e1-paid').textContent).toBe('¥109.20');
    expect(byId('entry-e1-pending').textContent).toBe('¥109.20');
    expect(byId('entry-e1-position').textContent).toContain('排第 3 位');
    expect(byId('entry-e1-position').textContent).toContain('¥456.00');
    expect(byId('entry-e1-estimate-text').textContent).toBe('2026-11-30 至 2026-12-09 返完（约 9 天）');
    expect(byId('entry-e1-estimate-basis').textContent).toContain('按近7日日均流入 ¥50.67 估算');
    expect(card.textContent).not.toMatch(/保证|必返|稳赚/);
    expect(byId('entry-e1-progress').getAttribute('data-percent')).toBe('50');
    expect(byId('queue-disclaimer').textContent).toContain('不承诺');
  });

  test('empty state', async () => {
    setup({ 'queue.myEntries': page([]) });
    await renderPage(<QueuePage />);
    expect(byId('queue-entries-empty')).toBeTruthy();
  });

  test('error state', async () => {
    setup({ 'queue.myEntries': new ApiError('登录已过期，请重新登录', 401) });
    await renderPage(<QueuePage />);
    expect(byId('queue-entries-error').textContent).toContain('登录已过期');
  });

  test('display toggles: no queue ID, no progress bar', async () => {
    setup({ 'queue.myEntries': page() });
    useSettings.setState({ display: { ...useSettings.getState().display, queueId: false, progress: false } });
    await renderPage(<QueuePage />);
    expect(queryId('entry-e1-seq')).toBeNull();
    expect(queryId('entry-e1-progress')).toBeNull();
    expect(queryId('entry-e1-progress-btn')).toBeNull();
  });

  test('custom exchange button name; draw and exchange open their pages', async () => {
    setup({ 'queue.myEntries': page([entry({ canDraw: true })]) });
    useSettings.setState({ exchangeButtonName: '换积分' });
    await renderPage(<QueuePage />);
    expect(byId('entry-e1-exchange').textContent).toBe('换积分');
    fireEvent.click(byId('entry-e1-draw'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/queue/pages/draw/index?id=e1' });
    fireEvent.click(byId('entry-e1-progress-btn'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: expect.stringContaining('/packages/queue/pages/progress/index?key=product%3Ap1') });
  });

  test('switching tabs asks for finished entries', async () => {
    setup({ 'queue.myEntries': page() });
    await renderPage(<QueuePage />);
    await act(async () => fireEvent.click(byId('queue-tabs-finished')));
    expect(callsOf('queue.myEntries')).toContainEqual(expect.objectContaining({ status: 'finished' }));
  });
});

describe('我的 me', () => {
  test('profile, counts and menu', async () => {
    setup({
      'user.profile': {
        user: { id: 'u1', nickname: '小王', avatarUrl: null, level: null, levelName: '会员', hasReferrer: false, isPromoter: false, merchantStatus: 'pending' },
        counts: { unpaidOrders: 2, waitingEntries: 3, unreadMessages: 4 },
      },
    });
    await renderPage(<MePage />);
    expect(await findId('me-nickname')).toBeTruthy();
    expect(byId('me-unpaid').textContent).toContain('2');
    expect(byId('me-merchant').textContent).toContain('审核中');
    expect(screen.getByText('4')).toBeTruthy();
  });
});
