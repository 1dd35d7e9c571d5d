// Compliance check (SPEC §9): settings that match the regulators' warnings on
// 消费返利 (2018 joint notice) and WeChat's ban on multi-level team pay.
// Pure: settings + catalogue in, flags out, each with its rule, what it is
// about and the amount at stake. The console shows them on the dashboard and
// before a settings change that raises one is saved; the what-if simulator
// prints them for today's and the proposed settings.
import Decimal from 'decimal.js';
import type { QueueConfig, ReplayEvent } from './events';
import { compareRatio, formatYuan, pct, type Fen, type Ratio } from './money';
import { mergeSettings, DEFAULT_SETTINGS, type LotteryConfig, type Settings } from './settings';

export type ComplianceRule =
  /** An entry could be owed more than was paid (ratio or union quota above 100%). */
  | 'entitlementAbovePrice'
  /** Extraction plus distribution rewards of one sale exceed its margin (price − cost). */
  | 'payoutAboveMargin'
  /** Team-based or 3+ level rewards: level difference, same level, shareholder dividends. */
  | 'teamRewards'
  /** Union mode: the pool takes more of the net profit than leaves room for the rewards it must fund. */
  | 'unionPoolShort';

export interface ComplianceFlag {
  rule: ComplianceRule;
  /** What the flag is about: `settings.<key>`, `product:<id>`, `storeProduct:<id>`, `cashier:<id>`. */
  subject: string;
  /** The operator-facing explanation (Simplified Chinese). */
  message: string;
  /** Fen at stake per sale of the subject at its price (`per: 'unit'`) or per ¥100 of sales (`per: '100yuan'`). */
  amount: Fen;
  per: 'unit' | '100yuan';
}

/** The catalogue as the model engine keeps it (ModelData's maps fit). */
export interface ComplianceCatalogue {
  levels?: Iterable<{ id: string; ratio?: Ratio; teamRatio?: Ratio }>;
  products?: Iterable<{ id: string; price: Fen; cost: Fen; queue: QueueConfig }>;
  stores?: Iterable<{ id: string; commission: Ratio; queue: QueueConfig }>;
  storeProducts?: Iterable<{ id: string; store: string; price: Fen; cost: Fen; queue: QueueConfig }>;
  cashiers?: Iterable<{ id: string; store: string; queue: QueueConfig }>;
}

/** The per-¥100 base used where there is no price (settings, cashiers). */
const HUNDRED_YUAN = 10_000;

const yuan = (fen: Fen) => `¥${formatYuan(fen)}`;

function maxRatio(ratios: Iterable<Ratio | undefined | null>): Ratio | null {
  let best: Ratio | null = null;
  for (const r of ratios) if (r != null && (best === null || compareRatio(r, best) > 0)) best = r;
  return best;
}

function lotteryMax(l: LotteryConfig | null | undefined): Ratio | null {
  if (!l) return null;
  if (l.kind === 'range') return l.max;
  return maxRatio(l.ratios.filter((_, i) => !l.weights || l.weights[i] > 0));
}

function queueRatios(q: QueueConfig | undefined): (Ratio | null | undefined)[] {
  if (!q) return [];
  return [...Object.values(q.memberLevelRatios ?? {}), ...(q.cumulativeTiers ?? []).map((t) => t.ratio), lotteryMax(q.lottery)];
}

const above100 = (r: Ratio | null): r is Ratio => r !== null && compareRatio(r, '100') > 0;

/** Largest share of a sale's base the distribution rewards can take (0 when off), capped. */
function rewardRatio(s: Settings, levels: { teamRatio?: Ratio }[], recruit: boolean): Ratio {
  const d = s.distribution;
  if (!d.on) return '0';
  const parts = [d.directRatio, d.indirectRatio];
  if (d.levelDifference) {
    parts.push(maxRatio(levels.map((l) => l.teamRatio)) ?? '0', d.sameLevelRatio);
  }
  if (recruit) parts.push(d.recruitRatio);
  const sum = parts.reduce((a, b) => new Decimal(a).plus(b).toFixed(), '0');
  return compareRatio(sum, d.cap) > 0 ? d.cap : sum;
}

interface Sale {
  subject: string;
  name: string;
  price: Fen;
  per: ComplianceFlag['per'];
  /** The most any entry ratio source can give this sale. */
  maxEntryRatio: Ratio | null;
  extractRatio: Ratio;
  margin: Fen;
  /** Distribution base of one sale under `base = profit`. */
  profitBase: Fen;
  recruit: boolean;
}

function sales(s: Settings, c: ComplianceCatalogue, levels: { id: string; ratio?: Ratio }[]): Sale[] {
  const out: Sale[] = [];
  const stores = new Map([...(c.stores ?? [])].map((x) => [x.id, x]));
  const baseSources = [...Object.values(s.memberLevelRatios), ...levels.map((l) => l.ratio), lotteryMax(s.lottery)];
  for (const p of c.products ?? []) {
    out.push({
      subject: `product:${p.id}`,
      name: `商品 ${p.id}`,
      price: p.price,
      per: 'unit',
      maxEntryRatio: maxRatio([...queueRatios(p.queue), ...baseSources, p.queue.independentRatio ?? s.defaultRatio]),
      extractRatio: p.queue.extractRatio ?? s.extractRatio,
      margin: p.price - p.cost,
      profitBase: Math.max(0, p.price - p.cost),
      recruit: false,
    });
  }
  for (const sp of c.storeProducts ?? []) {
    const st = stores.get(sp.store);
    out.push({
      subject: `storeProduct:${sp.id}`,
      name: `门店商品 ${sp.id}`,
      price: sp.price,
      per: 'unit',
      maxEntryRatio: maxRatio([
        ...queueRatios(sp.queue),
        ...queueRatios(st?.queue),
        ...baseSources,
        sp.queue.defaultRatio ?? st?.queue.defaultRatio ?? s.defaultRatio,
      ]),
      extractRatio: sp.queue.extractRatio ?? st?.queue.extractRatio ?? s.extractRatio,
      margin: sp.price - sp.cost,
      profitBase: st ? pct(sp.price, st.commission) : 0,
      recruit: true,
    });
  }
  for (const ca of c.cashiers ?? []) {
    const st = stores.get(ca.store);
    const commission = st ? pct(HUNDRED_YUAN, st.commission) : 0;
    out.push({
      subject: `cashier:${ca.id}`,
      name: `收银台 ${ca.id}`,
      price: HUNDRED_YUAN,
      per: '100yuan',
      maxEntryRatio: maxRatio([...queueRatios(ca.queue), ...baseSources, ca.queue.defaultRatio ?? s.defaultRatio]),
      extractRatio: ca.queue.extractRatio ?? s.extractRatio,
      // A cashier payment has no cost: the platform's margin is the store's commission.
      margin: commission,
      profitBase: commission,
      recruit: true,
    });
  }
  return out;
}

/** Every flag the settings and catalogue raise, in rule order, then subject order. */
export function checkCompliance(settings: Settings, catalogue: ComplianceCatalogue = {}): ComplianceFlag[] {
  const s = settings;
  const levels = [...(catalogue.levels ?? [])];
  const flags: ComplianceFlag[] = [];
  const union = s.mode === 'union';
  const items = sales(s, catalogue, levels);

  // 1. Entitlement above 100% of the price.
  if (union) {
    if (above100(s.unionQuotaRatio)) {
      flags.push({
        rule: 'entitlementAbovePrice',
        subject: 'settings.unionQuotaRatio',
        message: `工会排队额度 ${s.unionQuotaRatio}% 高于实付，每 ¥100 消费承诺 ${yuan(pct(HUNDRED_YUAN, s.unionQuotaRatio))}`,
        amount: pct(HUNDRED_YUAN, s.unionQuotaRatio) - HUNDRED_YUAN,
        per: '100yuan',
      });
    }
  } else {
    const base = maxRatio([s.defaultRatio, ...Object.values(s.memberLevelRatios), ...levels.map((l) => l.ratio), lotteryMax(s.lottery)]);
    if (above100(base)) {
      flags.push({
        rule: 'entitlementAbovePrice',
        subject: 'settings',
        message: `基础设置的权益比例最高 ${base}%，高于实付`,
        amount: pct(HUNDRED_YUAN, base) - HUNDRED_YUAN,
        per: '100yuan',
      });
    }
  }
  for (const it of items) {
    const ratio = union ? s.unionQuotaRatio : it.maxEntryRatio;
    if (!union && above100(ratio)) {
      const owed = pct(it.price, ratio);
      flags.push({
        rule: 'entitlementAbovePrice',
        subject: it.subject,
        message: `${it.name} 权益比例最高 ${ratio}%：实付 ${yuan(it.price)} 可获待返 ${yuan(owed)}，高于实付`,
        amount: owed - it.price,
        per: it.per,
      });
    }
  }

  // 2. Extraction (classic) plus distribution rewards above the margin.
  for (const it of items) {
    const extraction = union ? 0 : pct(it.price, it.extractRatio);
    const rBase = s.distribution.base === 'profit' ? it.profitBase : it.price;
    const rewards = pct(rBase, rewardRatio(s, levels, it.recruit));
    if (extraction + rewards > it.margin) {
      flags.push({
        rule: 'payoutAboveMargin',
        subject: it.subject,
        message: `${it.name} 每笔提取 ${yuan(extraction)} + 分销奖励最多 ${yuan(rewards)}，超过毛利 ${yuan(it.margin)}`,
        amount: extraction + rewards - it.margin,
        per: it.per,
      });
    }
  }

  // 3. Team-based or 3+ level rewards.
  const d = s.distribution;
  if (d.on && d.levelDifference) {
    const team = maxRatio(levels.map((l) => l.teamRatio)) ?? '0';
    flags.push({
      rule: 'teamRewards',
      subject: 'settings.distribution.levelDifference',
      message: `级差奖励按团队层级计酬（不限层级，最高团队比例 ${team}%），属团队计酬`,
      amount: pct(HUNDRED_YUAN, team),
      per: '100yuan',
    });
    if (compareRatio(d.sameLevelRatio, '0') > 0) {
      flags.push({
        rule: 'teamRewards',
        subject: 'settings.distribution.sameLevelRatio',
        message: `平级奖励 ${d.sameLevelRatio}% 按团队层级计酬`,
        amount: pct(HUNDRED_YUAN, d.sameLevelRatio),
        per: '100yuan',
      });
    }
  }
  if (d.on && compareRatio(d.dividendRatio, '0') > 0) {
    flags.push({
      rule: 'teamRewards',
      subject: 'settings.distribution.dividendRatio',
      message: `股东分红 ${d.dividendRatio}% 按团队业绩分配`,
      amount: pct(HUNDRED_YUAN, d.dividendRatio),
      per: '100yuan',
    });
  }

  // 4. Union pool leaving less than the rewards it must fund.
  if (union) {
    if (compareRatio(s.unionPoolRatio, '100') > 0) {
      flags.push({
        rule: 'unionPoolShort',
        subject: 'settings.unionPoolRatio',
        message: `工会资金池比例 ${s.unionPoolRatio}% 高于净利润`,
        amount: pct(HUNDRED_YUAN, s.unionPoolRatio) - HUNDRED_YUAN,
        per: '100yuan',
      });
    }
    for (const it of items) {
      const rBase = d.base === 'profit' ? it.profitBase : it.price;
      const net = it.profitBase - pct(rBase, rewardRatio(s, levels, it.recruit));
      const pool = pct(Math.max(0, net), s.unionPoolRatio);
      const acceleration = d.on ? pct(it.price, d.accelerationRatio) : 0;
      const left = net - pool;
      if (left < acceleration) {
        flags.push({
          rule: 'unionPoolShort',
          subject: it.subject,
          message: `${it.name} 净利润 ${yuan(net)} 入池 ${yuan(pool)} 后剩 ${yuan(left)}，不足以支付推广加速 ${yuan(acceleration)}`,
          amount: acceleration - left,
          per: it.per,
        });
      }
    }
  }
  return flags;
}

/**
 * Settings and catalogue after a stream of events (settings patches merge,
 * catalogue events replace by id): what a settings file or a recorded
 * stream's prefix describes. Orders and other events are ignored.
 */
export function complianceInputs(events: Iterable<ReplayEvent>, start: Settings = DEFAULT_SETTINGS): { settings: Settings; catalogue: Required<ComplianceCatalogue> } {
  let settings = start;
  const levels = new Map<string, { id: string; ratio?: Ratio; teamRatio?: Ratio }>();
  const products = new Map<string, { id: string; price: Fen; cost: Fen; queue: QueueConfig }>();
  const stores = new Map<string, { id: string; commission: Ratio; queue: QueueConfig }>();
  const storeProducts = new Map<string, { id: string; store: string; price: Fen; cost: Fen; queue: QueueConfig }>();
  const cashiers = new Map<string, { id: string; store: string; queue: QueueConfig }>();
  for (const e of events) {
    if (e.type === 'settings') settings = mergeSettings(settings, e.patch);
    else if (e.type === 'level') levels.set(e.id, { id: e.id, ratio: e.ratio, teamRatio: e.teamRatio });
    else if (e.type === 'product') products.set(e.id, { id: e.id, price: e.price, cost: e.cost, queue: e.queue ?? {} });
    else if (e.type === 'store') stores.set(e.id, { id: e.id, commission: e.commission, queue: e.queue ?? {} });
    else if (e.type === 'storeProduct') storeProducts.set(e.id, { id: e.id, store: e.store, price: e.price, cost: e.cost, queue: e.queue ?? {} });
    else if (e.type === 'cashier') cashiers.set(e.id, { id: e.id, store: e.store, queue: e.queue ?? {} });
  }
  return {
    settings,
    catalogue: {
      levels: [...levels.values()],
      products: [...products.values()],
      stores: [...stores.values()],
      storeProducts: [...storeProducts.values()],
      cashiers: [...cashiers.values()],
    },
  };
}
