// Money is integer fen; ratios are percent strings. Never floats.
import Decimal from 'decimal.js';

/** Largest amount (fen) accepted in any single input: 100 million yuan. */
export const MAX_FEN = 10_000_000_000;
/** Largest ratio (percent) accepted anywhere. */
export const MAX_RATIO = '10000';

const RATIO_PATTERN = /^\d{1,5}(\.\d{1,2})?$/;

export type Fen = number;
/** A percentage with at most two decimals, e.g. "130", "12.5". */
export type Ratio = string;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FEN;
}

export function isRatio(value: unknown): value is Ratio {
  return typeof value === 'string' && RATIO_PATTERN.test(value) && new Decimal(value).lte(MAX_RATIO);
}

/** `amount × ratio%`, rounded half up to whole fen. */
export function pct(amount: Fen, ratio: Ratio): Fen {
  return new Decimal(amount).mul(ratio).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** A ratio without trailing zeros: "130.00" → "130", "12.50" → "12.5". */
export function normalizeRatio(ratio: Ratio): Ratio {
  return new Decimal(ratio).toFixed();
}

export function compareRatio(a: Ratio, b: Ratio): number {
  return new Decimal(a).comparedTo(b);
}

/** Yuan for display only: 16800 → "168.00". */
export function formatYuan(fen: Fen): string {
  return new Decimal(fen).div(100).toFixed(2);
}
