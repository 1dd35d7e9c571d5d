// Migrations for a long-lived database (npm start): bootstrap.sql (the
// Supabase shim, idempotent) every time, then each migration file once,
// recorded in supabase_migrations.schema_migrations like the Supabase CLI
// does, then the demo seed once. Tests use scripts/db/database.ts instead
// (fresh databases, no tracking).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type postgres from 'postgres';
import { migrationFiles } from '../db/database.ts';
import { ROOT } from './deno.ts';

export const SEED_FILE = join(ROOT, 'supabase', 'seed.sql');

export interface MigrateResult {
  applied: string[];
  seeded: boolean;
}

export async function migrateTracked(sql: postgres.Sql, options: { seed: boolean }): Promise<MigrateResult> {
  const [bootstrap, ...files] = migrationFiles();
  await sql.unsafe(bootstrap.text);
  await sql.unsafe(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      name text,
      statements text[]
    );
    create table if not exists supabase_migrations.seed_files (
      path text primary key,
      hash text not null
    );`);
  const done = new Set((await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`).map((r) => r.version));
  const applied: string[] = [];
  for (const file of files) {
    const version = file.name.replace(/\.sql$/, '');
    if (done.has(version)) continue;
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe(file.text);
        await tx`insert into supabase_migrations.schema_migrations (version, name) values (${version}, ${file.name})`;
      });
    } catch (err) {
      (err as Error).message = `${file.name}: ${(err as Error).message}`;
      throw err;
    }
    applied.push(file.name);
  }
  let seeded = false;
  if (options.seed) {
    const [row] = await sql`select 1 from supabase_migrations.seed_files where path = 'supabase/seed.sql'`;
    if (!row) {
      const text = readFileSync(SEED_FILE, 'utf8');
      await sql.begin(async (tx) => {
        await tx.unsafe(text);
        await tx`insert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', ${String(text.length)})`;
      });
      seeded = true;
    }
  }
  return { applied, seeded };
}
