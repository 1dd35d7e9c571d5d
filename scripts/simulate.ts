// CLI: the what-if simulator (SPEC §9) on the model engine.
//   npm run simulate -- --settings FILE (--from-db --days N | --synthetic SPEC.json | --stream FILE.jsonl) [--json] [--state]
//                       [--write-stream OUT.jsonl] [--write-proposed OUT.jsonl]
// Runs one order stream twice, as recorded (today's settings) and with the
// proposed settings patch of FILE in force throughout, and prints both side
// by side (paid out, outstanding, platform kept / absorbed, wait percentiles,
// compliance flags): a table, or one JSON object with --json. --state adds
// each run's final state, byte-identical to `npm run replay` of the written
// streams. Exit 2 on bad usage or a bad line (`line N: <field>: <reason>`).
import { readFileSync, writeFileSync } from 'node:fs';
import type { ComplianceFlag } from '../src/domain/compliance';
import { parseEvent, type ReplayEvent } from '../src/domain/events';
import { formatYuan } from '../src/domain/money';
import { validateSettingsPatch, type SettingsPatch } from '../src/domain/settings';
import { Simulation, type SimulationFigures, type SimulationResult } from '../src/domain/simulate';
import { parseSyntheticSpec, syntheticStream } from '../src/domain/synthetic';
import { ValidationError } from '../src/domain/validate';

const USAGE =
  'usage: npm run simulate -- --settings FILE (--from-db --days N | --synthetic SPEC.json | --stream FILE.jsonl) [--json] [--state] [--write-stream OUT] [--write-proposed OUT]';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

interface Args {
  settings: string;
  source: { kind: 'db'; days: number } | { kind: 'synthetic'; file: string } | { kind: 'stream'; file: string };
  json: boolean;
  state: boolean;
  writeStream?: string;
  writeProposed?: string;
}

function parseArgs(argv: string[]): Args {
  let settings: string | undefined;
  let fromDb = false;
  let days: number | undefined;
  let synthetic: string | undefined;
  let stream: string | undefined;
  let json = false;
  let state = false;
  let writeStream: string | undefined;
  let writeProposed: string | undefined;
  const value = (i: number, name: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--settings') settings = value(++i, a);
    else if (a === '--from-db') fromDb = true;
    else if (a === '--days') {
      const v = value(++i, a);
      if (!/^[1-9][0-9]{0,3}$/.test(v)) usage('--days must be a whole number of days from 1 to 9999');
      days = Number(v);
    } else if (a === '--synthetic') synthetic = value(++i, a);
    else if (a === '--stream') stream = value(++i, a);
    else if (a === '--json') json = true;
    else if (a === '--state') state = true;
    else if (a === '--write-stream') writeStream = value(++i, a);
    else if (a === '--write-proposed') writeProposed = value(++i, a);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else usage(`unknown argument ${a}`);
  }
  if (!settings) usage('missing --settings FILE');
  const sources = [fromDb, synthetic !== undefined, stream !== undefined].filter(Boolean).length;
  if (sources !== 1) usage('give exactly one of --from-db, --synthetic, --stream');
  if (fromDb && days === undefined) usage('--from-db needs --days N');
  if (!fromDb && days !== undefined) usage('--days goes with --from-db');
  const source: Args['source'] = fromDb ? { kind: 'db', days: days! } : synthetic ? { kind: 'synthetic', file: synthetic } : { kind: 'stream', file: stream! };
  return { settings, source, json, state, writeStream, writeProposed };
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    usage(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    usage(`${what} ${file} is not valid JSON`);
  }
}

/** Fails with the replay's error format: `<where>: <field>: <reason>`, exit 2. */
function badInput(where: string, err: unknown): never {
  if (err instanceof ValidationError) {
    process.stderr.write(`${where}: ${err.field}: ${err.reason}\n`);
    process.exit(2);
  }
  throw err;
}

/** Raw events (JSON objects) of the stream, in order. */
async function rawStream(args: Args): Promise<Iterable<Record<string, unknown>>> {
  const src = args.source;
  if (src.kind === 'synthetic') {
    let spec;
    try {
      spec = parseSyntheticSpec(readJson(src.file, 'synthetic spec'));
    } catch (err) {
      badInput(src.file, err);
    }
    return syntheticStream(spec);
  }
  if (src.kind === 'stream') {
    let text: string;
    try {
      text = readFileSync(src.file, 'utf8');
    } catch (err) {
      usage(`cannot read ${src.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return text.split('\n').map((line, i) => ({ line: i + 1, raw: line.trim() })).filter((l) => l.raw !== '').map((l) => {
      try {
        return JSON.parse(l.raw) as Record<string, unknown>;
      } catch {
        process.stderr.write(`line ${l.line}: invalid JSON\n`);
        process.exit(2);
      }
    });
  }
  const { adminUrl, connect } = await import('./db/database');
  const { exportStream } = await import('./simulate/export');
  const sql = connect(adminUrl());
  try {
    return await exportStream(sql, src.days);
  } finally {
    await sql.end();
  }
}

function yuanOf(fen: number): string {
  return fen < 0 ? `-¥${formatYuan(-fen)}` : `¥${formatYuan(fen)}`;
}

function flagText(f: ComplianceFlag): string {
  return `${f.rule} ${f.subject} ${yuanOf(f.amount)}${f.per === '100yuan' ? '/¥100' : '/件'}`;
}

function table(current: SimulationFigures, proposed: SimulationFigures): string {
  const money = (k: keyof SimulationFigures, label: string) => [label, yuanOf(current[k] as number), yuanOf(proposed[k] as number), diff(current[k] as number, proposed[k] as number, true)];
  const days = (x: number | null) => (x === null ? '-' : `${x} d`);
  const rows: string[][] = [
    ['', 'current', 'proposed', 'change'],
    ['orders', String(current.orders), String(proposed.orders), ''],
    money('extracted', 'extracted'),
    money('paidOut', 'paid out'),
    money('outstanding', 'outstanding'),
    money('reserves', 'reserves'),
    money('kept', 'platform kept'),
    money('absorbed', 'platform absorbed'),
    money('platformNet', 'platform net'),
    money('rewards', 'rewards'),
    ['entries waiting / done', `${current.entries.waiting} / ${current.entries.done}`, `${proposed.entries.waiting} / ${proposed.entries.done}`, ''],
    ['wait p50', days(current.wait.p50), days(proposed.wait.p50), ''],
    ['wait p90', days(current.wait.p90), days(proposed.wait.p90), ''],
    ['wait p99', days(current.wait.p99), days(proposed.wait.p99), ''],
    ['compliance flags', String(current.compliance.length), String(proposed.compliance.length), ''],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  const flags = (name: string, f: ComplianceFlag[]) => (f.length ? [`${name} flags:`, ...f.map((x) => `  ${flagText(x)}: ${x.message}`)] : [`${name} flags: none`]);
  return [...lines, '', ...flags('current', current.compliance), ...flags('proposed', proposed.compliance)].join('\n');
}

function diff(a: number, b: number, money: boolean): string {
  if (a === b) return '0';
  const d = b - a;
  return `${d > 0 ? '+' : '-'}${money ? yuanOf(Math.abs(d)) : Math.abs(d)}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let patch: SettingsPatch;
  try {
    patch = validateSettingsPatch(readJson(args.settings, 'settings file'));
  } catch (err) {
    badInput(args.settings, err);
  }
  const proposedRaw = { type: 'settings', ...(patch as object) };
  const current = new Simulation();
  const proposed = new Simulation();
  const base: string[] | null = args.writeStream ? [] : null;
  const prop: string[] | null = args.writeProposed ? [] : null;
  const proposedEvent = parseEvent(proposedRaw);
  proposed.apply(proposedEvent);
  prop?.push(JSON.stringify(proposedRaw));
  let n = 0;
  for (const raw of await rawStream(args)) {
    n++;
    let event: ReplayEvent;
    try {
      event = parseEvent(raw);
      current.apply(event);
    } catch (err) {
      badInput(`line ${n}`, err);
    }
    try {
      proposed.apply(event);
    } catch (err) {
      badInput(`line ${n} (with the proposed settings)`, err);
    }
    const line = JSON.stringify(raw);
    base?.push(line);
    prop?.push(line);
    if (event.type === 'settings') {
      proposed.apply(proposedEvent);
      prop?.push(JSON.stringify(proposedRaw));
    }
  }
  if (args.writeStream) writeFileSync(args.writeStream, base!.map((l) => `${l}\n`).join(''));
  if (args.writeProposed) writeFileSync(args.writeProposed, prop!.map((l) => `${l}\n`).join(''));
  const result: { current: SimulationResult; proposed: SimulationResult } = { current: current.result(args.state), proposed: proposed.result(args.state) };
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${table(result.current.figures, result.proposed.figures)}\n`);
}

main().catch((err) => {
  process.stderr.write(`simulate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
