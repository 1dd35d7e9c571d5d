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

/** Deferred engine work (if the engine defers any): its time belongs to the measurement. */
export async function processPending(sql: Sql): Promise<boolean> {
  if (!(await hasFunction(sql, 'rebate.process_pending()'))) return false;
  await sql`select rebate.process_pending()`;
  return true;
}

export const PRODUCT = { id: 'bench-p1', price: 10_000, source: 'self', cost: 6_000, queue: {} };

/** Platform settings, one product and `users` members, through the engine's own functions. */
export async function seedCatalog(sql: Sql, users: number): Promise<void> {
  await sql`select rebate.update_settings(${JSON.stringify({ mallQueue: true })}::jsonb, 'bench')`;
  await sql`select catalog.upsert_product(${JSON.stringify(PRODUCT)}::jsonb)`;
  await sql`
    select members.upsert_member(jsonb_build_object('id', 'bench-u' || i))
    from generate_series(1, ${users}::int) as i`;
}

const LOADER = readFileSync(join(__dirname, 'load-waiting.sql'), 'utf8');

/**
 * `count` genuine waiting entries in the mall queue: real paid orders through
 * orders.pay_order, in one server-side loop (one transaction), while the
 * queue is paused so no extraction fills them; the pause is lifted after.
 */
export async function loadWaiting(sql: Sql, count: number, users: number, ctx: BenchContext): Promise<number> {
  const started = now();
  await sql.unsafe(LOADER);
  await sql`select rebate.update_settings('{"paused":true}'::jsonb, 'bench')`;
  await sql.begin(async (tx) => {
    await tx`set local synchronous_commit = off`;
    await tx`select bench.load_waiting(${count}::int, ${users}::int, ${PRODUCT.id}, ${PRODUCT.price}::bigint)`;
  });
  await sql`select rebate.update_settings('{"paused":false}'::jsonb, 'bench')`;
  // autovacuum may be off (CI machines): give the planner real statistics,
  // as a live database would have.
  await sql`vacuum analyze`;
  const ms = now() - started;
  ctx.log(`loaded ${count} waiting entries in ${round(ms / 1000, 1)} s`);
  return ms;
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
      await sql`select orders.pay_order(${json}::jsonb)`;
      return retries;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || retries >= 20) throw error;
    }
  }
}
