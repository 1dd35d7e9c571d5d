// Money in the console: integer fen in every value and request; yuan only on
// screen, through the mini-program's formatter (src/domain/money.ts).
import Decimal from 'decimal.js';
import { Input, type InputProps } from 'antd';
import { useEffect, useState } from 'react';
import { formatYuan, isFen, isRatio, normalizeRatio } from '@/domain/money';

/** "¥168.00"; "-" for a missing amount. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '-';
  return fen < 0 ? `-¥${formatYuan(-fen)}` : `¥${formatYuan(fen)}`;
}

export function Money({ fen, testId }: { fen: number | null | undefined; testId?: string }) {
  return <span data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(fen)}</span>;
}

/** "130%" */
export function ratioText(r: string | null | undefined): string {
  return r === null || r === undefined || r === '' ? '-' : `${isRatio(r) ? normalizeRatio(r) : r}%`;
}

/** "12.5" (yuan, as typed) → 1250 fen; null when it is not an amount with at most 2 decimals. */
export function yuanToFen(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,9}(\.\d{0,2})?$/.test(t)) return null;
  const fen = new Decimal(t).mul(100).toNumber();
  return isFen(fen) ? fen : null;
}

export function fenToYuanText(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : formatYuan(fen);
}

/**
 * A yuan input whose form value is fen: shows "168.00", stores 16800. Text that
 * is not an amount stores NaN, which the `fenRule` below refuses.
 */
export function YuanInput({ value, onChange, ...rest }: Omit<InputProps, 'value' | 'onChange'> & { value?: number | null; onChange?: (fen: number | null) => void }) {
  const [text, setText] = useState(fenToYuanText(value));
  useEffect(() => {
    if (value === null || value === undefined) {
      if (yuanToFen(text) !== null) setText('');
    } else if (yuanToFen(text) !== value) setText(fenToYuanText(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <Input
      {...rest}
      prefix="¥"
      suffix="元"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const t = e.target.value.trim();
        onChange?.(t === '' ? null : (yuanToFen(t) ?? Number.NaN));
      }}
    />
  );
}

export const fenRule = (required = true) => ({
  validator: async (_: unknown, v: number | null | undefined) => {
    if (v === null || v === undefined) {
      if (required) throw new Error('请输入金额');
      return;
    }
    if (!isFen(v)) throw new Error('请输入正确的金额（最多两位小数）');
  },
});

/** A percent string with at most two decimals ("130", "12.5"); `max` in percent. */
export const ratioRule = (required = true, max?: number) => ({
  validator: async (_: unknown, v: string | null | undefined) => {
    if (v === null || v === undefined || v === '') {
      if (required) throw new Error('请输入比例');
      return;
    }
    if (!isRatio(v)) throw new Error('比例为数字，最多两位小数');
    if (max !== undefined && new Decimal(v).gt(max)) throw new Error(`不能超过 ${max}%`);
  },
});
