// parseEvent: SPEC §10 shapes, defaults, and errors that name the field.
import { parseEvent } from '@/domain/events';
import { ValidationError } from '@/domain/validate';

const AT = '2026-01-01T10:00:00+08:00';
const AT_MS = Date.UTC(2026, 0, 1, 2, 0, 0);

function fieldOf(value: unknown): string {
  try {
    parseEvent(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

const order = (extra: object) => ({ type: 'order', id: 'o1', user: 'A', at: AT, ...extra });
const line = (extra: object) => order({ lines: [{ product: 'p1', paid: 100, ...extra }] });

describe('valid events', () => {
  test('mall order: defaults deducted 0, gives atMs', () => {
    expect(parseEvent(order({ lines: [{ product: 'p1', paid: 16800 }, { storeProduct: 'sp1', paid: 5000, deducted: 200, randomReturn: 'cash' }] }))).toEqual({
      type: 'order',
      id: 'o1',
      user: 'A',
      at: AT,
      atMs: AT_MS,
      lines: [
        { product: 'p1', paid: 16800, deducted: 0 },
        { storeProduct: 'sp1', paid: 5000, deducted: 200, randomReturn: 'cash' },
      ],
    });
  });

  test('cashier order', () => {
    expect(parseEvent(order({ cashier: 'c1', paid: 5000 }))).toEqual({
      type: 'order',
      id: 'o1',
      user: 'A',
      at: AT,
      atMs: AT_MS,
      cashier: 'c1',
      paid: 5000,
      deducted: 0,
    });
  });

  test('catalogue events; queue defaults to {}', () => {
    expect(parseEvent({ type: 'product', id: 'p1', price: 16800, source: 'self', cost: 9000 })).toEqual({
      type: 'product',
      id: 'p1',
      price: 16800,
      source: 'self',
      cost: 9000,
      queue: {},
    });
    const store = parseEvent({
      type: 'store',
      id: 's1',
      commission: '10',
      recruiter: 'U',
      queue: { defaultRatio: '120', randomReturn: { on: false, cashCount: 1, pointsCount: 2 }, timeWindows: [{ from: '22:00', to: '02:00' }] },
    });
    expect(store).toEqual({
      type: 'store',
      id: 's1',
      commission: '10',
      recruiter: 'U',
      queue: { defaultRatio: '120', randomReturn: { on: false, cashCount: 1, pointsCount: 2 }, timeWindows: [{ from: '22:00', to: '02:00' }] },
    });
    expect(parseEvent({ type: 'level', id: 'vip1', ratio: '120', teamRatio: '5', shareholder: false })).toEqual({
      type: 'level',
      id: 'vip1',
      ratio: '120',
      teamRatio: '5',
      shareholder: false,
    });
    expect(parseEvent({ type: 'user', id: 'A', level: 'vip1', referrer: 'B' })).toEqual({ type: 'user', id: 'A', level: 'vip1', referrer: 'B' });
  });

  test('settings: the rest of the object is the patch', () => {
    expect(parseEvent({ type: 'settings', mallQueue: true, distribution: { cap: '30' } })).toEqual({
      type: 'settings',
      patch: { mallQueue: true, distribution: { cap: '30' } },
    });
  });

  test('complete, refund, draw, exchange, tick', () => {
    expect(parseEvent({ type: 'complete', order: 'o1', at: AT })).toEqual({ type: 'complete', order: 'o1', at: AT, atMs: AT_MS });
    expect(parseEvent({ type: 'refund', order: 'o1', at: '2026-01-01T02:00:00Z' })).toEqual({ type: 'refund', order: 'o1', at: '2026-01-01T02:00:00Z', atMs: AT_MS });
    expect(parseEvent({ type: 'draw', order: 'o1', line: 0, outcome: '50' })).toEqual({ type: 'draw', order: 'o1', line: 0, outcome: '50' });
    expect(parseEvent({ type: 'exchange', order: 'o1', line: 2, to: 'love' })).toEqual({ type: 'exchange', order: 'o1', line: 2, to: 'love' });
    expect(parseEvent({ type: 'tick', at: AT })).toEqual({ type: 'tick', at: AT, atMs: AT_MS });
  });
});

describe('bad input names the field', () => {
  test.each<[string, unknown, string]>([
    ['not an object', [1], 'event'],
    ['missing type', {}, 'type'],
    ['unknown type', { type: 'ship' }, 'type'],
    ['negative amount', line({ paid: -1 }), 'lines[0].paid'],
    ['fractional amount', line({ paid: 1.5 }), 'lines[0].paid'],
    ['huge amount', line({ paid: 10_000_000_001 }), 'lines[0].paid'],
    ['amount as string', line({ paid: '100' }), 'lines[0].paid'],
    ['missing paid', order({ lines: [{ product: 'p1' }] }), 'lines[0].paid'],
    ['negative deducted', line({ deducted: -1 }), 'lines[0].deducted'],
    ['bad randomReturn', line({ randomReturn: 'gold' }), 'lines[0].randomReturn'],
    ['unknown line field', line({ qty: 2 }), 'lines[0].qty'],
    ['line with both items', line({ storeProduct: 'sp1' }), 'lines[0].storeProduct'],
    ['line with no item', order({ lines: [{ paid: 1 }] }), 'lines[0].product'],
    ['empty lines', order({ lines: [] }), 'lines'],
    ['lines not an array', order({ lines: {} }), 'lines'],
    ['neither lines nor cashier', order({}), 'lines'],
    ['lines and cashier', order({ lines: [{ product: 'p1', paid: 1 }], cashier: 'c1' }), 'cashier'],
    ['cashier without paid', order({ cashier: 'c1' }), 'paid'],
    ['cashier order with line field', order({ cashier: 'c1', paid: 1, product: 'p1' }), 'product'],
    ['bad id characters', order({ id: 'o 1', lines: [{ product: 'p1', paid: 1 }] }), 'id'],
    ['id as number', order({ id: 7, lines: [{ product: 'p1', paid: 1 }] }), 'id'],
    ['empty user', order({ user: '', lines: [{ product: 'p1', paid: 1 }] }), 'user'],
    ['time without offset', order({ at: '2026-01-01T10:00:00', lines: [{ product: 'p1', paid: 1 }] }), 'at'],
    ['impossible date', order({ at: '2026-02-30T10:00:00+08:00', lines: [{ product: 'p1', paid: 1 }] }), 'at'],
    ['unknown top-level field', order({ lines: [{ product: 'p1', paid: 1 }], note: 'x' }), 'note'],
    ['product missing price', { type: 'product', id: 'p1', source: 'self', cost: 0 }, 'price'],
    ['product bad source', { type: 'product', id: 'p1', price: 1, source: 'ours', cost: 0 }, 'source'],
    ['ratio as number', { type: 'product', id: 'p1', price: 1, source: 'self', cost: 0, queue: { extractRatio: 10 } }, 'queue.extractRatio'],
    ['ratio with 3 decimals', { type: 'product', id: 'p1', price: 1, source: 'self', cost: 0, queue: { independentRatio: '1.234' } }, 'queue.independentRatio'],
    ['ratio above 10000', { type: 'store', id: 's1', commission: '10001' }, 'commission'],
    ['defaultRatio on a product', { type: 'product', id: 'p1', price: 1, source: 'self', cost: 0, queue: { defaultRatio: '1' } }, 'queue.defaultRatio'],
    ['independentRatio on a store', { type: 'store', id: 's1', commission: '1', queue: { independentRatio: '1' } }, 'queue.independentRatio'],
    ['randomReturn on a store product', { type: 'storeProduct', id: 'sp', store: 's1', price: 1, cost: 0, queue: { randomReturn: { on: false, cashCount: 1, pointsCount: 0 } } }, 'queue.randomReturn'],
    ['randomReturn with no group', { type: 'cashier', id: 'c1', store: 's1', queue: { randomReturn: { on: true, cashCount: 0, pointsCount: 0 } } }, 'queue.randomReturn.cashCount'],
    ['bad time window', { type: 'cashier', id: 'c1', store: 's1', queue: { timeWindows: [{ from: '24:00', to: '01:00' }] } }, 'queue.timeWindows[0].from'],
    ['empty time window', { type: 'cashier', id: 'c1', store: 's1', queue: { timeWindows: [{ from: '10:00', to: '10:00' }] } }, 'queue.timeWindows[0].to'],
    ['negative limit', { type: 'cashier', id: 'c1', store: 's1', queue: { dailyLimit: -1 } }, 'queue.dailyLimit'],
    ['bad tier', { type: 'cashier', id: 'c1', store: 's1', queue: { cumulativeTiers: [{ days: 0, minSpend: 1, ratio: '1' }] } }, 'queue.cumulativeTiers[0].days'],
    ['bad lottery', { type: 'cashier', id: 'c1', store: 's1', queue: { lottery: { kind: 'range', min: '90', max: '80' } } }, 'queue.lottery.max'],
    ['unknown queue field', { type: 'cashier', id: 'c1', store: 's1', queue: { speed: 1 } }, 'queue.speed'],
    ['queue not an object', { type: 'cashier', id: 'c1', store: 's1', queue: [] }, 'queue'],
    ['unknown setting', { type: 'settings', speed: 1 }, 'speed'],
    ['bad nested setting', { type: 'settings', queue: { extractRatio: '10' } }, 'queue'],
    ['bad enum setting', { type: 'settings', settleOn: 'shipped' }, 'settleOn'],
    ['bad distribution ratio', { type: 'settings', distribution: { cap: 30 } }, 'distribution.cap'],
    ['user with level as number', { type: 'user', id: 'A', level: 1 }, 'level'],
    ['level with bad shareholder', { type: 'level', id: 'v', shareholder: 'yes' }, 'shareholder'],
    ['complete without at', { type: 'complete', order: 'o1' }, 'at'],
    ['refund unknown field', { type: 'refund', order: 'o1', at: AT, reason: 'x' }, 'reason'],
    ['draw negative line', { type: 'draw', order: 'o1', line: -1 }, 'line'],
    ['draw fractional line', { type: 'draw', order: 'o1', line: 0.5 }, 'line'],
    ['draw outcome as number', { type: 'draw', order: 'o1', line: 0, outcome: 50 }, 'outcome'],
    ['exchange bad target', { type: 'exchange', order: 'o1', line: 0, to: 'cash' }, 'to'],
    ['tick bad time', { type: 'tick', at: 'tomorrow' }, 'at'],
  ])('%s', (_name, value, field) => {
    expect(fieldOf(value)).toBe(field);
  });

  test('the message is "<field>: <reason>"', () => {
    expect(() => parseEvent(line({ paid: -1 }))).toThrow('lines[0].paid: must not be negative');
  });
});
