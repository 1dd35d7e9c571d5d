// Clearing benchmark (SPEC §3.2 队列奖励清零): N genuine waiting entries
// (1,000,000 by default; BENCH_CLEARING_ENTRIES) cleared through the real
// job, rebate.tick → rebate.run_clearing (queue locks, backlog, the clearing
// mark), timed against a bare `UPDATE rebate.entries SET status = 'cleared'`
// of the same rows in the same run. Each run is rolled back and the table
// vacuumed, so both start from the same rows; the best of two runs each.
// ratio = clearing ms / bare update ms (target <= 1.5, reported, not asserted).
import type { BenchContext, BenchResult, Sql } from './common';
import { analyze, engineDatabase, envInt, loadWaiting, now, round, seedCatalog } from './common';

const USERS = 1_000;
const RUNS = 2;

/** Times `fn` inside a transaction that is rolled back, then vacuums what it left. */
async function timedRollback(sql: Sql, fn: (tx: Sql) => Promise<unknown>): Promise<number> {
  let ms = 0;
  await sql
    .begin(async (tx) => {
      const t = now();
      await fn(tx as unknown as Sql);
      ms = now() - t;
      throw new RolledBack();
    })
    .catch((error) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  await sql`vacuum rebate.entries`;
  return ms;
}

class RolledBack extends Error {}

export async function clearing(ctx: BenchContext): Promise<BenchResult> {
  const entries = envInt('BENCH_CLEARING_ENTRIES', 1_000_000);
  const db = await engineDatabase(ctx);
  try {
    await seedCatalog(db.sql, USERS);
    await loadWaiting(db.sql, entries, USERS, ctx);
    await analyze(db.sql);
    const [{ waiting }] = await db.sql<{ waiting: number }[]>`select count(*)::int as waiting from rebate.entries where status = 'waiting'`;
    if (waiting !== entries) throw new Error(`expected ${entries} waiting entries, found ${waiting}`);
    // A daily 00:00 clearing due two days after the last loaded order.
    const [{ at }] = await db.sql<{ at: string }[]>`
      select to_char(date_trunc('day', max(at) at time zone 'Asia/Shanghai') + interval '2 days', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as at
      from orders.orders`;

    const bare: number[] = [];
    const job: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      ctx.log(`clearing: run ${run + 1}/${RUNS}, ${entries} waiting`);
      bare.push(
        await timedRollback(db.sql, async (tx) => {
          const [{ n }] = await tx<{ n: number }[]>`
            with u as (update rebate.entries set status = 'cleared' where status = 'waiting' returning 1) select count(*)::int as n from u`;
          if (n !== entries) throw new Error(`bare update touched ${n} rows`);
        }),
      );
      let cleared = 0;
      await timedRollback(db.sql, async (tx) => {
        // The settings change (clearing on: the mark is set to the clock) is part of the setup, not timed.
        await tx`select rebate.update_settings('{"clearing":{"on":true,"schedule":"daily 00:00"}}'::jsonb, 'bench')`;
        const t = now();
        const [{ r }] = await tx<{ r: { cleared: number } }[]>`select rebate.tick(${at}::timestamptz) as r`;
        cleared = Number(r.cleared);
        job.push(now() - t);
      });
      if (cleared !== entries) throw new Error(`clearing cleared ${cleared} of ${entries}`);
    }
    const bareMs = Math.min(...bare);
    const jobMs = Math.min(...job);
    return {
      bench: 'clearing',
      ratio: round(jobMs / bareMs, 4),
      entries,
      clearingMs: round(jobMs, 1),
      bareUpdateMs: round(bareMs, 1),
      runs: RUNS,
    };
  } finally {
    await db.drop();
  }
}
