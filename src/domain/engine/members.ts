// Member statistics: completed spend for cumulative tiers (§4) and automatic
// level upgrades (docs/engine-semantics.md "Member levels (upgrade)").
// Team spend is kept incrementally: each completion adds its amount to every
// upline member, so an evaluation never walks the downline tree.
import type { Fen } from '../money';
import type { CompletedSpend, Level, MemberStats, ModelData, Order } from './model';

const DAY_MS = 86_400_000;

export function memberStats(data: ModelData, user: string): MemberStats {
  let stats = data.members.get(user);
  if (!stats) {
    stats = { ownSpend: 0, teamSpend: 0, directReferrals: 0, completed: [] };
    data.members.set(user, stats);
  }
  return stats;
}

/** A user registered with `referrer`: one more direct referral (a referrer binds only at registration). */
export function recordReferral(data: ModelData, referrer: string): void {
  memberStats(data, referrer).directReferrals++;
}

/** The lines a cumulative tier counts: mall = product lines; a store = its store-product lines and its cashiers' payments. */
export type SpendFamily = { kind: 'mall' } | { kind: 'store'; store: string };

/** Σ paid of the user's completed orders placed in [atMs − days×24h, atMs), over the family's lines. */
export function windowSpend(data: ModelData, user: string, family: SpendFamily, days: number, atMs: number): Fen {
  const stats = data.members.get(user);
  if (!stats) return 0;
  const from = atMs - days * DAY_MS;
  let sum = 0;
  for (const c of stats.completed) {
    if (c.atMs < from || c.atMs >= atMs) continue;
    sum += family.kind === 'mall' ? c.mall : (c.stores?.get(family.store) ?? 0);
  }
  return sum;
}

function rankOf(level: Level): number {
  return level.rank ?? level.index;
}

/** Higher rank wins; equal ranks: the level defined later. */
function outranks(a: Level, b: Level): boolean {
  return rankOf(a) !== rankOf(b) ? rankOf(a) > rankOf(b) : a.index > b.index;
}

function qualifies(level: Level, stats: MemberStats): boolean {
  const u = level.upgrade;
  if (!u) return false;
  return (
    (u.completedSpend === undefined || stats.ownSpend >= u.completedSpend) &&
    (u.directReferrals === undefined || stats.directReferrals >= u.directReferrals) &&
    (u.teamSpend === undefined || stats.teamSpend >= u.teamSpend)
  );
}

/** Moves the user up (never down) to the highest-ranked level whose every upgrade condition holds. */
export function evaluateLevel(data: ModelData, userId: string): void {
  const user = data.users.get(userId);
  if (!user) return;
  const stats = memberStats(data, userId);
  let best: Level | undefined = user.level === undefined ? undefined : data.levels.get(user.level);
  for (const level of data.levels.values()) {
    if (qualifies(level, stats) && (best === undefined || outranks(level, best))) best = level;
  }
  if (best !== undefined && best.id !== user.level) user.level = best.id;
}

/**
 * After a completion: the order's spend is recorded (own spend, the per-family
 * record for tiers, every upline's team spend), then the buyer and every
 * upline, nearest first, are re-evaluated.
 */
export function recordCompletion(data: ModelData, order: Order): void {
  const spend: CompletedSpend = { atMs: order.atMs, mall: 0, stores: null };
  let total = 0;
  for (const line of order.lines) {
    total += line.paid;
    if (line.kind === 'product') spend.mall += line.paid;
    else {
      spend.stores ??= new Map();
      spend.stores.set(line.store!, (spend.stores.get(line.store!) ?? 0) + line.paid);
    }
  }
  const stats = memberStats(data, order.user);
  stats.ownSpend += total;
  stats.completed.push(spend);
  const upline = data.users.get(order.user)?.ancestors ?? [];
  for (const up of upline) memberStats(data, up).teamSpend += total;
  evaluateLevel(data, order.user);
  for (const up of upline) evaluateLevel(data, up);
}
