// A full backend for integration tests: a fresh Postgres database, the
// WeChat sandbox, and the real edge functions under Deno behind the gateway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../scripts/db/database.ts';
import { generateIdentity } from '../../../scripts/wechat-sandbox/identity.ts';
import { startSandbox, type Sandbox } from '../../../scripts/wechat-sandbox/server.ts';
import { startFunctions, startGateway, type Functions, type Gateway, type RunningFunction } from '../../../scripts/stack/functions.ts';
import { functionEnv, serviceRoleKey, verifyJwtFunctions } from '../../../scripts/stack/stack.ts';

/**
 * What production mode differs in from the sandbox stack: no
 * WECHAT_SANDBOX_URL, real-looking template ids and H5 URL, and the
 * test-only switch that lets loopback URLs (the sandbox standing in for
 * WeChat, the gateway for Supabase) pass the production refusal (env.ts).
 */
export function productionEnv(): Record<string, string> {
  return {
    WECHAT_SANDBOX_URL: '',
    PRODUCTION_ALLOW_LOOPBACK: '1',
    H5_PUBLIC_URL: 'https://shop.example.com',
    WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify({ entryJoined: 'tpl-entry-joined', withdrawalResult: 'tpl-withdrawal-result' }),
  };
}

export interface Backend {
  db: TestDatabase;
  sandbox: Sandbox;
  gateway: Gateway;
  fns: Functions;
  url: string;
  anonKey: string;
  serviceKey: string;
  jwtSecret: string;
  /** The gateway serves uploads from here at /storage/v1/object/public/… */
  storageDir: string;
  logs: string[];
  call(fn: string, body: unknown, token?: string | null): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * `production: true` leaves WECHAT_SANDBOX_URL unset: the functions behave as
 * deployed (no sandbox: codes, signed wx.requestPayment params), while their
 * WeChat base URLs still point at the sandbox.
 */
export async function startBackend(
  functions: string[],
  opts: {
    refundDelayMs?: number;
    production?: boolean;
    notifyRetryDelaysMs?: number[];
    env?: Record<string, string>;
    /** A database to use instead of a fresh one on the shared cluster (the fault tests' private Postgres); `stop` drops it. */
    db?: TestDatabase;
    poolMax?: number;
  } = {},
): Promise<Backend> {
  const logs: string[] = [];
  const db = opts.db ?? (await createTestDatabase('stack_e2e'));
  const identity = await generateIdentity();
  const sandbox = await startSandbox({ identity, port: 0, notifyRetryDelaysMs: opts.notifyRetryDelaysMs ?? [100, 200], refundDelayMs: opts.refundDelayMs ?? 50, log: (l) => logs.push(`[sandbox] ${l}`) });
  const jwtSecret = `test-jwt-secret-${crypto.randomUUID()}`;
  const anonKey = 'test-anon-key';
  const serviceKey = await serviceRoleKey(jwtSecret);
  const routes = new Map<string, RunningFunction>();
  const storageDir = mkdtempSync(join(tmpdir(), 'qm-storage-'));
  const gateway = await startGateway({ port: 0, functions: routes, verifyJwt: verifyJwtFunctions(), jwtSecret, apiKeys: [anonKey, serviceKey], storageDir });
  const url = `${gateway.url}/functions/v1`;
  let fns: Functions;
  try {
    fns = await startFunctions({
      names: functions,
      env: {
        ...functionEnv({ databaseUrl: db.url, apiUrl: gateway.url, jwtSecret, anonKey, serviceKey, identity, sandboxUrl: sandbox.url, poolMax: opts.poolMax ?? 2, storageDir }),
        ...(opts.production ? productionEnv() : {}),
        ...opts.env,
      },
      log: (name, line) => logs.push(`[${name}] ${line}`),
    });
  } catch (err) {
    await gateway.close();
    await sandbox.close();
    await db.drop();
    throw err;
  }
  for (const [k, v] of fns.functions) routes.set(k, v);
  return {
    db,
    sandbox,
    gateway,
    fns,
    url,
    anonKey,
    serviceKey,
    jwtSecret,
    storageDir,
    logs,
    async call(fn, body, token = anonKey) {
      const res = await fetch(`${url}/${fn}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}`, apikey: anonKey } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed };
    },
    async stop() {
      await gateway.close();
      await fns.stop();
      await sandbox.close();
      await db.drop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
