// Database access for edge functions: npm:postgres without prepared
// statements (works behind poolers and PGlite), and the two ways a function
// runs SQL:
// - asUser: as role `authenticated` with the caller's JWT claims set
//   transaction-locally, exactly like Supabase's REST layer does, so RLS
//   and auth.uid() apply;
// - asService: as `service_role` (WeChat notifies, jobs), never for a
//   request a user can shape.
import postgres from 'postgres';
import { databaseUrl, env } from './env.ts';
import type { AccessClaims } from './auth.ts';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

let client: Sql | null = null;

export function sql(): Sql {
  if (!client) {
    client = postgres(databaseUrl(), {
      prepare: false,
      max: Number(env('DB_POOL_MAX') ?? 3),
      idle_timeout: 20,
      connect_timeout: 10,
      onnotice: () => {},
      // int8 money columns come back as JS numbers: amounts are at most
      // 10^10 fen (src/domain/money.ts MAX_FEN), far inside 2^53.
      types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    });
  }
  return client;
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * The database connection itself is gone (server terminated the backend,
 * shut down, network reset): the server has rolled the transaction back.
 */
export function connectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return /^(CONNECTION_(CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT|ECONNRESET|EPIPE)$/.test(code) || /^(57P0[123]|08...)$/.test(code);
}

/** How long a transaction whose connection was lost may take to notice the close (it is immediate in practice). */
const LOST_CONNECTION_GRACE_MS = 10_000;

async function inTransaction<T>(setup: (tx: Tx) => Promise<unknown>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let lost: ((err: unknown) => void) | null = null;
    const connectionGone = new Promise<never>((_, reject) => (lost = reject));
    connectionGone.catch(() => {});
    try {
      return (await Promise.race([
        sql().begin(async (tx) => {
          try {
            await setup(tx);
            return await fn(tx);
          } catch (err) {
            if (!connectionLost(err)) throw err;
            // postgres.js 3.4.9 (porsager/postgres#1208): after the connection
            // closed, begin() writes ROLLBACK to the dead socket from a
            // setImmediate and the TypeError kills the whole process. So never
            // settle here: begin() rejects by itself when it sees the close,
            // and the server has already rolled the transaction back.
            setTimeout(() => lost!(err), LOST_CONNECTION_GRACE_MS);
            return await new Promise<never>(() => {});
          }
        }),
        connectionGone,
      ])) as T;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt < 3 && code && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}

/** Runs fn in one transaction as the signed-in user (or anon when claims is null). */
export function asUser<T>(claims: AccessClaims | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const role = claims ? 'authenticated' : 'anon';
  const jwt = claims ?? { role: 'anon' };
  // One round trip, as PostgREST does it: set_config('role', …, true) is SET LOCAL ROLE.
  return inTransaction(async (tx) => {
    await tx`select set_config('role', ${role}, true),
                    set_config('request.jwt.claims', ${JSON.stringify(jwt)}, true),
                    set_config('request.jwt.claim.sub', ${claims?.sub ?? ''}, true),
                    set_config('request.jwt.claim.role', ${role}, true)`;
  }, fn);
}

/**
 * Runs fn in one transaction as the Postgres role `operator` (the `admin`
 * function) with the operator token's claims, or none (sign-in). The
 * admin.* functions check the session and role from these claims.
 */
export function asOperator<T>(claims: Record<string, unknown> | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(async (tx) => {
    await tx`select set_config('role', 'operator', true),
                    set_config('request.jwt.claims', ${claims ? JSON.stringify(claims) : ''}, true),
                    set_config('request.jwt.claim.sub', ${typeof claims?.sub === 'string' ? claims.sub : ''}, true),
                    set_config('request.jwt.claim.role', 'operator', true)`;
  }, fn);
}

/** Runs fn in one transaction as service_role. */
export function asService<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(async (tx) => {
    await tx`select set_config('role', 'service_role', true),
                    set_config('request.jwt.claims', ${JSON.stringify({ role: 'service_role' })}, true),
                    set_config('request.jwt.claim.role', 'service_role', true)`;
  }, fn);
}

/** "pglite" or "postgres", from the server's own version string. */
export async function databaseKind(): Promise<'pglite' | 'postgres'> {
  const [{ version }] = await sql()<{ version: string }[]>`select version() as version`;
  return /pglite/i.test(version) ? 'pglite' : 'postgres';
}
