// Settings ↔ form values, the patch of what changed and its before/after
// diff. Pure: tested in test/components/admin-settings.test.ts.
import type { LotteryConfig, Settings, SettingsPatch } from '@/domain/settings';

/** The lottery as the form edits it: a switch, a kind, ratios typed as a list. */
export interface LotteryForm {
  on: boolean;
  kind: 'fixed' | 'range';
  ratios: string;
  weights: string;
  min: string;
  max: string;
}

export type SettingsForm = Omit<Settings, 'lottery'> & { lottery: LotteryForm };

const list = (s: string) =>
  s
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function lotteryToForm(l: LotteryConfig | null): LotteryForm {
  if (!l) return { on: false, kind: 'fixed', ratios: '', weights: '', min: '', max: '' };
  if (l.kind === 'fixed') return { on: true, kind: 'fixed', ratios: l.ratios.join(', '), weights: (l.weights ?? []).join(', '), min: '', max: '' };
  return { on: true, kind: 'range', ratios: '', weights: '', min: l.min, max: l.max };
}

export function lotteryFromForm(f: LotteryForm): LotteryConfig | null {
  if (!f.on) return null;
  if (f.kind === 'range') return { kind: 'range', min: f.min.trim(), max: f.max.trim() };
  const ratios = list(f.ratios);
  const weights = list(f.weights);
  return weights.length ? { kind: 'fixed', ratios, weights: weights.map(Number) } : { kind: 'fixed', ratios };
}

export function toForm(s: Settings): SettingsForm {
  return { ...s, lottery: lotteryToForm(s.lottery) };
}

export function fromForm(f: SettingsForm, current: Settings): Settings {
  const memberLevelRatios: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.memberLevelRatios ?? {})) if (v !== undefined && v !== null && String(v).trim() !== '') memberLevelRatios[k] = String(v).trim();
  return { ...current, ...f, memberLevelRatios, lottery: lotteryFromForm(f.lottery) };
}

/** Keys whose value is an object merged key by key on the server (settings.ts NESTED). */
const NESTED = new Set(['exchangeRatio', 'randomReturn', 'clearing', 'display', 'distribution']);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed: nested groups only their changed keys, everything else whole. */
export function patchOf(before: Settings, after: Settings): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Settings)[]) {
    const a = before[key];
    const b = after[key];
    if (same(a, b)) continue;
    if (NESTED.has(key) && a && b && typeof a === 'object' && typeof b === 'object') {
      const part: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(b)) if (!same((a as Record<string, unknown>)[k], v)) part[k] = v;
      patch[key] = part;
    } else patch[key] = b;
  }
  return patch as SettingsPatch;
}

export const LABELS: Record<string, string> = {
  mode: '排队模式',
  enabled: '启用排队返利',
  newProductsDefaultOn: '新商品默认参与',
  deductionOrders: '抵扣订单',
  settleOn: '结算时机',
  queueOrder: '排队顺序',
  name: '插件名称',
  exchangeButtonName: '兑换按钮名称',
  extractRatio: '提取比例',
  defaultRatio: '默认奖励比例',
  memberLevelRatios: '会员等级奖励比例',
  lottery: '抽奖',
  exchangeRatio: '兑换比例',
  'exchangeRatio.points': '兑换积分比例',
  'exchangeRatio.love': '兑换爱心值比例',
  'exchangeRatio.coupon': '兑换优惠券比例',
  loveFrozen: '爱心值冻结',
  mallQueue: '商城统一队列',
  allStoresQueue: '全部门店统一队列',
  allCashiersQueue: '全部收银台统一队列',
  'randomReturn.on': '随机返还',
  'randomReturn.cashCount': '每组现金名额',
  'randomReturn.pointsCount': '每组积分名额',
  'clearing.on': '定时清零',
  'clearing.schedule': '清零时间',
  paused: '暂停返利',
  'display.queueId': '显示队列ID',
  'display.progress': '显示队列进程',
  'display.cumulativeReward': '显示累计奖励',
  'display.pendingReward': '显示待奖励',
  'display.memberInfo': '显示会员信息',
  'display.pendingAmount': '显示待奖励金额',
  emptyQueueFunds: '空队列资金去向',
  afterSalesDays: '售后期（天）',
  unionQuotaRatio: '工会额度比例',
  unionPoolRatio: '工会奖池比例',
  unionDailyAt: '工会每日结算时间',
  'distribution.on': '分销',
  'distribution.base': '分销计算基数',
  'distribution.directRatio': '直推奖励比例',
  'distribution.indirectRatio': '间推奖励比例',
  'distribution.levelDifference': '级差奖励',
  'distribution.sameLevelRatio': '平级奖励比例',
  'distribution.dividendRatio': '股东分红比例',
  'distribution.dividendPeriod': '分红周期',
  'distribution.dividendSplit': '分红方式',
  'distribution.recruitRatio': '招商奖励比例',
  'distribution.accelerationRatio': '加速奖励比例',
  'distribution.cap': '奖励封顶比例',
  'site.withdrawRule': '提现规则',
  'site.orderPayMinutes': '未支付订单关闭（分钟）',
  'site.refundReview': '退款需人工审核',
  'withdrawRule.minAmount': '单笔最低提现（分）',
  'withdrawRule.maxAmount': '单笔最高提现（分）',
  'withdrawRule.feeRatio': '提现手续费率',
  'withdrawRule.minFee': '最低手续费（分）',
  orderPayMinutes: '未支付订单关闭（分钟）',
  refundReview: '退款需人工审核',
};

export interface DiffRow {
  path: string;
  label: string;
  before: string;
  after: string;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '（无）';
  if (typeof v === 'boolean') return v ? '开启' : '关闭';
  if (typeof v === 'string') return v;
  const l = v as { kind?: string; ratios?: string[]; weights?: number[]; min?: string; max?: string };
  if (l.kind === 'fixed' && Array.isArray(l.ratios)) return `固定比例 ${l.ratios.map((r) => `${r}%`).join(' / ')}${l.weights ? `（权重 ${l.weights.join(':')}）` : ''}`;
  if (l.kind === 'range') return `区间随机 ${l.min}%–${l.max}%`;
  return JSON.stringify(v);
}

/** One row per changed leaf (nested groups by key), labelled in Chinese. */
export function diffRows(before: Settings, patch: SettingsPatch): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const old = (before as unknown as Record<string, unknown>)[key];
    if (NESTED.has(key) && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const path = `${key}.${k}`;
        rows.push({ path, label: LABELS[path] ?? path, before: show((old as Record<string, unknown>)?.[k]), after: show(v) });
      }
    } else rows.push({ path: key, label: LABELS[key] ?? key, before: show(old), after: show(value) });
  }
  return rows;
}

/** Chinese label of a settings path; the server's paths carry a "settings." or "site." prefix. */
export function labelOf(path: string): string {
  const bare = path.replace(/^settings\./, '');
  const noSite = bare.replace(/^site\./, '');
  return LABELS[bare] ?? LABELS[noSite] ?? LABELS[bare.split('.').slice(0, 2).join('.')] ?? LABELS[noSite.split('.')[0]] ?? path;
}

/** The server's diff rows (settings.preview / update), labelled. */
export function serverDiffRows(diff: { path: string; before: unknown; after: unknown }[]): DiffRow[] {
  return diff.map((d) => ({ path: d.path, label: labelOf(d.path), before: show(d.before), after: show(d.after) }));
}

/** Changed mall settings (withdraw rule merges whole), or null when nothing changed. */
export function sitePatchOf<T extends object>(before: T, after: T | undefined): Partial<T> | null {
  if (!after) return null;
  const patch: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (after[key] === undefined) continue;
    const value = typeof after[key] === 'object' && after[key] !== null ? { ...(before[key] as object), ...(after[key] as object) } : after[key];
    if (!same(before[key], value)) patch[key] = value as T[keyof T];
  }
  return Object.keys(patch).length ? patch : null;
}
