// 转让 of points / love value: the checks the form makes before asking the
// server (which checks again: 1320_api_member_transfers.sql). Pure.

export type TransferKind = 'points' | 'love';

export const TRANSFER_KIND_TEXT: Record<TransferKind, string> = { points: '积分', love: '爱心值' };

/** Member codes are 6–10 letters or digits, shown upper-case. */
export function normaliseMemberCode(text: string): string {
  return text.trim().toUpperCase();
}

export function isMemberCode(code: string): boolean {
  return /^[A-Z0-9]{6,10}$/.test(code);
}

/** A positive whole number of units, or null. */
export function parseTransferAmount(text: string): number | null {
  const t = text.trim();
  if (!/^[1-9][0-9]{0,10}$/.test(t)) return null;
  return Number(t);
}

export interface TransferLimits {
  balance: number;
  dailyLimit: number;
  usedToday: number;
}

/** What today still allows: the balance and the day's remaining limit, whichever is lower. */
export function transferable(l: TransferLimits): number {
  return Math.max(0, Math.min(l.balance, l.dailyLimit - l.usedToday));
}

/** The first problem with the form, by field, or null. */
export function validateTransfer(
  input: { code: string; amount: number | null; kind: TransferKind },
  l: TransferLimits,
  myCode: string,
): { field: 'code' | 'amount'; message: string } | null {
  if (!isMemberCode(input.code)) return { field: 'code', message: '请输入 6–10 位会员码' };
  if (input.code === myCode) return { field: 'code', message: '不能转让给自己' };
  const unit = TRANSFER_KIND_TEXT[input.kind];
  if (input.amount === null) return { field: 'amount', message: '请输入正整数数量' };
  if (input.amount > l.balance) return { field: 'amount', message: `${unit}余额不足（可用 ${l.balance}）` };
  if (input.amount > l.dailyLimit - l.usedToday) {
    return { field: 'amount', message: `超出每日转让上限，今日还可转让 ${Math.max(0, l.dailyLimit - l.usedToday)} ${unit}` };
  }
  return null;
}
