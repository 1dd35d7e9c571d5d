// The scheduler (docs/engine-semantics.md "Clearing, ticks, scheduling"):
// the platform clock, `tick` running every job due up to its time, and the
// jobs themselves: queue clearing (here) and dividends (distribution.ts).
// Schedules are in Asia/Shanghai local time (fixed UTC+8).
import type { ReplayEvent, TickEvent } from '../events';
import { mergeSettings, type SettingsPatch } from '../settings';
import { runDividends } from './distribution';
import type { ModelData } from './model';
import { advanceHead } from './queue';
import { requireStoreExtraction } from './settlement';
import { clockMinutes, localDay } from './time';
import { checkModeChange, runUnionDue } from './union';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The platform clock: the latest `at` seen (orders, completions, refunds, ticks). Call after the event applied. */
export function observeClock(data: ModelData, event: ReplayEvent): void {
  if (event.type !== 'order' && event.type !== 'complete' && event.type !== 'refund' && event.type !== 'tick') return;
  if (data.clockMs === null || event.atMs > data.clockMs) data.clockMs = event.atMs;
}

/** A `settings` event: merge; clearing turning on sets the clearing mark to the clock. */
export function applySettings(data: ModelData, patch: SettingsPatch): void {
  checkModeChange(data, patch);
  const wasOn = data.settings.clearing.on;
  const merged = mergeSettings(data.settings, patch);
  if (merged.extractRatio !== data.settings.extractRatio || merged.mode !== data.settings.mode) {
    requireStoreExtraction({ ...data, settings: merged }, merged.extractRatio !== data.settings.extractRatio ? 'extractRatio' : 'mode');
  }
  data.settings = merged;
  if (!wasOn && data.settings.clearing.on) data.clearingMarkMs = data.clockMs;
}

/** Instant of local day `day` (days since 1970-01-01 local) at `minutes` past local midnight. */
function localInstant(day: number, minutes: number): number {
  return day * DAY_MS + minutes * MINUTE_MS - OFFSET_MS;
}

/**
 * The latest occurrence of `schedule` at or before `atMs`, or null (an ISO
 * time still in the future). "daily HH:MM", "weekly D HH:MM" (1 = Monday),
 * "monthly D HH:MM" (D <= 28), or an ISO time (once).
 */
export function latestOccurrence(schedule: string, atMs: number): number | null {
  const parts = schedule.split(' ');
  if (parts.length === 1) {
    const once = Date.parse(schedule);
    return once <= atMs ? once : null;
  }
  const minutes = clockMinutes(parts[parts.length - 1]);
  const today = localDay(atMs);
  if (parts[0] === 'daily') {
    const t = localInstant(today, minutes);
    return t <= atMs ? t : localInstant(today - 1, minutes);
  }
  const d = Number(parts[1]);
  if (parts[0] === 'weekly') {
    // Local day 0 (1970-01-01) was a Thursday: ISO weekday (1 = Monday) = (day + 3) mod 7 + 1.
    const weekday = ((((today + 3) % 7) + 7) % 7) + 1;
    const day = today - ((weekday - d + 7) % 7);
    const t = localInstant(day, minutes);
    return t <= atMs ? t : localInstant(day - 7, minutes);
  }
  // monthly: day d of this local month, else of the previous one.
  const local = new Date(atMs + OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const dayOf = (year: number, month: number) => Math.floor(Date.UTC(year, month, d) / DAY_MS);
  const t = localInstant(dayOf(y, m), minutes);
  return t <= atMs ? t : localInstant(dayOf(y, m - 1), minutes);
}

/**
 * Clearing (§3.2): if on and the latest schedule occurrence t <= T is after
 * the mark (or there is no mark), every `waiting` entry of an order placed at
 * or before t becomes `cleared`; the mark becomes t. Paid money stays.
 */
export function runClearing(data: ModelData, atMs: number): void {
  const { clearing } = data.settings;
  if (!clearing.on) return;
  const t = latestOccurrence(clearing.schedule, atMs);
  if (t === null || (data.clearingMarkMs !== null && t <= data.clearingMarkMs)) return;
  for (const queue of data.queues.values()) {
    for (let i = queue.head; i < queue.entries.length; i++) {
      const entry = queue.entries[i];
      if (entry.status === 'waiting' && entry.order.atMs <= t) entry.status = 'cleared';
    }
    advanceHead(queue);
  }
  data.clearingMarkMs = t;
}

/** Every job due up to `atMs`, in this order: clearing, dividends, union daily runs. */
export function runDueJobs(data: ModelData, atMs: number): void {
  runClearing(data, atMs);
  runDividends(data, atMs);
  runUnionDue(data, atMs);
}

export function applyTick(data: ModelData, e: TickEvent): void {
  runDueJobs(data, e.atMs);
}
