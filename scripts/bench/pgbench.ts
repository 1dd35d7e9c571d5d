// The pgbench baseline: TPC-B-like throughput of this Postgres on this
// machine, so engine figures are read as a ratio to what the server itself
// does, measured in the same run.
import type { BenchContext, BenchResult } from './common';
import { connect, databaseModule, exec, round, sizes } from './common';

export interface PgbenchFigures {
  tps: number;
  clients: number;
  seconds: number;
  scale: number;
}

function pgEnv(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    PGHOST: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username) || 'postgres',
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

/** tps from pgbench's report (the figure without connection time). */
export function parsePgbenchTps(report: string): number {
  const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(report);
  if (!m) throw new Error(`cannot find tps in pgbench output:\n${report}`);
  return Number(m[1]);
}

async function measure(ctx: BenchContext): Promise<PgbenchFigures> {
  const url = databaseModule().adminUrl();
  const env = pgEnv(url);
  const name = `bench_pgbench_${process.pid}`;
  const { clients, seconds, pgbenchScale: scale } = sizes;
  const admin = connect(url);
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    ctx.log(`pgbench: initialising scale ${scale}`);
    await exec('pgbench', ['-i', '-q', '-s', String(scale), name], env);
    ctx.log(`pgbench: ${clients} clients, ${seconds} s`);
    const report = await exec('pgbench', ['-c', String(clients), '-j', '2', '-T', String(seconds), '-M', 'simple', name], env);
    return { tps: parsePgbenchTps(report), clients, seconds, scale };
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

/** Measured once per run; every benchmark that compares with it shares the figure. */
export function pgbenchBaseline(ctx: BenchContext): Promise<PgbenchFigures> {
  let pending = ctx.memo.get('pgbench') as Promise<PgbenchFigures> | undefined;
  if (!pending) {
    pending = measure(ctx);
    ctx.memo.set('pgbench', pending);
  }
  return pending;
}

export async function pgbench(ctx: BenchContext): Promise<BenchResult> {
  const f = await pgbenchBaseline(ctx);
  // The baseline itself: ratio 1 by definition, listed so its figure is visible.
  return { bench: 'pgbench', ratio: 1, tps: round(f.tps, 1), clients: f.clients, seconds: f.seconds, scale: f.scale };
}
