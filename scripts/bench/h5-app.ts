// The built mini-program and the local stack it talks to, for the
// end-to-end tests (test/e2e) and the front-end benchmarks (h5-first-screen,
// weapp-size): build a Taro target when its output is missing or older than
// its sources, start the whole local stack the way `npm start` does (on a
// fresh Postgres database), launch Debian's Chromium through Playwright.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { chromium, type Browser, type LaunchOptions } from '@playwright/test';
import { adminUrl } from '../db/database';
import { startStack } from '../stack/stack';

export const ROOT = join(__dirname, '..', '..');

// ------------------------------------------------------------------- builds

export type Target = 'h5' | 'weapp';

/** The API origin the h5 build talks to by default (config/index.ts). */
export const BUILT_API_ORIGIN = 'http://127.0.0.1:54321';

/** What a build reads: a newer file here makes dist/<target> stale. */
const BUILD_INPUTS = ['src', 'config', 'types', 'babel.config.js', 'tsconfig.json', 'package-lock.json', 'project.config.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** The file whose time stands for the whole build output. */
function buildMarker(target: Target): string {
  return join(ROOT, 'dist', target, target === 'h5' ? 'index.html' : 'app.json');
}

/** Why dist/<target> must be (re)built, or null when it is current. */
export function staleReason(target: Target): string | null {
  const marker = buildMarker(target);
  if (!existsSync(marker)) return `dist/${target} missing`;
  const built = statSync(marker).mtimeMs;
  const input = BUILD_INPUTS.map((p) => ({ p, t: newestMtime(join(ROOT, p)) })).find(({ t }) => t > built);
  if (input) return `${input.p} changed after dist/${target} was built`;
  if (target === 'h5') {
    // Built with another TARO_APP_API_URL: the tests could not reach their stack.
    const js = join(ROOT, 'dist', 'h5', 'js');
    const bundles = existsSync(js) ? readdirSync(js).filter((f) => f.endsWith('.js')) : [];
    if (!bundles.some((f) => readFileSync(join(js, f), 'utf8').includes(BUILT_API_ORIGIN))) return `dist/h5 was built for another API URL`;
  }
  return null;
}

/** Runs a program with output to stderr; rejects on a non-zero exit. */
export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${tail}`))));
  });
}

/** Environment for a build with the built-in defaults (local stack URL and anon key). */
export function buildEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env, NODE_ENV: 'production' };
  delete env.TARO_APP_API_URL;
  delete env.TARO_APP_ANON_KEY;
  delete env.TARO_APP_H5_URL;
  return env;
}

/** `taro build --type <target>` (production) unless dist/<target> is current. Logs and returns what it did. */
export async function ensureBuild(target: Target, log: (m: string) => void = (m) => console.error(m)): Promise<string> {
  const reason = staleReason(target);
  if (!reason) {
    log(`[build] dist/${target} is current`);
    return `dist/${target} is current`;
  }
  log(`[build] ${reason}: taro build --type ${target} ...`);
  const started = Date.now();
  await run(join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', target], { env: buildEnv() });
  if (!existsSync(buildMarker(target))) throw new Error(`taro build --type ${target} wrote no ${buildMarker(target)}`);
  const done = `built dist/${target} in ${Math.round((Date.now() - started) / 1000)} s (${reason})`;
  log(`[build] ${done}`);
  return done;
}

/** What the console build reads: a newer file here makes admin/dist stale. */
const ADMIN_BUILD_INPUTS = ['admin/src', 'admin/index.html', 'admin/vite.config.ts', 'src/domain', 'supabase/functions/_shared', 'package-lock.json'];

/** Why admin/dist must be (re)built, or null when it is current. */
export function adminStaleReason(): string | null {
  const marker = join(ROOT, 'admin', 'dist', 'index.html');
  if (!existsSync(marker)) return 'admin/dist missing';
  const built = statSync(marker).mtimeMs;
  const input = ADMIN_BUILD_INPUTS.map((p) => ({ p, t: newestMtime(join(ROOT, p)) })).find(({ t }) => t > built);
  if (input) return `${input.p} changed after admin/dist was built`;
  const assets = join(ROOT, 'admin', 'dist', 'assets');
  const bundles = existsSync(assets) ? readdirSync(assets).filter((f) => f.endsWith('.js')) : [];
  if (!bundles.some((f) => readFileSync(join(assets, f), 'utf8').includes(BUILT_API_ORIGIN))) return 'admin/dist was built for another API URL';
  return null;
}

/** `npm run build:admin` (vite, with the built-in local defaults) unless admin/dist is current. */
export async function ensureAdminBuild(log: (m: string) => void = (m) => console.error(m)): Promise<string> {
  const reason = adminStaleReason();
  if (!reason) {
    log('[build] admin/dist is current');
    return 'admin/dist is current';
  }
  log(`[build] ${reason}: vite build --config admin/vite.config.ts ...`);
  const started = Date.now();
  const env: NodeJS.ProcessEnv & Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production' };
  delete env.ADMIN_API_URL;
  delete env.ADMIN_ANON_KEY;
  await run(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', 'admin/vite.config.ts'], { env });
  const done = `built admin/dist in ${Math.round((Date.now() - started) / 1000)} s (${reason})`;
  log(`[build] ${done}`);
  return done;
}

// -------------------------------------------------------------------- stack

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalStack {
  /** The H5 app, e.g. http://127.0.0.1:40123 */
  h5Url: string;
  /** The operator console (admin/dist), e.g. http://127.0.0.1:40124 */
  adminUrl: string;
  /** The gateway the functions are behind (the h5 build calls BUILT_API_ORIGIN; apiHostRule() sends that here). */
  apiUrl: string;
  functionsUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** The stack's database, as the service role would see it (operator settings, the test clock). */
  sql: postgres.Sql;
  databaseName: string;
  /** One run of the jobs function (what the stack does every minute). */
  runJobs(): Promise<unknown>;
  /** The openid the WeChat sandbox gives the h5 dev user `name` (app.profiles.openid). */
  openidFor(name: string): string;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The local stack of `npm start` (scripts/stack/stack.ts: migrations + seed,
 * WeChat sandbox, every edge function under Deno, the H5 and console static servers) on a
 * fresh, empty Postgres database of the machine's server (DATABASE_URL's or
 * 127.0.0.1:5432), on free ports. No demo shoppers and no periodic jobs:
 * callers run jobs when they need them.
 */
export async function startLocalStack(options: { demo?: boolean; log?: (line: string) => void } = {}): Promise<LocalStack> {
  const name = `qm_e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl(), { prepare: false, max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const logs: string[] = [];
  const dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
  };
  let stack;
  try {
    const h5Port = await freePort();
    stack = await startStack({
      databaseUrl,
      apiPort: 0,
      sandboxPort: 0,
      h5Port,
      adminPort: 0,
      demo: options.demo ?? false,
      jobsIntervalMs: 0,
      env: { H5_PUBLIC_URL: `http://127.0.0.1:${h5Port}` },
      log: (source, line) => {
        logs.push(`[${source}] ${line}`);
        options.log?.(`[${source}] ${line}`);
      },
    });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  const sql = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
  const running = stack;
  return {
    h5Url: running.h5Url!,
    adminUrl: running.adminUrl!,
    apiUrl: running.apiUrl,
    functionsUrl: running.functionsUrl,
    anonKey: running.anonKey,
    serviceRoleKey: running.serviceRoleKey,
    sql,
    databaseName: name,
    runJobs: () => running.runJobs(),
    openidFor: (user) => running.sandbox.openidFor(user),
    logs,
    async stop() {
      await sql.end({ timeout: 5 }).catch(() => {});
      await running.stop();
      await dropDatabase();
    },
  };
}

/**
 * The h5 build calls BUILT_API_ORIGIN. Chromium's host resolver sends that
 * host:port to this stack's gateway instead: the page, its requests and
 * their timing are untouched (no interception), and a run never collides with
 * an `npm start` on the default ports.
 */
export function apiHostRule(apiUrl: string): string[] {
  const from = new URL(BUILT_API_ORIGIN);
  const to = new URL(apiUrl);
  if (from.host === to.host) return [];
  return [`--host-resolver-rules=MAP ${from.host} ${to.host}`];
}

// ----------------------------------------------------------------- chromium

/** Debian's Chromium (Playwright never downloads a browser here); Playwright gives each launch a fresh profile directory. */
export const CHROMIUM: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** A phone-sized page (the mini-program's design width). */
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

/** Chromium for the h5 build of this stack (`apiUrl`: where its API calls go). */
export function launchChromium(apiUrl?: string): Promise<Browser> {
  return chromium.launch({ ...CHROMIUM, args: [...(CHROMIUM.args ?? []), ...(apiUrl ? apiHostRule(apiUrl) : [])] });
}
