// Test orchestrator: `npm test` and its subsets.
//
//   tsx scripts/test.ts [all|unit|db|faults|e2e] [--no-setup] [jest args...]
//
// all = setup, unit, db, faults, e2e. Every step runs even when an earlier one
// failed, so one run shows everything that is broken. The last line is the
// plain summary `N passed, N failed` (jest + pgTAP + Playwright tests); a step
// that breaks before reporting any count adds one failure, so the line never
// reads "0 failed" on a red run. Other args go to jest (unit, db).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, '.tmp', 'test-results');
const BIN = join(ROOT, 'node_modules', '.bin');

interface StepResult {
  step: string;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}

const results: StepResult[] = [];

function record(result: StepResult): void {
  results.push(result);
  const extra = result.skipped ? `, ${result.skipped} skipped` : '';
  const note = result.note ? ` (${result.note})` : '';
  console.log(`\n[test] ${result.step}: ${result.passed} passed, ${result.failed} failed${extra}${note}\n`);
}

/** A step that runs longer than this is killed and counted as failed: CI must not hang on a leaked handle. */
const STEP_TIMEOUT_MS = Number(process.env.TEST_STEP_TIMEOUT_MINUTES || 15) * 60_000;

/** Runs a command; output streams through. With `capture`, stdout is also collected. */
function run(cmd: string, args: string[], opts: { capture?: boolean; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', opts.capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    const timer = setTimeout(() => {
      console.error(`[test] ERROR: ${cmd} ${args.join(' ')} still running after ${STEP_TIMEOUT_MS / 60_000} min; killing it`);
      child.kill('SIGKILL');
    }, STEP_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      console.error(`[test] cannot run ${cmd}: ${err.message}`);
      resolve({ code: 127, stdout });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout });
    });
  });
}

function readJson(path: string): any | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- setup

async function setup(): Promise<void> {
  const { code } = await run('bash', [join(ROOT, 'scripts', 'setup-system.sh')], { env: { SETUP_QUIET: '1' } });
  if (code !== 0) record({ step: 'setup', passed: 0, failed: 1, skipped: 0, note: `scripts/setup-system.sh exited ${code}` });
}

// ---------------------------------------------------------------- jest

interface JestProject {
  displayName: string;
  roots: string[];
}

function jestProjects(): JestProject[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const config = require(join(ROOT, 'jest.config.js'));
  return (config.projects ?? []).map((p: any) => ({
    displayName: typeof p.displayName === 'string' ? p.displayName : p.displayName?.name,
    roots: (p.roots ?? ['<rootDir>']).map((r: string) => r.replace('<rootDir>', ROOT)),
  }));
}

function countTestFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) n += countTestFiles(path);
    else if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(name)) n += 1;
  }
  return n;
}

async function jest(step: string, wanted: string[], extraArgs: string[]): Promise<void> {
  const defined = jestProjects();
  const selected = defined.filter((p) => wanted.includes(p.displayName));
  if (selected.length === 0) {
    record({ step, passed: 0, failed: 1, skipped: 0, note: `no jest project named ${wanted.join('/')} in jest.config.js` });
    return;
  }
  for (const p of selected) {
    const files = p.roots.reduce((n, r) => n + countTestFiles(r), 0);
    if (files === 0) console.warn(`[test] WARNING: jest project '${p.displayName}' has no test files under ${p.roots.map((r) => relative(ROOT, r)).join(', ')}`);
  }
  mkdirSync(RESULTS, { recursive: true });
  const out = join(RESULTS, `jest-${step}.json`);
  rmSync(out, { force: true });
  // --forceExit: a test that leaks a handle gets jest's warning, not a hung CI run.
  const args = ['--selectProjects', ...selected.map((p) => p.displayName), '--json', `--outputFile=${out}`, '--forceExit'];
  if (process.env.CI) args.push('--ci');
  const { code } = await run(join(BIN, 'jest'), [...args, ...extraArgs]);
  const report = readJson(out);
  if (!report) {
    record({ step, passed: 0, failed: 1, skipped: 0, note: `jest exited ${code} without a report` });
    return;
  }
  let failed = report.numFailedTests as number;
  // Suites that fail to load (syntax error, import error) count no tests.
  const brokenSuites = (report.numRuntimeErrorTestSuites as number) ?? 0;
  const note: string[] = [];
  if (brokenSuites) note.push(`${brokenSuites} suite(s) failed to run`);
  failed += brokenSuites;
  if (report.numTotalTests === 0) note.push('no tests found');
  if (code !== 0 && failed === 0) {
    failed = 1;
    note.push(`jest exited ${code}`);
  }
  record({ step, passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests, note: note.join('; ') || undefined });
}

// ---------------------------------------------------------------- pgTAP

/** Reads counts from the pgTAP runner's output: our plain summary line, else TAP lines, else pg_prove's summary. */
export function parsePgtapOutput(text: string): { passed: number; failed: number; skipped: number } | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(?:\S+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(lines[i].trim());
    if (m) return { passed: +m[1], failed: +m[2], skipped: m[3] ? +m[3] : 0 };
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let seen = false;
  for (const line of lines) {
    const m = /^\s*(not ok|ok)\s+\d+\b(.*)$/.exec(line);
    if (!m) continue;
    seen = true;
    const directive = /#\s*(skip|todo)\b/i.exec(m[2]);
    if (directive) skipped += 1;
    else if (m[1] === 'ok') passed += 1;
    else failed += 1;
  }
  if (seen) return { passed, failed, skipped };
  // pg_prove without --verbose: "Files=3, Tests=42, ..." and "Failed 2/10 subtests".
  const total = /Files=\d+, Tests=(\d+)/.exec(text);
  if (total) {
    const bad = [...text.matchAll(/Failed (\d+)\/\d+ subtests/g)].reduce((n, m) => n + Number(m[1]), 0);
    return { passed: Number(total[1]) - bad, failed: bad, skipped: 0 };
  }
  return undefined;
}

async function pgtap(): Promise<void> {
  const runner = join(ROOT, 'scripts', 'db', 'pgtap.ts');
  if (!existsSync(runner)) {
    console.error('[test] ERROR: scripts/db/pgtap.ts (the pgTAP runner) does not exist; pgTAP tests cannot run.');
    record({ step: 'pgtap', passed: 0, failed: 1, skipped: 0, note: 'scripts/db/pgtap.ts missing' });
    return;
  }
  const { code, stdout } = await run(join(BIN, 'tsx'), [runner], { capture: true });
  const counts = parsePgtapOutput(stdout);
  if (!counts) {
    record({ step: 'pgtap', passed: 0, failed: 1, skipped: 0, note: `runner exited ${code} and printed no test counts` });
    return;
  }
  const note: string[] = [];
  if (counts.passed + counts.failed === 0) note.push('no pgTAP tests ran');
  if (code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    note.push(`runner exited ${code}`);
  }
  if (counts.passed + counts.failed === 0) counts.failed = Math.max(counts.failed, 1);
  record({ step: 'pgtap', ...counts, note: note.join('; ') || undefined });
}

// ---------------------------------------------------------------- e2e

async function e2e(): Promise<void> {
  const dir = join(ROOT, 'test', 'e2e');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')) : [];
  if (files.length === 0) {
    console.log('[test] e2e: no e2e tests yet (test/e2e/*.e2e.ts)');
    return;
  }
  const config = ['playwright.config.ts', 'playwright.config.js'].find((f) => existsSync(join(ROOT, f)));
  if (!config) {
    record({ step: 'e2e', passed: 0, failed: 1, skipped: 0, note: `${files.length} e2e file(s) but no playwright.config.ts` });
    return;
  }
  if (!existsSync(join(BIN, 'playwright'))) {
    record({ step: 'e2e', passed: 0, failed: 1, skipped: 0, note: '@playwright/test is not installed' });
    return;
  }
  mkdirSync(RESULTS, { recursive: true });
  const out = join(RESULTS, 'playwright.json');
  rmSync(out, { force: true });
  const { code } = await run(join(BIN, 'playwright'), ['test', '--config', config, '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  });
  const report = readJson(out);
  if (!report?.stats) {
    record({ step: 'e2e', passed: 0, failed: 1, skipped: 0, note: `playwright exited ${code} without a report` });
    return;
  }
  const s = report.stats;
  const passed = (s.expected ?? 0) + (s.flaky ?? 0);
  let failed = s.unexpected ?? 0;
  const note: string[] = [];
  if (s.flaky) note.push(`${s.flaky} flaky`);
  if (code !== 0 && failed === 0) {
    failed = 1;
    note.push(`playwright exited ${code}`);
  }
  record({ step: 'e2e', passed, failed, skipped: s.skipped ?? 0, note: note.join('; ') || undefined });
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const what = ['all', 'unit', 'db', 'faults', 'e2e'].includes(argv[0]) ? argv.shift()! : 'all';
  const noSetup = argv.includes('--no-setup');
  // Everything else goes to jest (npm has already stripped a leading `--`).
  const extra = argv.filter((a) => a !== '--no-setup' && a !== '--');
  const started = Date.now();

  if (what !== 'unit' && !noSetup) await setup();
  if (what === 'all' || what === 'unit') await jest('unit', ['unit', 'components', 'stack'], extra);
  if (what === 'all' || what === 'db') {
    await pgtap();
    await jest('db', ['db'], extra);
  }
  // Crashes, lost WeChat answers, a short soak (docs/reliability.md); CI sizes unless FAULTS_* say otherwise.
  if (what === 'all' || what === 'faults') await jest('faults', ['faults'], extra);
  if (what === 'all' || what === 'e2e') await e2e();

  const passed = results.reduce((n, r) => n + r.passed, 0);
  let failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  if (passed + failed === 0 && results.length > 0) failed = 1; // a run that ran nothing is not green
  console.log(`[test] ${what} finished in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const r of results) {
    console.log(`[test]   ${r.step.padEnd(6)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${r.note ? ` (${r.note})` : ''}`);
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
}
