// The replay runner (SPEC §10): one JSON event a line, applied in order to a
// fresh engine; the first bad line stops the run.
import { parseEvent } from '../../src/domain/events';
import { printState } from '../../src/domain/state';
import type { Engine } from './engine';

export type ReplayResult = { ok: true; output: string } | { ok: false; line: number; message: string };

/** A ValidationError, possibly from another copy of the module (duck-typed). */
function fieldError(err: unknown): { field: string; reason: string } | null {
  if (err instanceof Error && typeof (err as { field?: unknown }).field === 'string' && typeof (err as { reason?: unknown }).reason === 'string') {
    return err as unknown as { field: string; reason: string };
  }
  return null;
}

/**
 * Runs `text` on `engine`. Rule violations come back as `{ok: false}` with a
 * 1-based line number (blank lines counted, then skipped) and
 * `<field>: <reason>`; any other error (a bug, a lost connection) is thrown.
 */
export async function runReplay(text: string, engine: Engine): Promise<ReplayResult> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const lineNo = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, line: lineNo, message: 'invalid JSON' };
    }
    try {
      await engine.apply(parseEvent(json));
    } catch (err) {
      const fe = fieldError(err);
      if (!fe) throw err;
      return { ok: false, line: lineNo, message: `${fe.field}: ${fe.reason}` };
    }
  }
  return { ok: true, output: printState(await engine.state()) };
}
