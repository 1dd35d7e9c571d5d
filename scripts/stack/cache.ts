// `npm run functions:cache`: downloads every npm package the edge functions
// import into Deno's cache (DENO_DIR, default ~/.cache/deno), checked
// against supabase/functions/deno.lock, so later runs start offline. CI runs
// it after `npm ci` (the npm registry is reachable there).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DENO_CONFIG, denoBinary, FUNCTION_HOST, FUNCTIONS_DIR, ROOT } from './deno.ts';
import { functionNames } from './stack.ts';

const entries = [FUNCTION_HOST, ...functionNames().map((n) => join(FUNCTIONS_DIR, n, 'index.ts'))];
const r = spawnSync(denoBinary(), ['install', '--config', DENO_CONFIG, '--entrypoint', ...entries], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(`cached the npm dependencies of ${entries.length - 1} functions`);
