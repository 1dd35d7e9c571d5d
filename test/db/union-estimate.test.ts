// The union entry estimate is one rule in two places: the model's
// estimateUnionEntry and SQL rebate.union_estimate give the same figures and
// the same forecast for every entry of a scenario with runs, carry and a
// locked entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelEngine } from '../../src/domain/engine';
import { estimateUnionEntry } from '../../src/domain/engine/union';
import { parseEvent } from '../../src/domain/events';
import { createTestDatabase } from '../../scripts/db/database';
import { applyEvent } from '../../scripts/replay/db-engine';
import type { Sql } from '../../scripts/db/database';

jest.setTimeout(120_000);

test.each(['union-carry', 'union-min-wait', 'union-acceleration'])('%s: model estimate = SQL estimate for every entry', async (name) => {
  const lines = readFileSync(join(__dirname, '..', 'scenarios', `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim());
  const model = new ModelEngine();
  const db = await createTestDatabase('union_estimate');
  try {
    for (const line of lines) {
      const event = parseEvent(JSON.parse(line));
      model.apply(event);
      await db.sql.begin((tx) => applyEvent(tx as unknown as Sql, event));
    }
    const u = model.data.union;
    expect(u.entries.length).toBeGreaterThan(0);
    for (const entry of u.entries) {
      const [{ e }] = await db.sql<{ e: Record<string, unknown> }[]>`select rebate.union_estimate(${entry.seq}) as e`;
      const m = estimateUnionEntry(u, entry.seq);
      expect({ ahead: e.ahead, own: e.own, pool: e.pool, daily: e.daily, forecast: e.forecast }).toEqual({
        ahead: m.ahead,
        own: m.own,
        pool: m.pool,
        daily: m.daily,
        forecast: m.forecast,
      });
    }
  } finally {
    await db.drop();
  }
});
