// Database helpers for tests, replay and `npm start`: connection URL, the
// migration runner, and fast throwaway databases cloned from a migrated
// template. Clients never use named prepared statements (`prepare: false`),
// so the same code runs through pglite-socket.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';

const ROOT = resolve(__dirname, '..', '..');
const BOOTSTRAP = join(ROOT, 'scripts', 'db', 'bootstrap.sql');
const MIGRATIONS = join(ROOT, 'supabase', 'migrations');
/** Advisory lock key (pg_advisory_lock(int, int) class) guarding template builds. */
const TEMPLATE_LOCK_CLASS = 0x716d; // "qm"

export type Sql = postgres.Sql;

export function adminUrl(): string {
  return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A client with the options every caller needs (no prepared statements, quiet notices). */
export function connect(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): Sql {
  return postgres(url, { prepare: false, onnotice: () => {}, max: 1, idle_timeout: 5, ...options });
}

/** bootstrap.sql then every migration, in file-name order. */
export function migrationFiles(): { name: string; text: string }[] {
  const files = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return [
    { name: 'bootstrap.sql', text: readFileSync(BOOTSTRAP, 'utf8') },
    ...files.map((f) => ({ name: f, text: readFileSync(join(MIGRATIONS, f), 'utf8') })),
  ];
}

export async function applyMigrations(sql: Sql): Promise<void> {
  for (const file of migrationFiles()) {
    try {
      await sql.unsafe(file.text);
    } catch (error) {
      const e = error as Error & { position?: string };
      const at = e.position ? ` (line ${file.text.slice(0, Number(e.position)).split('\n').length})` : '';
      throw new Error(`${file.name}${at}: ${e.message}`, { cause: e });
    }
  }
}

function migrationHash(): string {
  const h = createHash('sha256');
  for (const f of migrationFiles()) h.update(f.name).update('\0').update(f.text).update('\0');
  return h.digest('hex').slice(0, 12);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const templates = new Map<string, Promise<string>>();

/**
 * The migrated template for the current migrations, built once per
 * migration hash and reused across processes and runs. Built under a
 * temporary name and renamed, so a half-built template is never cloned;
 * an advisory lock keeps concurrent workers from building it twice.
 */
function ensureTemplate(): Promise<string> {
  const hash = migrationHash();
  let pending = templates.get(hash);
  if (!pending) {
    pending = buildTemplate(hash);
    pending.catch(() => templates.delete(hash));
    templates.set(hash, pending);
  }
  return pending;
}

async function buildTemplate(hash: string): Promise<string> {
  const name = `qm_tpl_${hash}`;
  const admin = connect(adminUrl());
  try {
    if ((await admin`select 1 from pg_database where datname = ${name}`).length > 0) return name;
    // Everything below runs on this one session: it holds the session lock.
    const reserved = await admin.reserve();
    try {
      await reserved`select pg_advisory_lock(${TEMPLATE_LOCK_CLASS}, hashtext(${name}))`;
      try {
        if ((await reserved`select 1 from pg_database where datname = ${name}`).length > 0) return name;
        const building = `${name}_building`;
        await reserved.unsafe(`drop database if exists ${building} with (force)`);
        await reserved.unsafe(`create database ${building}`);
        const db = connect(withDatabase(adminUrl(), building));
        try {
          await applyMigrations(db);
        } finally {
          await db.end();
        }
        await reserved.unsafe(`alter database ${building} rename to ${name}`);
        // Older templates are stale now. Another process may still be cloning
        // one (it rebuilds if it vanishes), so only drop those over an hour old.
        const stale = await reserved<{ datname: string }[]>`
          select datname from pg_database
          where datname like 'qm\\_tpl\\_%' and datname <> ${name} and datname not like '%\\_building'
            and (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 hour'`;
        for (const { datname } of stale) {
          await reserved.unsafe(`drop database if exists ${datname}`).catch(() => {});
        }
        return name;
      } finally {
        await reserved`select pg_advisory_unlock(${TEMPLATE_LOCK_CLASS}, hashtext(${name}))`;
      }
    } finally {
      reserved.release();
    }
  } finally {
    await admin.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh, uniquely named database with bootstrap + migrations applied. */
export async function createTestDatabase(prefix = 'qm', options: { max?: number } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`.toLowerCase();
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database prefix: ${prefix}`);
  const admin = connect(adminUrl());
  try {
    for (let attempt = 0; ; attempt++) {
      const template = await ensureTemplate();
      try {
        await createFromTemplate(admin, name, template);
        break;
      } catch (error) {
        // 3D000: the template was dropped (it was stale for another process); rebuild.
        if ((error as { code?: string }).code !== '3D000' || attempt >= 2) throw error;
        templates.clear();
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl(), name);
  const sql = connect(url, { max: options.max ?? 1 });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = connect(adminUrl());
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

async function createFromTemplate(admin: Sql, name: string, template: string): Promise<void> {
  // CREATE DATABASE fails while another session is connected to the
  // template; only the builder ever connects, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== '55006' || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, url] = argv;
  if (command === 'migrate') {
    const sql = connect(url || adminUrl());
    try {
      await applyMigrations(sql);
      console.log(`migrated ${new URL(url || adminUrl()).pathname.slice(1) || 'database'}`);
    } finally {
      await sql.end();
    }
    return;
  }
  if (command === 'template') {
    console.log(await ensureTemplate());
    return;
  }
  console.error('usage: tsx scripts/db/database.ts migrate [url] | template');
  process.exitCode = 64;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
