// Display helpers. Money stays integer fen until formatYuan (decimal.js).
import Decimal from 'decimal.js';
import { formatYuan, normalizeRatio } from '@/domain/money';
import type {
  EntryStatus,
  Estimate,
  ExchangeTarget,
  OrderStatus,
  RewardKind,
  RewardStatus,
  WalletHistoryKind,
  WithdrawalStatus,
  MerchantStatus,
  InboxMessage,
  NotificationKind,
} from '@contract';

export { formatYuan };

/** "¥168.00" */
export function yuan(fen: number): string {
  return `¥${formatYuan(fen)}`;
}

/** "130%" */
export function ratioText(ratio: string): string {
  return `${normalizeRatio(ratio)}%`;
}

/** paid / entitlement as a percent string with one decimal, 0..100. */
export function progressPercent(paid: number, entitlement: number): string {
  if (entitlement <= 0) return paid > 0 ? '100' : '0';
  const p = new Decimal(paid).mul(100).div(entitlement);
  return Decimal.min(p, 100).toDecimalPlaces(1, Decimal.ROUND_DOWN).toFixed();
}

/** Integer units (points, love value) with thousands separators. */
export function units(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "2026-01-02 10:05" in the device's local time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function dateOnly(iso: string | null | undefined): string {
  return dateTime(iso).slice(0, 10);
}

/**
 * An estimate is only ever "预计", never a promise: the date range the
 * payout is projected to complete in and the expected days; without a basis,
 * the reason (no inflow in the window, or paused).
 */
export function estimateText(e: Estimate | null | undefined): string {
  if (!e || e.days === null) {
    if (e?.status === 'paused') return '队列奖励暂停中，暂无法估算';
    if (e?.status === 'noInflow') return '近7日队列无流入，暂无法估算';
    return '暂无足够数据估算';
  }
  if (e.days <= 0) return '预计很快（以实际为准）';
  if (e.dateFrom) {
    const range = e.dateTo ? (e.dateTo === e.dateFrom ? e.dateFrom : `${e.dateFrom} 至 ${e.dateTo}`) : `${e.dateFrom} 之后`;
    return `预计 ${range} 返完（约 ${e.days} 天）`;
  }
  const date = e.date ? `，约 ${e.date}` : '';
  return `预计约 ${e.days} 天${date}`;
}

/**
 * Defence in depth: the server masks other members; if a name arrives
 * without a mask character, mask it here rather than show it.
 */
export function maskName(name: string | null | undefined): string {
  if (!name) return '匿名用户';
  if (name.includes('*')) return name;
  // Fixed-length mask: the length of the real name is not revealed either.
  return `${Array.from(name)[0]}**`;
}

/**
 * The words every screen uses for an entry's amounts (docs/frontend.md,
 * "Glossary"). 权益 = 已返 + 待返 while the entry waits; the header's 总权益
 * is the same sum over all my entries.
 */
export const TERMS = {
  /** What the line paid (the entry's base). */
  base: '实付',
  /** Entitlement: what the entry will receive in all. */
  entitlement: '权益',
  /** Paid back so far. */
  paid: '已返',
  /** Still to come: 权益 − 已返. */
  pending: '待返',
  /** The queue header: 已返 + 待返 over my entries. */
  totalEntitlement: '总权益',
} as const;

/** An entry that carries nothing (a line paid ¥0, fully deducted): never "已返完". */
export const NO_ENTITLEMENT_TEXT = '无权益';

export const ENTRY_STATUS_TEXT: Record<EntryStatus, string> = {
  waiting: '排队中',
  done: '已返完',
  exchanged: '已兑换',
  converted: '已转积分',
  cleared: '已清零',
  cancelled: '已取消',
};

export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  unpaid: '待支付',
  paid: '已支付',
  completed: '已完成',
  refunding: '退款中',
  refunded: '已退款',
  closed: '已关闭',
};

export const EXCHANGE_TARGET_TEXT: Record<ExchangeTarget, string> = {
  points: '积分',
  love: '爱心值',
  coupon: '购物券',
};

export const REWARD_KIND_TEXT: Record<RewardKind, string> = {
  direct: '直推奖励',
  indirect: '间推奖励',
  levelDiff: '级差奖励',
  sameLevel: '平级奖励',
  dividend: '股东分红',
  recruit: '招商奖励',
  acceleration: '推广加速',
};

export const REWARD_STATUS_TEXT: Record<RewardStatus, string> = {
  frozen: '冻结中',
  available: '已到账',
  cancelled: '已取消',
};

export const WALLET_KIND_TEXT: Record<WalletHistoryKind, string> = {
  queuePayout: '队列返还',
  reward: '推广奖励',
  unfreeze: '解冻',
  withdraw: '提现',
  withdrawFee: '提现手续费',
  withdrawReturn: '提现退回',
  refund: '退款冲回',
  adjust: '调整',
};

export const WITHDRAWAL_STATUS_TEXT: Record<WithdrawalStatus, string> = {
  reviewing: '审核中',
  approved: '已通过',
  paid: '已到账',
  rejected: '已驳回',
};

export const MERCHANT_STATUS_TEXT: Record<MerchantStatus, string> = {
  none: '未申请',
  pending: '审核中',
  approved: '已入驻',
  rejected: '未通过',
};

/** What kind of message an inbox item is, as its tag says. */
export const NOTIFICATION_KIND_TEXT: Record<NotificationKind, string> = {
  entryJoined: '排队通知',
  payoutReceived: '返还到账',
  entryDone: '返还完成',
  lotteryDrawn: '抽奖结果',
  converted: '兑换转换',
  clearingSoon: '清零预告',
  clearingDone: '清零通知',
  rewardCredited: '奖励到账',
  withdrawalResult: '提现结果',
  merchantReview: '商家审核',
  transferSent: '转让通知',
  transferReceived: '转让通知',
  system: '系统消息',
};

/**
 * The text of an inbox message. Clearing notices carry their figures (fen,
 * count, time) and are written here, in the device's time and the app's
 * money format; every other kind shows the body as sent.
 */
export function inboxBody(m: Pick<InboxMessage, 'kind' | 'body' | 'data'>): string {
  const d = m.data;
  if (d && m.kind === 'clearingSoon') {
    return `${d.entries} 笔排队权益待返 ${yuan(d.amount)}，将于 ${dateTime(d.at)} 清零作废（已到账的返还不受影响）。`;
  }
  if (d && m.kind === 'clearingDone') {
    return `${d.entries} 笔排队权益待返 ${yuan(d.amount)}，已于 ${dateTime(d.at)} 清零作废（已到账的返还不受影响）。`;
  }
  return m.body;
}

/** Parses a yuan string typed by the user ("12.5") into fen, or null. */
export function parseYuanInput(text: string): number | null {
  if (!/^\d{1,9}(\.\d{0,2})?$/.test(text)) return null;
  return new Decimal(text).mul(100).toNumber();
}
