// The benchmarks pre-load waiting entries with a set-based loader
// (scripts/bench/load-waiting.sql) instead of a million orders.pay_order
// calls. This keeps CI honest about it: the loader must write exactly the
// rows the engine writes, table by table, or the figures would be of a
// different database. When it fails, update bench.bulk_waiting.
import { checkLoaderFidelity } from '../../scripts/bench/common';

jest.setTimeout(120_000);

test('the bench bulk loader writes exactly what orders.pay_order writes', async () => {
  const messages: string[] = [];
  await expect(checkLoaderFidelity({ memo: new Map(), log: (m) => messages.push(m) })).resolves.toBeUndefined();
  expect(messages.join('\n')).toMatch(/bulk loader matches the engine \(\d+ tables compared\)/);
});
