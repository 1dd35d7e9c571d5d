// A private Postgres 15 instance for fault tests: its own data directory,
// port and socket directory, fsync on, so a test can crash it
// (`pg_ctl -m immediate stop`: no checkpoint, like a power cut) and restart
// it without touching the shared cluster at 127.0.0.1:5432 that every other
// test uses. Bootstrap + migrations are applied like a hosted project's.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, connect, type Sql } from '../../../scripts/db/database.ts';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  url: string;
  port: number;
  dir: string;
  /** A client of the admin database (reconnects on its own after a restart). */
  sql: Sql;
  /** Immediate shutdown: no checkpoint; every backend killed. */
  crash(): void;
  start(): void;
  running(): boolean;
  /** Lines of the server log that mention recovery (what the crash left to redo). */
  log(): string;
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl refuse to run as root: run them as the postgres user then. */
function asPostgres(cmd: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args]] : [join(BIN, cmd), args];
  const r = spawnSync(file, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
}

export function postgresAvailable(): boolean {
  return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'qm-faults-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      // Durability as in production: a crash may lose only what was not committed.
      'fsync = on',
      'synchronous_commit = on',
      'full_page_writes = on',
      'max_connections = 60',
      'shared_buffers = 32MB',
      `log_min_messages = warning`,
    ].join('\n') + '\n',
  );
  const start = () => asPostgres('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const migrate = connect(url);
  try {
    await applyMigrations(migrate);
  } finally {
    await migrate.end();
  }
  const sql = connect(url, { max: 2 });
  return {
    url,
    port,
    dir,
    sql,
    crash: () => asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    running: () => spawnSync(join(BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async destroy() {
      await sql.end({ timeout: 2 }).catch(() => {});
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
