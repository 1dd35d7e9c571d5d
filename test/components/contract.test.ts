// The contracts (supabase/functions/_shared/api-contract.ts for the app,
// admin-contract.ts for the console) are self-contained so Deno can deploy
// them; their aliases must stay identical to src/domain. The
// check compiles a small program with the TypeScript compiler (ts-jest here
// only transpiles, so a type-level assertion in this file would prove
// nothing at run time) and proves it fails on a pair that differs.
import { join } from 'node:path';
import ts from 'typescript';
import { API_ACTIONS, PUBLIC_ACTIONS } from '@contract';

const ROOT = join(__dirname, '..', '..');
const CONTRACT = join(ROOT, 'supabase', 'functions', '_shared', 'api-contract.ts');
const ADMIN_CONTRACT = join(ROOT, 'supabase', 'functions', '_shared', 'admin-contract.ts');
type Pair = [contract: string, domainModule: string, domainName: string, contractFile?: string];
const PAIRS: Pair[] = [
  ['DisplaySettings', 'src/domain/settings.ts', 'DisplaySettings'],
  ['EntryStatus', 'src/domain/state.ts', 'EntryStatus'],
  ['RewardKind', 'src/domain/state.ts', 'RewardKind'],
  ['RewardStatus', 'src/domain/state.ts', 'RewardStatus'],
  ['Fen', 'src/domain/money.ts', 'Fen'],
  ['Ratio', 'src/domain/money.ts', 'Ratio'],
  // The console edits the engine's settings and queue configs: the same shapes.
  ['BaseSettings', 'src/domain/settings.ts', 'Settings', ADMIN_CONTRACT],
  ['LotteryConfig', 'src/domain/settings.ts', 'LotteryConfig', ADMIN_CONTRACT],
  ['QueueConfig', 'src/domain/events.ts', 'QueueConfig', ADMIN_CONTRACT],
  ['EntryStatus', 'src/domain/state.ts', 'EntryStatus', ADMIN_CONTRACT],
  ['Fen', 'src/domain/money.ts', 'Fen', ADMIN_CONTRACT],
  ['Ratio', 'src/domain/money.ts', 'Ratio', ADMIN_CONTRACT],
];

/** Type errors of a program asserting that each pair is mutually assignable. */
function typeErrors(pairs: Pair[]): string[] {
  const file = join(ROOT, 'test', 'components', '__contract_check__.ts');
  const lines = [
    `type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;`,
    ...pairs.map(([c, mod, d, contract = CONTRACT], i) =>
      `import type { ${c} as C${i} } from ${JSON.stringify(contract)};\nimport type { ${d} as D${i} } from ${JSON.stringify(join(ROOT, mod))};\nexport const same${i}: Same<C${i}, D${i}> = true;`),
  ];
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, skipLibCheck: true, types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (f === file ? lines.join('\n') : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => f === file || exists(f);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v, ...rest) => (f === file ? ts.createSourceFile(f, lines.join('\n'), v) : getSource(f, v, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

test('contract types are the domain types (both ways assignable)', () => {
  expect(typeErrors(PAIRS)).toEqual([]);
}, 60_000);

test('the check fails on a pair that differs (Fen is not Ratio)', () => {
  expect(typeErrors([['Fen', 'src/domain/money.ts', 'Ratio']])).toEqual([expect.stringMatching(/^TS2322 Type 'true' is not assignable to type 'false'/)]);
}, 60_000);

test('action names are unique, dotted, and public ones are listed', () => {
  expect(new Set(API_ACTIONS).size).toBe(API_ACTIONS.length);
  for (const a of API_ACTIONS) expect(a).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  for (const a of PUBLIC_ACTIONS) expect(API_ACTIONS).toContain(a);
});
