// `npx tsx scripts/stack/pglite.ts [--port 54322] [--data DIR]`: PGlite as a
// Postgres server on its own (start.ts runs the same thing in-process).
// Prints "ready <url>" once it accepts connections.
import { PGlite } from '@electric-sql/pglite';
import { startPgliteServer } from './pglite-server.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const db = await PGlite.create(opt('--data') ?? undefined);
  const server = await startPgliteServer({ db, port: Number(opt('--port') ?? 54322), log: (l) => console.error(`[pglite] ${l}`) });
  console.log(`ready ${server.url}`);
  const stop = async () => {
    await server.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
