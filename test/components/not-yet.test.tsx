// Features the engine does not offer yet (draw, exchange) are said plainly,
// never a silently missing button or a wrong reason.
jest.mock('@/services/api', () => require('./api-mock'));

import { render } from '@testing-library/react';
import { EntryCard, unavailableFeatures } from '@/components/EntryCard';
import DrawPage, { drawUnavailableText } from '@/packages/queue/pages/draw/index';
import ExchangePage, { exchangeUnavailableText } from '@/packages/queue/pages/exchange/index';
import { DEFAULT_SETTINGS } from '@/domain/settings';
import type { ApiResponse } from '@contract';
import { entry } from './fixtures';
import { byId, queryId, renderPage, setup } from './helpers';

const fresh = entry({ paid: 0, pending: 21840, canExchange: false });

describe('unavailableFeatures (entry card)', () => {
  test('a waiting entry without exchange names it; the lottery only when one runs', () => {
    expect(unavailableFeatures(fresh, false, '兑换')).toEqual(['兑换']);
    expect(unavailableFeatures(fresh, true, '兑换')).toEqual(['抽奖', '兑换']);
    expect(unavailableFeatures({ ...fresh, lottery: { kind: 'fixed', ratios: ['10'] } }, false, '兑换')).toEqual(['抽奖', '兑换']);
  });

  test('nothing when the features are offered, or no longer apply', () => {
    expect(unavailableFeatures({ ...fresh, canDraw: true, canExchange: true }, true, '兑换')).toEqual([]);
    expect(unavailableFeatures({ ...fresh, paid: 100 }, true, '兑换')).toEqual(['兑换']); // drawing is over once paid
    expect(unavailableFeatures({ ...fresh, drawnRatio: '150' }, true, '兑换')).toEqual(['兑换']);
    expect(unavailableFeatures({ ...fresh, status: 'done', pending: 0 }, true, '兑换')).toEqual([]);
  });

  test('the card shows the line with the custom button name', () => {
    render(<EntryCard entry={fresh} display={DEFAULT_SETTINGS.display} exchangeButtonName="换积分" lotteryOn />);
    expect(byId('entry-e1-unavailable').textContent).toBe('抽奖、换积分功能暂未开放');
    expect(queryId('entry-e1-exchange')).toBeNull();
  });
});

describe('draw screen reasons', () => {
  test('each reason in words', () => {
    expect(drawUnavailableText({ ...fresh, drawnRatio: '150' }, true)).toContain('已抽奖，抽中 150%');
    expect(drawUnavailableText({ ...fresh, status: 'exchanged' }, true)).toContain('已结束排队');
    expect(drawUnavailableText({ ...fresh, paid: 100 }, true)).toContain('已获得返还');
    expect(drawUnavailableText(fresh, false)).toBe('当前没有进行中的抽奖活动');
    expect(drawUnavailableText(fresh, true)).toBe('抽奖功能暂未开放，敬请期待');
  });

  test('the page shows the reason and no start button', async () => {
    setup({ 'queue.entry': { entry: fresh } }, { id: 'e1' });
    await renderPage(<DrawPage />);
    expect(byId('draw-unavailable').textContent).toBe('当前没有进行中的抽奖活动');
    expect(queryId('draw-start')).toBeNull();
  });
});

describe('exchange screen reasons', () => {
  const pv: ApiResponse<'queue.exchangePreview'> = {
    entryId: 'e1',
    pending: 21840,
    options: [{ to: 'points', ratio: '100', amount: 21840, frozen: false }],
  };

  test('each reason in words', () => {
    expect(exchangeUnavailableText({ ...fresh, status: 'done' }, 0, '兑换')).toContain('已结束排队');
    expect(exchangeUnavailableText(fresh, 0, '兑换')).toBe('该权益没有可兑换的待返金额');
    expect(exchangeUnavailableText(fresh, 21840, '兑换')).toBe('兑换功能暂未开放，敬请期待');
  });

  test('a waiting entry the engine cannot exchange yet: the reason, no options, no confirm button', async () => {
    setup({ 'queue.entry': { entry: fresh }, 'queue.exchangePreview': pv }, { id: 'e1' });
    await renderPage(<ExchangePage />);
    expect(byId('exchange-unavailable').textContent).toBe('兑换功能暂未开放，敬请期待');
    expect(queryId('exchange-option-points')).toBeNull();
    expect(queryId('exchange-confirm')).toBeNull();
  });
});

describe('an exchanged entry says what it became', () => {
  test('points and love value as units, a coupon in yuan', () => {
    const done = { ...fresh, status: 'exchanged' as const, pending: 0, canExchange: false };
    const { unmount } = render(<EntryCard entry={{ ...done, exchangedTo: { to: 'points', amount: 16800 } }} display={DEFAULT_SETTINGS.display} exchangeButtonName="兑换" />);
    expect(byId('entry-e1-exchanged').textContent).toBe('已兑换为 16,800 积分');
    expect(queryId('entry-e1-unavailable')).toBeNull();
    unmount();
    render(<EntryCard entry={{ ...done, exchangedTo: { to: 'coupon', amount: 16800 } }} display={DEFAULT_SETTINGS.display} exchangeButtonName="兑换" />);
    expect(byId('entry-e1-exchanged').textContent).toBe('已兑换为购物券 ¥168.00');
  });
});
