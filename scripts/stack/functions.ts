// Runs edge functions under real Deno (one process per function, like one
// isolate per function in Supabase) and serves them behind one HTTP front
// with Supabase's URL layout: http://127.0.0.1:54321/functions/v1/<name>.
// The function sees the path from /<name> on, as on Supabase.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import { extname, resolve as resolvePath, sep } from 'node:path';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { denoBinary, functionArgs, ROOT } from './deno.ts';

export interface RunningFunction {
  name: string;
  port: number;
  proc: ChildProcess;
}

export interface FunctionsOptions {
  names: readonly string[];
  env: Record<string, string>;
  /** Prefix each output line with [name]; default: print to this process's stdout/stderr. */
  log?: (name: string, line: string) => void;
  startTimeoutMs?: number;
}

export interface Functions {
  functions: Map<string, RunningFunction>;
  stop(): Promise<void>;
}

function startOne(name: string, env: Record<string, string>, log: (line: string) => void, timeoutMs: number): Promise<RunningFunction> {
  // Only the admin function writes files: uploaded images, locally (STORAGE_LOCAL_DIR).
  const writeDir = name === 'admin' && env.STORAGE_LOCAL_DIR ? env.STORAGE_LOCAL_DIR : undefined;
  if (writeDir) mkdirSync(writeDir, { recursive: true });
  const proc = spawn(denoBinary(), functionArgs(name, writeDir), {
    cwd: ROOT,
    env: { ...process.env, ...env, FUNCTION_NAME: name, FUNCTION_PORT: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`function ${name} did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    let ready = false;
    const onLine = (line: string) => {
      const m = !ready && line.match(/^function \S+ listening on (\d+)$/);
      if (m) {
        ready = true;
        clearTimeout(timer);
        resolve({ name, port: Number(m[1]), proc });
        return;
      }
      if (!ready) out += line + '\n';
      log(line);
    };
    for (const stream of [proc.stdout!, proc.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    proc.once('exit', (code, signal) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`function ${name} exited (${code ?? signal}) before listening:\n${out}`));
      }
    });
  });
}

export async function startFunctions(options: FunctionsOptions): Promise<Functions> {
  const log = options.log ?? ((name, line) => console.log(`[${name}] ${line}`));
  const functions = new Map<string, RunningFunction>();
  // Two at a time: the machines this runs on have 2 cores.
  const queue = [...options.names];
  const workers = Array.from({ length: Math.min(2, queue.length) }, async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const fn = await startOne(name, options.env, (line) => log(name!, line), options.startTimeoutMs ?? 120_000);
      functions.set(name, fn);
    }
  });
  const stop = async () => {
    await Promise.all(
      [...functions.values()].map(
        (f) =>
          new Promise<void>((done) => {
            if (f.proc.exitCode !== null || f.proc.signalCode !== null) return done();
            f.proc.once('exit', () => done());
            f.proc.kill('SIGTERM');
            setTimeout(() => f.proc.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  };
  try {
    await Promise.all(workers);
  } catch (err) {
    await stop();
    throw err;
  }
  return { functions, stop };
}

export interface GatewayOptions {
  port: number;
  host?: string;
  functions: Map<string, RunningFunction>;
  /** Functions deployed with verify_jwt = true (supabase/config.toml). */
  verifyJwt: ReadonlySet<string>;
  jwtSecret: string;
  /** Keys the gateway accepts as-is (the anon / service keys when they are not JWTs). */
  apiKeys: readonly string[];
  /**
   * Local object storage (the admin function's uploads): files under this
   * directory are served read-only at Supabase Storage's public URL layout,
   * /storage/v1/object/public/<bucket>/<path>.
   */
  storageDir?: string;
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/** GET /storage/v1/object/public/<bucket>/<path> from dir; false when the URL is not a storage URL. */
function serveStorage(dir: string, pathname: string, res: ServerResponse): boolean {
  const m = pathname.match(/^\/storage\/v1\/object\/public\/([a-z0-9-]+)\/(.+)$/);
  if (!m) return false;
  const root = resolvePath(dir);
  let file: string;
  try {
    file = resolvePath(root, m[1], ...decodeURIComponent(m[2]).split('/'));
  } catch {
    file = '';
  }
  const ok = file.startsWith(root + sep) && (() => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  })();
  if (!ok) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ statusCode: '404', error: 'not_found', message: 'Object not found' }));
    return true;
  }
  res.writeHead(200, {
    'Content-Type': IMAGE_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Access-Control-Allow-Origin': '*',
  });
  createReadStream(file).pipe(res);
  return true;
}

export interface Gateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The front: /functions/v1/<name>[/...] → that function's Deno server.
 * verify_jwt functions need a bearer the platform would accept (a JWT
 * signed with the project secret, or the project's API key), like
 * Supabase's gateway; the function then checks what the token allows.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
    });
    res.end(JSON.stringify(body));
  };

  async function acceptable(req: IncomingMessage): Promise<boolean> {
    const m = (req.headers.authorization ?? '').match(/^Bearer\s+(\S+)$/i);
    if (!m) return false;
    if (options.apiKeys.includes(m[1])) return true;
    try {
      await jwtVerify(m[1], secret, { algorithms: ['HS256'] });
      return true;
    } catch {
      return false;
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (options.storageDir && (req.method === 'GET' || req.method === 'HEAD') && serveStorage(options.storageDir, url.pathname, res)) return;
    const m = url.pathname.match(/^\/functions\/v1\/([A-Za-z0-9_-]+)(\/.*)?$/);
    if (!m) return reply(res, 404, { code: 'not_found', message: 'not found' });
    const fn = options.functions.get(m[1]);
    if (!fn) return reply(res, 404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
    if (req.method !== 'OPTIONS' && options.verifyJwt.has(fn.name) && !(await acceptable(req))) {
      return reply(res, 401, { code: 401, message: 'Invalid JWT' });
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: fn.port,
        method: req.method,
        path: `/${fn.name}${m[2] ?? ''}${url.search}`,
        headers: { ...req.headers, host: `127.0.0.1:${fn.port}`, 'x-forwarded-host': req.headers.host ?? '' },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) reply(res, 502, { code: 'BOOT_ERROR', message: `function ${fn.name}: ${err.message}` });
      else res.destroy();
    });
    req.pipe(upstream);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
