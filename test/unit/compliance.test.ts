// src/domain/compliance.ts: each §9 rule with a settings file that raises it
// and a clean one (test/fixtures/compliance/*.jsonl); amounts worked by hand.
// Plus the shopper copy rule: an entitlement above 100% is never "赚" / "全返".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkCompliance, complianceInputs, type ComplianceFlag } from '@/domain/compliance';
import { parseEvent } from '@/domain/events';
import { DEFAULT_SETTINGS } from '@/domain/settings';

const FIXTURES = join(__dirname, '..', 'fixtures', 'compliance');

function flagsOf(file: string): ComplianceFlag[] {
  const events = readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => parseEvent(JSON.parse(l)));
  const { settings, catalogue } = complianceInputs(events);
  return checkCompliance(settings, catalogue);
}

const brief = (flags: ComplianceFlag[]) => flags.map((f) => [f.rule, f.subject, f.amount, f.per]);

describe('compliance rules', () => {
  it('defaults raise nothing', () => {
    expect(checkCompliance(DEFAULT_SETTINGS)).toEqual([]);
  });

  it('a clean classic platform (distribution 10% + 5%, every margin covered) raises nothing', () => {
    // p1: extraction 1000 + rewards 1500 ≤ margin 5000; sp1: 500 + 750 ≤ 3000; c1 per ¥100: 1000 + 1500 ≤ commission 3000.
    expect(flagsOf('clean.jsonl')).toEqual([]);
  });

  it('entitlement above 100%: a 130% product owes 21840 on 16800 paid, 5040 above the price', () => {
    const flags = flagsOf('entitlement-above-price.jsonl');
    expect(brief(flags)).toEqual([['entitlementAbovePrice', 'product:p2', 5040, 'unit']]);
    expect(flags[0].message).toBe('商品 p2 权益比例最高 130%：实付 ¥168.00 可获待返 ¥218.40，高于实付');
  });

  it('entitlement above 100% from any source: base default, member levels, lotteries', () => {
    const s = { ...DEFAULT_SETTINGS, lottery: { kind: 'range' as const, min: '50', max: '150' } };
    expect(brief(checkCompliance(s))).toEqual([['entitlementAbovePrice', 'settings', 5000, '100yuan']]);
    const levels = [{ id: 'vip', ratio: '120' }];
    const products = [{ id: 'p1', price: 10000, cost: 5000, queue: {} }];
    expect(brief(checkCompliance(DEFAULT_SETTINGS, { levels, products }))).toEqual([
      ['entitlementAbovePrice', 'settings', 2000, '100yuan'],
      ['entitlementAbovePrice', 'product:p1', 2000, 'unit'],
    ]);
    // A weight-0 ratio can never be drawn: it does not count.
    const fixed = { ...DEFAULT_SETTINGS, lottery: { kind: 'fixed' as const, ratios: ['50', '200'], weights: [1, 0] } };
    expect(checkCompliance(fixed)).toEqual([]);
  });

  it('extraction plus rewards above the margin: 1000 + 1000 on a margin of 1000', () => {
    const flags = flagsOf('payout-above-margin.jsonl');
    expect(brief(flags)).toEqual([['payoutAboveMargin', 'product:p3', 1000, 'unit']]);
    expect(flags[0].message).toBe('商品 p3 每笔提取 ¥10.00 + 分销奖励最多 ¥10.00，超过毛利 ¥10.00');
  });

  it('team-based and 3+ level rewards: level difference (up to 8%) and dividends (2%)', () => {
    expect(brief(flagsOf('team-rewards.jsonl'))).toEqual([
      ['teamRewards', 'settings.distribution.levelDifference', 800, '100yuan'],
      ['teamRewards', 'settings.distribution.dividendRatio', 200, '100yuan'],
    ]);
    // The same settings with distribution off pay nobody: nothing to flag.
    const { settings, catalogue } = complianceInputs(
      readFileSync(join(FIXTURES, 'team-rewards.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => parseEvent(JSON.parse(l))),
    );
    expect(checkCompliance({ ...settings, distribution: { ...settings.distribution, on: false } }, catalogue)).toEqual([]);
  });

  it('union pool leaving less than the rewards it funds: 90% of 5000 leaves 500 for 1000 of acceleration', () => {
    expect(brief(flagsOf('union-pool-short.jsonl'))).toEqual([['unionPoolShort', 'product:p1', 500, 'unit']]);
    expect(flagsOf('union-clean.jsonl')).toEqual([]);
  });

  it('union quota above 100% is an entitlement above the price', () => {
    expect(brief(checkCompliance({ ...DEFAULT_SETTINGS, mode: 'union' }))).toEqual([
      ['entitlementAbovePrice', 'settings.unionQuotaRatio', 1000, '100yuan'],
    ]);
  });
});

describe('shopper copy never promises a return', () => {
  // Words that sell a rebate as earnings or a full refund (SPEC §9).
  const PROMISES = /赚|全返|稳赚|保本|必返|零风险|躺赚|包返/;
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : /\.(tsx?|scss|json)$/.test(f) ? [p] : [];
    });
  const root = join(__dirname, '..', '..');

  it('no screen, component, store or service of the mini-program', () => {
    const offending = files(join(root, 'src')).filter((f) => PROMISES.test(readFileSync(f, 'utf8')));
    expect(offending).toEqual([]);
  });

  it('no demo content or server message', () => {
    const sql = [join(root, 'supabase', 'seed.sql'), ...readdirSync(join(root, 'supabase', 'migrations')).map((f) => join(root, 'supabase', 'migrations', f))];
    expect(sql.filter((f) => PROMISES.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
