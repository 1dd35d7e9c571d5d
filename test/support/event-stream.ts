// Random replay event streams for property tests (the model's invariants)
// and for the db-vs-model comparison. `validEventStream` only produces
// streams every engine must accept: ids exist, complete/refund only touch
// open orders, times never go backwards. `invalidEventStream` puts exactly
// one bad line into a valid prefix and says which line and field.
import fc from 'fast-check';
import { ModelEngine } from '@/domain/engine';
import type { Entry, LineKind } from '@/domain/engine';
import { randomReturnConfig } from '@/domain/engine/options';
import { queueKey } from '@/domain/engine/queue';
import { parseEvent } from '@/domain/events';
import type { LotteryConfig } from '@/domain/settings';

export type EventObject = { [key: string]: unknown };

const EXTRACT_RATIOS = ['0', '5', '10', '12.5', '33.33', '50', '65', '100'];
// Stores charge a commission (10%, or 0..15% with the settlement feature): their
// extraction (own, or the base one) + commission stays within 100%.
const STORE_EXTRACT_RATIOS = ['0', '5', '10', '12.5', '33.33', '50', '65', '85'];
const ENTRY_RATIOS = ['0', '50', '100', '110', '130', '150.5', '200'];
const CLOCKS = ['00:00', '06:30', '09:00', '12:00', '18:00', '22:00', '23:59'];
const START_MS = Date.parse('2026-01-01T00:00:00+08:00');

type Kind = 'product' | 'store' | 'storeProduct' | 'cashier';

function queueConfig(kind: Kind): fc.Arbitrary<EventObject> {
  const keys: Record<string, fc.Arbitrary<unknown>> = {
    enabled: fc.boolean(),
    extractRatio: fc.constantFrom(...(kind === 'product' ? EXTRACT_RATIOS : STORE_EXTRACT_RATIOS)),
    timeWindows: fc.array(
      fc
        .tuple(fc.constantFrom(...CLOCKS), fc.constantFrom(...CLOCKS))
        .filter(([from, to]) => from !== to)
        .map(([from, to]) => ({ from, to })),
      { minLength: 0, maxLength: 2 },
    ),
    dailyLimit: fc.integer({ min: 0, max: 3 }),
    totalLimit: fc.integer({ min: 0, max: 6 }),
  };
  if (kind === 'product') keys.independentRatio = fc.constantFrom(...ENTRY_RATIOS);
  else keys.defaultRatio = fc.constantFrom(...ENTRY_RATIOS);
  // Mostly plain items: limits and windows on every item would starve the queues.
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: fc.record(keys, { requiredKeys: [] }) },
  );
}

const settingsPatch: fc.Arbitrary<EventObject> = fc.record(
  {
    mallQueue: fc.boolean(),
    allStoresQueue: fc.boolean(),
    allCashiersQueue: fc.boolean(),
    settleOn: fc.constantFrom('paid', 'completed'),
    queueOrder: fc.constantFrom('strict', 'completedFirst'),
    emptyQueueFunds: fc.constantFrom('platform', 'reserve'),
    // Mostly on: an engine that is off or paused most of the time tests little.
    paused: fc.constantFrom(false, false, true),
    deductionOrders: fc.constantFrom('join', 'noJoin'),
    enabled: fc.constantFrom(true, true, true, false),
    extractRatio: fc.constantFrom(...STORE_EXTRACT_RATIOS),
    defaultRatio: fc.constantFrom(...ENTRY_RATIOS),
  },
  { requiredKeys: [] },
);

// Opt-in distribution feature (StreamFeatures.distribution): levels with team
// ratios and shareholders, a referral tree, store recruiters, distribution
// settings and ticks. Off by default, so the db-vs-model comparison keeps
// core-only streams until the SQL engine implements distribution.
const TEAM_RATIOS = ['1', '2.5', '5', '10', '30'];

const distributionPatch: fc.Arbitrary<EventObject> = fc.record(
  {
    on: fc.constantFrom(true, true, true, false),
    base: fc.constantFrom('paid', 'profit'),
    directRatio: fc.constantFrom('0', '5', '10', '12.5', '33.33'),
    indirectRatio: fc.constantFrom('0', '3', '5', '7.77'),
    levelDifference: fc.boolean(),
    sameLevelRatio: fc.constantFrom('0', '1', '2.5'),
    dividendRatio: fc.constantFrom('0', '1', '5', '10.01'),
    dividendPeriod: fc.constantFrom('monthly', 'weekly'),
    dividendSplit: fc.constantFrom('equal', 'weighted'),
    recruitRatio: fc.constantFrom('0', '2', '7.77'),
    cap: fc.constantFrom('0', '10', '30', '50', '100', '150'),
  },
  { requiredKeys: [] },
);

interface DistributionCatalogue {
  levels: { teamRatio: string | null; shareholder: boolean }[];
  /** Per user: referrer = an earlier user (index mod i), or none; level index or none. */
  users: { referrer: number | null; level: number | null }[];
  /** Per store: recruiter (user index) or none. */
  recruiters: (number | null)[];
  settings: EventObject;
}

const distributionCatalogue: fc.Arbitrary<DistributionCatalogue> = fc.record({
  levels: fc.array(fc.record({ teamRatio: fc.option(fc.constantFrom(...TEAM_RATIOS)), shareholder: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  users: fc.array(fc.record({ referrer: fc.option(fc.nat(), { freq: 4 }), level: fc.option(fc.nat()) }), { minLength: 2, maxLength: 9 }),
  recruiters: fc.array(fc.option(fc.nat()), { minLength: 2, maxLength: 2 }),
  settings: distributionPatch.map((p) => ({ ...p, on: true })),
});

// Opt-in ratio rules and shopper options (StreamFeatures.options): member
// levels with ratios, ranks and upgrade conditions, a referral tree,
// member-level ratios, cumulative tiers and lotteries on items and in the
// base settings, random return (base, store, cashier) with pins, exchange
// ratios and loveFrozen, clearing schedules and ticks, draws (pinned and
// unpinned) and exchanges. Draw / exchange targets and pins are chosen from
// a shadow model engine's state so that every event is valid; a rejected
// event throws while building (a generator or engine bug, never hidden).
const OPTION_RATIOS = ['0', '50', '80', '100', '120', '150.5'];
const OPTION_LEVELS = ['M1', 'M2', 'M3'];

/** Hundredths as a ratio string: 12345 → "123.45". */
function hundredths(k: number): string {
  return `${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`;
}

const lotteryArb: fc.Arbitrary<EventObject> = fc.oneof(
  fc
    .uniqueArray(fc.constantFrom(...OPTION_RATIOS), { minLength: 1, maxLength: 4 })
    .chain((ratios) =>
      fc
        .option(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: ratios.length, maxLength: ratios.length }).filter((w) => w.some((x) => x > 0)), {
          nil: undefined,
        })
        .map((weights): EventObject => (weights ? { kind: 'fixed', ratios, weights } : { kind: 'fixed', ratios })),
    ),
  fc
    .tuple(fc.integer({ min: 0, max: 15_000 }), fc.integer({ min: 0, max: 10_000 }))
    .map(([min, span]): EventObject => ({ kind: 'range', min: hundredths(min), max: hundredths(min + span) })),
);

const levelRatiosArb = fc
  .array(fc.tuple(fc.constantFrom(...OPTION_LEVELS, 'L1'), fc.constantFrom(...OPTION_RATIOS)), { maxLength: 3 })
  .map((pairs) => Object.fromEntries(pairs));

const tiersArb = fc.array(
  fc.record({ days: fc.integer({ min: 1, max: 30 }), minSpend: fc.integer({ min: 0, max: 50_000 }), ratio: fc.constantFrom(...OPTION_RATIOS) }),
  { maxLength: 3 },
);

const randomReturnArb = fc
  .record({ on: fc.boolean(), cashCount: fc.integer({ min: 0, max: 3 }), pointsCount: fc.integer({ min: 0, max: 3 }) })
  .filter((r) => !r.on || r.cashCount + r.pointsCount >= 1);

function optionsQueue(kind: Kind): fc.Arbitrary<EventObject> {
  const keys: Record<string, fc.Arbitrary<unknown>> = {
    memberLevelRatios: levelRatiosArb,
    cumulativeTiers: tiersArb,
    lottery: fc.option(lotteryArb, { nil: null }),
  };
  if (kind === 'store' || kind === 'cashier') keys.randomReturn = randomReturnArb;
  return fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: fc.record(keys, { requiredKeys: [] }) });
}

const SCHEDULES = ['daily 00:00', 'daily 12:30', 'weekly 1 00:00', 'weekly 5 18:00', 'monthly 1 00:00', 'monthly 15 09:00', '2026-01-03T00:00:00+08:00', '2026-01-10T04:00:00Z'];

const optionsPatch: fc.Arbitrary<EventObject> = fc.record(
  {
    memberLevelRatios: levelRatiosArb,
    lottery: fc.option(lotteryArb, { nil: null }),
    randomReturn: randomReturnArb,
    exchangeRatio: fc.record(
      { points: fc.constantFrom(...OPTION_RATIOS), love: fc.constantFrom(...OPTION_RATIOS), coupon: fc.constantFrom(...OPTION_RATIOS) },
      { requiredKeys: [] },
    ),
    loveFrozen: fc.boolean(),
    // Mostly off: clearing everything all the time would leave little to pay.
    clearing: fc.record({ on: fc.constantFrom(false, false, true), schedule: fc.constantFrom(...SCHEDULES) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const upgradeArb = fc.record(
  { completedSpend: fc.integer({ min: 0, max: 100_000 }), directReferrals: fc.integer({ min: 0, max: 3 }), teamSpend: fc.integer({ min: 0, max: 200_000 }) },
  { requiredKeys: [] },
);

const levelDefArb = fc.record({
  ratio: fc.option(fc.constantFrom(...OPTION_RATIOS)),
  rank: fc.option(fc.integer({ min: 0, max: 5 })),
  upgrade: fc.option(upgradeArb),
});

interface OptionsCatalogue {
  levels: { ratio: string | null; rank: number | null; upgrade: EventObject | null }[];
  /** Users when the distribution feature does not build them: referrer = an earlier user, level index. */
  users: { referrer: number | null; level: number | null }[];
  products: EventObject[];
  stores: EventObject[];
  storeProducts: EventObject[];
  cashiers: EventObject[];
  settings: EventObject;
}

const optionsCatalogue: fc.Arbitrary<OptionsCatalogue> = fc.record({
  levels: fc.array(levelDefArb, { minLength: 1, maxLength: 3 }),
  users: fc.array(fc.record({ referrer: fc.option(fc.nat(), { freq: 3 }), level: fc.option(fc.nat()) }), { minLength: 2, maxLength: 8 }),
  products: fc.array(optionsQueue('product'), { minLength: 4, maxLength: 4 }),
  stores: fc.array(optionsQueue('store'), { minLength: 2, maxLength: 2 }),
  storeProducts: fc.array(optionsQueue('storeProduct'), { minLength: 3, maxLength: 3 }),
  cashiers: fc.array(optionsQueue('cashier'), { minLength: 2, maxLength: 2 }),
  settings: optionsPatch,
});

function levelEvent(id: string, l: OptionsCatalogue['levels'][number]): EventObject {
  const level: EventObject = { type: 'level', id };
  if (l.ratio !== null) level.ratio = l.ratio;
  if (l.rank !== null) level.rank = l.rank;
  if (l.upgrade !== null) level.upgrade = l.upgrade;
  return level;
}

interface Catalogue {
  products: EventObject[];
  stores: EventObject[];
  storeProducts: { store: number; queue: EventObject; price: number }[];
  cashiers: { store: number; queue: EventObject }[];
  users: number;
  distribution?: DistributionCatalogue;
  options?: OptionsCatalogue;
  union?: UnionCatalogue;
}

// Opt-in union queue mode (StreamFeatures.union): the platform starts in
// `mode: "union"` (before any order), products with varied costs, stores with
// varied commissions, minWaitDays on some items, union settings changed
// mid-stream, and ticks that jump whole days so daily runs happen, carry,
// and are caught up.
interface UnionCatalogue {
  costs: number[];
  commissions: string[];
  /** minWaitDays per product / store / store product / cashier (index mod length), or none. */
  minWait: (number | null)[];
  settings: EventObject;
}

const unionPatch: fc.Arbitrary<EventObject> = fc.record(
  {
    unionQuotaRatio: fc.constantFrom('0', '100', '110', '125.5', '200'),
    unionPoolRatio: fc.constantFrom('0', '30', '60', '100'),
    unionDailyAt: fc.constantFrom('00:00', '00:05', '02:30', '12:00', '23:59'),
    distribution: fc.record({ accelerationRatio: fc.constantFrom('0', '5', '30', '100') }),
  },
  { requiredKeys: [] },
);

const unionCatalogue: fc.Arbitrary<UnionCatalogue> = fc.record({
  costs: fc.array(fc.constantFrom(0, 2000, 6000, 9000, 10_000, 30_000), { minLength: 1, maxLength: 4 }),
  commissions: fc.array(fc.constantFrom('0', '5', '10', '33.33', '100', '150'), { minLength: 1, maxLength: 2 }),
  minWait: fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { freq: 2 }), { minLength: 1, maxLength: 5 }),
  settings: fc.record({
    unionQuotaRatio: fc.constantFrom('100', '110', '150'),
    unionPoolRatio: fc.constantFrom('30', '60', '100'),
    unionDailyAt: fc.constantFrom('00:05', '03:00', '12:00'),
    distribution: fc.record({ accelerationRatio: fc.constantFrom('10', '30', '100') }),
  }),
});

const catalogue: fc.Arbitrary<Catalogue> = fc.record({
  products: fc.array(queueConfig('product'), { minLength: 1, maxLength: 4 }),
  stores: fc.array(queueConfig('store'), { minLength: 1, maxLength: 2 }),
  storeProducts: fc.array(fc.record({ store: fc.nat(), queue: queueConfig('storeProduct'), price: fc.integer({ min: 1, max: 50_000 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  cashiers: fc.array(fc.record({ store: fc.nat(), queue: queueConfig('cashier') }), { minLength: 1, maxLength: 2 }),
  users: fc.integer({ min: 2, max: 6 }),
});

const amount = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 2_000_000 }) },
);

const lineArb = fc.record({
  storeProduct: fc.boolean(),
  item: fc.nat(),
  paid: amount,
  deducted: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }) }),
});

type Command =
  | { kind: 'order'; minutes: number; user: number; lines: { storeProduct: boolean; item: number; paid: number; deducted: number }[] }
  | { kind: 'cashierOrder'; minutes: number; user: number; cashier: number; paid: number; deducted: number }
  | { kind: 'complete'; minutes: number; pick: number }
  | { kind: 'refund'; minutes: number; pick: number }
  | { kind: 'settings'; minutes: number; patch: EventObject }
  | { kind: 'product'; minutes: number; item: number; queue: EventObject }
  // Distribution feature only:
  | { kind: 'tick'; minutes: number }
  | { kind: 'distributionSettings'; minutes: number; patch: EventObject }
  | { kind: 'userLevel'; minutes: number; user: number; level: number | null }
  // Options feature only:
  | { kind: 'draw'; minutes: number; pick: number; pinned: boolean; outcome: number }
  | { kind: 'exchange'; minutes: number; pick: number; to: 'points' | 'love' | 'coupon' }
  | { kind: 'optionsSettings'; minutes: number; patch: EventObject }
  | { kind: 'pinnedOrder'; minutes: number; user: number; cashier: number | null; lines: { storeProduct: boolean; item: number; paid: number; pin: 'cash' | 'points' }[] }
  | { kind: 'levelDef'; minutes: number; level: number; def: OptionsCatalogue['levels'][number] }
  | { kind: 'optionsUserLevel'; minutes: number; user: number; level: number | null }
  // Union feature only:
  | { kind: 'unionSettings'; minutes: number; patch: EventObject };

const minutes = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 90 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3000 }) },
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('order' as const), minutes, user: fc.nat(), lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('cashierOrder' as const), minutes, user: fc.nat(), cashier: fc.nat(), paid: amount, deducted: fc.constant(0) }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('complete' as const), minutes, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), minutes, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('settings' as const), minutes, patch: settingsPatch }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('product' as const), minutes, item: fc.nat(), queue: queueConfig('product') }) },
);

// Ticks now and then jump weeks ahead so that dividend periods end.
const tickMinutes = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 3000, max: 60_000 }) },
);

const distributionCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: tickMinutes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('distributionSettings' as const), minutes, patch: distributionPatch }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('userLevel' as const), minutes, user: fc.nat(), level: fc.option(fc.nat()) }) },
);

const optionsCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('draw' as const), minutes, pick: fc.nat(), pinned: fc.boolean(), outcome: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('exchange' as const), minutes, pick: fc.nat(), to: fc.constantFrom('points' as const, 'love' as const, 'coupon' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('optionsSettings' as const), minutes, patch: optionsPatch }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('pinnedOrder' as const),
      minutes,
      user: fc.nat(),
      cashier: fc.option(fc.nat(), { freq: 3 }),
      lines: fc.array(
        fc.record({ storeProduct: fc.boolean(), item: fc.nat(), paid: amount, pin: fc.constantFrom('cash' as const, 'points' as const) }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: tickMinutes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('levelDef' as const), minutes, level: fc.nat(), def: levelDefArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('optionsUserLevel' as const), minutes, user: fc.nat(), level: fc.option(fc.nat()) }) },
);

// Union runs are daily: ticks jump up to four days.
const unionCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 0, max: 4 * 1440 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unionSettings' as const), minutes, patch: unionPatch }) },
);

/** A pinned outcome the lottery can draw: a ratio with weight > 0, or a point of the range. */
function possibleOutcome(lottery: LotteryConfig, n: number): string {
  if (lottery.kind === 'fixed') {
    const drawable = lottery.ratios.filter((_r, i) => (lottery.weights?.[i] ?? 1) > 0);
    return drawable[n % drawable.length];
  }
  const min = Math.round(Number(lottery.min) * 100);
  const max = Math.round(Number(lottery.max) * 100);
  return hundredths(min + (n % (max - min + 1)));
}

/** `2026-01-01T10:00:00+08:00` for an epoch ms. */
export function shanghaiTime(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** What the stream looks like at some point: for building events that fit (or break) it. */
export interface StreamContext {
  nowMs: number;
  users: string[];
  products: string[];
  storeProducts: string[];
  cashiers: string[];
  openOrders: string[];
  closedOrders: { id: string; status: 'completed' | 'refunded' }[];
}

interface Built {
  events: EventObject[];
  /** Context after each event: contexts[i] is the state after events[0..i-1]. */
  contexts: StreamContext[];
}

function cloneContext(c: StreamContext): StreamContext {
  return { ...c, openOrders: [...c.openOrders], closedOrders: [...c.closedOrders] };
}

function build(cat: Catalogue, commands: Command[]): Built {
  const events: EventObject[] = [];
  const contexts: StreamContext[] = [];
  const ctx: StreamContext = {
    nowMs: START_MS,
    users: [],
    products: [],
    storeProducts: [],
    cashiers: [],
    openOrders: [],
    closedOrders: [],
  };
  const opts = cat.options;
  // Options: a shadow model picks valid draw / exchange targets and pins.
  const shadow = opts ? new ModelEngine({ log: false }) : null;
  const push = (event: EventObject) => {
    contexts.push(cloneContext(ctx));
    events.push(event);
    shadow?.apply(parseEvent(JSON.parse(JSON.stringify(event))));
  };
  const dist = cat.distribution;
  const levelId = (i: number) => `L${(i % dist!.levels.length) + 1}`;
  const optionLevelId = (i: number) => `M${(i % opts!.levels.length) + 1}`;
  const extras = (list: EventObject[] | undefined, i: number): EventObject => (list ? list[i % list.length] : {});
  opts?.levels.forEach((l, i) => push(levelEvent(`M${i + 1}`, l)));
  if (dist) {
    dist.levels.forEach((l, i) => {
      const level: EventObject = { type: 'level', id: `L${i + 1}`, shareholder: l.shareholder };
      if (l.teamRatio !== null) level.teamRatio = l.teamRatio;
      push(level);
    });
    dist.users.forEach((u, i) => {
      const user: EventObject = { type: 'user', id: `u${i + 1}` };
      if (u.level !== null) user.level = levelId(u.level);
      // Referrers are earlier users: a tree, bound at registration.
      if (u.referrer !== null && i > 0) user.referrer = `u${(u.referrer % i) + 1}`;
      push(user);
      ctx.users.push(`u${i + 1}`);
    });
  } else if (opts) {
    opts.users.forEach((u, i) => {
      const user: EventObject = { type: 'user', id: `u${i + 1}` };
      if (u.level !== null) user.level = optionLevelId(u.level);
      if (u.referrer !== null && i > 0) user.referrer = `u${(u.referrer % i) + 1}`;
      push(user);
      ctx.users.push(`u${i + 1}`);
    });
  } else {
    for (let i = 0; i < cat.users; i++) {
      push({ type: 'user', id: `u${i + 1}` });
      ctx.users.push(`u${i + 1}`);
    }
  }
  const un = cat.union;
  const minWait = (i: number): EventObject => {
    const days = un?.minWait[i % un.minWait.length];
    return days === undefined || days === null ? {} : { minWaitDays: days };
  };
  // Union mode first: it takes no extraction, so stores may charge any commission (classic refuses extraction + commission > 100%).
  if (un) push({ type: 'settings', mode: 'union' });
  cat.products.forEach((queue, i) => {
    const cost = un ? un.costs[i % un.costs.length] : 6000 + 1000 * i;
    const product: EventObject = { type: 'product', id: `p${i + 1}`, price: 10_000, source: i % 2 ? 'supplier' : 'self', cost, queue: { ...queue, ...extras(opts?.products, i), ...minWait(i) } };
    // p2 and p4 share a supplier; a lone supplier product is its own supplier.
    if (i % 2 && cat.products.length > 3) product.supplier = 'sup1';
    push(product);
    ctx.products.push(`p${i + 1}`);
  });
  cat.stores.forEach((queue, i) => {
    const commission = un ? un.commissions[i % un.commissions.length] : '10';
    const store: EventObject = { type: 'store', id: `s${i + 1}`, commission, queue: { ...queue, ...extras(opts?.stores, i), ...minWait(i + 1) } };
    const recruiter = dist?.recruiters[i];
    if (recruiter !== undefined && recruiter !== null) store.recruiter = ctx.users[recruiter % ctx.users.length];
    push(store);
  });
  cat.storeProducts.forEach((sp, i) => {
    push({
      type: 'storeProduct',
      id: `sp${i + 1}`,
      store: `s${(sp.store % cat.stores.length) + 1}`,
      price: sp.price,
      cost: 0,
      queue: { ...sp.queue, ...extras(opts?.storeProducts, i), ...minWait(i + 2) },
    });
    ctx.storeProducts.push(`sp${i + 1}`);
  });
  cat.cashiers.forEach((c, i) => {
    push({ type: 'cashier', id: `c${i + 1}`, store: `s${(c.store % cat.stores.length) + 1}`, queue: { ...c.queue, ...extras(opts?.cashiers, i), ...minWait(i + 3) } });
    ctx.cashiers.push(`c${i + 1}`);
  });
  if (dist) push({ type: 'settings', distribution: dist.settings });
  if (opts) push({ type: 'settings', ...opts.settings });
  // The mode is chosen at setup, before any order.
  if (un) push({ type: 'settings', mode: 'union', ...un.settings });
  /** Entries of the shadow model, queue by queue, in seq order. */
  const shadowEntries = (keep: (e: Entry) => boolean): Entry[] => {
    const out: Entry[] = [];
    for (const q of shadow!.data.queues.values()) for (const e of q.entries) if (keep(e)) out.push(e);
    return out;
  };
  /** A pin that fits: `cash` always where random return is off; else a kind with a slot left for the next entry. */
  const fittingPin = (queue: string, wanted: 'cash' | 'points'): 'cash' | 'points' | undefined => {
    const config = randomReturnConfig(shadow!.data, queue);
    if (!config) return wanted === 'cash' ? 'cash' : undefined;
    const g = shadow!.data.queues.get(queue)?.group;
    const fresh = !g || g.taken === g.cashCount + g.pointsCount || g.cashCount !== config.cashCount || g.pointsCount !== config.pointsCount;
    const left = fresh ? { cash: config.cashCount, points: config.pointsCount } : { cash: g.cashCount - g.cash, points: g.pointsCount - g.points };
    return left[wanted] > 0 ? wanted : undefined;
  };
  const lineQueue = (kind: LineKind, item: string): string => {
    const data = shadow!.data;
    const store = kind === 'storeProduct' ? data.storeProducts.get(item)!.store : kind === 'cashier' ? data.cashiers.get(item)!.store : undefined;
    return queueKey(data.settings, kind, item, store);
  };
  let orderNo = 0;
  for (const cmd of commands) {
    ctx.nowMs += cmd.minutes * 60_000;
    const at = shanghaiTime(ctx.nowMs);
    switch (cmd.kind) {
      case 'order':
      case 'cashierOrder': {
        const id = `o${++orderNo}`;
        const user = ctx.users[cmd.user % ctx.users.length];
        if (cmd.kind === 'order') {
          const lines = cmd.lines.map((l) => {
            const line: EventObject = l.storeProduct
              ? { storeProduct: ctx.storeProducts[l.item % ctx.storeProducts.length] }
              : { product: ctx.products[l.item % ctx.products.length] };
            line.paid = l.paid;
            if (l.deducted > 0) line.deducted = l.deducted;
            return line;
          });
          push({ type: 'order', id, user, at, lines });
        } else {
          push({ type: 'order', id, user, at, cashier: ctx.cashiers[cmd.cashier % ctx.cashiers.length], paid: cmd.paid });
        }
        ctx.openOrders.push(id);
        break;
      }
      case 'complete':
      case 'refund': {
        if (ctx.openOrders.length === 0) break;
        const [id] = ctx.openOrders.splice(cmd.pick % ctx.openOrders.length, 1);
        push({ type: cmd.kind, order: id, at });
        ctx.closedOrders.push({ id, status: cmd.kind === 'complete' ? 'completed' : 'refunded' });
        break;
      }
      case 'settings':
        push({ type: 'settings', ...cmd.patch });
        break;
      case 'product': {
        // Replaces an existing product's definition mid-stream.
        const id = ctx.products[cmd.item % ctx.products.length];
        push({ type: 'product', id, price: 10_000, source: 'self', cost: 6000, queue: cmd.queue });
        break;
      }
      case 'tick':
        push({ type: 'tick', at });
        break;
      case 'distributionSettings':
        push({ type: 'settings', distribution: cmd.patch });
        break;
      case 'userLevel': {
        // The operator sets (or drops) a level; the bound referrer stays.
        const user: EventObject = { type: 'user', id: ctx.users[cmd.user % ctx.users.length] };
        if (cmd.level !== null) user.level = levelId(cmd.level);
        push(user);
        break;
      }
      case 'optionsUserLevel': {
        const user: EventObject = { type: 'user', id: ctx.users[cmd.user % ctx.users.length] };
        if (cmd.level !== null) user.level = optionLevelId(cmd.level);
        push(user);
        break;
      }
      case 'levelDef':
        push(levelEvent(optionLevelId(cmd.level), cmd.def));
        break;
      case 'optionsSettings':
      case 'unionSettings':
        push({ type: 'settings', ...cmd.patch });
        break;
      case 'draw': {
        const drawable = shadowEntries((e) => e.lottery !== null && !e.drawn && e.status === 'waiting' && e.paid === 0);
        if (drawable.length === 0) break;
        const target = drawable[cmd.pick % drawable.length];
        const draw: EventObject = { type: 'draw', order: target.order.id, line: target.line };
        if (cmd.pinned) draw.outcome = possibleOutcome(target.lottery!, cmd.outcome);
        push(draw);
        break;
      }
      case 'exchange': {
        const waiting = shadowEntries((e) => e.status === 'waiting');
        if (waiting.length === 0) break;
        const target = waiting[cmd.pick % waiting.length];
        push({ type: 'exchange', order: target.order.id, line: target.line, to: cmd.to });
        break;
      }
      case 'pinnedOrder': {
        const id = `o${++orderNo}`;
        const user = ctx.users[cmd.user % ctx.users.length];
        if (cmd.cashier !== null) {
          const cashier = ctx.cashiers[cmd.cashier % ctx.cashiers.length];
          const order: EventObject = { type: 'order', id, user, at, cashier, paid: cmd.lines[0].paid };
          const pin = fittingPin(lineQueue('cashier', cashier), cmd.lines[0].pin);
          if (pin) order.randomReturn = pin;
          push(order);
        } else {
          // Only the first line of each queue is pinned: whether an earlier line of the
          // same queue joins (limits, windows) would change the slots left.
          const pinned = new Set<string>();
          const lines = cmd.lines.map((l) => {
            const kind: LineKind = l.storeProduct ? 'storeProduct' : 'product';
            const item = l.storeProduct ? ctx.storeProducts[l.item % ctx.storeProducts.length] : ctx.products[l.item % ctx.products.length];
            const line: EventObject = { [kind]: item, paid: l.paid };
            const queue = lineQueue(kind, item);
            if (!pinned.has(queue)) {
              pinned.add(queue);
              const pin = fittingPin(queue, l.pin);
              if (pin) line.randomReturn = pin;
            }
            return line;
          });
          push({ type: 'order', id, user, at, lines });
        }
        ctx.openOrders.push(id);
        break;
      }
    }
  }
  contexts.push(cloneContext(ctx));
  return { events, contexts };
}

/** Opt-in rule families beyond the core queue (all off by default). */
export interface StreamFeatures {
  /** Distribution rewards: levels, a referral tree, recruiters, distribution settings, ticks. */
  distribution?: boolean;
  /**
   * Ratio rules and shopper options: member levels (ratios, ranks, upgrades), tiers,
   * lotteries, random return with pins, exchange ratios, clearing and ticks, draws
   * (pinned and unpinned) and exchanges.
   */
  options?: boolean;
  /**
   * Union queue mode from the start: varied costs and commissions, minWaitDays,
   * union settings, day-jumping ticks (combine with `distribution` for
   * acceleration). Not part of ALL_FEATURES: the mode replaces the classic queue.
   */
  union?: boolean;
}

/** Every rule family of the classic queue the generator knows. */
export const ALL_FEATURES: StreamFeatures = { distribution: true, options: true };

export interface StreamOptions {
  minCommands?: number;
  maxCommands?: number;
  features?: StreamFeatures;
}

function built(options: StreamOptions = {}): fc.Arbitrary<Built> {
  const features = options.features ?? {};
  let cat: fc.Arbitrary<Catalogue> = features.distribution
    ? fc.tuple(catalogue, distributionCatalogue).map(([c, distribution]) => ({ ...c, distribution }))
    : catalogue;
  if (features.options) cat = fc.tuple(cat, optionsCatalogue).map(([c, options]) => ({ ...c, options }));
  if (features.union) cat = fc.tuple(cat, unionCatalogue).map(([c, union]) => ({ ...c, union }));
  const families: fc.WeightedArbitrary<Command>[] = [{ weight: 4, arbitrary: command }];
  if (features.distribution) families.push({ weight: 1, arbitrary: distributionCommand });
  if (features.options) families.push({ weight: 2, arbitrary: optionsCommand });
  if (features.union) families.push({ weight: 2, arbitrary: unionCommand });
  const commands: fc.Arbitrary<Command> = families.length === 1 ? command : fc.oneof(...families);
  return fc
    // size 'max': lengths spread over the whole range, not biased to a handful.
    .tuple(cat, fc.array(commands, { minLength: options.minCommands ?? 1, maxLength: options.maxCommands ?? 60, size: 'max' }))
    .map(([c, cmds]) => build(c, cmds));
}

/** A valid replay stream (JSON objects, one per line). */
export function validEventStream(options: StreamOptions = {}): fc.Arbitrary<EventObject[]> {
  return built(options).map((b) => b.events);
}

export function toJsonl(events: readonly EventObject[]): string {
  return `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
}

/** One bad event: its text and the field the error must name (null: invalid JSON). */
export interface BadEvent {
  text: string;
  field: string | null;
}

const BAD_EVENTS: ((ctx: StreamContext, at: string) => BadEvent | null)[] = [
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: -1 }] }), field: 'lines[0].paid' }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: 100.5 }] }), field: 'lines[0].paid' }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: 1e11 }] }), field: 'lines[0].paid' }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: '100' }] }), field: 'lines[0].paid' }),
  (c, at) => ({
    text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: 100 }, { product: 'nope', paid: 100 }] }),
    field: 'lines[1].product',
  }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: 'nobody', at, lines: [{ product: c.products[0], paid: 100 }] }), field: 'user' }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, cashier: 'nope', paid: 100 }), field: 'cashier' }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: 100, deducted: -5 }] }), field: 'lines[0].deducted' }),
  (c, at) => ({ text: JSON.stringify({ type: 'order', id: 'bad1', user: c.users[0], at, lines: [{ product: c.products[0], paid: 100 }], foo: 1 }), field: 'foo' }),
  () => ({ text: JSON.stringify({ type: 'settings', extractRatio: 10 }), field: 'extractRatio' }),
  () => ({ text: JSON.stringify({ type: 'settings', queueOrder: 'random' }), field: 'queueOrder' }),
  () => ({ text: JSON.stringify({ type: 'settings', bogus: true }), field: 'bogus' }),
  () => ({ text: JSON.stringify({ type: 'product', id: 'px', price: 100, source: 'self', cost: 0, queue: { defaultRatio: '100' } }), field: 'queue.defaultRatio' }),
  // A supplier on a self-operated product.
  () => ({ text: JSON.stringify({ type: 'product', id: 'px', price: 100, source: 'self', cost: 0, supplier: 'sup9' }), field: 'supplier' }),
  (_c, at) => ({ text: JSON.stringify({ type: 'complete', order: 'nope', at }), field: 'order' }),
  () => ({ text: JSON.stringify({ type: 'shipped' }), field: 'type' }),
  () => ({ text: '{"type":"order",', field: null }),
  (c) => (c.closedOrders.length ? { text: JSON.stringify({ type: 'refund', order: c.closedOrders[0].id, at: shanghaiTime(c.nowMs) }), field: 'order' } : null),
  (c, at) => (c.openOrders.length ? { text: JSON.stringify({ type: 'order', id: c.openOrders[0], user: c.users[0], at, cashier: c.cashiers[0], paid: 1 }), field: 'id' } : null),
  (c) => (c.openOrders.length ? { text: JSON.stringify({ type: 'complete', order: c.openOrders[0], at: '2025-01-01T00:00:00+08:00' }), field: 'at' } : null),
];

/** Bad events of the options feature (used only with `features.options`). */
const OPTIONS_BAD_EVENTS: ((ctx: StreamContext, at: string) => BadEvent | null)[] = [
  () => ({ text: JSON.stringify({ type: 'draw', order: 'nope', line: 0 }), field: 'order' }),
  (c) => (c.openOrders.length ? { text: JSON.stringify({ type: 'draw', order: c.openOrders[0], line: 0, outcome: 50 }), field: 'outcome' } : null),
  (c) => (c.openOrders.length ? { text: JSON.stringify({ type: 'exchange', order: c.openOrders[0], line: 0, to: 'cash' }), field: 'to' } : null),
  // A refunded order's line 0 has no entry or a cancelled one: never drawable, never waiting.
  (c) => {
    const refunded = c.closedOrders.find((o) => o.status === 'refunded');
    return refunded ? { text: JSON.stringify({ type: 'draw', order: refunded.id, line: 0 }), field: 'line' } : null;
  },
  (c) => {
    const refunded = c.closedOrders.find((o) => o.status === 'refunded');
    return refunded ? { text: JSON.stringify({ type: 'exchange', order: refunded.id, line: 0, to: 'points' }), field: 'line' } : null;
  },
  (c) => (c.openOrders.length ? { text: JSON.stringify({ type: 'exchange', order: c.openOrders[0], line: 100, to: 'points' }), field: 'line' } : null),
  () => ({ text: JSON.stringify({ type: 'level', id: 'Mx', upgrade: { completedSpend: -1 } }), field: 'upgrade.completedSpend' }),
  () => ({ text: JSON.stringify({ type: 'settings', clearing: { schedule: 'hourly' } }), field: 'clearing.schedule' }),
  () => ({ text: JSON.stringify({ type: 'settings', randomReturn: { on: true, cashCount: 0, pointsCount: 0 } }), field: 'randomReturn.cashCount' }),
  () => ({ text: JSON.stringify({ type: 'settings', lottery: { kind: 'fixed', ratios: ['10', '10.0'] } }), field: 'lottery.ratios' }),
  () => ({ text: JSON.stringify({ type: 'tick', at: '2026-13-01T00:00:00+08:00' }), field: 'at' }),
];

/** Extraction + commission above 100% (classic mode only: union mode takes no extraction). */
const SETTLEMENT_BAD_EVENTS: ((ctx: StreamContext, at: string) => BadEvent | null)[] = [
  () => ({ text: JSON.stringify({ type: 'store', id: 'sx', commission: '20', queue: { extractRatio: '80.01' } }), field: 'commission' }),
  () => ({ text: JSON.stringify({ type: 'store', id: 's1', commission: '100.5' }), field: 'commission' }),
  () => ({ text: JSON.stringify({ type: 'cashier', id: 'cx', store: 's1', queue: { extractRatio: '95' } }), field: 'queue.extractRatio' }),
  () => ({ text: JSON.stringify({ type: 'storeProduct', id: 'spx', store: 's1', price: 100, cost: 0, queue: { extractRatio: '100' } }), field: 'queue.extractRatio' }),
];

/** Bad events of the union feature (used only with `features.union`). */
const UNION_BAD_EVENTS: ((ctx: StreamContext, at: string) => BadEvent | null)[] = [
  // The mode is chosen at setup: once an order exists it cannot change.
  (c) => (c.openOrders.length + c.closedOrders.length > 0 ? { text: JSON.stringify({ type: 'settings', mode: 'classic' }), field: 'mode' } : null),
  () => ({ text: JSON.stringify({ type: 'settings', unionDailyAt: '24:00' }), field: 'unionDailyAt' }),
  () => ({ text: JSON.stringify({ type: 'settings', unionPoolRatio: 60 }), field: 'unionPoolRatio' }),
  () => ({ text: JSON.stringify({ type: 'product', id: 'px', price: 100, source: 'self', cost: 0, queue: { minWaitDays: -1 } }), field: 'queue.minWaitDays' }),
];

export interface InvalidStream {
  lines: string[];
  /** 1-based line of the bad event. */
  line: number;
  /** The field the error must name; null for invalid JSON. */
  field: string | null;
}

/** A valid prefix, one bad line, then the rest of the valid stream (which must not run). */
export function invalidEventStream(options: StreamOptions = {}): fc.Arbitrary<InvalidStream> {
  return fc.tuple(built(options), fc.nat(), fc.nat()).map(([b, pos, which]) => {
    const catalogueEnd = b.events.findIndex((e) => !['level', 'user', 'product', 'store', 'storeProduct', 'cashier'].includes(e.type as string));
    const first = catalogueEnd === -1 ? b.events.length : catalogueEnd;
    const at = first + (pos % (b.events.length - first + 1));
    const ctx = b.contexts[at];
    const pool = [
      ...BAD_EVENTS,
      ...(options.features?.union ? [] : SETTLEMENT_BAD_EVENTS),
      ...(options.features?.options ? OPTIONS_BAD_EVENTS : []),
      ...(options.features?.union ? UNION_BAD_EVENTS : []),
    ];
    let bad: BadEvent | null = null;
    for (let k = 0; bad === null; k++) bad = pool[(which + k) % pool.length](ctx, shanghaiTime(ctx.nowMs));
    const lines = b.events.map((e) => JSON.stringify(e));
    lines.splice(at, 0, bad.text);
    return { lines, line: at + 1, field: bad.field };
  });
}
