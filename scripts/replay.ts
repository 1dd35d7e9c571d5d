// CLI: npm run replay -- [--engine model|db] FILE.jsonl
// Prints the final state on stdout (exit 0), or `line N: <field>: <reason>`
// on stderr with nothing on stdout (exit 2). Bad usage also exits 2.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, EngineName } from './replay/engine';
import { createModelEngine } from './replay/model-engine';
import { runReplay } from './replay/run';

const USAGE = 'usage: npm run replay -- [--engine model|db] FILE.jsonl';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { engine: EngineName; file: string } {
  let engine: EngineName = 'model';
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value: string | undefined;
    if (arg === '--engine') value = argv[++i];
    else if (arg.startsWith('--engine=')) value = arg.slice('--engine='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else usage(`unexpected argument ${arg}`);
    if (value !== undefined || arg === '--engine') {
      if (value !== 'model' && value !== 'db') usage('--engine must be model or db');
      engine = value;
    }
  }
  if (file === undefined) usage('missing FILE.jsonl');
  return { engine, file };
}

async function createEngine(name: EngineName): Promise<Engine> {
  if (name === 'model') return createModelEngine();
  // Written separately; the model engine works without it.
  const path = join(__dirname, 'replay', 'db-engine.ts');
  if (!existsSync(path)) usage('the db engine (scripts/replay/db-engine.ts) is not available yet');
  // A computed specifier: typecheck must not depend on a file another task writes.
  const specifier = './replay/db-engine';
  const mod = (await import(specifier)) as { createDbEngine(): Promise<Engine> };
  return mod.createDbEngine();
}

async function main(): Promise<void> {
  const { engine: name, file } = parseArgs(process.argv.slice(2));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    usage(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const engine = await createEngine(name);
  try {
    const result = await runReplay(text, engine);
    if (result.ok) {
      process.stdout.write(`${result.output}\n`);
      process.exitCode = 0;
    } else {
      process.stderr.write(`line ${result.line}: ${result.message}\n`);
      process.exitCode = 2;
    }
  } finally {
    await engine.close();
  }
}

main().catch((err) => {
  process.stderr.write(`replay failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
