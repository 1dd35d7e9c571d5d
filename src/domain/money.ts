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

/** Hundredths of a percent of a valid ratio ("12.5" → 1250), or null for anything else. Cached: ratios repeat. */
const HUNDREDTHS = new Map<string, number | null>();
function hundredths(ratio: Ratio): number | null {
  let h = HUNDREDTHS.get(ratio);
  if (h === undefined) {
    const m = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(ratio);
    h = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
    if (HUNDREDTHS.size > 10_000) HUNDREDTHS.clear();
    HUNDREDTHS.set(ratio, h);
  }
  return h;
}

/** `amount × ratio%`, rounded half up to whole fen. */
export function pct(amount: Fen, ratio: Ratio): Fen {
  const h = hundredths(ratio);
  // Exact integer arithmetic while amount × hundredths stays a safe integer (every valid input does:
  // 10^10 fen × 10^6 hundredths = 10^16 > 2^53 only at the extremes, which take decimal.js).
  if (h !== null && Number.isSafeInteger(amount) && amount >= 0) {
    const x = amount * h + 5000;
    if (Number.isSafeInteger(x)) {
      let q = Math.floor(x / 10000);
      const r = x - q * 10000;
      if (r < 0) q--;
      else if (r >= 10000) q++;
      return q;
    }
  }
  return new Decimal(amount).mul(ratio).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** A ratio without trailing zeros: "130.00" → "130", "12.50" → "12.5". */
export function normalizeRatio(ratio: Ratio): Ratio {
  const h = hundredths(ratio);
  if (h === null) return new Decimal(ratio).toFixed();
  const whole = Math.floor(h / 100);
  const cents = h % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

export function compareRatio(a: Ratio, b: Ratio): number {
  const x = hundredths(a);
  const y = hundredths(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  return new Decimal(a).comparedTo(b);
}

/** Yuan for display only: 16800 → "168.00". */
export function formatYuan(fen: Fen): string {
  return new Decimal(fen).div(100).toFixed(2);
}
