// The replay CLI end to end (spawned with tsx: slow, so only two runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function cli(...args: string[]) {
  return spawnSync('npx', ['tsx', 'scripts/replay.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

jest.setTimeout(90_000);

test('prints the state and a newline, exit 0 (SPEC §11 example 2)', () => {
  const r = cli('--engine', 'model', 'test/scenarios/spec-example-2.jsonl');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.endsWith('}\n')).toBe(true);
  const state = JSON.parse(r.stdout);
  expect(state.entries[0]).toMatchObject({ user: 'U1', entitlement: 21840, paid: 10920 });
});

test('a bad line: exit 2, "line N: field: reason" on stderr, nothing on stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const file = join(dir, 'bad.jsonl');
  writeFileSync(
    file,
    [
      '{"type":"product","id":"p1","price":100,"source":"self","cost":0}',
      '{"type":"user","id":"A"}',
      '{"type":"order","id":"o1","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":12.5}]}',
    ].join('\n'),
  );
  const r = cli(file);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('line 3: lines[0].paid: must be a whole number of fen\n');
});
