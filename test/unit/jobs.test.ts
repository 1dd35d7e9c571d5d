// The scheduler (src/domain/engine/jobs.ts): latest schedule occurrence in
// Asia/Shanghai time, the clock and the clearing mark; and the `level`
// event's rank / upgrade shapes. Expected instants worked out by hand.
import { ModelEngine } from '@/domain/engine';
import { latestOccurrence } from '@/domain/engine/jobs';
import { parseEvent } from '@/domain/events';
import { ValidationError } from '@/domain/validate';

const t = (iso: string) => Date.parse(iso);

describe('latest occurrence <= T (Shanghai local time)', () => {
  test('daily: today at HH:MM, else yesterday', () => {
    expect(latestOccurrence('daily 00:00', t('2026-01-05T00:00:00+08:00'))).toBe(t('2026-01-05T00:00:00+08:00'));
    expect(latestOccurrence('daily 00:00', t('2026-01-04T23:59:59+08:00'))).toBe(t('2026-01-04T00:00:00+08:00'));
    // 15:59Z is 23:59 local on the 5th; 16:00Z is already the 6th locally.
    expect(latestOccurrence('daily 12:30', t('2026-01-05T15:59:00Z'))).toBe(t('2026-01-05T12:30:00+08:00'));
    expect(latestOccurrence('daily 00:00', t('2026-01-05T16:00:00Z'))).toBe(t('2026-01-06T00:00:00+08:00'));
  });

  test('weekly D (1 = Monday): 2026-01-05 is a Monday, 2026-01-01 a Thursday', () => {
    expect(latestOccurrence('weekly 1 12:00', t('2026-01-05T12:00:00+08:00'))).toBe(t('2026-01-05T12:00:00+08:00'));
    expect(latestOccurrence('weekly 1 12:00', t('2026-01-05T11:59:00+08:00'))).toBe(t('2025-12-29T12:00:00+08:00'));
    expect(latestOccurrence('weekly 4 00:00', t('2026-01-03T10:00:00+08:00'))).toBe(t('2026-01-01T00:00:00+08:00'));
    expect(latestOccurrence('weekly 7 23:00', t('2026-01-05T10:00:00+08:00'))).toBe(t('2026-01-04T23:00:00+08:00'));
  });

  test('monthly D: this local month, else the one before (across a year)', () => {
    expect(latestOccurrence('monthly 1 00:00', t('2026-02-01T00:00:00+08:00'))).toBe(t('2026-02-01T00:00:00+08:00'));
    expect(latestOccurrence('monthly 15 09:00', t('2026-01-10T00:00:00+08:00'))).toBe(t('2025-12-15T09:00:00+08:00'));
    expect(latestOccurrence('monthly 28 23:59', t('2026-03-01T00:00:00+08:00'))).toBe(t('2026-02-28T23:59:00+08:00'));
  });

  test('ISO time: once, when reached', () => {
    expect(latestOccurrence('2026-01-10T04:00:00Z', t('2026-01-10T11:59:00+08:00'))).toBe(null);
    expect(latestOccurrence('2026-01-10T04:00:00Z', t('2026-01-10T12:00:00+08:00'))).toBe(t('2026-01-10T12:00:00+08:00'));
  });
});

describe('clock and clearing mark', () => {
  const events = (engine: ModelEngine, ...list: object[]) => list.forEach((e) => engine.apply(parseEvent(e)));

  test('the clock is the latest accepted at; turning clearing on marks it; a rejected event moves nothing', () => {
    const engine = new ModelEngine();
    events(engine, { type: 'product', id: 'p1', price: 1, source: 'self', cost: 0 }, { type: 'user', id: 'A' });
    expect(engine.data.clockMs).toBeNull();
    events(engine, { type: 'settings', clearing: { on: true } });
    expect(engine.data.clearingMarkMs).toBeNull();
    events(engine, { type: 'settings', clearing: { on: false } }, { type: 'tick', at: '2026-01-02T10:00:00+08:00' });
    events(engine, { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 100 }] });
    // An earlier order does not move the clock back.
    expect(engine.data.clockMs).toBe(t('2026-01-02T10:00:00+08:00'));
    expect(() => events(engine, { type: 'complete', order: 'o1', at: '2026-01-09T10:00:00+08:00' }, { type: 'complete', order: 'o1', at: '2026-01-10T10:00:00+08:00' })).toThrow(ValidationError);
    // The first complete was applied (clock 01-09), the second was rejected.
    expect(engine.data.clockMs).toBe(t('2026-01-09T10:00:00+08:00'));
    events(engine, { type: 'settings', clearing: { on: true, schedule: 'daily 00:00' } });
    expect(engine.data.clearingMarkMs).toBe(t('2026-01-09T10:00:00+08:00'));
    // A schedule change while on keeps the mark.
    events(engine, { type: 'settings', clearing: { schedule: 'weekly 1 00:00' } });
    expect(engine.data.clearingMarkMs).toBe(t('2026-01-09T10:00:00+08:00'));
    // Tick on Monday 01-12 08:00: occurrence 01-12 00:00 > mark → o1 (waiting, placed 01-01) cleared, mark moves.
    events(engine, { type: 'tick', at: '2026-01-12T08:00:00+08:00' });
    expect(engine.data.clearingMarkMs).toBe(t('2026-01-12T00:00:00+08:00'));
    expect(engine.state().entries[0].status).toBe('cleared');
  });
});

describe('level event: rank and upgrade', () => {
  test('shapes', () => {
    expect(parseEvent({ type: 'level', id: 'g', rank: 3, upgrade: { completedSpend: 100, directReferrals: 2, teamSpend: 0 } })).toEqual({
      type: 'level',
      id: 'g',
      rank: 3,
      upgrade: { completedSpend: 100, directReferrals: 2, teamSpend: 0 },
    });
    expect(parseEvent({ type: 'level', id: 'g', upgrade: {} })).toEqual({ type: 'level', id: 'g', upgrade: {} });
  });

  test.each<[object, string]>([
    [{ rank: -1 }, 'rank'],
    [{ rank: 1.5 }, 'rank'],
    [{ rank: '1' }, 'rank'],
    [{ upgrade: [] }, 'upgrade'],
    [{ upgrade: { spend: 1 } }, 'upgrade.spend'],
    [{ upgrade: { completedSpend: 1.5 } }, 'upgrade.completedSpend'],
    [{ upgrade: { directReferrals: -1 } }, 'upgrade.directReferrals'],
    [{ upgrade: { teamSpend: '100' } }, 'upgrade.teamSpend'],
  ])('%j → %s', (extra, field) => {
    try {
      parseEvent({ type: 'level', id: 'g', ...extra });
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    }
  });
});
