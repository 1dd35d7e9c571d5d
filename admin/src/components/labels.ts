// Status texts of the console (Simplified Chinese), one place.
export const ORDER_STATUS: Record<string, { text: string; status: 'Default' | 'Processing' | 'Success' | 'Warning' | 'Error' }> = {
  unpaid: { text: '待支付', status: 'Default' },
  paid: { text: '已支付', status: 'Processing' },
  completed: { text: '已完成', status: 'Success' },
  refunding: { text: '退款中', status: 'Warning' },
  refunded: { text: '已退款', status: 'Error' },
  closed: { text: '已关闭', status: 'Default' },
};
export const ENTRY_STATUS: Record<string, { text: string; status: 'Default' | 'Processing' | 'Success' | 'Warning' | 'Error' }> = {
  waiting: { text: '排队中', status: 'Processing' },
  done: { text: '已返完', status: 'Success' },
  exchanged: { text: '已兑换', status: 'Default' },
  converted: { text: '已转换', status: 'Default' },
  cleared: { text: '已清零', status: 'Warning' },
  cancelled: { text: '已取消', status: 'Error' },
};
export const REFUND_STATUS: Record<string, { text: string; status: 'Default' | 'Processing' | 'Success' | 'Warning' | 'Error' }> = {
  pending: { text: '待审核', status: 'Warning' },
  processing: { text: '退款中', status: 'Processing' },
  succeeded: { text: '已退款', status: 'Success' },
  rejected: { text: '已驳回', status: 'Default' },
  failed: { text: '失败', status: 'Error' },
};
export const WITHDRAWAL_STATUS: Record<string, { text: string; status: 'Default' | 'Processing' | 'Success' | 'Warning' | 'Error' }> = {
  reviewing: { text: '待审核', status: 'Warning' },
  approved: { text: '已通过', status: 'Processing' },
  paying: { text: '打款中', status: 'Processing' },
  paid: { text: '已到账', status: 'Success' },
  rejected: { text: '已驳回', status: 'Default' },
  failed: { text: '失败', status: 'Error' },
};
export const APPLICATION_STATUS: Record<string, { text: string; status: 'Default' | 'Processing' | 'Success' | 'Warning' | 'Error' }> = {
  pending: { text: '待审核', status: 'Warning' },
  approved: { text: '已通过', status: 'Success' },
  rejected: { text: '已驳回', status: 'Default' },
};

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
