// Asia/Shanghai local time: a fixed UTC+8 offset (China has no DST), so the
// arithmetic is done here rather than through Intl time zones.
import type { TimeWindow } from '../events';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 in Shanghai local time. */
export function localDay(atMs: number): number {
  return Math.floor((atMs + OFFSET_MS) / DAY_MS);
}

/** Minutes since local midnight, 0..1439. */
export function localMinute(atMs: number): number {
  const ms = (atMs + OFFSET_MS) % DAY_MS;
  return Math.floor((ms < 0 ? ms + DAY_MS : ms) / 60_000);
}

export function clockMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Inside when from <= t < to for some window (from > to wraps midnight); no windows = always. */
export function inTimeWindows(windows: readonly TimeWindow[] | undefined, atMs: number): boolean {
  if (!windows || windows.length === 0) return true;
  const t = localMinute(atMs);
  return windows.some((w) => {
    const from = clockMinutes(w.from);
    const to = clockMinutes(w.to);
    return from <= to ? from <= t && t < to : t >= from || t < to;
  });
}
