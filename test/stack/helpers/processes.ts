// Child processes for stack tests: start, wait for a line, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');

export interface Child {
  proc: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns and resolves once `ready` matches a line of stdout/stderr (returns the match). */
export function spawnUntil(
  cmd: string,
  args: string[],
  ready: RegExp,
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ child: Child; match: RegExpMatchArray }> {
  const proc = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const child: Child = {
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void child.stop();
      reject(new Error(`${cmd} ${args.join(' ')}: not ready after ${opts.timeoutMs ?? 60_000} ms\n${out}`));
    }, opts.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        proc.stderr!.off('data', onData);
        proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
        proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
        resolvePromise({ child, match });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code} before ready\n${out}`));
    });
  });
}

export const TSX = resolve(ROOT, 'node_modules', '.bin', 'tsx');
