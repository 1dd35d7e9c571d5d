// The console's pure pieces: settings form ↔ patch and diff, the bulk-listing
// sheet parser, per-item {Q} forms, and the menu / permission map per role.
import { DEFAULT_SETTINGS, validateSettingsPatch } from '@/domain/settings';
import { accessFor } from '../../../admin/src/access';
import { queueFromForm, queueToForm } from '../../../admin/src/components/queueConfig';
import { flatRoutes, visibleRoutes } from '../../../admin/src/routes';
import { parseCsv, parseSheet } from '../../../admin/src/pages/Catalogue/Import/sheet';
import { diffRows, fromForm, labelOf, lotteryFromForm, patchOf, sitePatchOf, toForm } from '../../../admin/src/pages/Settings/model';

describe('settings form', () => {
  test('only what changed goes into the patch; nested groups carry only their changed keys; the domain validator accepts it', () => {
    const form = toForm(DEFAULT_SETTINGS);
    form.extractRatio = '40';
    form.distribution = { ...form.distribution, directRatio: '5' };
    form.lottery = { on: true, kind: 'fixed', ratios: '100，130 150', weights: '', min: '', max: '' };
    const patch = patchOf(DEFAULT_SETTINGS, fromForm(form, DEFAULT_SETTINGS));
    expect(patch).toEqual({ extractRatio: '40', distribution: { directRatio: '5' }, lottery: { kind: 'fixed', ratios: ['100', '130', '150'] } });
    expect(validateSettingsPatch(patch)).toEqual(patch);
    const rows = diffRows(DEFAULT_SETTINGS, patch);
    expect(rows).toContainEqual({ path: 'extractRatio', label: '提取比例', before: '10', after: '40' });
    expect(rows).toContainEqual({ path: 'distribution.directRatio', label: '直推奖励比例', before: '0', after: '5' });
    expect(rows.find((r) => r.path === 'lottery')).toMatchObject({ before: '（无）', after: '固定比例 100% / 130% / 150%' });
  });

  test('an unchanged form is an empty patch; blank member-level ratios are dropped', () => {
    const form = toForm({ ...DEFAULT_SETTINGS, memberLevelRatios: { vip1: '120' } });
    expect(patchOf({ ...DEFAULT_SETTINGS, memberLevelRatios: { vip1: '120' } }, fromForm(form, DEFAULT_SETTINGS))).toEqual({});
    form.memberLevelRatios = { vip1: '', vip2: '110' };
    expect(patchOf(DEFAULT_SETTINGS, fromForm(form, DEFAULT_SETTINGS))).toEqual({ memberLevelRatios: { vip2: '110' } });
  });

  test('lottery: off is null, range keeps min/max, weights become numbers', () => {
    expect(lotteryFromForm({ on: false, kind: 'fixed', ratios: '100', weights: '', min: '', max: '' })).toBeNull();
    expect(lotteryFromForm({ on: true, kind: 'range', ratios: '', weights: '', min: '80', max: '150' })).toEqual({ kind: 'range', min: '80', max: '150' });
    expect(lotteryFromForm({ on: true, kind: 'fixed', ratios: '100, 130', weights: '3, 1', min: '', max: '' })).toEqual({ kind: 'fixed', ratios: ['100', '130'], weights: [3, 1] });
  });

  test('site settings: a changed withdraw rule is sent whole, an unchanged one not at all', () => {
    const site = { withdrawRule: { minAmount: 100, maxAmount: 500000, feeRatio: '0.6', minFee: 10 }, orderPayMinutes: 30, refundReview: false };
    expect(sitePatchOf(site, { ...site })).toBeNull();
    expect(sitePatchOf(site, { ...site, refundReview: true })).toEqual({ refundReview: true });
    expect(sitePatchOf(site, { ...site, withdrawRule: { ...site.withdrawRule, minFee: 20 } })).toEqual({ withdrawRule: { ...site.withdrawRule, minFee: 20 } });
  });
});

describe('bulk listing sheet', () => {
  test('CSV with quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,"b,c","d ""e"""\r\n1,2,3\n')).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['1', '2', '3'],
    ]);
  });

  test('good rows become fen; bad rows are reported with their sheet row and field, not sent', () => {
    const parsed = parseSheet([
      ['商品名称', '售价(元)', '供货价(元)', '库存', '供应商ID'],
      ['有机小米 2kg', '39.90', '25', '500', 'sup-1'],
      ['坏价格', '39.999', '25', '1', ''],
      ['', '10', '5', '1', ''],
      ['负库存', '10', '5', '-1', ''],
      ['Excel 数字', 12.5, 8, '3', ''],
    ]);
    expect(parsed.rows).toEqual([
      { title: '有机小米 2kg', price: 3990, cost: 2500, stock: 500, supplierId: 'sup-1' },
      { title: 'Excel 数字', price: 1250, cost: 800, stock: 3 },
    ]);
    expect(parsed.sheetRows).toEqual([2, 6]);
    expect(parsed.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'price'],
      [4, 'title'],
      [5, 'stock'],
    ]);
  });

  test('a missing required column is one error on the header row', () => {
    const parsed = parseSheet([['商品名称', '售价'], ['x', '1']]);
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors.map((e) => e.field)).toEqual(['cost', 'stock']);
    expect(parsed.errors.every((e) => e.row === 1)).toBe(true);
  });
});

describe('per-item queue settings {Q}', () => {
  test('blank fields are left out (the §4 chain falls through); a product edits independentRatio, a cashier defaultRatio and random return', () => {
    const product = queueFromForm({ ...queueToForm(undefined, 'product'), ratio: '130', extractRatio: '', levels: [{ level: 'vip1', ratio: '150' }, { level: '', ratio: '1' }] }, 'product');
    expect(product).toEqual({ enabled: true, independentRatio: '130', memberLevelRatios: { vip1: '150' } });
    const cashier = queueFromForm({ ...queueToForm(undefined, 'cashier'), ratio: '80', rrOn: true, rrCash: 1, rrPoints: 2, tiers: [{ days: 30, minSpend: 100000, ratio: '120' }] }, 'cashier');
    expect(cashier).toEqual({ enabled: true, defaultRatio: '80', cumulativeTiers: [{ days: 30, minSpend: 100000, ratio: '120' }], randomReturn: { on: true, cashCount: 1, pointsCount: 2 } });
  });

  test('minWaitDays (union mode): typed days are sent, a blank field removes the key', () => {
    const before = { enabled: true, minWaitDays: 3 };
    expect(queueToForm(before, 'product').minWaitDays).toBe(3);
    expect(queueFromForm({ ...queueToForm(before, 'product'), minWaitDays: 7 }, 'product', before)).toEqual({ enabled: true, minWaitDays: 7 });
    expect(queueFromForm({ ...queueToForm(before, 'cashier'), minWaitDays: null }, 'cashier', before)).toEqual({ enabled: true });
  });

  test('round trip keeps every field, and keys the form does not edit survive', () => {
    const q = { enabled: false, extractRatio: '12', defaultRatio: '90', lottery: { kind: 'range' as const, min: '80', max: '120' }, timeWindows: [{ from: '09:00', to: '21:00' }], dailyLimit: 2, totalLimit: 10, minWaitDays: 3 };
    expect(queueFromForm(queueToForm(q, 'store'), 'store', q)).toEqual(q);
  });
});

describe('routes and permissions', () => {
  const paths = (role: 'admin' | 'finance' | 'support') => {
    const access = accessFor(role);
    return flatRoutes(visibleRoutes((k) => access[k])).map((r) => r.path);
  };

  test('admin sees every page', () => {
    expect(paths('admin')).toEqual(flatRoutes().map((r) => r.path));
  });

  test('finance reviews withdrawals but manages no operators; support reviews refunds but sees no withdrawals or audit', () => {
    expect(paths('finance')).toContain('/orders/withdrawals');
    expect(paths('finance')).not.toContain('/operators');
    expect(accessFor('finance').canEditSettings).toBe(false);
    expect(accessFor('finance').canReviewRefunds).toBe(false);
    expect(paths('support')).not.toContain('/orders/withdrawals');
    expect(paths('support')).not.toContain('/audit');
    expect(accessFor('support').canReviewRefunds).toBe(true);
  });

  test('every route path is unique and every page route names a permission or is the dashboard', () => {
    const all = flatRoutes();
    expect(new Set(all.map((r) => r.path)).size).toBe(all.length);
    expect(all.filter((r) => !r.access).map((r) => r.path)).toEqual(['/dashboard']);
  });
});

test('server diff paths ("settings." / "site." prefixes) get their Chinese labels', () => {
  expect(labelOf('settings.extractRatio')).toBe('提取比例');
  expect(labelOf('settings.distribution.directRatio')).toBe('直推奖励比例');
  expect(labelOf('site.refundReview')).toBe('退款需人工审核');
  expect(labelOf('site.withdrawRule.minFee')).toBe('最低手续费（分）');
  expect(labelOf('settings.lottery')).toBe('抽奖');
});
