// The what-if simulator: figures worked by hand on small streams, and the
// same stream gives the same state through the CLI (both runs), through
// `npm run replay` and through compareSettings (what the console's web
// worker runs), byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent, type ReplayEvent } from '@/domain/events';
import { compareSettings, Simulation } from '@/domain/simulate';
import { parseSyntheticSpec, syntheticStream } from '@/domain/synthetic';

const ROOT = join(__dirname, '..', '..');
jest.setTimeout(120_000);

const tsx = (script: string, ...args: string[]) => spawnSync('npx', ['tsx', script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20 });
const events = (text: string): ReplayEvent[] => text.split('\n').filter((l) => l.trim()).map((l) => parseEvent(JSON.parse(l)));

describe('figures', () => {
  it('SPEC §11 example 1, as recorded and paused', () => {
    const stream = events(readFileSync(join(ROOT, 'test/scenarios/spec-example-1.jsonl'), 'utf8'));
    const { current, proposed } = compareSettings(stream, { paused: true });
    // Four orders of 10000 at 100%, extraction 10%: o2..o4 pay A 1000 each; o1's 1000 found nobody (kept).
    expect(current.figures).toMatchObject({ orders: 4, extracted: 4000, paidOut: 3000, outstanding: 37000, kept: 1000, absorbed: 0, platformNet: 1000 });
    expect(current.figures.entries).toEqual({ total: 4, waiting: 4, done: 0, cancelled: 0, other: 0 });
    // Paused: every fen of extraction stays with the platform, nobody is paid.
    expect(proposed.figures).toMatchObject({ extracted: 4000, paidOut: 0, outstanding: 40000, kept: 4000 });
  });

  it('wait percentiles: days from payment to filled', () => {
    const sim = new Simulation();
    const lines = [
      { type: 'product', id: 'p1', price: 10000, source: 'self', cost: 0, queue: { extractRatio: '100' } },
      { type: 'user', id: 'A' },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T00:00:00Z', lines: [{ product: 'p1', paid: 10000 }] },
      { type: 'order', id: 'o2', user: 'A', at: '2026-01-02T00:00:00Z', lines: [{ product: 'p1', paid: 10000 }] },
      { type: 'order', id: 'o3', user: 'A', at: '2026-01-04T00:00:00Z', lines: [{ product: 'p1', paid: 10000 }] },
    ];
    for (const l of lines) sim.apply(parseEvent(l));
    // o2 fills o1 after 1 day, o3 fills o2 after 2 days.
    expect(sim.result().figures.wait).toEqual({ filled: 2, p50: 1, p90: 2, p99: 2, max: 2 });
  });

  it('synthetic streams: seeded, in time order, and the spec names a bad field', () => {
    const spec = parseSyntheticSpec(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/simulate/synthetic.json'), 'utf8')));
    const a = [...syntheticStream(spec)];
    expect([...syntheticStream(spec)]).toEqual(a);
    const times = a.filter((e) => typeof e.at === 'string').map((e) => Date.parse(e.at as string));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // 40 orders a day for 30 days: a Poisson count near 1200.
    const orders = a.filter((e) => e.type === 'order').length;
    expect(orders).toBeGreaterThan(1050);
    expect(orders).toBeLessThan(1350);
    expect(() => parseSyntheticSpec({ ...spec, refundRate: 2 })).toThrow('refundRate: must be a number from 0 to 1');
    expect(() => parseSyntheticSpec({ ...spec, products: [{ id: 'x', price: -1, cost: 0 }] })).toThrow('products[0].price');
  });
});

describe('CLI', () => {
  it('the same stream gives the same state on the simulator CLI, replay and the console worker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
    const base = join(dir, 'current.jsonl');
    const proposedFile = join(dir, 'proposed.jsonl');
    const r = tsx('scripts/simulate.ts', '--settings', 'test/fixtures/simulate/proposed.json', '--synthetic', 'test/fixtures/simulate/synthetic.json',
      '--json', '--state', '--write-stream', base, '--write-proposed', proposedFile);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const current = tsx('scripts/replay.ts', base);
    const proposed = tsx('scripts/replay.ts', proposedFile);
    expect(current.status).toBe(0);
    expect(`${out.current.state}\n`).toBe(current.stdout);
    expect(`${out.proposed.state}\n`).toBe(proposed.stdout);
    expect(out.current.state).not.toBe(out.proposed.state);
    // The console runs compareSettings over src/domain in a web worker: same figures.
    const stream = events(readFileSync(base, 'utf8'));
    const patch = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/simulate/proposed.json'), 'utf8'));
    const inProcess = compareSettings(stream, patch, true);
    expect(inProcess).toEqual(out);
  });

  it('prints a side-by-side table', () => {
    const r = tsx('scripts/simulate.ts', '--settings', 'test/fixtures/simulate/proposed.json', '--stream', 'test/scenarios/spec-example-1.jsonl');
    expect(r.status).toBe(0);
    const rows = Object.fromEntries(r.stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => [l.split(/\s{2,}/)[0], l.split(/\s{2,}/).slice(1)]));
    // Proposed extraction 20%: o1's 2000 finds nobody and goes to the reserve (emptyQueueFunds = reserve);
    // o2 pays A the reserve first, then its own 2000; o3 and o4 2000 each: 8000.
    expect(rows['paid out']).toEqual(['¥30.00', '¥80.00', '+¥50.00']);
    expect(rows['outstanding']).toEqual(['¥370.00', '¥320.00', '-¥50.00']);
    expect(rows['reserves']).toEqual(['¥0.00', '¥0.00', '0']);
    expect(rows['platform kept']).toEqual(['¥10.00', '¥0.00', '-¥10.00']);
  });

  it('bad input: exit 2 naming the field, nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-bad-'));
    const bad = join(dir, 'bad.json');
    require('node:fs').writeFileSync(bad, '{"extractRatio": 10}');
    const r = tsx('scripts/simulate.ts', '--settings', bad, '--stream', 'test/scenarios/spec-example-1.jsonl');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^.*bad\.json: extractRatio: /);
    const usage = tsx('scripts/simulate.ts', '--settings', bad);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('give exactly one of --from-db, --synthetic, --stream');
  });
});
