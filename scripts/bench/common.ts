// Shared pieces of the benchmarks: sizes from the environment, timing,
// scratch databases, and the calls into the real engine functions.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';

export type Sql = postgres.Sql;

/** One benchmark's result: `ratio` is what regressions are judged by; figures explain it. */
export interface BenchResult {
  bench: string;
  ratio: number;
  [figure: string]: unknown;
}

export interface BenchContext {
  /** Shared across benchmarks of one run, so baselines are measured once, side by side. */
  memo: Map<string, Promise<unknown>>;
  log(message: string): void;
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got "${raw}"`);
  return n;
}

/** Sizes and durations; each can be lowered by env for a quick run. */
export const sizes = {
  get seconds() {
    return envInt('BENCH_SECONDS', 30);
  },
  get clients() {
    return envInt('BENCH_CLIENTS', 16);
  },
  get pgbenchScale() {
    return envInt('BENCH_PGBENCH_SCALE', 10);
  },
  get hotEntries() {
    return envInt('BENCH_HOT_ENTRIES', 100_000);
  },
  get longEntries() {
    return envInt('BENCH_LONG_ENTRIES', 1_000_000);
  },
  get shortEntries() {
    return envInt('BENCH_SHORT_ENTRIES', 1_000);
  },
  get lengthOrders() {
    return envInt('BENCH_LENGTH_ORDERS', 3_000);
  },
};

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6; // ms
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs a program, collecting stdout; rejects with its stderr on failure. */
export function exec(cmd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out + err) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim() || out.trim()}`))));
  });
}

export function connect(url: string): Sql {
  // One connection per client, no prepared statements (as the app and pglite-socket need).
  return postgres(url, { max: 1, prepare: false, onnotice: () => {}, idle_timeout: 0, connect_timeout: 30 });
}

// --------------------------------------------------------------- database

type DatabaseModule = {
  createTestDatabase(prefix?: string, options?: { max?: number }): Promise<{ name: string; url: string; sql: Sql; drop(): Promise<void> }>;
  adminUrl(): string;
};

/** scripts/db/database.ts (the SQL engine's helpers); a clear error when it is not there yet. */
export function databaseModule(): DatabaseModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('../db/database') as DatabaseModule;
  } catch (error) {
    throw new Error(`scripts/db/database.ts cannot be loaded (createTestDatabase is needed): ${(error as Error).message}`);
  }
}

/** A migrated scratch database, with the engine functions the benchmarks call checked up front. */
export async function engineDatabase(ctx: BenchContext) {
  const db = await databaseModule().createTestDatabase('bench');
  try {
    const required = [
      'orders.pay_order(jsonb)',
      'members.upsert_member(jsonb)',
      'catalog.upsert_product(jsonb)',
      'rebate.update_settings(jsonb,text)',
    ];
    const rows = await db.sql<{ fn: string; ok: boolean }[]>`
      select fn, to_regprocedure(fn) is not null as ok from unnest(${required}::text[]) as fn`;
    const missing = rows.filter((r) => !r.ok).map((r) => r.fn);
    if (missing.length) throw new Error(`the migrations do not define ${missing.join(', ')}`);
    ctx.log(`database ${db.name}`);
    return db;
  } catch (error) {
    await db.drop().catch(() => {});
    throw error;
  }
}

export async function hasFunction(sql: Sql, signature: string): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`select to_regprocedure(${signature}) is not null as ok`;
  return row.ok;
}

/**
 * Deferred engine work: the SQL engine journals queue operations and applies
 * those whose queue lock was busy later, in rebate.process_pending() (which
 * returns how many it applied; call again while > 0). Its time belongs to
 * the measurement. False when the engine has no such function.
 */
export async function processPending(sql: Sql): Promise<boolean> {
  const [{ ok }] = await sql<{ ok: boolean }[]>`
    select exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                   where n.nspname = 'rebate' and p.proname = 'process_pending') as ok`;
  if (!ok) return false;
  for (;;) {
    const [{ n }] = await sql<{ n: number | null }[]>`select rebate.process_pending() as n`;
    if (!n) return true;
  }
}

export const PRODUCT = { id: 'bench-p1', price: 10_000, source: 'self', cost: 6_000, queue: {} };

/** Platform settings, one product and `users` members, through the engine's own functions. */
export async function seedCatalog(sql: Sql, users: number): Promise<void> {
  await sql`select rebate.update_settings(${JSON.stringify({ mallQueue: true })}::text::jsonb, 'bench')`;
  await sql`select catalog.upsert_product(${JSON.stringify(PRODUCT)}::text::jsonb)`;
  await sql`
    select members.upsert_member(jsonb_build_object('id', 'bench-u' || i))
    from generate_series(1, ${users}::int) as i`;
}

const LOADER = readFileSync(join(__dirname, 'load-waiting.sql'), 'utf8');

export type Loader = 'bulk' | 'engine';

/** BENCH_LOADER=engine pays every pre-loaded order through orders.pay_order (slow; a few ms each). */
export function loaderFromEnv(): Loader {
  const v = process.env.BENCH_LOADER || 'bulk';
  if (v !== 'bulk' && v !== 'engine') throw new Error(`BENCH_LOADER: expected bulk or engine, got "${v}"`);
  return v;
}

/**
 * `count` genuine waiting entries in the mall queue, paid while the queue is
 * paused (entries join, the platform keeps each extraction); the pause is
 * lifted after. `engine`: real orders through orders.pay_order, committed in
 * batches (one huge transaction makes every update of a hot account row walk
 * a growing chain of dead versions). `bulk`: bench.bulk_waiting, the same rows
 * written set-based (see load-waiting.sql and checkLoaderFidelity).
 */
export async function loadWaiting(sql: Sql, count: number, users: number, ctx: BenchContext, loader: Loader = loaderFromEnv()): Promise<number> {
  const started = now();
  await sql.unsafe(LOADER);
  await sql`select rebate.update_settings('{"paused":true}'::jsonb, 'bench')`;
  if (loader === 'bulk') {
    await sql.begin(async (tx) => {
      await tx`set local synchronous_commit = off`;
      await tx`select bench.bulk_waiting(${count}::int, ${users}::int, ${PRODUCT.id}, ${PRODUCT.price}::bigint)`;
    });
  } else {
    const batch = 500;
    for (let done = 0; done < count; done += batch) {
      await sql.begin(async (tx) => {
        await tx`set local synchronous_commit = off`;
        await tx`select bench.load_waiting_range(${done + 1}::int, ${Math.min(count, done + batch)}::int, ${users}::int, ${PRODUCT.id}, ${PRODUCT.price}::bigint)`;
      });
    }
  }
  await sql`select rebate.update_settings('{"paused":false}'::jsonb, 'bench')`;
  const ms = now() - started;
  ctx.log(`loaded ${count} waiting entries (${loader}) in ${round(ms / 1000, 1)} s`);
  return ms;
}

/** autovacuum may be off (CI machines): give the planner real statistics, as a live database has. */
export async function analyze(sql: Sql): Promise<void> {
  await sql`vacuum analyze`;
}

/** Every base table's rows (timestamps of the moment left out), for comparing two databases. */
async function dumpTables(sql: Sql): Promise<Map<string, string>> {
  const tables = await sql<{ schema: string; name: string; skip: string[] }[]>`
    select t.table_schema as schema, t.table_name as name,
           coalesce(array_agg(c.column_name::text) filter (
             where (c.data_type = 'timestamp with time zone' and c.column_name <> 'at')
                or c.column_default like '%now()%'), '{}') as skip
    from information_schema.tables t
    join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
    where t.table_type = 'BASE TABLE'
      and t.table_schema not in ('pg_catalog', 'information_schema', 'bench')
      and t.table_schema not like 'pg\_%'
    group by 1, 2 order by 1, 2`;
  const out = new Map<string, string>();
  for (const t of tables) {
    const [{ d }] = await sql.unsafe<{ d: string }[]>(
      `select coalesce(jsonb_agg(x order by x::text), '[]')::text as d
       from (select to_jsonb(t) - $1::text[] as x from "${t.schema}"."${t.name}" t) s`,
      [t.skip as unknown as string],
    );
    out.set(`${t.schema}.${t.name}`, d);
  }
  return out;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 120);
  return `engine: …${a.slice(from, i + 120)}…\n  bulk:   …${b.slice(from, i + 120)}…`;
}

/**
 * The bulk loader must write exactly what the engine writes: load a few
 * orders both ways into two fresh databases and compare every table. Once
 * per run; a mismatch fails every benchmark that pre-loads entries.
 */
export function checkLoaderFidelity(ctx: BenchContext): Promise<void> {
  let pending = ctx.memo.get('loader-fidelity') as Promise<void> | undefined;
  if (!pending) {
    pending = (async () => {
      const dumps: Map<string, string>[] = [];
      for (const loader of ['engine', 'bulk'] as const) {
        const db = await databaseModule().createTestDatabase('bench');
        try {
          await seedCatalog(db.sql, 7);
          await loadWaiting(db.sql, 25, 7, { ...ctx, log: () => {} }, loader);
          dumps.push(await dumpTables(db.sql));
        } finally {
          await db.drop();
        }
      }
      const [engine, bulk] = dumps;
      for (const table of new Set([...engine.keys(), ...bulk.keys()])) {
        const a = engine.get(table) ?? '(missing)';
        const b = bulk.get(table) ?? '(missing)';
        if (a !== b) {
          throw new Error(`scripts/bench/load-waiting.sql no longer writes what orders.pay_order writes: table ${table} differs\n  ${firstDifference(a, b)}\nUpdate bench.bulk_waiting to follow the engine (or run with BENCH_LOADER=engine).`);
        }
      }
      ctx.log(`bulk loader matches the engine (${engine.size} tables compared)`);
    })();
    ctx.memo.set('loader-fidelity', pending);
  }
  return pending;
}

/** The order event of §10 minus `type`, as orders.pay_order takes it. */
export function orderJson(id: string, user: string, at: Date, paid: number): string {
  return JSON.stringify({ id, user, at: at.toISOString().replace('Z', '+00:00'), lines: [{ product: PRODUCT.id, paid, deducted: 0 }] });
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/** Pays one order; retries what Postgres asks clients to retry. Returns retries used. */
export async function payOrder(sql: Sql, json: string): Promise<number> {
  for (let retries = 0; ; retries++) {
    try {
      await sql`select orders.pay_order(${json}::text::jsonb)`;
      return retries;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || retries >= 20) throw error;
    }
  }
}

/** Wall-clock ms with sub-ms precision, comparable with the server's clock_timestamp() on this machine. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export type PayPath = 'deferred' | 'inline';

/**
 * BENCH_PAY_PATH: `inline` (default) pays as the api does: one transaction
 * (orders.pay_order) records the payment and, when the queue's lock is
 * free, applies the queue's backlog as one batch (try-lock: payers never
 * wait for each other). `deferred`: the short payment transaction alone
 * (orders.record_payment). Both then run the processor for the order's
 * queues once the payment committed (rebate.apply_pending, try-locks, again
 * while it applies some), as pay-notify does.
 */
export function payPathFromEnv(): PayPath {
  const v = process.env.BENCH_PAY_PATH || 'inline';
  if (v !== 'deferred' && v !== 'inline') throw new Error(`BENCH_PAY_PATH: expected deferred or inline, got "${v}"`);
  return v;
}

/** Pays one order by `path`; returns the retries used and the wall-clock ms its payment committed. */
export async function payOrderBy(path: PayPath, sql: Sql, id: string, json: string): Promise<{ retries: number; committedAt: number }> {
  let retries = 0;
  if (path === 'inline') {
    retries = await payOrder(sql, json);
  } else {
    for (; ; retries++) {
      try {
        await sql`select orders.record_payment(${json}::text::jsonb)`;
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || retries >= 20) throw error;
      }
    }
  }
  const committedAt = wallMs();
  // Then the processor for its queues, again while it applies some, as
  // pay-notify does after the payment committed (docs/scaling.md).
  try {
    for (let round = 0; round < 10; round++) {
      const [{ n }] = await sql<{ n: number }[]>`select rebate.apply_pending(${id}) as n`;
      if (!n) break;
    }
  } catch (error) {
    // The payment stands; its operations stay pending for the next processor.
    const code = (error as { code?: string }).code;
    if (!code || !RETRYABLE.has(code)) throw error;
  }
  return { retries, committedAt };
}
