// Union daily run benchmark (SPEC §5 工会排队): N waiting union entries
// (1,000,000 by default; BENCH_UNION_ENTRIES) owned by M members
// (10,000; BENCH_UNION_MEMBERS), and a day's net profit that pays about P of
// them in full (300,000; BENCH_UNION_PAID). One daily run through the real
// job, rebate.tick → rebate.union_run_due → union_run_day (the day's lines
// counted, the running-sum walk, the payouts per member and their ledger
// transfer, the run record), timed against a bare set-based
// `UPDATE rebate.union_entries` of the same P rows in the same run. Each run is
// rolled back and the table vacuumed, so both start from the same rows; the
// best of two runs each.
// ratio = daily run ms / bare update ms (target <= 1.5, reported, not asserted).
import type { BenchContext, BenchResult, Sql } from './common';
import { analyze, engineDatabase, envInt, now, round } from './common';

const RUNS = 2;
const QUOTA = 11_000; // base 10000 × 110%
const CARRY = 5_000; // left in the pool after the last entry paid (less than one quota)
const RUN_DAY = '2026-03-10';
const TICK_AT = '2026-03-10T00:05:00+08:00';

class RolledBack extends Error {}

/** Times `fn` inside a transaction that is rolled back, then vacuums what it left. */
async function timedRollback(sql: Sql, fn: (tx: Sql) => Promise<number>): Promise<number> {
  let ms = 0;
  await sql
    .begin(async (tx) => {
      ms = await fn(tx as unknown as Sql);
      throw new RolledBack();
    })
    .catch((error) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  await sql`vacuum rebate.union_entries`;
  return ms;
}

/**
 * The bench state, written in bulk (no per-order path: the run is what is
 * timed): union mode, pool ratio 100%, M members (wallets opened with them),
 * N waiting entries payable on RUN_DAY, and one completed line of the day
 * before whose net profit, held in union:profit, pays P entries and carries.
 */
async function load(sql: Sql, entries: number, members: number, paid: number): Promise<void> {
  await sql`select rebate.update_settings('{"mode":"union","unionPoolRatio":"100"}'::jsonb, 'bench')`;
  await sql`
    select members.upsert_member(jsonb_build_object('id', 'bench-u' || i))
    from generate_series(1, ${members}::int) as i`;
  await sql`
    insert into rebate.union_entries (seq, order_id, line, member_id, base, ratio, quota, paid, status,
                                      completed_day, payable_day)
    select i, 'bench-o' || i, 0, 'bench-u' || (1 + (i - 1) % ${members}::int), 10000, 110, ${QUOTA}::bigint, 0, 'waiting',
           ${RUN_DAY}::date - 2, ${RUN_DAY}::date - 1
    from generate_series(1, ${entries}::bigint) as i`;
  await sql`update rebate.union_state set next_seq = ${entries + 1} where id`;
  const profit = paid * QUOTA + CARRY;
  await sql`
    insert into rebate.union_lines (order_id, line, member_id, local_day, profit, net)
    values ('bench-day', 0, 'bench-u1', ${RUN_DAY}::date - 1, ${profit}, ${profit})`;
  await sql`select ledger.transfer('bench:union-profit', 'bench',
    array[row('world', 'CNY', -${profit}::bigint)::ledger.leg, row('union:profit', 'CNY', ${profit}::bigint)::ledger.leg])`;
}

export async function unionDaily(ctx: BenchContext): Promise<BenchResult> {
  const entries = envInt('BENCH_UNION_ENTRIES', 1_000_000);
  const members = envInt('BENCH_UNION_MEMBERS', 10_000);
  const paid = Math.min(envInt('BENCH_UNION_PAID', 300_000), entries);
  const db = await engineDatabase(ctx);
  try {
    ctx.log(`union-daily: loading ${entries} waiting entries of ${members} members`);
    await load(db.sql, entries, members, paid);
    await analyze(db.sql);

    const bare: number[] = [];
    const job: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      ctx.log(`union-daily: run ${run + 1}/${RUNS}, ${entries} waiting, ${paid} to pay`);
      bare.push(
        await timedRollback(db.sql, async (tx) => {
          const t = now();
          const [{ n }] = await tx<{ n: number }[]>`
            with u as (
              update rebate.union_entries set paid = quota, status = 'done', paid_day = ${RUN_DAY}::date
              where status = 'waiting' and seq <= ${paid}
              returning 1)
            select count(*)::int as n from u`;
          const ms = now() - t;
          if (n !== paid) throw new Error(`bare update touched ${n} rows`);
          return ms;
        }),
      );
      job.push(
        await timedRollback(db.sql, async (tx) => {
          const t = now();
          await tx`select rebate.tick(${TICK_AT}::timestamptz)`;
          const ms = now() - t;
          const [r] = await tx<{ paid_count: string; pool_after: string }[]>`
            select paid_count, pool_after from rebate.union_runs where day = ${RUN_DAY}::date`;
          if (!r || Number(r.paid_count) !== paid) throw new Error(`the run paid ${r?.paid_count} of ${paid}`);
          if (Number(r.pool_after) !== CARRY) throw new Error(`the run carried ${r.pool_after}, expected ${CARRY}`);
          return ms;
        }),
      );
    }
    const bareMs = Math.min(...bare);
    const jobMs = Math.min(...job);
    return {
      bench: 'union-daily',
      ratio: round(jobMs / bareMs, 4),
      seconds: round(jobMs / 1000, 3),
      bareSeconds: round(bareMs / 1000, 3),
      entries,
      paid,
      members,
      runs: RUNS,
    };
  } finally {
    await db.drop();
  }
}
