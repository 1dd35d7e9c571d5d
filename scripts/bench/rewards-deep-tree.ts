// Distribution rewards on a deep referral tree: the per-order walk reads the
// buyer's stored upline list (one indexed read) and never scans the tree, so
// paying an order for a buyer 20 levels deep should cost about what it costs
// one level deep. Target ratio <= 2 (reported, not asserted).
//
// Sizes (env): BENCH_TREE_USERS (100000), BENCH_TREE_DEPTH (20),
// BENCH_TREE_ORDERS (300 measured orders per depth), BENCH_TREE_BUYERS (50
// distinct buyers per depth). Quick run: BENCH_TREE_USERS=2000 BENCH_TREE_ORDERS=50
import type { BenchContext, BenchResult, Sql } from './common';
import { analyze, engineDatabase, envInt, now, percentile, PRODUCT, round } from './common';

const MEASURED_FROM = Date.parse('2026-06-01T00:00:00+08:00');

/**
 * Bulk-loads a tree: root `t-root`, then chains of `depth` members below it
 * (`t<chain>-<d>`, d = 1..depth, each referred by d − 1, d = 1 by the root).
 * Members at depth d hold level `T<d>` with team ratio (depth − d + 1) × 0.5%
 * (nearer uplines lower), so the level-difference walk pays every upline: the
 * longest walk there is. Rows go straight into the tables the engine's own
 * registration writes (members, upline lists); ledger accounts open on first use.
 */
async function loadTree(sql: Sql, users: number, depth: number): Promise<number> {
  const chains = Math.max(1, Math.floor((users - 1) / depth));
  for (let d = 1; d <= depth; d++) {
    await sql`select catalog.upsert_level(${JSON.stringify({ id: `T${d}`, teamRatio: String((depth - d + 1) * 0.5) })}::text::jsonb)`;
  }
  await sql`select members.upsert_member('{"id":"t-root"}'::jsonb)`;
  await sql`
    insert into members.members (id, level_id, referrer_id)
    select 't' || c || '-' || d, 'T' || d, case when d = 1 then 't-root' else 't' || c || '-' || (d - 1) end
    from generate_series(1, ${depth}::int) d, generate_series(1, ${chains}::int) c
    order by d, c`;
  await sql`
    insert into distribution.uplines (member_id, upline)
    select 't' || c || '-' || d,
           array(select 't' || c || '-' || k from generate_series(d - 1, 1, -1) k) || 't-root'::text
    from generate_series(1, ${depth}::int) d, generate_series(1, ${chains}::int) c`;
  return 1 + chains * depth;
}

async function pay(sql: Sql, id: string, user: string, n: number): Promise<number> {
  const json = JSON.stringify({
    id,
    user,
    at: new Date(MEASURED_FROM + n * 1000).toISOString().replace('Z', '+00:00'),
    lines: [{ product: PRODUCT.id, paid: PRODUCT.price }],
  });
  const t = now();
  await sql`select orders.pay_order(${json}::text::jsonb)`;
  return now() - t;
}

export async function rewardsDeepTree(ctx: BenchContext): Promise<BenchResult> {
  const users = envInt('BENCH_TREE_USERS', 100_000);
  const depth = envInt('BENCH_TREE_DEPTH', 20);
  const orders = envInt('BENCH_TREE_ORDERS', 300);
  const buyers = envInt('BENCH_TREE_BUYERS', 50);
  const db = await engineDatabase(ctx);
  try {
    const { sql } = db;
    const loadStart = now();
    await sql`select rebate.update_settings(${JSON.stringify({
      mallQueue: true,
      distribution: { on: true, directRatio: '10', indirectRatio: '5', levelDifference: true, sameLevelRatio: '1', cap: '100' },
    })}::text::jsonb, 'bench')`;
    await sql`select catalog.upsert_product(${JSON.stringify(PRODUCT)}::text::jsonb)`;
    const loaded = await loadTree(sql, users, depth);
    await analyze(sql);
    const chains = Math.floor((loaded - 1) / depth);
    ctx.log(`rewards-deep-tree: ${loaded} members, depth ${depth}, loaded in ${round((now() - loadStart) / 1000, 1)} s`);

    const shallow = (i: number) => `t${1 + (i % Math.min(buyers, chains))}-1`;
    const deep = (i: number) => `t${1 + (i % Math.min(buyers, chains))}-${depth}`;
    // Warm-up: every buyer once (accounts of the receivers open on first use).
    let n = 0;
    for (let i = 0; i < Math.min(buyers, chains); i++) {
      await pay(sql, `w1-${i}`, shallow(i), n++);
      await pay(sql, `w${depth}-${i}`, deep(i), n++);
    }
    // Measured: alternating, so both depths see the same queue and table sizes.
    const ms1: number[] = [];
    const msDeep: number[] = [];
    for (let i = 0; i < orders; i++) {
      ms1.push(await pay(sql, `d1-${i}`, shallow(i), n++));
      msDeep.push(await pay(sql, `d${depth}-${i}`, deep(i), n++));
    }
    const [rewards] = await sql<{ shallow: number; deep: number }[]>`
      select count(*) filter (where order_id like 'd1-%')::int as shallow,
             count(*) filter (where order_id like ${`d${depth}-%`})::int as deep
      from distribution.rewards`;
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    ms1.sort((a, b) => a - b);
    msDeep.sort((a, b) => a - b);
    return {
      bench: 'rewards-deep-tree',
      ratio: round(mean(msDeep) / mean(ms1), 3),
      members: loaded,
      depth,
      orders,
      depth1MeanMs: round(mean(ms1), 3),
      deepMeanMs: round(mean(msDeep), 3),
      depth1P50Ms: round(percentile(ms1, 50), 3),
      deepP50Ms: round(percentile(msDeep, 50), 3),
      rewardsPerOrder: { depth1: round(rewards.shallow / orders, 2), deep: round(rewards.deep / orders, 2) },
      target: '<= 2',
    };
  } finally {
    await db.drop();
  }
}
