// pg_cron really drives the scheduler: a job scheduled in the database pg_cron
// runs in (cron.database_name, here `postgres`) calls `rebate.tick(now())` in a
// fresh engine database, and the clearing it is due to run happens.
// pg_cron 1.4 schedules by the minute, so this test waits up to ~2 minutes.
import { adminUrl, connect, createTestDatabase, type Sql, type TestDatabase } from '../../scripts/db/database';

jest.setTimeout(240_000);

const remote = !/@(127\.0\.0\.1|localhost)[:/]/.test(adminUrl());

function shanghaiIso(ms: number): string {
  const local = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

async function waitForRun(admin: Sql, jobId: number, deadlineMs: number): Promise<{ status: string; return_message: string }> {
  while (Date.now() < deadlineMs) {
    const runs = await admin<{ status: string; return_message: string }[]>`
      select status, return_message from cron.job_run_details
      where jobid = ${jobId} and status in ('succeeded', 'failed')
      order by start_time desc limit 1`;
    if (runs.length) return runs[0];
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(`pg_cron did not run job ${jobId} in time: is pg_cron in shared_preload_libraries (npm run setup)?`);
}

(remote ? test.skip : test)('pg_cron runs rebate.tick, which runs the clearing that is due', async () => {
  const admin = connect(adminUrl());
  let db: TestDatabase | undefined;
  let jobId: number | undefined;
  try {
    const [{ preload }] = await admin<{ preload: string }[]>`select current_setting('shared_preload_libraries') as preload`;
    expect(preload).toContain('pg_cron');
    await admin`create extension if not exists pg_cron`;

    db = await createTestDatabase('cron');
    const { sql } = db;
    // Clearing on before any timed event (mark unset), then an order two days ago:
    // today's 00:00 occurrence is due, so the waiting entry must be cleared.
    await sql`select rebate.update_settings(${sql.json({ clearing: { on: true, schedule: 'daily 00:00' } })}, 'test')`;
    await sql`select catalog.upsert_product(${sql.json({ id: 'p1', price: 10000, source: 'self', cost: 5000 })})`;
    await sql`select members.upsert_member(${sql.json({ id: 'A' })})`;
    const at = shanghaiIso(Date.now() - 2 * 86_400_000);
    await sql`select orders.pay_order(${sql.json({ id: 'o1', user: 'A', at, lines: [{ product: 'p1', paid: 10000 }] })})`;
    const before = await sql<{ status: string }[]>`select status from rebate.entries`;
    expect(before.map((e) => e.status)).toEqual(['waiting']);

    const [job] = await admin<{ id: number }[]>`
      select cron.schedule_in_database(${`qm-test-${db.name}`}, '* * * * *', 'select rebate.tick(now())', ${db.name}) as id`;
    jobId = Number(job.id);
    const run = await waitForRun(admin, jobId, Date.now() + 150_000);
    expect(run).toEqual({ status: 'succeeded', return_message: expect.any(String) });

    const after = await sql<{ status: string; paid: string }[]>`select status, paid from rebate.entries`;
    expect(after.map((e) => e.status)).toEqual(['cleared']);
  } finally {
    if (jobId !== undefined) await admin`select cron.unschedule(${jobId}::bigint)`;
    await db?.drop();
    await admin.end();
  }
});
