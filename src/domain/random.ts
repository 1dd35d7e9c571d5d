// Random choices of the queue engine: lottery draws and random-return slot
// permutations (docs/engine-semantics.md "Lottery draw", "Random return").
// Every choice goes through `pick(u48, n)`; only the source of the 48 random
// bits differs: replay and the what-if simulator hash a label (seeded, so both
// engines print the same state), production uses a cryptographic source.
import Decimal from 'decimal.js';
import { compareRatio, normalizeRatio, type Ratio } from './money';
import type { LotteryConfig } from './settings';
import { sha256, utf8 } from './sha256';

/** 48 random bits for a label (`draw:<order>:<line>`, `random-return:<queue>:<group>:<i>`). */
export type RandomSource = (label: string) => bigint;

const TWO_48 = 1n << 48n;

/** The first 6 bytes of `bytes`, big-endian. */
export function u48FromBytes(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = 0; i < 6; i++) x = (x << 8n) | BigInt(bytes[i]);
  return x;
}

/** Replay / what-if: u48 = the first 6 bytes (big-endian) of SHA-256(label). */
export const seededU48: RandomSource = (label) => u48FromBytes(sha256(utf8(label)));

/** Production: 48 bits from the platform's cryptographic generator (the label is ignored). */
export const cryptoU48: RandomSource = () => {
  const bytes = new Uint8Array(6);
  const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  if (!crypto?.getRandomValues) throw new Error('no cryptographic random source in this runtime');
  crypto.getRandomValues(bytes);
  return u48FromBytes(bytes);
};

/** `floor(u48 × n / 2^48)`: 0..n-1, for 1 <= n. Exact (BigInt), so SQL numeric agrees. */
export function pick(u48: bigint, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`pick: bad n ${n}`);
  if (u48 < 0n || u48 >= TWO_48) throw new Error('pick: u48 out of range');
  return Number((u48 * BigInt(n)) / TWO_48);
}

function hundredths(ratio: Ratio): number {
  return new Decimal(ratio).mul(100).toNumber();
}

/**
 * The drawn ratio: fixed = first i with cumsum(weights)[i] > pick(Σweights)
 * (weights default all 1); range = (min×100 + pick(max×100 − min×100 + 1)) / 100.
 */
export function drawLottery(config: LotteryConfig, u48: bigint): Ratio {
  if (config.kind === 'fixed') {
    const weights = config.weights ?? config.ratios.map(() => 1);
    const total = weights.reduce((s, w) => s + w, 0);
    const p = pick(u48, total);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i];
      if (sum > p) return normalizeRatio(config.ratios[i]);
    }
    throw new Error('drawLottery: weights do not cover the pick');
  }
  const min = hundredths(config.min);
  const k = min + pick(u48, hundredths(config.max) - min + 1);
  return normalizeRatio(new Decimal(k).div(100).toFixed(2));
}

/** Whether a pinned outcome could have been drawn: in the set with a weight > 0, or within the range. */
export function isPossibleOutcome(config: LotteryConfig, outcome: Ratio): boolean {
  if (config.kind === 'range') return compareRatio(outcome, config.min) >= 0 && compareRatio(outcome, config.max) <= 0;
  return config.ratios.some((r, i) => compareRatio(r, outcome) === 0 && (config.weights?.[i] ?? 1) > 0);
}

export type Slot = 'cash' | 'points';

/**
 * A random-return group's slots: `cash` × cashCount then `points` ×
 * pointsCount, shuffled by Fisher–Yates (i from n−1 down to 1 swaps with
 * pick(i+1), the bits for step i from `u48At(i)`).
 */
export function shuffleSlots(cashCount: number, pointsCount: number, u48At: (i: number) => bigint): Slot[] {
  const slots: Slot[] = [...Array<Slot>(cashCount).fill('cash'), ...Array<Slot>(pointsCount).fill('points')];
  for (let i = slots.length - 1; i >= 1; i--) {
    const j = pick(u48At(i), i + 1);
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}
