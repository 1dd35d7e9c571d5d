// The replay output (SPEC §10) and its canonical serialisation. Both engines
// build a ReplayState and print it through canonicalJson, so byte equality
// is a property of the state, not of formatting code.
import type { Fen, Ratio } from './money';

export type EntryStatus = 'waiting' | 'done' | 'exchanged' | 'converted' | 'cleared' | 'cancelled';
export type RewardKind = 'direct' | 'indirect' | 'levelDiff' | 'sameLevel' | 'dividend' | 'recruit' | 'acceleration';
export type RewardStatus = 'frozen' | 'available' | 'cancelled';

export interface EntryState {
  base: Fen;
  entitlement: Fen;
  line: number;
  order: string;
  paid: Fen;
  queue: string;
  ratio: Ratio;
  seq: number;
  status: EntryStatus;
  user: string;
}

export interface RewardState {
  amount: Fen;
  kind: RewardKind;
  order: string;
  status: RewardStatus;
  user: string;
}

export interface ReplayState {
  entries: EntryState[];
  wallets: Record<string, { available: Fen; frozen: Fen }>;
  points: Record<string, number>;
  love: Record<string, number>;
  coupons: Record<string, number>;
  reserves: Record<string, Fen>;
  /** Per store: the merchant's share of store and cashier orders (frozen until completion). */
  merchants: Record<string, { available: Fen; frozen: Fen }>;
  /** Per supplier: supply prices credited at completion. */
  suppliers: Record<string, Fen>;
  platform: { absorbed: Fen; kept: Fen };
  rewards: RewardState[];
  union: { pool: Fen };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortEntries(entries: EntryState[]): EntryState[] {
  return [...entries].sort((a, b) => compareText(a.queue, b.queue) || a.seq - b.seq);
}

export function sortRewards(rewards: RewardState[]): RewardState[] {
  return [...rewards].sort(
    (a, b) => compareText(a.order, b.order) || compareText(a.user, b.user) || compareText(a.kind, b.kind),
  );
}

/** Keys sorted at every depth (code-unit order), no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareText);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sorts the lists of a state the way §10 prints them, then serialises. */
export function printState(state: ReplayState): string {
  return canonicalJson({ ...state, entries: sortEntries(state.entries), rewards: sortRewards(state.rewards) });
}
