// Settlement of every source (docs/engine-semantics.md "Settlement"): the
// `settlement-*` scenarios with their numbers worked out by hand, and the
// refusals of a store configuration whose extraction + commission exceeds
// 100% (the field named, nothing changed).
import { readdirSync } from 'node:fs';
import { ModelEngine } from '../../src/domain/engine';
import { printState } from '../../src/domain/state';
import { SCENARIO_DIR as DIR, apply, failField, scenarioBook } from '../support/scenarios';

const { covered, replay, replayError } = scenarioBook();

describe('settlement-sources: self, supplier, store product, cashier', () => {
  test('merchants, suppliers and the shoppers get exactly their share', async () => {
    const s = await replay('settlement-sources');
    // o1 (completed): p1 self 10000, extraction 10% = 1000 → platform;
    //   p2 supplier sup1 10000, extraction 1000, supply 7000 → sup1 at completion;
    //   sp1 8000, store extraction 20% = 1600, commission 15% = 1200 → merchant 5200.
    // o2 (refunded): cashier 3333, extraction 10% = 333, commission round(499.95) = 500,
    //   merchant 2500 frozen at payment, back to the shopper with the refund.
    // o3 (completed): p3 supplier (its own id) paid 1000 (+4000 deducted), supply 4000;
    //   sp1 8000 → merchant 5200.
    expect(s.merchants).toEqual({ s1: { available: 10400, frozen: 0 } });
    expect(s.suppliers).toEqual({ sup1: 7000, p3: 4000 });
  });

  test('a store line credits the merchant frozen at payment', async () => {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'user', id: 'A' },
      { type: 'store', id: 's1', commission: '10' },
      { type: 'cashier', id: 'c1', store: 's1' },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', cashier: 'c1', paid: 10001 },
    );
    // extraction round(1000.1) = 1000, commission round(1000.1) = 1000, merchant 8001.
    expect(engine.state().merchants).toEqual({ s1: { available: 0, frozen: 8001 } });
    apply(engine, { type: 'complete', order: 'o1', at: '2026-01-02T10:00:00+08:00' });
    expect(engine.state().merchants).toEqual({ s1: { available: 8001, frozen: 0 } });
  });

  test('commission takes at most what the extraction leaves (extraction + commission = 100%)', () => {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'user', id: 'A' },
      { type: 'store', id: 's1', commission: '50', queue: { extractRatio: '50' } },
      { type: 'storeProduct', id: 'sp1', store: 's1', price: 1, cost: 0 },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ storeProduct: 'sp1', paid: 1 }] },
    );
    // pct(1, 50) = 1 twice: the extraction takes 1, the commission the 0 left, the merchant 0.
    const line = engine.data.orders.get('o1')!.lines[0];
    expect([line.extraction, line.commission, line.merchant]).toEqual([1, 0, 0]);
  });

  test('the supply price is the cost at payment; a later catalogue change does not move it', () => {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'user', id: 'A' },
      { type: 'product', id: 'p1', price: 100, source: 'supplier', cost: 60, supplier: 'acme' },
      { type: 'order', id: 'o1', user: 'A', at: '2026-01-01T10:00:00+08:00', lines: [{ product: 'p1', paid: 100 }] },
      { type: 'product', id: 'p1', price: 100, source: 'self', cost: 90 },
      { type: 'complete', order: 'o1', at: '2026-01-02T10:00:00+08:00' },
    );
    expect(engine.state().suppliers).toEqual({ acme: 60 });
  });
});

describe('extraction + commission above 100% is refused, naming the field, nothing changed', () => {
  test('settlement-error-extraction-commission: a cashier at 41% on a 60% store', async () => {
    const r = await replayError('settlement-error-extraction-commission');
    expect(r.line).toBe(3);
    expect(r.message).toBe('queue.extractRatio: extraction + commission must not exceed 100%');
  });

  function catalogue(): ModelEngine {
    const engine = new ModelEngine();
    apply(
      engine,
      { type: 'store', id: 's1', commission: '20' },
      { type: 'store', id: 's2', commission: '5', queue: { extractRatio: '90' } },
      { type: 'storeProduct', id: 'sp1', store: 's1', price: 100, cost: 0, queue: { extractRatio: '80' } },
      { type: 'cashier', id: 'c1', store: 's1' },
    );
    return engine;
  }

  test.each([
    ['a store whose own extraction + commission exceeds', { type: 'store', id: 's3', commission: '10', queue: { extractRatio: '90.01' } }, 'commission'],
    ['a store whose commission pushes its store product over', { type: 'store', id: 's1', commission: '20.5' }, 'commission'],
    ['a store product', { type: 'storeProduct', id: 'sp2', store: 's2', price: 1, cost: 0, queue: { extractRatio: '95.01' } }, 'queue.extractRatio'],
    ['a cashier', { type: 'cashier', id: 'c2', store: 's1', queue: { extractRatio: '81' } }, 'queue.extractRatio'],
    ['a base extraction the stores use', { type: 'settings', extractRatio: '80.5' }, 'extractRatio'],
  ])('%s', (_what, event, field) => {
    const engine = catalogue();
    const before = printState(engine.state()) + JSON.stringify([...engine.data.stores, ...engine.data.storeProducts, ...engine.data.cashiers]) + JSON.stringify(engine.data.settings);
    expect(failField(engine, event)).toBe(field);
    expect(printState(engine.state()) + JSON.stringify([...engine.data.stores, ...engine.data.storeProducts, ...engine.data.cashiers]) + JSON.stringify(engine.data.settings)).toBe(before);
  });

  test('exactly 100% is accepted', () => {
    const engine = catalogue();
    apply(engine, { type: 'settings', extractRatio: '80' }, { type: 'cashier', id: 'c2', store: 's1', queue: { extractRatio: '80' } });
    expect(engine.data.cashiers.has('c2')).toBe(true);
  });

  test('a supplier only on a supplier product', () => {
    expect(failField(new ModelEngine(), { type: 'product', id: 'p1', price: 1, source: 'self', cost: 0, supplier: 'acme' })).toBe('supplier');
  });
});

afterAll(() => {
  const files = readdirSync(DIR)
    .filter((f) => f.startsWith('settlement-') && f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''));
  const missing = files.filter((f) => !covered.has(f));
  if (missing.length > 0) throw new Error(`settlement scenarios without a test: ${missing.join(', ')}`);
});
