// Distribution rewards (SPEC §6; docs/engine-semantics.md "Distribution
// rewards"): referral ancestors, per-order rewards (direct, indirect, level
// difference, same level, recruit) under the cap, frozen at payment,
// available at completion, cancelled at refund; and periodic shareholder
// dividends run by the scheduler (`tick`).
//
// Every function here is called after its event has been fully validated:
// nothing in this file fails.
import Decimal from 'decimal.js';
import { compareRatio, pct, type Fen, type Ratio } from '../money';
import type { Settings } from '../settings';
import type { RewardKind, RewardStatus } from '../state';
import type { DistributionData, Line, ModelData, Order, OrderDistribution, Reward } from './model';
import { wallet } from './queue';
import { localDay } from './time';

// The data types live in model.ts (the engine's data), so model.ts imports nothing back from here.
export type { DistributionData, DividendCompletion, OrderDistribution, Reward } from './model';

export function emptyDistribution(): DistributionData {
  return { rewards: [], orders: new Map(), firstOrderMs: null, dividendCursorMs: null, pending: [], settledPeriods: [] };
}

// ---------------------------------------------------------------------------
// Referral tree

/**
 * The upline of a user bound to `referrer`: the referrer, then the referrer's
 * own upline, nearest first. Fixed at binding (a referrer never changes and
 * binds only at the user's first event), so an order's walk is O(depth).
 */
export function ancestorsOf(data: ModelData, referrer: string | undefined): readonly string[] {
  if (referrer === undefined) return [];
  return [referrer, ...(data.users.get(referrer)?.ancestors ?? [])];
}

// ---------------------------------------------------------------------------
// Per-order rewards

function teamRatio(data: ModelData, user: string): Decimal {
  const level = data.users.get(user)?.level;
  const ratio = level === undefined ? undefined : data.levels.get(level)?.teamRatio;
  return new Decimal(ratio ?? '0');
}

/** Base of one line (never below 0): paid, or its profit with `base = "profit"`. */
export function lineBase(data: ModelData, settings: Settings, line: Pick<Line, 'kind' | 'item' | 'store' | 'paid'>): Fen {
  if (settings.distribution.base === 'paid') return line.paid;
  if (line.kind === 'product') return Math.max(0, line.paid - data.products.get(line.item)!.cost);
  return pct(line.paid, data.stores.get(line.store!)!.commission);
}

interface Piece {
  user: string;
  kind: RewardKind;
  amount: Fen;
}

/**
 * The uncapped reward pieces of an order with base `base`, in cap order:
 * direct, indirect, level difference (walk order), same level, recruit
 * (stores in order of their first line).
 */
function pieces(data: ModelData, order: Order, base: Fen, storeBases: Map<string, Fen>): Piece[] {
  const d = data.settings.distribution;
  const out: Piece[] = [];
  const upline = data.users.get(order.user)?.ancestors ?? [];
  if (upline.length > 0) out.push({ user: upline[0], kind: 'direct', amount: pct(base, d.directRatio) });
  if (upline.length > 1) out.push({ user: upline[1], kind: 'indirect', amount: pct(base, d.indirectRatio) });
  if (d.levelDifference) {
    const sameLevel = new Decimal(d.sameLevelRatio).gt(0);
    let h = new Decimal(0);
    let sameLevelPaid = false;
    const same: Piece[] = [];
    for (const up of upline) {
      const t = teamRatio(data, up);
      if (t.gt(h)) {
        out.push({ user: up, kind: 'levelDiff', amount: pct(base, t.minus(h).toFixed() as Ratio) });
        h = t;
      } else if (sameLevel && !sameLevelPaid && h.gt(0) && t.eq(h)) {
        same.push({ user: up, kind: 'sameLevel', amount: pct(base, d.sameLevelRatio) });
        sameLevelPaid = true;
      }
    }
    out.push(...same);
  }
  if (storeBases.size > 0 && compareRatio(d.recruitRatio, '0') > 0) {
    for (const [storeId, storeBase] of storeBases) {
      const recruiter = data.stores.get(storeId)?.recruiter;
      if (recruiter !== undefined) out.push({ user: recruiter, kind: 'recruit', amount: pct(storeBase, d.recruitRatio) });
    }
  }
  return out;
}

/**
 * Called once an order is paid (its lines recorded): records its base and,
 * when distribution is on, creates its rewards frozen in the receivers'
 * wallets. Each piece is cut to what is left of `pct(B, cap)`; zero pieces
 * are dropped; pieces of the same user and kind are summed into one reward.
 */
export function rewardOrder(data: ModelData, order: Order): void {
  const { settings } = data;
  const dist = data.distribution;
  if (dist.firstOrderMs === null) dist.firstOrderMs = order.atMs;
  let base = 0;
  let paid = 0;
  const storeBases = new Map<string, Fen>();
  for (const line of order.lines) {
    const b = lineBase(data, settings, line);
    base += b;
    paid += line.paid;
    if (line.store !== undefined) storeBases.set(line.store, (storeBases.get(line.store) ?? 0) + b);
  }
  const record: OrderDistribution = { base, paid, rewards: [] };
  dist.orders.set(order.id, record);
  if (!settings.distribution.on || base === 0) return;

  let left = pct(base, settings.distribution.cap);
  for (const piece of pieces(data, order, base, storeBases)) {
    const amount = Math.min(piece.amount, left);
    if (amount === 0) continue;
    left -= amount;
    // An order has a handful of rewards: a scan beats a Map keyed by built strings.
    let reward = record.rewards.find((r) => r.user === piece.user && r.kind === piece.kind);
    if (!reward) {
      reward = { order: order.id, user: piece.user, kind: piece.kind, amount: 0, status: 'frozen' };
      record.rewards.push(reward);
      dist.rewards.push(reward);
    }
    reward.amount += amount;
    wallet(data, piece.user).frozen += amount;
  }
}

/** At completion: the order's rewards become available; the order counts towards its dividend period. */
export function releaseOrderRewards(data: ModelData, order: Order, atMs: number): void {
  const record = data.distribution.orders.get(order.id);
  if (!record) return;
  for (const reward of record.rewards) {
    const w = wallet(data, reward.user);
    w.frozen -= reward.amount;
    w.available += reward.amount;
    reward.status = 'available';
  }
  data.distribution.pending.push({ order: order.id, user: order.user, atMs, base: record.base, paid: record.paid });
}

/** At refund: the order's rewards are cancelled, their money taken back out of the frozen wallets. */
export function cancelOrderRewards(data: ModelData, order: Order): void {
  const record = data.distribution.orders.get(order.id);
  if (!record) return;
  for (const reward of record.rewards) {
    wallet(data, reward.user).frozen -= reward.amount;
    reward.status = 'cancelled';
  }
}

// ---------------------------------------------------------------------------
// Dividend periods (Asia/Shanghai, fixed UTC+8)

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface Period {
  startMs: number;
  endMs: number;
  /** `2026-01` (month) or `2026-W05` (ISO week). */
  label: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The calendar month or ISO week (Monday 00:00 to Monday 00:00) containing `atMs`. */
export function periodOf(kind: 'monthly' | 'weekly', atMs: number): Period {
  if (kind === 'monthly') {
    const local = new Date(atMs + OFFSET_MS);
    const y = local.getUTCFullYear();
    const m = local.getUTCMonth();
    return { startMs: Date.UTC(y, m, 1) - OFFSET_MS, endMs: Date.UTC(y, m + 1, 1) - OFFSET_MS, label: `${y}-${pad2(m + 1)}` };
  }
  const day = localDay(atMs);
  // Local day 0 (1970-01-01) was a Thursday: Monday-based weekday = (day + 3) mod 7.
  const monday = day - (((day + 3) % 7) + 7) % 7;
  const thursday = monday + 3;
  // The ISO week belongs to the year of its Thursday.
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return { startMs: monday * DAY_MS - OFFSET_MS, endMs: (monday + 7) * DAY_MS - OFFSET_MS, label: `${year}-W${pad2(week)}` };
}

/**
 * Splits `total` fen by `weights` (largest remainder): each gets
 * floor(total × w / W); the fen left go one each to the largest fractional
 * parts, ties to the smaller id. Exact integer arithmetic (BigInt).
 */
export function largestRemainder(total: Fen, weights: readonly { id: string; weight: bigint }[]): Map<string, Fen> {
  const W = weights.reduce((s, x) => s + x.weight, 0n);
  const out = new Map<string, Fen>();
  if (W === 0n) return out;
  const T = BigInt(total);
  let given = 0n;
  const parts = weights.map((x) => {
    const share = (T * x.weight) / W;
    given += share;
    return { id: x.id, share, rem: (T * x.weight) % W };
  });
  let left = T - given;
  const ranked = [...parts].sort((a, b) => (a.rem === b.rem ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.rem > b.rem ? -1 : 1));
  for (const p of ranked) {
    if (left === 0n) break;
    p.share += 1n;
    left -= 1n;
  }
  for (const p of parts) out.set(p.id, Number(p.share));
  return out;
}

function isShareholder(data: ModelData, user: string): boolean {
  const level = data.users.get(user)?.level;
  return level !== undefined && data.levels.get(level)?.shareholder === true;
}

/** Settles the window [fromMs, period.endMs) of `period` with the settings in force now. */
function settlePeriod(data: ModelData, period: Period, fromMs: number): void {
  const dist = data.distribution;
  const d = data.settings.distribution;
  // Completions dated before the window belong to an already settled period: they count nowhere.
  const inWindow = dist.pending.filter((c) => c.atMs >= fromMs && c.atMs < period.endMs);
  dist.pending = dist.pending.filter((c) => c.atMs >= period.endMs);
  dist.settledPeriods.push(period.label);
  if (!d.on || !new Decimal(d.dividendRatio).gt(0)) return;
  const revenue = inWindow.reduce((s, c) => s + c.base, 0);
  const D = pct(revenue, d.dividendRatio);
  if (D === 0) return;
  const holders = [...data.users.keys()].filter((u) => isShareholder(data, u)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (holders.length === 0) return;

  let weights = holders.map((id) => ({ id, weight: 1n }));
  if (d.dividendSplit === 'weighted') {
    // Downline completed spend in the window, self included.
    const spend = new Map<string, bigint>();
    for (const c of inWindow) {
      for (const u of [c.user, ...(data.users.get(c.user)?.ancestors ?? [])]) {
        if (isShareholder(data, u)) spend.set(u, (spend.get(u) ?? 0n) + BigInt(c.paid));
      }
    }
    const weighted = holders.map((id) => ({ id, weight: spend.get(id) ?? 0n }));
    if (weighted.some((x) => x.weight > 0n)) weights = weighted;
  }
  const shares = largestRemainder(D, weights);
  for (const id of holders) {
    const amount = shares.get(id) ?? 0;
    if (amount === 0) continue;
    const reward: Reward = { order: `dividend:${period.label}`, user: id, kind: 'dividend', amount, status: 'available' };
    dist.rewards.push(reward);
    wallet(data, id).available += amount;
  }
}

/**
 * The dividend job (run by `tick` at T): settles, in order, every period of
 * the current `dividendPeriod` that ended at or before T, from the period of
 * the first order on, each once.
 */
export function runDividends(data: ModelData, atMs: number): void {
  const dist = data.distribution;
  if (dist.firstOrderMs === null) return;
  const kind = data.settings.distribution.dividendPeriod;
  let cursor = dist.dividendCursorMs ?? periodOf(kind, dist.firstOrderMs).startMs;
  for (;;) {
    const period = periodOf(kind, cursor);
    if (period.endMs > atMs) break;
    settlePeriod(data, period, cursor);
    cursor = period.endMs;
    dist.dividendCursorMs = cursor;
  }
}

/** Rewards for the replay output. */
export function rewardStates(data: ModelData): { amount: Fen; kind: RewardKind; order: string; status: RewardStatus; user: string }[] {
  return data.distribution.rewards.map((r) => ({ amount: r.amount, kind: r.kind, order: r.order, status: r.status, user: r.user }));
}
