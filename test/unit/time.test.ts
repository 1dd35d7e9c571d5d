// Asia/Shanghai (UTC+8, no DST) day and window arithmetic.
import { inTimeWindows, localDay, localMinute } from '@/domain/engine/time';

const t = (iso: string) => Date.parse(iso);

test('local day changes at 16:00 UTC', () => {
  expect(localDay(t('2026-01-01T15:59:59Z'))).toBe(localDay(t('2026-01-01T00:00:00+08:00')));
  expect(localDay(t('2026-01-01T16:00:00Z'))).toBe(localDay(t('2026-01-01T00:00:00+08:00')) + 1);
  // 1970-01-01T00:00+08:00 is local day 0.
  expect(localDay(t('1970-01-01T00:00:00+08:00'))).toBe(0);
  expect(localDay(t('1970-01-01T00:00:00Z'))).toBe(0);
  expect(localDay(t('1969-12-31T15:59:00Z'))).toBe(-1);
});

test('local minute of day', () => {
  expect(localMinute(t('2026-01-01T01:30:00Z'))).toBe(9 * 60 + 30);
  expect(localMinute(t('2026-01-01T23:59:00+08:00'))).toBe(1439);
  expect(localMinute(t('2026-01-01T10:00:00-05:00'))).toBe(23 * 60);
});

test('windows: from inclusive, to exclusive, from > to wraps midnight, none = always', () => {
  const day = [{ from: '09:00', to: '12:00' }];
  const night = [{ from: '22:00', to: '02:00' }];
  expect(inTimeWindows(day, t('2026-01-01T09:00:00+08:00'))).toBe(true);
  expect(inTimeWindows(day, t('2026-01-01T11:59:00+08:00'))).toBe(true);
  expect(inTimeWindows(day, t('2026-01-01T12:00:00+08:00'))).toBe(false);
  expect(inTimeWindows(day, t('2026-01-01T08:59:00+08:00'))).toBe(false);
  expect(inTimeWindows(night, t('2026-01-01T22:00:00+08:00'))).toBe(true);
  expect(inTimeWindows(night, t('2026-01-01T00:00:00+08:00'))).toBe(true);
  expect(inTimeWindows(night, t('2026-01-01T02:00:00+08:00'))).toBe(false);
  expect(inTimeWindows(night, t('2026-01-01T21:59:00+08:00'))).toBe(false);
  expect(inTimeWindows([...day, ...night], t('2026-01-01T23:00:00+08:00'))).toBe(true);
  expect(inTimeWindows(undefined, t('2026-01-01T03:00:00+08:00'))).toBe(true);
  expect(inTimeWindows([], t('2026-01-01T03:00:00+08:00'))).toBe(true);
});
