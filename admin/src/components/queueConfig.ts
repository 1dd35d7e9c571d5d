// Per-item queue settings ({Q} of SPEC §10) ↔ the flat shape the forms edit.
// Blank fields are left out of {Q}: "not defined here", so the §4 chain falls
// through to the next source.
import type { QueueConfig } from '../services/contract';

export type QueueOwner = 'product' | 'store' | 'storeProduct' | 'cashier';

export interface QueueForm {
  enabled?: boolean;
  extractRatio?: string;
  ratio?: string;
  levels?: { level: string; ratio: string }[];
  tiers?: { days: number; minSpend: number; ratio: string }[];
  lotteryOn?: boolean;
  lotteryKind?: 'fixed' | 'range';
  lotteryRatios?: string;
  lotteryMin?: string;
  lotteryMax?: string;
  windows?: { from: string; to: string }[];
  dailyLimit?: number | null;
  totalLimit?: number | null;
  rrOn?: boolean;
  rrCash?: number;
  rrPoints?: number;
  /** Union mode: days after completion before the daily run may pay the entry (store products and cashiers fall back to their store's). */
  minWaitDays?: number | null;
}

/** The {Q} keys the form edits (a blank field removes its key). */
const EDITED = new Set([
  'enabled', 'extractRatio', 'independentRatio', 'defaultRatio', 'memberLevelRatios', 'cumulativeTiers', 'lottery',
  'timeWindows', 'dailyLimit', 'totalLimit', 'randomReturn', 'minWaitDays',
]);

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export function queueToForm(q: QueueConfig | null | undefined, owner: QueueOwner): QueueForm {
  const c = q ?? {};
  const lottery = c.lottery ?? null;
  return {
    enabled: c.enabled ?? true,
    extractRatio: c.extractRatio ?? '',
    ratio: (owner === 'product' ? c.independentRatio : c.defaultRatio) ?? '',
    levels: Object.entries(c.memberLevelRatios ?? {}).map(([level, ratio]) => ({ level, ratio })),
    tiers: (c.cumulativeTiers ?? []).map((t) => ({ ...t })),
    lotteryOn: !!lottery,
    lotteryKind: lottery?.kind ?? 'fixed',
    lotteryRatios: lottery?.kind === 'fixed' ? lottery.ratios.join(', ') : '',
    lotteryMin: lottery?.kind === 'range' ? lottery.min : '',
    lotteryMax: lottery?.kind === 'range' ? lottery.max : '',
    windows: (c.timeWindows ?? []).map((w) => ({ ...w })),
    dailyLimit: c.dailyLimit ?? null,
    totalLimit: c.totalLimit ?? null,
    rrOn: c.randomReturn?.on ?? false,
    rrCash: c.randomReturn?.cashCount ?? 1,
    rrPoints: c.randomReturn?.pointsCount ?? 0,
    minWaitDays: c.minWaitDays ?? null,
  };
}

export function queueFromForm(f: QueueForm, owner: QueueOwner, before: QueueConfig = {}): QueueConfig {
  const q: QueueConfig = {};
  // Keys this form does not edit survive (none today; {Q} may grow).
  for (const [k, v] of Object.entries(before)) if (!EDITED.has(k)) (q as Record<string, unknown>)[k] = v;
  q.enabled = f.enabled ?? true;
  if (!blank(f.extractRatio)) q.extractRatio = f.extractRatio!.trim();
  if (!blank(f.ratio)) {
    if (owner === 'product') q.independentRatio = f.ratio!.trim();
    else q.defaultRatio = f.ratio!.trim();
  }
  const levels = (f.levels ?? []).filter((l) => !blank(l?.level) && !blank(l?.ratio));
  if (levels.length) q.memberLevelRatios = Object.fromEntries(levels.map((l) => [l.level.trim(), l.ratio.trim()]));
  const tiers = (f.tiers ?? []).filter((t) => t && !blank(t.ratio));
  if (tiers.length) q.cumulativeTiers = tiers.map((t) => ({ days: Number(t.days), minSpend: Number(t.minSpend), ratio: t.ratio.trim() }));
  if (f.lotteryOn) {
    q.lottery =
      f.lotteryKind === 'range'
        ? { kind: 'range', min: (f.lotteryMin ?? '').trim(), max: (f.lotteryMax ?? '').trim() }
        : { kind: 'fixed', ratios: (f.lotteryRatios ?? '').split(/[,，\s]+/).filter(Boolean) };
  }
  const windows = (f.windows ?? []).filter((w) => w && !blank(w.from) && !blank(w.to));
  if (windows.length) q.timeWindows = windows;
  if (!blank(f.dailyLimit)) q.dailyLimit = Number(f.dailyLimit);
  if (!blank(f.totalLimit)) q.totalLimit = Number(f.totalLimit);
  if (!blank(f.minWaitDays)) q.minWaitDays = Number(f.minWaitDays);
  if (owner === 'store' || owner === 'cashier') {
    if (f.rrOn) q.randomReturn = { on: true, cashCount: Number(f.rrCash ?? 1), pointsCount: Number(f.rrPoints ?? 0) };
  }
  return q;
}
