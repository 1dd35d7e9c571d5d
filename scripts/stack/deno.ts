// Where the Deno binary is, and how we run edge functions with it.
// Deno comes from the npm package `deno` (devDependency). Its platform
// binary lives in an optional dependency, @deno/<platform>/deno (e.g.
// @deno/linux-x64-glibc); the package's postinstall only copies it next to
// bin.cjs, and npm 11 skips install scripts by default, so we resolve the
// platform package directly and fall back to bin.cjs's own lookup.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const FUNCTIONS_DIR = join(ROOT, 'supabase', 'functions');
export const DENO_CONFIG = join(FUNCTIONS_DIR, 'deno.json');
export const FUNCTION_HOST = join(FUNCTIONS_DIR, '_local', 'host.ts');

/** Every function: a folder of supabase/functions with an index.ts, `_shared` excluded. */
export const FUNCTION_NAMES = ['health', 'wechat-login', 'api', 'admin', 'pay-notify', 'refund-notify', 'transfer-notify', 'jobs'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

function platformPackage(): string | null {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  switch (process.platform) {
    case 'linux':
      return `@deno/linux-${arch}-glibc`;
    case 'darwin':
      return `@deno/darwin-${arch}`;
    case 'win32':
      return `@deno/win32-${arch}`;
    default:
      return null;
  }
}

export function denoBinary(): string {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  const pkg = platformPackage();
  if (pkg) {
    try {
      const dir = dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }));
      const bin = join(dir, process.platform === 'win32' ? 'deno.exe' : 'deno');
      if (existsSync(bin)) return bin;
    } catch {
      // not installed for this platform: try the copy the postinstall makes
    }
  }
  const copied = join(ROOT, 'node_modules', 'deno', process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (existsSync(copied)) return copied;
  throw new Error('Deno binary not found: run `npm install` (the "deno" devDependency) or set DENO_BIN');
}

/** Permissions an edge function gets: network, env, reading its code and the npm cache. */
export const DENO_PERMISSIONS = ['--allow-net', '--allow-env', '--allow-read', '--allow-sys'];

/**
 * `deno run` arguments for one function under the host. `writeDir`: the one
 * directory it may write (the admin function's local image storage).
 */
export function functionArgs(name: string, writeDir?: string): string[] {
  const write = writeDir ? [`--allow-write=${writeDir}`] : [];
  return ['run', '--quiet', '--config', DENO_CONFIG, ...DENO_PERMISSIONS, ...write, FUNCTION_HOST, join(FUNCTIONS_DIR, name, 'index.ts')];
}
