// Approvals in the console go all the way through WeChat (the sandbox):
// an approved refund is sent, REFUND.SUCCESS refunds the order in the core;
// an approved withdrawal is transferred and TRANSFER finishes it paid. The
// audit log names the operator of each.
import { startBackend, type Backend } from './helpers/backend.ts';
import { setUpAdminFixture, type AdminFixture } from './helpers/admin.ts';

jest.setTimeout(300_000);

let b: Backend;
let fx: AdminFixture;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'refund-notify', 'transfer-notify', 'admin']);
  fx = await setUpAdminFixture(b);
});

afterAll(async () => {
  await b?.stop();
});

async function until<T>(fn: () => Promise<T | false | null | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('support approves a refund: sent to WeChat, the order ends refunded', async () => {
  const r = await b.call('admin', { action: 'refunds.review', outRefundNo: fx.outRefundNo, approve: true }, fx.tokens.support);
  expect(r.status).toBe(200);
  const [{ order_id: orderId }] = await b.db.sql`select order_id from app.refunds where out_refund_no = ${fx.outRefundNo}`;
  const done = await until(async () => {
    const d = await b.call('admin', { action: 'orders.detail', id: orderId }, fx.tokens.support);
    return d.body.order.status === 'refunded' && d.body.order;
  });
  expect(done.refund.status).toBe('succeeded');
  expect(done.ledger.some((p: any) => p.key === `refund:${orderId}`)).toBe(true);
  const [{ status }] = await b.db.sql`select status from orders.orders where id = ${orderId}`;
  expect(status).toBe('refunded');
});

test('finance approves a withdrawal: transferred through WeChat, paid', async () => {
  const r = await b.call('admin', { action: 'withdrawals.review', withdrawalId: fx.withdrawalId, approve: true }, fx.tokens.finance);
  expect(r.body).toEqual({ withdrawalId: fx.withdrawalId, status: 'approved' });
  const paid = await until(async () => {
    const list = await b.call('admin', { action: 'withdrawals.list', status: 'paid' }, fx.tokens.finance);
    return list.body.items.find((w: any) => w.withdrawalId === fx.withdrawalId);
  });
  expect(paid).toMatchObject({ amount: 1000, status: 'paid' });
  const audit = await b.call('admin', { action: 'audit.list', entity: 'withdrawal', entityId: fx.withdrawalId }, fx.tokens.admin);
  expect(audit.body.items[0]).toMatchObject({ action: 'withdrawals.review', operatorName: '测试finance' });
});
