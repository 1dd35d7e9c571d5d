// Shared by the model-engine unit tests: replaying the scenario files under
// test/scenarios (recording which ones a test file covered, so each file can
// check none is left without a test), applying events to a ModelEngine, and
// reading the field a refused event names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelEngine } from '@/domain/engine';
import { parseEvent } from '@/domain/events';
import type { ReplayState } from '@/domain/state';
import { ValidationError } from '@/domain/validate';
import { createModelEngine } from '../../scripts/replay/model-engine';
import { runReplay } from '../../scripts/replay/run';

export const SCENARIO_DIR = join(__dirname, '..', 'scenarios');

/** One per test file: its own record of the scenarios it replayed. */
export function scenarioBook() {
  const covered = new Set<string>();
  function text(name: string): string {
    covered.add(name);
    return readFileSync(join(SCENARIO_DIR, `${name}.jsonl`), 'utf8');
  }
  async function replay(name: string): Promise<ReplayState> {
    const result = await runReplay(text(name), await createModelEngine());
    if (!result.ok) throw new Error(`line ${result.line}: ${result.message}`);
    return JSON.parse(result.output) as ReplayState;
  }
  async function replayError(name: string): Promise<{ line: number; message: string }> {
    const result = await runReplay(text(name), await createModelEngine());
    if (result.ok) throw new Error(`${name} should fail`);
    return result;
  }
  return { covered, text, replay, replayError };
}

export function apply(engine: ModelEngine, ...events: object[]): void {
  for (const e of events) engine.apply(parseEvent(e));
}

/** The field of the ValidationError `event` is refused with; fails the test if it is accepted. */
export function failField(engine: ModelEngine, event: object): string {
  try {
    engine.apply(parseEvent(event));
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}
