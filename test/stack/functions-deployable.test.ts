// Every edge function deploys as `supabase functions deploy` bundles it: its
// whole import graph (Deno's own resolution, `deno info`) stays inside
// supabase/functions, third-party code comes only as npm: imports, and
// `deno check` passes when run from inside supabase/functions with its
// deno.json (what the CLI sees), not with this repo's tsconfig.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DENO_CONFIG, denoBinary, FUNCTIONS_DIR } from '../../scripts/stack/deno.ts';
import { functionNames } from '../../scripts/stack/stack.ts';

jest.setTimeout(180_000);

function deno(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(denoBinary(), args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** What an entry point imports, transitively, that a deploy of `root` would not carry: files outside it, non-npm remotes. */
function escapes(entry: string, root: string, config: string): string[] {
  const r = deno(['info', '--json', '--config', config, entry], root);
  if (r.code !== 0) throw new Error(`deno info ${entry}: ${r.out}`);
  const graph = JSON.parse(r.out.slice(r.out.indexOf('{'))) as { modules: { specifier: string; kind?: string }[] };
  const bad: string[] = [];
  for (const m of graph.modules) {
    if (m.specifier.startsWith('file://')) {
      const rel = relative(root, fileURLToPath(m.specifier));
      if (rel.startsWith('..') || rel.startsWith(sep)) bad.push(rel);
    } else if (!m.specifier.startsWith('npm:')) {
      bad.push(m.specifier);
    }
  }
  return bad;
}

test('there are functions to check', () => {
  expect(functionNames()).toEqual(expect.arrayContaining(['api', 'wechat-login', 'pay-notify', 'jobs']));
});

test.each(functionNames())('%s imports only from inside supabase/functions (and npm:)', (name) => {
  expect(escapes(join(FUNCTIONS_DIR, name, 'index.ts'), FUNCTIONS_DIR, DENO_CONFIG)).toEqual([]);
});

test('the walk finds an import outside (a function importing ../../../src, as api once did)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fn-graph-'));
  try {
    const functions = join(root, 'supabase', 'functions');
    mkdirSync(join(functions, 'bad'), { recursive: true });
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'src', 'contract.ts'), 'export const A = 1;\n');
    writeFileSync(join(functions, 'deno.json'), '{}\n');
    writeFileSync(join(functions, 'bad', 'helper.ts'), "export { A } from '../../../src/contract.ts';\n");
    writeFileSync(join(functions, 'bad', 'index.ts'), "import { A } from './helper.ts';\nconsole.log(A);\n");
    expect(escapes(join(functions, 'bad', 'index.ts'), functions, join(functions, 'deno.json'))).toEqual([join('..', '..', 'src', 'contract.ts')]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('deno check of every function, from inside supabase/functions', () => {
  const r = deno(['check', '--quiet', '--config', DENO_CONFIG, ...functionNames().map((n) => join(n, 'index.ts'))], FUNCTIONS_DIR);
  expect({ code: r.code, out: r.out.trim() }).toEqual({ code: 0, out: '' });
});

test('deno check fails on a type error (so the check above means something)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fn-check-'));
  try {
    writeFileSync(join(dir, 'index.ts'), "const amount: number = 'one yuan';\nconsole.log(amount);\n");
    const r = deno(['check', '--quiet', '--config', DENO_CONFIG, join(dir, 'index.ts')], FUNCTIONS_DIR);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/TS2322/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
