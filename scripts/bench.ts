// Benchmarks: `npm run bench [-- --json] [--only name[,name]] [--list]`.
//
// Each benchmark reports a `ratio` measured side by side in this run (engine
// vs pgbench on the same server, long queue vs short queue), so results
// compare across machines; absolute figures ride along. Speed targets live
// here, never in tests. Progress goes to stderr; with --json, stdout has one
// JSON line per benchmark and nothing else.
//
// Sizes (env): BENCH_SECONDS (30), BENCH_CLIENTS (16), BENCH_PGBENCH_SCALE (10),
// BENCH_HOT_ENTRIES (100000), BENCH_SHORT_ENTRIES (1000),
// BENCH_LONG_ENTRIES (1000000), BENCH_LENGTH_ORDERS (3000), BENCH_CLEARING_ENTRIES (1000000),
// BENCH_UNION_ENTRIES (1000000), BENCH_UNION_PAID (300000), BENCH_UNION_MEMBERS (10000),
// BENCH_MODEL_ORDERS (1000000), BENCH_CALIBRATION_ORDERS_PER_DAY (300).
// A quick smoke run: BENCH_SECONDS=3 BENCH_HOT_ENTRIES=2000 BENCH_LONG_ENTRIES=20000 BENCH_LENGTH_ORDERS=300
import type { BenchContext, BenchResult } from './bench/common';
import { now, round } from './bench/common';
import { pgbench } from './bench/pgbench';
import { settleHotQueue, settleQueueLength } from './bench/settle';
import { clearing } from './bench/clearing';
import { unionDaily } from './bench/union-daily';
import { h5FirstScreen } from './bench/h5-first-screen';
import { weappSize } from './bench/weapp-size';
import { rewardsDeepTree } from './bench/rewards-deep-tree';
import { apiCheckout } from './bench/api-checkout';
import { estimateCalibration, modelReplay } from './bench/model';

const BENCHES: { name: string; what: string; run(ctx: BenchContext): Promise<BenchResult> }[] = [
  { name: 'pgbench', what: 'baseline: pgbench tpcb-like, 16 clients (ratio 1)', run: pgbench },
  { name: 'settle-hot-queue', what: 'tps paying orders into one queue of 100k waiting / pgbench tps', run: settleHotQueue },
  { name: 'settle-queue-length', what: 'ms per settled order with 1M waiting / with 1k waiting', run: settleQueueLength },
  { name: 'clearing', what: 'ms clearing 1M waiting entries via rebate.tick / ms of a bare UPDATE of them', run: clearing },
  { name: 'union-daily', what: 'ms of one union daily run paying 300k of 1M waiting entries (ledger included) / ms of a bare UPDATE of those rows', run: unionDaily },
  { name: 'h5-first-screen', what: 'LCP of the shop home (h5, local stack) / LCP of a blank Taro page', run: h5FirstScreen },
  { name: 'weapp-size', what: 'mini-program main package bytes / 1 MiB (total / 4 MiB alongside)', run: weappSize },
  { name: 'rewards-deep-tree', what: 'ms per paid order with distribution, buyer 20 levels deep / 1 level deep (100k members)', run: rewardsDeepTree },
  { name: 'model-replay', what: 'ms of a 1M-order synthetic stream through the model engine / ms parsing and summing it (target <= 5)', run: modelReplay },
  { name: 'estimate-calibration', what: 'share of entries filled inside the range estimated when they joined (90-day stationary stream) / 0.8', run: estimateCalibration },
  { name: 'api-checkout', what: 'p99 / p50 ms from checkout to settled order through the Deno functions and the sandbox, 16 shoppers', run: apiCheckout },
];

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: tsx scripts/bench.ts [--json] [--only name[,name...]] [--list]');
  console.error(`benchmarks: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { json: boolean; only: string[] } {
  let json = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--only') {
      if (!argv[i + 1]) usage('--only needs a benchmark name');
      only.push(...argv[++i].split(','));
    } else if (a.startsWith('--only=')) only.push(...a.slice(7).split(','));
    else if (a === '--list') {
      for (const b of BENCHES) console.log(`${b.name.padEnd(22)} ${b.what}`);
      process.exit(0);
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument: ${a}`);
  }
  const unknown = only.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) usage(`unknown benchmark: ${unknown.join(', ')}`);
  return { json, only };
}

function table(results: BenchResult[]): string {
  const rows = results.map((r) => {
    const figures = Object.entries(r)
      .filter(([k]) => k !== 'bench' && k !== 'ratio')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return [r.bench, r.error ? 'ERROR' : String(r.ratio), figures];
  });
  const w0 = Math.max(9, ...rows.map((r) => r[0].length));
  const w1 = Math.max(5, ...rows.map((r) => r[1].length));
  return [`${'benchmark'.padEnd(w0)}  ${'ratio'.padStart(w1)}  figures`, ...rows.map((r) => `${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`)].join('\n');
}

async function main(): Promise<void> {
  const { json, only } = parseArgs(process.argv.slice(2));
  const selected = only.length ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  const started = now();
  const ctx: BenchContext = { memo: new Map(), log: (m) => console.error(`[bench ${round((now() - started) / 1000, 1)}s] ${m}`) };
  const results: BenchResult[] = [];
  let failed = false;
  for (const b of selected) {
    ctx.log(`${b.name}: start`);
    let result: BenchResult;
    try {
      result = await b.run(ctx);
    } catch (error) {
      failed = true;
      result = { bench: b.name, ratio: NaN, error: (error as Error).message };
      ctx.log(`${b.name}: FAILED: ${(error as Error).stack ?? error}`);
    }
    results.push(result);
    if (json) console.log(JSON.stringify(result));
  }
  ctx.log(`done in ${round((now() - started) / 1000, 1)} s`);
  if (!json) console.log(table(results));
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
