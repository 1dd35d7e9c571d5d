// pg_cron drives the union queue's daily settlement: a job scheduled in the
// database pg_cron runs in calls `rebate.tick(now())` in a fresh engine
// database in union mode, and the daily run due for an order completed two
// days ago happens: the pool fills and the head entry is paid in full.
// pg_cron 1.4 schedules by the minute, so this test waits up to ~2 minutes.
import { adminUrl, connect, createTestDatabase, type Sql, type TestDatabase } from '../../scripts/db/database';

jest.setTimeout(240_000);

const remote = !/@(127\.0\.0\.1|localhost)[:/]/.test(adminUrl());

function shanghaiIso(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

async function waitForRun(admin: Sql, jobId: number, deadlineMs: number): Promise<{ status: string }> {
  while (Date.now() < deadlineMs) {
    const runs = await admin<{ status: string }[]>`
      select status from cron.job_run_details
      where jobid = ${jobId} and status in ('succeeded', 'failed')
      order by start_time desc limit 1`;
    if (runs.length) return runs[0];
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(`pg_cron did not run job ${jobId} in time: is pg_cron in shared_preload_libraries (npm run setup)?`);
}

(remote ? test.skip : test)('pg_cron runs rebate.tick, which runs the union daily settlement that is due', async () => {
  const admin = connect(adminUrl());
  let db: TestDatabase | undefined;
  let jobId: number | undefined;
  try {
    await admin`create extension if not exists pg_cron`;
    db = await createTestDatabase('cron_union');
    const { sql } = db;
    await sql`select rebate.update_settings(${sql.json({ mode: 'union', unionPoolRatio: '100' })}, 'test')`;
    await sql`select catalog.upsert_product(${sql.json({ id: 'p1', price: 10000, source: 'self', cost: 0 })})`;
    await sql`select members.upsert_member(${sql.json({ id: 'A' })})`;
    await sql`select members.upsert_member(${sql.json({ id: 'B' })})`;
    // Two orders completed two days ago: profit 2 × 10000 = 20000 into the pool at the next run,
    // A's quota 11000 paid in full, B's 11000 not covered by the 9000 left.
    const at = shanghaiIso(Date.now() - 2 * 86_400_000);
    for (const [id, user] of [['o1', 'A'], ['o2', 'B']]) {
      await sql`select orders.pay_order(${sql.json({ id, user, at, lines: [{ product: 'p1', paid: 10000 }] })})`;
      await sql`select orders.complete_order(${id}, ${at}::timestamptz)`;
    }
    const before = await sql<{ status: string }[]>`select status from rebate.union_entries order by seq`;
    expect(before.map((e) => e.status)).toEqual(['waiting', 'waiting']);

    const [job] = await admin<{ id: number }[]>`
      select cron.schedule_in_database(${`qm-test-${db.name}`}, '* * * * *', 'select rebate.tick(now())', ${db.name}) as id`;
    jobId = Number(job.id);
    expect(await waitForRun(admin, jobId, Date.now() + 150_000)).toEqual({ status: 'succeeded' });

    const after = await sql<{ status: string; paid: string }[]>`select status, paid from rebate.union_entries order by seq`;
    expect(after).toEqual([
      { status: 'done', paid: '11000' },
      { status: 'waiting', paid: '0' },
    ]);
    const [{ runs }] = await sql<{ runs: string }[]>`select count(*) as runs from rebate.union_runs`;
    // The day after the completions and every day since, up to today (if today's run time has passed).
    expect(Number(runs)).toBeGreaterThanOrEqual(1);
    const [{ pool }] = await sql<{ pool: string }[]>`select rebate.union_pool_balance() as pool`;
    expect(pool).toBe('9000');
  } finally {
    if (jobId !== undefined) await admin`select cron.unschedule(${jobId}::bigint)`;
    await db?.drop();
    await admin.end();
  }
});
