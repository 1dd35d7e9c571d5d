// Parsers of the test orchestrator and the bench harness: the counts they
// read decide whether CI is green, so they are tested on real output shapes.
import { parsePgbenchTps } from '../../scripts/bench/pgbench';
import { parsePgtapOutput } from '../../scripts/test';

describe('parsePgtapOutput', () => {
  it('prefers the closing "N passed, N failed" line (with a one-word label)', () => {
    const out = ['ok 1 - a', 'not ok 2 - b', 'pgtap: 41 passed, 2 failed'].join('\n');
    expect(parsePgtapOutput(out)).toEqual({ passed: 41, failed: 2, skipped: 0 });
  });

  it('counts TAP lines when there is no summary, skips and todos apart', () => {
    const out = [
      '/work/supabase/tests/01_ledger.sql ..',
      '1..4',
      'ok 1 - balances start at zero',
      'not ok 2 - postings sum to zero',
      '# Failed test 2',
      'ok 3 - refund # SKIP not yet',
      '    ok 4 - nested subtest',
    ].join('\n');
    expect(parsePgtapOutput(out)).toEqual({ passed: 2, failed: 1, skipped: 1 });
  });

  it("falls back to pg_prove's own summary", () => {
    const out = [
      '/work/supabase/tests/01_ledger.sql .. Failed 2/10 subtests',
      '/work/supabase/tests/02_settings.sql .. Failed 1/5 subtests',
      'Files=2, Tests=15,  1 wallclock secs',
      'Result: FAIL',
    ].join('\n');
    expect(parsePgtapOutput(out)).toEqual({ passed: 12, failed: 3, skipped: 0 });
  });

  it('returns undefined when the output has no counts at all', () => {
    expect(parsePgtapOutput('psql: error: connection refused\n')).toBeUndefined();
  });
});

describe('parsePgbenchTps', () => {
  it('reads tps without connection time (pgbench 15 wording)', () => {
    const report = [
      'transaction type: <builtin: TPC-B (sort of)>',
      'number of clients: 16',
      'latency average = 11.398 ms',
      'initial connection time = 25.803 ms',
      'tps = 1403.727614 (without initial connection time)',
    ].join('\n');
    expect(parsePgbenchTps(report)).toBeCloseTo(1403.727614, 6);
  });

  it('reads the older "excluding connections establishing" wording', () => {
    expect(parsePgbenchTps('tps = 812.5 (including connections establishing)\ntps = 820.25 (excluding connections establishing)\n')).toBe(820.25);
  });

  it('refuses output without a tps line', () => {
    expect(() => parsePgbenchTps('pgbench: error: connection to server failed')).toThrow(/cannot find tps/);
  });
});
