// `npm start`: the whole product locally (docs/local-stack.md).
//   DATABASE_URL unset → PGlite on 127.0.0.1:54322 (in memory; PGLITE_DATA=dir to keep it)
//   API (edge functions) → http://127.0.0.1:54321/functions/v1/<name>
//   WeChat sandbox      → http://127.0.0.1:54330
//   H5 build            → http://127.0.0.1:10086 (built with `npm run build:h5` when missing)
//   operator console    → http://127.0.0.1:10087 (built with `npm run build:admin` when missing)
//   --mode union (or PLATFORM_MODE=union) → a 工会排队 platform (fresh database; the mode is fixed once an order exists)
// Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack/deno.ts';
import { startStack } from './stack/stack.ts';
import { DEMO_OPERATORS } from './operator.ts';

/** `--mode union` (or PLATFORM_MODE=union): start a 工会排队 platform (a fresh database only: the mode is chosen at setup). */
function modeArg(): 'classic' | 'union' | undefined {
  const i = process.argv.indexOf('--mode');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.PLATFORM_MODE;
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'classic' && raw !== 'union') {
    console.error(`[start] --mode: expected classic or union, got "${raw}"`);
    process.exit(2);
  }
  return raw;
}

async function main(): Promise<void> {
  const mode = modeArg();
  const h5Dir = join(ROOT, 'dist', 'h5');
  const noH5 = process.argv.includes('--no-h5');
  if (!noH5 && !existsSync(join(h5Dir, 'index.html'))) {
    console.log('[start] dist/h5 missing: running `npm run build:h5` ...');
    const r = spawnSync('npm', ['run', 'build:h5'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) console.error('[start] build:h5 failed; serving the API without the H5 app');
  }
  const adminDir = join(ROOT, 'admin', 'dist');
  const noAdmin = process.argv.includes('--no-admin');
  if (!noAdmin && !existsSync(join(adminDir, 'index.html'))) {
    console.log('[start] admin/dist missing: running `npm run build:admin` ...');
    const r = spawnSync('npm', ['run', 'build:admin'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) console.error('[start] build:admin failed; serving without the operator console');
  }
  const stack = await startStack({
    databaseUrl: process.env.DATABASE_URL || undefined,
    pgliteDataDir: process.env.PGLITE_DATA || undefined,
    apiPort: Number(process.env.API_PORT ?? 54321),
    pglitePort: Number(process.env.PGLITE_PORT ?? 54322),
    sandboxPort: Number(process.env.WECHAT_SANDBOX_PORT ?? 54330),
    h5Port: noH5 ? null : Number(process.env.H5_PORT ?? 10086),
    adminPort: noAdmin ? null : Number(process.env.ADMIN_PORT ?? 10087),
    jwtSecret: process.env.JWT_SECRET || undefined,
    anonKey: process.env.SUPABASE_ANON_KEY || undefined,
    mode,
  });
  const lines = [
    '',
    '  排队返利商城 local stack is running',
    `  Database        ${stack.databaseUrl} (${stack.databaseKind})`,
    `  Edge functions  ${stack.functionsUrl}/<name>   (health: ${stack.functionsUrl}/health)`,
    `  WeChat sandbox  ${stack.sandbox.url}`,
    `  H5 app          ${stack.h5Url ?? '(not served)'}`,
    `  Console         ${stack.adminUrl ?? '(not served)'}`,
    `  Console API     ${stack.functionsUrl}/admin`,
    `  Console sign-in ${DEMO_OPERATORS.map((o) => `${o.login} / ${o.password}`).join('   ')}${stack.migrations.seeded ? '' : '   (demo data of the first start)'}`,
    `  anon key        ${stack.anonKey}`,
    `  service key     ${stack.serviceRoleKey}`,
    '  Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping ...');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error('[start] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
