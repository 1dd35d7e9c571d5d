jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent } from '@testing-library/react';
import WalletPage from '@/packages/wallet/pages/index/index';
import HistoryPage from '@/packages/wallet/pages/history/index';
import WithdrawPage, { estimateFee } from '@/packages/wallet/pages/withdraw/index';
import InvitePage from '@/packages/promoter/pages/invite/index';
import TeamPage from '@/packages/promoter/pages/team/index';
import RewardsPage from '@/packages/promoter/pages/rewards/index';
import MerchantPage from '@/packages/merchant/pages/index/index';
import ApplyPage from '@/packages/merchant/pages/apply/index';
import SalesPage from '@/packages/merchant/pages/sales/index';
import CashiersPage from '@/packages/merchant/pages/cashiers/index';
import InboxPage from '@/packages/inbox/pages/index/index';
import { ApiError, callsOf } from './api-mock';
import { walletSummary } from './fixtures';
import { dateTime } from '@/utils/format';
import { byId, findId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

describe('钱包 wallet', () => {
  test('loading / error / data', async () => {
    setup({ 'wallet.summary': 'pending' });
    await renderPage(<WalletPage />);
    expect(byId('wallet-loading')).toBeTruthy();
  });

  test('available, frozen and other assets', async () => {
    setup({ 'wallet.summary': walletSummary });
    await renderPage(<WalletPage />);
    expect(byId('wallet-available').textContent).toBe('¥123.45');
    expect(byId('wallet-frozen').textContent).toBe('¥109.20');
    // Each part of the frozen money with the date it unlocks (its order's after-sales end).
    expect(byId('wallet-unlock-0').textContent).toBe('2026-12-08 解冻¥80.00');
    expect(byId('wallet-unlock-1').textContent).toBe('2026-12-11 解冻¥29.20（队列返还 ¥19.20，推广奖励 ¥10.00）');
    expect(byId('wallet-points').textContent).toBe('1,200');
    expect(byId('wallet-coupon').textContent).toBe('¥5.00');
  });

  test('error', async () => {
    setup({ 'wallet.summary': new ApiError('服务繁忙，请稍后再试', 500) });
    await renderPage(<WalletPage />);
    expect(byId('wallet-error')).toBeTruthy();
  });

  test('history: empty, then rows with direction and balance', async () => {
    setup({ 'wallet.history': { items: [], nextCursor: null } });
    await renderPage(<HistoryPage />);
    expect(byId('history-empty')).toBeTruthy();
  });

  test('history rows; withdrawals tab', async () => {
    setup({
      'wallet.history': { items: [{ id: 'h1', kind: 'queuePayout', amount: 1680, direction: 'in', balance: 'frozen', title: '队列返还·大米', orderId: 'o2', createdAt: '2026-11-21T09:00:00+08:00' }], nextCursor: 'n2' },
      'wallet.withdrawals': { items: [{ withdrawalId: 'w1', amount: 10000, fee: 60, net: 9940, status: 'reviewing', createdAt: '2026-11-21T09:00:00+08:00', reason: null }], nextCursor: null },
    });
    await renderPage(<HistoryPage />);
    expect(byId('history-h1').textContent).toContain('+¥16.80');
    expect(byId('history-h1').textContent).toContain('冻结');
    expect(byId('list-footer').textContent).toBe('上拉加载更多');
    await act(async () => fireEvent.click(byId('history-tabs-withdrawals')));
    expect((await findId('history-w1')).textContent).toContain('审核中');
  });

  test('withdraw: validation, fee estimate, submit', async () => {
    setup({ 'wallet.summary': walletSummary, 'wallet.withdraw': { withdrawalId: 'w2', amount: 10000, fee: 60, net: 9940, status: 'reviewing' } });
    await renderPage(<WithdrawPage />);
    fireEvent.change(byId('withdraw-amount'), { target: { value: '5' } });
    await act(async () => fireEvent.click(byId('withdraw-submit')));
    expect(byId('withdraw-error').textContent).toContain('最低提现 ¥10.00');
    fireEvent.change(byId('withdraw-amount'), { target: { value: '200' } });
    await act(async () => fireEvent.click(byId('withdraw-submit')));
    expect(byId('withdraw-error').textContent).toContain('超出可提现余额');
    fireEvent.change(byId('withdraw-amount'), { target: { value: '100' } });
    expect(byId('withdraw-fee').textContent).toContain('¥0.60');
    await act(async () => fireEvent.click(byId('withdraw-submit')));
    expect(callsOf('wallet.withdraw')).toEqual([{ amount: 10000 }]);
    expect(byId('withdraw-done').textContent).toContain('¥99.40');
  });

  test('withdraw: server field error shown inline', async () => {
    setup({ 'wallet.summary': walletSummary, 'wallet.withdraw': new ApiError('今日提现次数已达上限', 422, 'amount') });
    await renderPage(<WithdrawPage />);
    fireEvent.click(byId('withdraw-all'));
    await act(async () => fireEvent.click(byId('withdraw-submit')));
    expect(callsOf('wallet.withdraw')).toEqual([{ amount: 12345 }]);
    expect(byId('withdraw-error').textContent).toBe('今日提现次数已达上限');
  });

  test('fee: ratio half up with a minimum', () => {
    const rule = walletSummary.withdrawRule;
    expect(estimateFee(10000, rule)).toBe(60);
    expect(estimateFee(1000, rule)).toBe(10);
    expect(estimateFee(12345, rule)).toBe(74);
  });
});

describe('推广 promoter', () => {
  test('invite: the server mini-program code in weapp', async () => {
    setup({
      'promoter.inviteCode': {
        scene: 'i=AB12',
        path: 'pages/home/index',
        wxacodeBase64: 'iVBORw0KGgo=',
        url: 'https://m.example.com/#/pages/home/index?scene=i%3DAB12',
        merchantInvite: { scene: 'm=AB12', path: 'packages/merchant/pages/apply/index', wxacodeBase64: 'iVBORw0KGgoM', url: 'https://m.example.com/#/packages/merchant/pages/apply/index?scene=m%3DAB12' },
      },
    });
    await renderPage(<InvitePage />);
    expect(callsOf('promoter.inviteCode')).toEqual([{ platform: 'weapp' }]);
    expect(byId('invite-qr').getAttribute('src')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(byId('invite-scene').textContent).toContain('AB12');
    fireEvent.click(byId('invite-copy'));
    expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'i=AB12' });
  });

  test('invite error', async () => {
    setup({ 'promoter.inviteCode': new ApiError('生成邀请码失败，请稍后再试', 500) });
    await renderPage(<InvitePage />);
    expect(byId('invite-error').textContent).toContain('生成邀请码失败');
  });

  test('team: counts, masked members, empty', async () => {
    setup({
      'promoter.team': (p) =>
        p.tier === 'direct'
          ? { items: [{ maskedName: '李四', avatarUrl: null, joinedAt: '2026-11-01T00:00:00+08:00', orderCount: 2 }], nextCursor: null, counts: { direct: 1, indirect: 0 } }
          : { items: [], nextCursor: null, counts: { direct: 1, indirect: 0 } },
    });
    await renderPage(<TeamPage />);
    expect(byId('team-direct').textContent).toBe('1');
    expect(byId('team-member-0').textContent).toContain('李**');
    expect(byId('team-member-0').textContent).not.toContain('李四');
    await act(async () => fireEvent.click(byId('team-tabs-indirect')));
    expect(byId('team-empty')).toBeTruthy();
  });

  test('rewards: totals and rows', async () => {
    setup({
      'promoter.rewards': {
        items: [{ id: 'r1', kind: 'direct', amount: 1680, status: 'frozen', orderId: 'o1', fromMaskedName: '王**', createdAt: '2026-11-21T09:00:00+08:00' }],
        nextCursor: null,
        totals: { frozen: 1680, available: 0, cancelled: 0 },
      },
    });
    await renderPage(<RewardsPage />);
    expect(byId('rewards-frozen').textContent).toBe('¥16.80');
    expect(byId('reward-r1').textContent).toContain('直推奖励');
    expect(byId('reward-r1').textContent).toContain('冻结中');
  });

  test('rewards: empty and error', async () => {
    setup({ 'promoter.rewards': new ApiError('服务繁忙，请稍后再试', 500) });
    await renderPage(<RewardsPage />);
    expect(byId('rewards-error')).toBeTruthy();
  });
});

describe('商家 merchant', () => {
  test('none → apply button', async () => {
    setup({ 'merchant.status': { status: 'none', application: null, rejectReason: null, store: null } });
    await renderPage(<MerchantPage />);
    expect(byId('merchant-status').textContent).toBe('未申请');
    fireEvent.click(byId('merchant-apply'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/merchant/pages/apply/index' });
  });

  test('rejected shows the reason; approved shows sales and cashiers', async () => {
    setup({ 'merchant.status': { status: 'rejected', application: null, rejectReason: '营业执照不清晰', store: null } });
    await renderPage(<MerchantPage />);
    expect(byId('merchant-reject-reason').textContent).toContain('营业执照不清晰');
  });

  test('approved', async () => {
    setup({ 'merchant.status': { status: 'approved', application: null, rejectReason: null, store: { id: 's1', name: '幸福便利店', commission: '10' } } });
    await renderPage(<MerchantPage />);
    expect(byId('merchant-sales')).toBeTruthy();
    expect(byId('merchant-cashiers')).toBeTruthy();
  });

  test('apply: client checks, then a server field error lands on its field', async () => {
    setup({ 'merchant.apply': new ApiError('该执照已被使用', 409, 'licenseNo') });
    await renderPage(<ApplyPage />);
    await act(async () => fireEvent.click(byId('apply-submit')));
    expect(byId('apply-storeName-error').textContent).toBe('请填写门店名称');
    expect(byId('apply-phone-error')).toBeTruthy();
    const fill: Record<string, string> = { storeName: '幸福便利店', category: '便利店', contactName: '王五', phone: '13800000000', address: '城东路1号', licenseNo: '91440300MA5FXXXX1X' };
    for (const [k, v] of Object.entries(fill)) fireEvent.change(byId(`apply-${k}`), { target: { value: v } });
    await act(async () => fireEvent.click(byId('apply-submit')));
    expect(callsOf('merchant.apply')).toEqual([{ ...fill, intro: '' }]);
    expect(byId('apply-licenseNo-error').textContent).toBe('该执照已被使用');
  });

  test('sales: totals and recent orders with masked buyers', async () => {
    setup({
      'merchant.sales': {
        totals: { orderCount: 2, amount: 3750 },
        daily: [
          { date: '2026-11-20', orderCount: 1, amount: 1250 },
          { date: '2026-11-21', orderCount: 1, amount: 2500 },
        ],
        recent: [{ orderId: 'o5', source: 'cashier', amount: 1250, paidAt: '2026-11-20T10:00:00+08:00', buyerMaskedName: '赵六' }],
      },
    });
    await renderPage(<SalesPage />);
    expect(byId('sales-amount').textContent).toBe('¥37.50');
    expect(byId('sale-o5').textContent).toContain('赵**');
  });

  test('cashiers: empty', async () => {
    setup({ 'merchant.cashiers': { items: [] } });
    await renderPage(<CashiersPage />);
    expect(byId('cashiers-empty')).toBeTruthy();
  });
});

describe('消息 inbox', () => {
  const list = {
    items: [
      { id: 'm1', kind: 'payoutReceived' as const, title: '返还到账', body: '你的排队权益收到 ¥16.80（冻结）', read: false, createdAt: '2026-11-21T09:00:00+08:00', link: '/packages/queue/pages/entry/index?id=e1' },
      { id: 'm2', kind: 'system' as const, title: '欢迎', body: '欢迎加入', read: true, createdAt: '2026-11-20T09:00:00+08:00', link: null },
    ],
    nextCursor: null,
    unread: 1,
  };

  test('empty', async () => {
    setup({ 'inbox.list': { items: [], nextCursor: null, unread: 0 } });
    await renderPage(<InboxPage />);
    expect(byId('inbox-empty')).toBeTruthy();
  });

  test('opening marks read and follows the link; read all', async () => {
    setup({ 'inbox.list': list, 'inbox.markRead': (p) => ({ unread: p.all ? 0 : 0 }) });
    await renderPage(<InboxPage />);
    expect(byId('inbox-unread').textContent).toBe('1 条未读');
    expect(byId('msg-m1').getAttribute('data-read')).toBe('0');
    await act(async () => fireEvent.click(byId('msg-m1')));
    expect(callsOf('inbox.markRead')).toEqual([{ ids: ['m1'] }]);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/queue/pages/entry/index?id=e1' });
    expect(byId('msg-m1').getAttribute('data-read')).toBe('1');
    expect(byId('inbox-unread').textContent).toBe('全部已读');
  });

  test('clearing notices: kind, Chinese title, count and amount formatted from fen', async () => {
    const at = '2026-12-04T00:00:00+08:00';
    setup({
      'inbox.list': {
        items: [
          { id: 'm4', kind: 'clearingDone' as const, title: '队列奖励已清零', body: '(server text)', read: false, createdAt: '2026-12-04T00:01:00+08:00', link: '/pages/queue/index', data: { at, entries: 2, amount: 265050 } },
          { id: 'm3', kind: 'clearingSoon' as const, title: '队列奖励即将清零', body: '(server text)', read: false, createdAt: '2026-12-03T00:01:00+08:00', link: '/pages/queue/index', data: { at, entries: 3, amount: 1005 } },
          { id: 'm2', kind: 'system' as const, title: '欢迎', body: '欢迎加入', read: true, createdAt: '2026-11-20T09:00:00+08:00', link: null },
        ],
        nextCursor: null,
        unread: 2,
      },
    });
    await renderPage(<InboxPage />);
    expect(byId('msg-m4-kind').textContent).toBe('清零通知');
    expect(byId('msg-m4-title').textContent).toBe('队列奖励已清零');
    expect(byId('msg-m4-body').textContent).toBe(`2 笔排队权益待返 ¥2650.50，已于 ${dateTime(at)} 清零作废（已到账的返还不受影响）。`);
    expect(byId('msg-m3-kind').textContent).toBe('清零预告');
    expect(byId('msg-m3-title').textContent).toBe('队列奖励即将清零');
    expect(byId('msg-m3-body').textContent).toBe(`3 笔排队权益待返 ¥10.05，将于 ${dateTime(at)} 清零作废（已到账的返还不受影响）。`);
    // Other kinds show the text as sent.
    expect(byId('msg-m2-kind').textContent).toBe('系统消息');
    expect(byId('msg-m2-body').textContent).toBe('欢迎加入');
  });

  test('error', async () => {
    setup({ 'inbox.list': new ApiError('登录已过期，请重新登录', 401) });
    await renderPage(<InboxPage />);
    expect(byId('inbox-error')).toBeTruthy();
  });
});
