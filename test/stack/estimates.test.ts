// Honest estimates through the edge functions (issue 13): under the default
// settings (settleOn = paid) a few paid orders give a queue inflow, so a
// waiting entry, the product page and checkout carry a dated estimate with
// its basis, and the frozen wallet says when it unlocks. (Inflow used to be
// read from `allocate` operations only, which settleOn = paid never writes.)
import { forecast } from '@/domain/forecast';
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify']);
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试大米', 100);`);
});

afterAll(async () => {
  if (b) {
    if (process.env.STACK_TEST_LOGS) console.log(b.logs.join('\n'));
    await b.stop();
  }
});

const api = (token: string | null, action: string, params: object = {}) => b.call('api', { action, ...params }, token);

async function signIn(name: string): Promise<string> {
  const r = await b.call('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  expect(r.status).toBe(200);
  return r.body.session.access_token;
}

async function buy(token: string): Promise<string> {
  const c = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  expect(c.status).toBe(200);
  const paid = await api(token, 'pay.sandboxConfirm', { paymentId: c.body.payment.paymentId });
  expect(paid.body.status).toBe('paid');
  return c.body.orderId;
}

/** Shanghai local date + days. */
function shanghaiPlus(days: number, from = Date.now()): string {
  return new Date(from + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test('three paid orders under the default settings: the first entry has a dated estimate, and so do the product page and checkout', async () => {
  const [a, bb, c] = [await signIn('est-a'), await signIn('est-b'), await signIn('est-c')];
  const before = await api(a, 'catalog.product', { productId: 'p1' });
  expect(before.body.queue.estimate).toMatchObject({ status: 'noInflow', days: null, basis: '近7日队列无流入，暂无法估算' });

  await buy(a);
  await buy(bb);
  await buy(c);
  // Each order extracts 10% of 10000 = 1000: 3000 in the last 24 h, mean 3000/7 = 428.57 → ¥4.29 a day.
  // A is owed 10000 and was paid 1000 by each later order: 8000 to go, nothing ahead.
  const mine = await api(a, 'queue.myEntries', {});
  const entry = mine.body.items[0];
  expect(entry).toMatchObject({ paid: 2000, pending: 8000, position: 1, amountAhead: 0 });
  expect(entry.estimate).toMatchObject({
    status: 'estimate',
    inflowPerDay: 429,
    days: 19, // ceil(7 × 8000 / 3000)
    date: shanghaiPlus(19),
    basis: '按近7日日均流入 ¥4.29 估算，仅供参考',
  });
  // One day of inflow in seven is noisy: the range is wide, open above, and the same as the domain's rule.
  const domain = forecast({ amount: 8000, daily: [3000, 0, 0, 0, 0, 0, 0], today: shanghaiPlus(0) });
  expect(entry.estimate).toEqual({ ...domain });
  expect([entry.estimate.daysLow, entry.estimate.dateTo]).toEqual([6, null]);
  expect(entry.estimate.dateFrom).toBe(shanghaiPlus(5));

  // The same entry on its detail page.
  const detail = await api(a, 'queue.entry', { entryId: entry.entryId });
  expect(detail.body.entry.estimate.date).toBe(shanghaiPlus(19));

  // A new buyer of p1 waits behind 8000 + 10000 + 10000 (both payouts went to A) and their own 10000: ceil(7 × 38000 / 3000) = 89 days.
  const page = await api(a, 'catalog.product', { productId: 'p1' });
  expect(page.body.queue.estimate).toMatchObject({ days: 89, date: shanghaiPlus(89), inflowPerDay: 429 });
  const preview = await api(a, 'orders.preview', { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false });
  expect(preview.status).toBe(200);
  expect(preview.body.lines[0].queue.estimate).toMatchObject({ days: 89, date: shanghaiPlus(89) });

  // A's 2000 of payouts are frozen until the order's after-sales period ends (7 days after payment).
  const wallet = await api(a, 'wallet.summary', {});
  expect(wallet.body.frozen).toBe(2000);
  expect(wallet.body.frozenUnlocks).toEqual([{ date: shanghaiPlus(7), queue: 2000, reward: 0, amount: 2000 }]);
});
