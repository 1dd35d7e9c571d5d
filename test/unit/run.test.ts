// The replay runner: line numbering, JSON errors, stop at the first error.
import type { ReplayEvent } from '@/domain/events';
import { ValidationError } from '@/domain/validate';
import type { Engine } from '../../scripts/replay/engine';
import { createModelEngine } from '../../scripts/replay/model-engine';
import { runReplay } from '../../scripts/replay/run';

/** Records what reaches the engine; fails on a chosen event number. */
function recorder(failOn = -1, error: Error = new ValidationError('x', 'boom')) {
  const seen: ReplayEvent[] = [];
  const engine: Engine = {
    async apply(event) {
      if (seen.length === failOn) throw error;
      seen.push(event);
    },
    async state() {
      throw new Error('state must not be read after an error');
    },
    async close() {},
  };
  return { engine, seen };
}

const user = (id: string) => JSON.stringify({ type: 'user', id });

test('blank lines are skipped but counted', async () => {
  const r = recorder();
  const text = ['', user('A'), '   ', user('B'), '{"type":"user","id":"A","bogus":1}', user('C')].join('\n');
  expect(await runReplay(text, r.engine)).toEqual({ ok: false, line: 5, message: 'bogus: unknown field' });
  // The run stopped at line 5: C never reached the engine.
  expect(r.seen.map((e) => (e as { id: string }).id)).toEqual(['A', 'B']);
});

test('invalid JSON names the line', async () => {
  const r = recorder();
  expect(await runReplay(`${user('A')}\n{"type":`, r.engine)).toEqual({ ok: false, line: 2, message: 'invalid JSON' });
});

test('CRLF line endings are accepted', async () => {
  const r = await runReplay(`${user('A')}\r\n${user('B')}\r\n`, await createModelEngine());
  expect(r.ok).toBe(true);
});

test('an engine rule violation names the line and field', async () => {
  const r = recorder(1, new ValidationError('lines[0].product', 'unknown product "p9"'));
  expect(await runReplay(`${user('A')}\n${user('B')}\n${user('C')}`, r.engine)).toEqual({
    ok: false,
    line: 2,
    message: 'lines[0].product: unknown product "p9"',
  });
});

test('other engine errors are not turned into input errors', async () => {
  const r = recorder(0, new Error('connection lost'));
  await expect(runReplay(user('A'), r.engine)).rejects.toThrow('connection lost');
});

test('an empty file prints the empty default state', async () => {
  const r = await runReplay('\n\n', await createModelEngine());
  expect(r).toEqual({
    ok: true,
    output:
      '{"coupons":{},"entries":[],"love":{},"merchants":{},"platform":{"absorbed":0,"kept":0},"points":{},"reserves":{},"rewards":[],"suppliers":{},"union":{"pool":0},"wallets":{}}',
  });
});
