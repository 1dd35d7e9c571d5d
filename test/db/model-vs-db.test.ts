// The SQL engine and the model print byte-identical replay states for random
// valid streams (SPEC §10), and stop at the same line with the same message
// for streams with one bad line.
import fc from 'fast-check';
import { createDbEngine } from '../../scripts/replay/db-engine';
import { createModelEngine } from '../../scripts/replay/model-engine';
import { runReplay } from '../../scripts/replay/run';
import { invalidEventStream, toJsonl, validEventStream } from '../support/event-stream';

jest.setTimeout(600_000);

async function both(text: string) {
  const model = await createModelEngine();
  const db = await createDbEngine();
  try {
    return { model: await runReplay(text, model), db: await runReplay(text, db) };
  } finally {
    await Promise.all([model.close(), db.close()]);
  }
}

const RUNS = Number(process.env.DB_PROPERTY_RUNS ?? 60);

test('valid streams: db state equals model state', async () => {
  await fc.assert(
    fc.asyncProperty(validEventStream({ maxCommands: 80 }), async (events) => {
      const { model, db } = await both(toJsonl(events));
      expect(model.ok).toBe(true);
      expect(db).toEqual(model);
    }),
    { numRuns: RUNS },
  );
});

test('valid streams with distribution rewards: db state equals model state', async () => {
  await fc.assert(
    fc.asyncProperty(validEventStream({ maxCommands: 80, features: { distribution: true } }), async (events) => {
      const { model, db } = await both(toJsonl(events));
      expect(model.ok).toBe(true);
      expect(db).toEqual(model);
    }),
    { numRuns: RUNS },
  );
});

test('streams with one bad line: same line, same message', async () => {
  await fc.assert(
    fc.asyncProperty(invalidEventStream({ maxCommands: 30 }), async (stream) => {
      const { model, db } = await both(`${stream.lines.join('\n')}\n`);
      expect(model.ok).toBe(false);
      expect(db).toEqual(model);
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});

test('valid streams with ratio rules and shopper options: db state equals model state', async () => {
  await fc.assert(
    fc.asyncProperty(validEventStream({ maxCommands: 80, features: { options: true } }), async (events) => {
      const { model, db } = await both(toJsonl(events));
      expect(model.ok).toBe(true);
      expect(db).toEqual(model);
    }),
    { numRuns: RUNS },
  );
});

test('streams with options and one bad line: same line, same message', async () => {
  await fc.assert(
    fc.asyncProperty(invalidEventStream({ maxCommands: 30, features: { options: true } }), async (stream) => {
      const { model, db } = await both(`${stream.lines.join('\n')}\n`);
      expect(model.ok).toBe(false);
      expect(db).toEqual(model);
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});

test('valid union-mode streams (with distribution and acceleration): db state equals model state', async () => {
  await fc.assert(
    fc.asyncProperty(validEventStream({ maxCommands: 80, features: { union: true, distribution: true } }), async (events) => {
      const { model, db } = await both(toJsonl(events));
      expect(model.ok).toBe(true);
      expect(db).toEqual(model);
    }),
    { numRuns: RUNS },
  );
});

test('union-mode streams with one bad line: same line, same message', async () => {
  await fc.assert(
    fc.asyncProperty(invalidEventStream({ maxCommands: 30, features: { union: true } }), async (stream) => {
      const { model, db } = await both(`${stream.lines.join('\n')}\n`);
      expect(model.ok).toBe(false);
      expect(db).toEqual(model);
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});
