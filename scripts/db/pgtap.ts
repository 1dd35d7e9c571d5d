// Runs the pgTAP suites (supabase/tests/*.sql) with pg_prove on a fresh
// migrated database, then drops it. Exit code: pg_prove's (non-zero on any
// failure). Usage: npx tsx scripts/db/pgtap.ts [test files...]
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestDatabase } from './database';

const TESTS = resolve(__dirname, '..', '..', 'supabase', 'tests');
/** Helpers the pgTAP files share (schema tap); loaded here, never a migration. */
const HELPERS = resolve(__dirname, 'pgtap-helpers.sql');

/** ok / not ok lines; tests planned but never run (a file died) count as failed. */
export function countTap(text: string): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*(not ok|ok)\s+\d+/.exec(line);
    if (m) {
      if (m[1] === 'ok') passed++;
      else failed++;
    }
  }
  for (const m of text.matchAll(/You planned (\d+) tests? but ran (\d+)/g)) {
    failed += Math.max(0, Number(m[1]) - Number(m[2]));
  }
  return { passed, failed };
}

async function main(args: string[]): Promise<number> {
  const files = args.length
    ? args
    : readdirSync(TESTS)
        .filter((f) => f.endsWith('.sql'))
        .sort()
        .map((f) => join(TESTS, f));
  const db = await createTestDatabase('pgtap');
  try {
    await db.sql.unsafe('create extension if not exists pgtap');
    // Migrations revoke EXECUTE from PUBLIC by default (0001); pgTAP's own
    // functions must stay callable while a test switches to anon/authenticated.
    await db.sql.unsafe('grant execute on all functions in schema public to public');
    await db.sql.unsafe(readFileSync(HELPERS, 'utf8'));
    const url = new URL(db.url);
    const result = spawnSync(
      'pg_prove',
      [
        '--verbose',
        '--host', url.hostname,
        '--port', url.port || '5432',
        '--username', decodeURIComponent(url.username || 'postgres'),
        '--dbname', db.name,
        '--ext', '.sql',
        ...files,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    if (result.error) throw result.error;
    process.stdout.write(result.stdout);
    const { passed, failed } = countTap(result.stdout);
    const code = result.status ?? 1;
    // The plain summary line scripts/test.ts reads.
    console.log(`pgtap: ${passed} passed, ${code !== 0 && failed === 0 ? 1 : failed} failed`);
    return code;
  } finally {
    await db.drop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
