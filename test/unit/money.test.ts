// pct, normalizeRatio and compareRatio take an exact integer path for speed
// (the model engine calls pct several times per line); decimal.js is the
// reference they must equal on every valid input, extremes included.
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { compareRatio, MAX_FEN, normalizeRatio, pct } from '@/domain/money';

const ratio = fc
  .tuple(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 1, 2))
  .filter(([w, c]) => w < 10000 || c === 0)
  .map(([w, c, digits]) => (digits === 0 ? String(w) : digits === 1 ? `${w}.${Math.floor(c / 10)}` : `${w}.${String(c).padStart(2, '0')}`));
const reference = (a: number, r: string) => new Decimal(a).mul(r).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

test('pct equals decimal.js half-up rounding', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: MAX_FEN }), ratio, (a, r) => pct(a, r) === reference(a, r)), { numRuns: 20000 });
  fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), ratio, (a, r) => pct(a, r) === reference(a, r)), { numRuns: 20000 });
  // Halves round up; the largest inputs (beyond 2^53 in hundredths) take decimal.js.
  expect([pct(1, '50'), pct(3, '50'), pct(1, '49.99'), pct(MAX_FEN, '10000'), pct(MAX_FEN, '9999.99')]).toEqual([1, 2, 0, 1_000_000_000_000, 999_999_000_000]);
});

test('normalizeRatio and compareRatio equal decimal.js', () => {
  fc.assert(
    fc.property(ratio, ratio, (a, b) => normalizeRatio(a) === new Decimal(a).toFixed() && compareRatio(a, b) === new Decimal(a).comparedTo(b)),
    { numRuns: 20000 },
  );
  expect([normalizeRatio('130.00'), normalizeRatio('12.50'), normalizeRatio('0.05'), normalizeRatio('007')]).toEqual(['130', '12.5', '0.05', '7']);
});
