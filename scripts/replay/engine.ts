// What the replay runner needs of an engine. The model engine wraps
// src/domain; the db engine drives the real Postgres functions.
import type { ReplayEvent } from '../../src/domain/events';
import type { ReplayState } from '../../src/domain/state';

export interface Engine {
  /** Applies one validated event, all or nothing. Throws ValidationError (field + reason) on a rule violation. */
  apply(event: ReplayEvent): Promise<void>;
  state(): Promise<ReplayState>;
  close(): Promise<void>;
}

export type EngineName = 'model' | 'db';
