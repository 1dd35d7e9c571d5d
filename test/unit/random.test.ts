// Random choices (src/domain/random.ts): the pure SHA-256 against Node's, the
// seeded u48 and pick rule of docs/engine-semantics.md, and statistics of the
// production (crypto) path through the same pick / draw / shuffle functions:
// 10,000 draws follow the configured distribution, random-return slots are
// uniform over positions (chi-square, failing only at p < 0.0001).
import { createHash, randomBytes } from 'node:crypto';
import { cryptoU48, drawLottery, isPossibleOutcome, pick, seededU48, shuffleSlots, u48FromBytes } from '@/domain/random';
import { sha256, toHex } from '@/domain/sha256';
import type { LotteryConfig } from '@/domain/settings';

const TWO_48 = 2n ** 48n;

describe('sha256', () => {
  test('FIPS 180-2 vectors', () => {
    expect(toHex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  test('equals Node for every length around the block boundaries, random bytes and UTF-8 text', () => {
    for (let n = 0; n < 200; n++) {
      const bytes = randomBytes(n);
      expect(toHex(sha256(new Uint8Array(bytes)))).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    for (const text of ['draw:o1:0', 'random-return:store:门店-1:3:4', '排队返利 🎲', 'x'.repeat(1000)]) {
      expect(toHex(sha256(text))).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('u48 and pick', () => {
  test('seeded u48 = the first 6 bytes of SHA-256(label), big-endian', () => {
    const hex = createHash('sha256').update('draw:o1:0').digest('hex').slice(0, 12);
    expect(seededU48('draw:o1:0')).toBe(BigInt(`0x${hex}`));
    expect(u48FromBytes(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]))).toBe(0x010203040506n);
  });

  test('pick(n) = floor(u48 × n / 2^48): bounds and exact big arithmetic', () => {
    expect(pick(0n, 7)).toBe(0);
    expect(pick(TWO_48 - 1n, 7)).toBe(6);
    // Exactly halfway: 2^47 × 3 / 2^48 = 1.5 → 1.
    expect(pick(TWO_48 / 2n, 3)).toBe(1);
    // u48 × n above 2^53: (2^48 − 1) × 10^8 / 2^48 = 10^8 − 10^8/2^48 → 99,999,999.
    expect(pick(TWO_48 - 1n, 100_000_000)).toBe(99_999_999);
    expect(() => pick(1n, 0)).toThrow();
    expect(() => pick(TWO_48, 2)).toThrow();
  });

  test('draws: fixed by cumulative weights, range in hundredths', () => {
    const fixed: LotteryConfig = { kind: 'fixed', ratios: ['10', '20.50', '50'], weights: [1, 0, 3] };
    // pick(4): 0 → 10; 1..3 → 50 (cumsum [1, 1, 4]; 20.5 has weight 0 and is never drawn).
    expect(drawLottery(fixed, 0n)).toBe('10');
    expect(drawLottery(fixed, TWO_48 / 4n - 1n)).toBe('10');
    expect(drawLottery(fixed, TWO_48 / 4n)).toBe('50');
    expect(drawLottery(fixed, TWO_48 - 1n)).toBe('50');
    expect(isPossibleOutcome(fixed, '20.5')).toBe(false);
    expect(isPossibleOutcome(fixed, '50.00')).toBe(true);
    const range: LotteryConfig = { kind: 'range', min: '80', max: '120.5' };
    // 8000 + pick(4051): 0 → "80", the top → 12050 → "120.5".
    expect(drawLottery(range, 0n)).toBe('80');
    expect(drawLottery(range, TWO_48 - 1n)).toBe('120.5');
    expect(isPossibleOutcome(range, '120.51')).toBe(false);
    expect(isPossibleOutcome(range, '80')).toBe(true);
  });
});

/** Pearson chi-square of observed counts against expected probabilities. */
function chiSquare(observed: number[], probabilities: number[]): number {
  const total = observed.reduce((s, x) => s + x, 0);
  return observed.reduce((s, o, i) => {
    const e = total * probabilities[i];
    return s + ((o - e) * (o - e)) / e;
  }, 0);
}

// Chi-square quantiles for p = 0.0001 (upper tail), by degrees of freedom.
const CRITICAL: Record<number, number> = { 2: 18.42, 3: 21.11, 4: 23.51, 5: 25.74, 9: 33.72 };
const N = 10_000;

describe('crypto draws follow the configured distribution (10,000 each)', () => {
  test('fixed with weights 1 : 2 : 7 : 0', () => {
    const config: LotteryConfig = { kind: 'fixed', ratios: ['10', '20', '50', '99'], weights: [1, 2, 7, 0] };
    const index: Record<string, number> = { '10': 0, '20': 1, '50': 2, '99': 3 };
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) counts[index[drawLottery(config, cryptoU48('draw'))]]++;
    expect(counts[3]).toBe(0);
    expect(chiSquare(counts.slice(0, 3), [0.1, 0.2, 0.7])).toBeLessThan(CRITICAL[2]);
  });

  test('range 1.00 .. 1.09: ten values, uniform', () => {
    const config: LotteryConfig = { kind: 'range', min: '1', max: '1.09' };
    const counts = Array(10).fill(0);
    for (let i = 0; i < N; i++) {
      const r = drawLottery(config, cryptoU48('draw'));
      // "1", "1.01", ..., "1.09" → hundredths 100..109.
      const k = Math.round(Number(r) * 100) - 100;
      expect(k >= 0 && k < 10).toBe(true);
      counts[k]++;
    }
    expect(chiSquare(counts, Array(10).fill(0.1))).toBeLessThan(CRITICAL[9]);
  });

  test('the statistic does reject a skewed source (the test can fail)', () => {
    // Only the low half of u48: pick(2) is always 0.
    const counts = [0, 0];
    for (let i = 0; i < N; i++) counts[pick(cryptoU48('x') / 2n, 2)]++;
    expect(chiSquare(counts, [0.5, 0.5])).toBeGreaterThan(CRITICAL[2]);
  });
});

describe('random-return groups are uniform over positions (10,000 groups each)', () => {
  test('1 cash + 4 points: the cash slot is at each of the 5 positions with p = 1/5', () => {
    const counts = Array(5).fill(0);
    for (let g = 0; g < N; g++) {
      const slots = shuffleSlots(1, 4, () => cryptoU48('random-return'));
      expect(slots.filter((s) => s === 'cash')).toHaveLength(1);
      counts[slots.indexOf('cash')]++;
    }
    expect(chiSquare(counts, Array(5).fill(0.2))).toBeLessThan(CRITICAL[4]);
  });

  test('2 cash + 2 points: each of the 6 arrangements with p = 1/6', () => {
    const seen = new Map<string, number>();
    for (let g = 0; g < N; g++) {
      const slots = shuffleSlots(2, 2, () => cryptoU48('random-return')).join(',');
      seen.set(slots, (seen.get(slots) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    expect(chiSquare([...seen.values()], Array(6).fill(1 / 6))).toBeLessThan(CRITICAL[5]);
  });

  test('seeded shuffle: Fisher–Yates from the top, cash slots first before the shuffle', () => {
    // With pick always 0, step i swaps positions i and 0: [c,c,p,p,p] → i=4: [p,c,p,p,c] → i=3: [p,c,p,p,c]
    // (swap 3↔0, both p) → i=2: [p,c,p,p,c] → i=1: [c,p,p,p,c].
    expect(shuffleSlots(2, 3, () => 0n)).toEqual(['cash', 'points', 'points', 'points', 'cash']);
    // With pick always the top (j = i), nothing moves.
    expect(shuffleSlots(2, 3, () => TWO_48 - 1n)).toEqual(['cash', 'cash', 'points', 'points', 'points']);
  });
});
