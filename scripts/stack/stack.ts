// The whole local stack in one process tree: database (PGlite behind a
// socket, or the Postgres of DATABASE_URL), migrations + demo seed, the
// WeChat sandbox, every edge function under Deno behind one front with
// Supabase's URL layout, the jobs tick, the H5 build and the operator console.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { backendEnv, loadOrCreateIdentity, type SandboxIdentity } from '../wechat-sandbox/identity.ts';
import { startSandbox, type Sandbox } from '../wechat-sandbox/server.ts';
import { FUNCTIONS_DIR, ROOT } from './deno.ts';
import { startFunctions, startGateway, type Functions, type Gateway, type RunningFunction } from './functions.ts';
import { loadDemoActivity } from './demo.ts';
import { applyDemoImages, ensureDemoImages } from './demo-images.ts';
import { migrateTracked } from './migrate.ts';
import { startPgliteServer, type PgliteServer } from './pglite-server.ts';
import { startStatic } from './static.ts';

/** Supabase CLI's well-known local JWT secret; never used outside a local stack. */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
/** The front end's built-in local anon key (config/index.ts). */
export const LOCAL_ANON_KEY = 'local-anon-key';

/** Subscribe-message template ids the sandbox accepts (any id works there). */
export const SANDBOX_TEMPLATES: Record<string, string> = Object.fromEntries(
  ['entryJoined', 'payoutReceived', 'entryDone', 'lotteryDrawn', 'converted', 'clearingSoon', 'clearingDone', 'rewardCredited', 'withdrawalResult', 'merchantReview'].map(
    (k) => [k, `sandbox-tpl-${k}`],
  ),
);

export interface StackOptions {
  /** Postgres to use; unset = PGlite. */
  databaseUrl?: string;
  pglitePort?: number;
  /** PGlite data directory; unset = in memory (fresh each start). */
  pgliteDataDir?: string;
  apiPort?: number;
  sandboxPort?: number;
  /** null = do not serve the H5 build. */
  h5Port?: number | null;
  h5Dir?: string;
  /** The operator console (admin/dist); null or unset = not served. */
  adminPort?: number | null;
  adminDir?: string;
  /** Where uploaded images are kept (default .tmp/storage). */
  storageDir?: string;
  seed?: boolean;
  /** Demo users and orders through the API (default: when the seed was just loaded). */
  demo?: boolean;
  /**
   * The platform's queue mode, set before any order exists (SPEC §5: chosen at
   * setup): `union` starts a 工会排队 platform. Unset = the settings as stored.
   */
  mode?: 'classic' | 'union';
  /** 0 = no periodic jobs call. */
  jobsIntervalMs?: number;
  functions?: string[];
  sandboxRetryDelaysMs?: number[];
  jwtSecret?: string;
  anonKey?: string;
  /** Extra environment for the functions. */
  env?: Record<string, string>;
  log?: (source: string, line: string) => void;
}

export interface Stack {
  databaseUrl: string;
  databaseKind: 'pglite' | 'postgres';
  apiUrl: string;
  functionsUrl: string;
  sandbox: Sandbox;
  h5Url: string | null;
  /** The operator console, when served. */
  adminUrl: string | null;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  functionEnv: Record<string, string>;
  migrations: { applied: string[]; seeded: boolean };
  runJobs(): Promise<unknown>;
  stop(): Promise<void>;
}

/** Function folders: supabase/functions/<name>/index.ts, `_`-prefixed folders excluded. */
export function functionNames(): string[] {
  return readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(FUNCTIONS_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/** Functions with verify_jwt = true in supabase/config.toml. */
export function verifyJwtFunctions(): Set<string> {
  const toml = readFileSync(join(ROOT, 'supabase', 'config.toml'), 'utf8');
  const out = new Set<string>();
  for (const m of toml.matchAll(/^\[functions\.([A-Za-z0-9_-]+)\]\s*\n(?:[^[]*?)verify_jwt\s*=\s*true/gm)) out.add(m[1]);
  return out;
}

export async function serviceRoleKey(secret: string): Promise<string> {
  return new SignJWT({ role: 'service_role', iss: 'supabase' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10y')
    .sign(new TextEncoder().encode(secret));
}

/**
 * What every edge function reads from its environment: `npm start`, the
 * stack tests and the api bench all start the functions with this.
 */
export function functionEnv(o: {
  databaseUrl: string;
  apiUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceKey: string;
  identity: SandboxIdentity;
  sandboxUrl: string;
  poolMax: number;
  /** Local image storage of the admin function (served by the gateway); unset → the project's Storage. */
  storageDir?: string;
}): Record<string, string> {
  return {
    ...(o.storageDir ? { STORAGE_LOCAL_DIR: o.storageDir } : {}),
    DATABASE_URL: o.databaseUrl,
    SUPABASE_URL: o.apiUrl,
    SUPABASE_ANON_KEY: o.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: o.serviceKey,
    JWT_SECRET: o.jwtSecret,
    FUNCTIONS_PUBLIC_URL: `${o.apiUrl}/functions/v1`,
    WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(SANDBOX_TEMPLATES),
    DB_POOL_MAX: String(o.poolMax),
    ...backendEnv(o.identity, o.sandboxUrl),
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? ((source, line) => console.log(`[${source}] ${line}`));
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log('stack', `stop: ${(e as Error).message}`));
    stops.length = 0;
  };
  try {
    // ---- database
    let databaseUrl = options.databaseUrl;
    let databaseKind: 'pglite' | 'postgres' = 'postgres';
    if (!databaseUrl) {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(options.pgliteDataDir);
      const server: PgliteServer = await startPgliteServer({ db, port: options.pglitePort ?? 54322, log: (l) => log('pglite', l) });
      stops.push(async () => {
        await server.close();
        await db.close();
      });
      databaseUrl = server.url;
      databaseKind = 'pglite';
    }
    const admin = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
    let migrations;
    try {
      migrations = await migrateTracked(admin, { seed: options.seed ?? true });
      if (options.mode) log('db', await setPlatformMode(admin, options.mode));
    } finally {
      await admin.end({ timeout: 5 });
    }
    log('db', `${databaseKind} ${databaseUrl}: ${migrations.applied.length} migration(s) applied${migrations.seeded ? ', demo seed loaded' : ''}`);

    // ---- WeChat sandbox
    const identity = await loadOrCreateIdentity(process.env.WECHAT_SANDBOX_IDENTITY || undefined);
    const sandbox = await startSandbox({
      identity,
      port: options.sandboxPort ?? 54330,
      notifyRetryDelaysMs: options.sandboxRetryDelaysMs,
      log: (l) => log('wechat-sandbox', l),
    });
    stops.push(() => sandbox.close());

    // ---- gateway first (functions need its public URL for WeChat notify_url), then functions
    const jwtSecret = options.jwtSecret ?? LOCAL_JWT_SECRET;
    const anonKey = options.anonKey ?? LOCAL_ANON_KEY;
    const serviceKey = await serviceRoleKey(jwtSecret);
    const routes = new Map<string, RunningFunction>();
    // Uploaded images (admin function), served at Storage's public URL layout.
    const storageDir = options.storageDir ?? join(ROOT, '.tmp', 'storage');
    const gateway: Gateway = await startGateway({
      port: options.apiPort ?? 54321,
      functions: routes,
      verifyJwt: verifyJwtFunctions(),
      jwtSecret,
      apiKeys: [anonKey, serviceKey],
      storageDir,
    });
    stops.push(() => gateway.close());
    const apiUrl = gateway.url;
    const functionsUrl = `${apiUrl}/functions/v1`;

    // ---- demo images: drawn into the storage directory when missing, the demo rows pointed at this gateway
    if (options.seed ?? true) {
      const written = ensureDemoImages(storageDir);
      const sql = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
      try {
        const set = await applyDemoImages(sql, apiUrl);
        log('demo', `images: ${written.length} drawn, ${set.products} product(s), ${set.categories} categor(ies), ${set.banners} banner(s) set`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    }
    const env: Record<string, string> = {
      ...functionEnv({
        databaseUrl,
        apiUrl,
        jwtSecret,
        anonKey,
        serviceKey,
        identity,
        sandboxUrl: sandbox.url,
        storageDir,
        // One backend session behind PGlite: keep each function to one connection.
        poolMax: databaseKind === 'pglite' ? 1 : 3,
      }),
      H5_PUBLIC_URL: `http://127.0.0.1:${options.h5Port ?? 10086}`,
      ...options.env,
    };
    const names = options.functions ?? functionNames();
    const fns: Functions = await startFunctions({ names, env, log: (name, line) => log(name, line) });
    stops.push(() => fns.stop());
    for (const [k, v] of fns.functions) routes.set(k, v);

    // ---- jobs
    const runJobs = async () => {
      if (!fns.functions.has('jobs')) return null;
      const res = await fetch(`${functionsUrl}/jobs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${serviceKey}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`jobs: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const interval = options.jobsIntervalMs ?? 60_000;
    if (interval > 0) {
      const timer = setInterval(() => {
        runJobs()
          .then((r) => {
            const ran = (r as { ran?: unknown[] } | null)?.ran;
            if (Array.isArray(ran) && ran.length) log('jobs', JSON.stringify(r));
          })
          .catch((e) => log('jobs', (e as Error).message));
      }, interval);
      stops.push(async () => clearInterval(timer));
    }

    // ---- demo activity (through the real API and the sandbox)
    if ((options.demo ?? migrations.seeded) && fns.functions.has('api') && fns.functions.has('wechat-login')) {
      try {
        for (const line of await loadDemoActivity(functionsUrl, anonKey, databaseUrl, options.mode)) log('demo', line);
      } catch (err) {
        log('demo', `demo activity failed: ${(err as Error).message}`);
      }
    }

    // ---- H5
    let h5Url: string | null = null;
    if (options.h5Port !== null) {
      const dir = options.h5Dir ?? join(ROOT, 'dist', 'h5');
      const server: Server = await startStatic(dir, options.h5Port ?? 10086);
      stops.push(() => new Promise<void>((r) => server.close(() => r())));
      h5Url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    // ---- operator console (a single-page app like the H5 build)
    let adminUrl: string | null = null;
    if (options.adminPort !== undefined && options.adminPort !== null) {
      const server: Server = await startStatic(options.adminDir ?? join(ROOT, 'admin', 'dist'), options.adminPort);
      stops.push(() => new Promise<void>((r) => server.close(() => r())));
      adminUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    return {
      databaseUrl,
      databaseKind,
      apiUrl,
      functionsUrl,
      sandbox,
      h5Url,
      adminUrl,
      anonKey,
      serviceRoleKey: serviceKey,
      jwtSecret,
      functionEnv: env,
      migrations,
      runJobs,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Sets the queue mode while no order exists (with acceleration on for a union demo); otherwise says why not. */
async function setPlatformMode(sql: postgres.Sql, mode: 'classic' | 'union'): Promise<string> {
  const [{ current }] = await sql<{ current: string }[]>`select rebate.current_settings() ->> 'mode' as current`;
  if (current === mode) return `mode ${mode}`;
  const [{ orders }] = await sql<{ orders: number }[]>`select count(*)::int as orders from orders.orders`;
  if (orders > 0) return `mode stays ${current}: orders exist (the mode is chosen at setup; start on a fresh database)`;
  const patch = mode === 'union' ? { mode, distribution: { on: true, directRatio: '5', accelerationRatio: '5' } } : { mode };
  await sql`select rebate.update_settings(${JSON.stringify(patch)}::text::jsonb, 'npm start')`;
  return `mode ${mode} (工会排队${mode === 'union' ? ', acceleration 5%' : ''})`;
}
