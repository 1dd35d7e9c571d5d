// The queue processor killed between and inside batches. Payments are
// recorded the deferred way (orders.record_payment: the order, its lines
// and journal lines, no queue work), then the processor
// (rebate.process_pending, as the jobs function runs it) applies the
// journal in batches. Its connection is killed (pg_terminate_backend) while
// a batch is blocked after applying its operations, and the process running
// it is killed (SIGKILL of the psql client) in the same spot; batches before
// were committed. The next runs resume from the journal: every operation
// applied exactly once, and the state is byte-identical to a database where
// the same payments were processed without a fault.
import { spawn } from 'node:child_process';
import type postgres from 'postgres';
import { connect, createTestDatabase, type TestDatabase } from '../../scripts/db/database.ts';
import { applyEvent, readState } from '../../scripts/replay/db-engine.ts';
import { parseEvent } from '../../src/domain/events.ts';
import { printState } from '../../src/domain/state.ts';
import { queueProblems, ledgerProblems } from './helpers/invariants.ts';

jest.setTimeout(180_000);

const ORDERS = Number(process.env.FAULTS_PROCESSOR_ORDERS ?? 300);
const BATCH = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const users = Array.from({ length: 12 }, (_, i) => `U${i}`);
const setup = [
  { type: 'product', id: 'hot', price: 1000, source: 'self', cost: 0 },
  { type: 'product', id: 'calm', price: 3000, source: 'self', cost: 0 },
  ...users.map((id) => ({ type: 'user', id })),
];
const orders = Array.from({ length: ORDERS }, (_, i) => ({
  id: `o${String(i).padStart(5, '0')}`,
  user: users[(i * 7) % users.length],
  at: new Date(Date.UTC(2026, 0, 1, 2) + i * 60_000).toISOString(),
  lines: i % 5 === 4 ? [{ product: 'calm', paid: 3000 }, { product: 'hot', paid: 1000 }] : [{ product: 'hot', paid: 1000 }],
}));

async function recordPayments(db: TestDatabase): Promise<void> {
  await db.sql.begin(async (tx) => {
    for (const e of setup) await applyEvent(tx as never, parseEvent(e));
  });
  for (const o of orders) await db.sql`select orders.record_payment(${db.sql.json(o)})`;
}

const pending = async (sql: postgres.Sql) => Number((await sql`select count(*)::int as n from rebate.queue_ops where processed_at is null`)[0].n);
/** What one processor run applies: up to BATCH operations of each queue with a backlog. */
const oneBatch = async (sql: postgres.Sql) =>
  Number((await sql`select coalesce(sum(least(n, ${BATCH})), 0)::int as n from (select count(*) as n from rebate.queue_ops where processed_at is null group by queue_id) q`)[0].n);

let control: TestDatabase;
let expected: string;

beforeAll(async () => {
  control = await createTestDatabase('faults_proc_ctl');
  await recordPayments(control);
  while ((await control.sql`select rebate.process_pending(${BATCH}) as n`)[0].n > 0);
  expected = printState(await readState(control.sql));
});

afterAll(async () => {
  await control?.drop();
});

/**
 * Runs one batch that blocks after applying its operations (another session
 * holds the row of the ledger account its payouts post to), kills it with
 * `kill`, and checks that nothing of it remained.
 */
async function killInsideBatch(db: TestDatabase, kill: (pid: number) => Promise<void>, startBatch: () => Promise<unknown>): Promise<number> {
  const before = await pending(db.sql);
  const batch = await oneBatch(db.sql);
  const lockSql = connect(db.url);
  const holder = await lockSql.reserve();
  try {
    await holder`begin`;
    // Every hot-queue batch pays the queue's reserve or an entry's wallet; hold them all.
    await holder`select id from ledger.accounts where code like 'reserve:%' or code like 'wallet:%' or code like 'kept:%' for update`;
    const [{ pid: holderPid }] = await holder`select pg_backend_pid() as pid`;
    const running = startBatch();
    running.catch(() => {});
    let victim: { pid: number; xid: string | null } | undefined;
    for (let i = 0; i < 400 && !victim; i++) {
      [victim] = await db.sql<{ pid: number; xid: string | null }[]>`select pid, backend_xid::text as xid from pg_stat_activity
        where datname = current_database() and ${holderPid}::int = any (pg_blocking_pids(pid)) and query like '%process_pending%'`;
      if (!victim) await sleep(50);
    }
    if (!victim) throw new Error(`the batch did not block: ${JSON.stringify(await db.sql`select pid, state, wait_event, backend_xid, left(query, 80) as q, pg_blocking_pids(pid) as blockers from pg_stat_activity where datname = current_database()`)}; holder ${holderPid}`);
    // Blocked at the end of its batch: it has written (a transaction id) the journal results and entries already.
    expect(victim!.xid).not.toBeNull();
    await kill(victim!.pid);
    await running.catch(() => {});
    await holder`rollback`;
  } finally {
    holder.release();
    await lockSql.end();
  }
  // Give a backend whose client vanished the time to finish or roll back, then: all or nothing.
  for (let i = 0; i < 100; i++) {
    const [{ n }] = await db.sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and query like '%process_pending%' and pid <> pg_backend_pid()`;
    if (n === 0) break;
    await sleep(50);
  }
  // All of the batch or none of it.
  const applied = before - (await pending(db.sql));
  expect([0, batch]).toContain(applied);
  expect(await queueProblems(db.sql, { settled: false })).toEqual([]);
  expect(await ledgerProblems(db.sql)).toEqual([]);
  return applied;
}

test(`${ORDERS} payments, the processor killed between and inside batches: every operation applied once, state identical to an unfaulted run`, async () => {
  const db = await createTestDatabase('faults_proc');
  try {
    await recordPayments(db);
    const total = await pending(db.sql);
    expect(total).toBe(ORDERS + Math.floor(ORDERS / 5));

    // A batch commits, then the next one is killed inside (its connection terminated): none of it stays.
    let batch = await oneBatch(db.sql);
    expect((await db.sql`select rebate.process_pending(${BATCH}) as n`)[0].n).toBe(batch);
    let left = total - batch;
    const victimSql = connect(db.url);
    try {
      const applied = await killInsideBatch(
        db,
        async (pid) => void (await db.sql`select pg_terminate_backend(${pid}::int)`),
        // .then: a postgres.js query runs once something waits for it.
        () => victimSql`select rebate.process_pending(${BATCH})`.then((r) => r),
      );
      expect(applied).toBe(0);
    } finally {
      await victimSql.end({ timeout: 1 }).catch(() => {});
    }
    expect(await pending(db.sql)).toBe(left);

    // Another batch commits; then the process running the next one is killed (SIGKILL of its psql client:
    // the server finishes or abandons the batch, all or nothing).
    batch = await oneBatch(db.sql);
    expect((await db.sql`select rebate.process_pending(${BATCH}) as n`)[0].n).toBe(batch);
    left -= batch;
    let child: ReturnType<typeof spawn> | undefined;
    await killInsideBatch(
      db,
      async () => void child!.kill('SIGKILL'),
      () =>
        new Promise((resolve) => {
          child = spawn('psql', [db.url, '-X', '-q', '-c', `select rebate.process_pending(${BATCH})`], { stdio: 'ignore' });
          child.on('exit', resolve);
        }),
    );

    // The next runs resume from the journal until it is empty.
    let runs = 0;
    while ((await db.sql`select rebate.process_pending(${BATCH}) as n`)[0].n > 0) runs++;
    expect(runs).toBeGreaterThan(0);
    expect(await pending(db.sql)).toBe(0);
    expect(await queueProblems(db.sql, { settled: true })).toEqual([]);
    expect(await ledgerProblems(db.sql)).toEqual([]);
    // Each operation applied once: one applied_seq each, and the state is what an unfaulted run gives.
    const [{ applied, distinct }] = await db.sql`select count(*)::int as applied, count(distinct applied_seq)::int as distinct from rebate.queue_ops`;
    expect([applied, distinct]).toEqual([total, total]);
    expect(printState(await readState(db.sql))).toBe(expected);
  } finally {
    await db.drop();
  }
});
