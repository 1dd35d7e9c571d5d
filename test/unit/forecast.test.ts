// src/domain/forecast.ts: exact days and dates (supabase/tests/12_forecast.sql
// pins the same cases on util.forecast).
import fc from 'fast-check';
import { FORECAST_MAX_DAYS, addDays, forecast, shanghaiDate, trailingInflow } from '@/domain/forecast';

const constant = (fen: number) => new Array(7).fill(fen);

describe('forecast with constant inflow', () => {
  it('¥10/day and ¥50 to go: 5 days, paid on day 4 or 5', () => {
    expect(forecast({ amount: 5000, daily: constant(1000), today: '2026-03-10' })).toEqual({
      status: 'estimate',
      inflowPerDay: 1000,
      days: 5,
      daysLow: 5,
      daysHigh: 5,
      date: '2026-03-15',
      dateFrom: '2026-03-14',
      dateTo: '2026-03-15',
      basis: '按近7日日均流入 ¥10.00 估算，仅供参考',
      method: 'trailing7d',
    });
  });

  it('rounds a part day up and crosses a month end', () => {
    const f = forecast({ amount: 5500, daily: constant(1000), today: '2026-02-26' });
    expect([f.days, f.date, f.dateFrom, f.dateTo]).toEqual([6, '2026-03-04', '2026-03-03', '2026-03-04']);
  });

  it('a year ahead at ¥1.68/day', () => {
    const f = forecast({ amount: 168 * 365, daily: constant(168), today: '2026-01-01' });
    expect([f.days, f.date, f.basis]).toEqual([365, '2027-01-01', '按近7日日均流入 ¥1.68 估算，仅供参考']);
  });

  it('nothing left to flow in: today', () => {
    const f = forecast({ amount: 0, daily: constant(1000), today: '2026-03-10' });
    expect([f.status, f.days, f.date, f.dateFrom, f.dateTo]).toEqual(['estimate', 0, '2026-03-10', '2026-03-10', '2026-03-10']);
  });

  it('minWaitDays: never before the entry is payable', () => {
    const f = forecast({ amount: 5000, daily: constant(1000), today: '2026-03-10', notBefore: '2026-03-20' });
    expect([f.days, f.date, f.dateFrom, f.dateTo]).toEqual([5, '2026-03-20', '2026-03-20', '2026-03-20']);
    const early = forecast({ amount: 5000, daily: constant(1000), today: '2026-03-10', notBefore: '2026-03-12' });
    expect([early.date, early.dateFrom]).toEqual(['2026-03-15', '2026-03-14']);
  });
});

describe('forecast with varying inflow', () => {
  const daily = [12000, 0, 8000, 15000, 5000, 10000, 20000]; // mean 10000, sample sd ≈ 6557

  it('a range from the daily variance around the mean', () => {
    // Optimistic: 10000k + 1.6·6557·sqrt(k(1 + k/7)) ≥ 50000 first at k = 3 (51718; k = 2: 36823).
    // Pessimistic: 10000k − 1.6·6557·sqrt(k(1 + k/7)) ≥ 50000 first at k = 11 (54205; k = 10: 48299).
    expect(forecast({ amount: 50000, daily, today: '2026-03-10' })).toMatchObject({
      inflowPerDay: 10000,
      days: 5,
      daysLow: 3,
      daysHigh: 11,
      date: '2026-03-15',
      dateFrom: '2026-03-12',
      dateTo: '2026-03-21',
    });
  });

  it('too noisy to bound from above: the range is open', () => {
    // mean 1000/7 per day, sd·z/sqrt(7) above the mean: the pessimistic bound never rises.
    const f = forecast({ amount: 2_000_000, daily: [0, 0, 0, 0, 0, 0, 1000], today: '2026-03-10' });
    expect([f.inflowPerDay, f.days, f.daysHigh, f.dateTo, f.basis]).toEqual([143, 14000, null, null, '按近7日日均流入 ¥1.43 估算，仅供参考']);
    expect(f.daysLow).toBeLessThan(14000);
  });

  it('agrees with a floating-point search of the same bounds on random inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50000 }), { minLength: 7, maxLength: 7 }), fc.integer({ min: 1, max: 3_000_000 }), (d, amount) => {
        const f = forecast({ amount, daily: d, today: '2026-01-01' });
        const s = d.reduce((a, b) => a + b, 0);
        if (s === 0) return f.status === 'noInflow' && f.days === null;
        const mean = s / 7;
        const sd = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / 6);
        const spread = (k: number) => 1.6 * sd * Math.sqrt(k * (1 + k / 7));
        const eps = 1e-6 * amount;
        expect(f.days).toBe(Math.ceil((7 * amount) / s));
        const low = f.daysLow!;
        expect(mean * low + spread(low)).toBeGreaterThanOrEqual(amount - eps);
        if (low > 1) expect(mean * (low - 1) + spread(low - 1)).toBeLessThan(amount + eps);
        if (f.daysHigh !== null) {
          const high = f.daysHigh;
          expect(mean * high - spread(high)).toBeGreaterThanOrEqual(amount - eps);
          if (high > f.days!) expect(mean * (high - 1) - spread(high - 1)).toBeLessThan(amount + eps);
        } else {
          expect(mean * FORECAST_MAX_DAYS - spread(FORECAST_MAX_DAYS)).toBeLessThan(amount + eps);
        }
        expect(low).toBeLessThanOrEqual(f.days!);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('forecast without a basis', () => {
  it('no inflow in the window: no estimate, said why', () => {
    expect(forecast({ amount: 5000, daily: constant(0), today: '2026-03-10' })).toMatchObject({
      status: 'noInflow',
      inflowPerDay: 0,
      days: null,
      date: null,
      dateFrom: null,
      dateTo: null,
      basis: '近7日队列无流入，暂无法估算',
    });
  });

  it('paused: no estimate whatever the inflow', () => {
    const f = forecast({ amount: 5000, daily: constant(1000), today: '2026-03-10', paused: true });
    expect([f.status, f.days, f.inflowPerDay, f.basis]).toEqual(['paused', null, null, '队列奖励暂停中，暂停期间不产生返还，暂无法估算']);
  });

  it('refuses a window of fewer than 2 days', () => {
    expect(() => forecast({ amount: 1, daily: [5], today: '2026-03-10' })).toThrow('daily');
  });
});

describe('trailing inflow and dates', () => {
  const now = Date.parse('2026-03-10T12:00:00+08:00');
  const h = 3_600_000;

  it('buckets 24-hour slices back from now, (now − 24 h, now] first', () => {
    const daily = trailingInflow(
      [
        { atMs: now, amount: 1 },
        { atMs: now - 24 * h + 1, amount: 2 },
        { atMs: now - 24 * h, amount: 4 },
        { atMs: now - 7 * 24 * h + 1, amount: 8 },
        { atMs: now - 7 * 24 * h, amount: 16 }, // outside
        { atMs: now + 1, amount: 32 }, // after now
      ],
      now,
    );
    expect(daily).toEqual([3, 4, 0, 0, 0, 0, 8]);
  });

  it('Shanghai dates and day arithmetic', () => {
    expect(shanghaiDate(Date.parse('2026-03-10T16:00:00Z'))).toBe('2026-03-11');
    expect(shanghaiDate(Date.parse('2026-03-10T15:59:59Z'))).toBe('2026-03-10');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
