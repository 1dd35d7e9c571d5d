// End to end through real Deno edge functions and the WeChat sandbox:
// sign in → checkout → WeChat prepay → the sandbox confirms and posts a
// signed, encrypted notify → pay-notify settles through SQL. The same
// notify delivered five times settles once; a forged notify changes nothing.
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(240_000);

let b: Backend;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'refund-notify', 'transfer-notify', 'jobs']);
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

async function signIn(name: string) {
  const r = await b.call('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  expect(r.status).toBe(200);
  return r.body as { session: { access_token: string; refresh_token: string }; user: { id: string }; isNew: boolean };
}

const api = (token: string | null, action: string, params: object = {}) => b.call('api', { action, ...params }, token);

test('sign in through jscode2session; the same code name is the same user; refresh works', async () => {
  const first = await signIn('alice');
  expect(first.isNew).toBe(true);
  const again = await signIn('alice');
  expect(again.isNew).toBe(false);
  expect(again.user.id).toBe(first.user.id);
  const [{ openid }] = await b.db.sql`select openid from app.profiles where member_id = ${first.user.id}`;
  expect(openid).toBe(b.sandbox.openidFor('alice'));
  const refreshed = await b.call('wechat-login', { refresh_token: first.session.refresh_token });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.user.id).toBe(first.user.id);
  const bad = await b.call('wechat-login', { code: 'not-a-real-code', platform: 'weapp' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('code');
  const missing = await b.call('wechat-login', { platform: 'weapp' });
  expect(missing.status).toBe(400);
  expect(missing.body.error.field).toBe('code');
});

test('pay → notify → settle, five deliveries settle once, a forged notify is refused', async () => {
  const alice = await signIn('payer');
  const token = alice.session.access_token;
  const checkout = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 2 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  expect(checkout.status).toBe(200);
  expect(checkout.body).toMatchObject({ payable: 20000, payment: { kind: 'sandbox' } });
  const orderId = checkout.body.orderId;
  // WeChat knows the prepay with the right amount and payer.
  const txs = await (await fetch(`${b.sandbox.url}/sandbox/transactions`)).json();
  expect(txs.transactions.find((t: any) => t.out_trade_no === orderId)).toMatchObject({ trade_state: 'NOTPAY', amount: { total: 20000 }, payer: { openid: b.sandbox.openidFor('payer') } });

  const confirmed = await api(token, 'pay.sandboxConfirm', { paymentId: checkout.body.payment.paymentId });
  expect(confirmed).toEqual({ status: 200, body: { orderId, status: 'paid' } });
  const record = b.sandbox.notifications.find((n) => n.key === orderId)!;
  expect(record.attempts.map((a) => a.status)).toEqual([204]);

  // Four more deliveries of the same notify (WeChat does redeliver).
  const resend = await (await fetch(`${b.sandbox.url}/sandbox/notify/resend`, { method: 'POST', body: JSON.stringify({ key: orderId, times: 4 }) })).json();
  expect(resend.attempts.map((a: any) => a.status)).toEqual([204, 204, 204, 204]);
  const [pay] = await b.db.sql`select status, notify_count, transaction_id from app.payments where order_id = ${orderId}`;
  expect(pay).toMatchObject({ status: 'paid', notify_count: 5 });
  const [{ count: coreOrders }] = await b.db.sql`select count(*)::int from orders.orders where id = ${orderId}`;
  expect(coreOrders).toBe(1);
  const [{ count: transfers }] = await b.db.sql`select count(*)::int from ledger.transfers where idempotency_key = ${'pay:' + orderId}`;
  expect(transfers).toBe(1);
  const entries = await api(token, 'queue.myEntries', {});
  expect(entries.body.items).toHaveLength(1);
  expect(entries.body.items[0]).toMatchObject({ orderId, base: 20000, entitlement: 20000, status: 'waiting' });

  // A forged notify (signed with a key that is not WeChat's) changes nothing.
  const body = record.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ');
  const forged = await fetch(`${b.url}/pay-notify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Wechatpay-Timestamp': String(Math.floor(Date.now() / 1000)), 'Wechatpay-Nonce': 'N', 'Wechatpay-Signature': 'AAAA', 'Wechatpay-Serial': b.sandbox.identity.platformSerial },
    body,
  });
  expect(forged.status).toBe(401);
  const [after] = await b.db.sql`select notify_count from app.payments where order_id = ${orderId}`;
  expect(after.notify_count).toBe(5);

  // The order detail tells the whole story.
  const detail = await api(token, 'orders.detail', { orderId });
  expect(detail.body.order).toMatchObject({ status: 'paid', payable: 20000, canRefund: true, canPay: false });
});

test('refund through WeChat: REFUND.SUCCESS notify refunds the order in the core', async () => {
  const u = await signIn('refunder');
  const token = u.session.access_token;
  const c = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  await api(token, 'pay.sandboxConfirm', { paymentId: c.body.payment.paymentId });
  const r = await api(token, 'orders.refund', { orderId: c.body.orderId, reason: '不想要了' });
  expect(r).toEqual({ status: 200, body: { orderId: c.body.orderId, status: 'refunding' } });
  const done = await until(async () => {
    const d = await api(token, 'orders.detail', { orderId: c.body.orderId });
    return d.body.order.status === 'refunded' && d.body.order;
  });
  expect(done.entries[0].status).toBe('cancelled');
  const [core] = await b.db.sql`select status from orders.orders where id = ${c.body.orderId}`;
  expect(core.status).toBe('refunded');
});

test('bad requests name the field; auth failures are 401; unknown actions are refused', async () => {
  const u = await signIn('validator');
  const token = u.session.access_token;
  const bad = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 1.5 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatchObject({ field: 'lines[0].quantity' });
  expect(bad.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  const sqlBad = await api(token, 'orders.checkout', { lines: [{ productId: 'nope', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  expect(sqlBad.status).toBe(400);
  expect(sqlBad.body.error.field).toBe('lines[0].productId');
  const extra = await api(token, 'wallet.withdraw', { amount: 100, to: 'me' });
  expect(extra.status).toBe(400);
  expect(extra.body.error.field).toBe('to');
  const unknown = await api(token, 'wallet.steal', {});
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.field).toBe('action');
  // Signed out (the anon key as bearer): public actions work, member actions are 401.
  expect((await api(b.anonKey, 'catalog.products', {})).status).toBe(200);
  expect((await api(b.anonKey, 'catalog.home')).status).toBe(200);
  const member = await api(b.anonKey, 'wallet.summary');
  expect(member.status).toBe(401);
  expect(member.body.error.code).toBe('unauthenticated');
  // No bearer at all: the gateway refuses verify_jwt functions, like Supabase's.
  expect((await api(null, 'catalog.home')).status).toBe(401);
  // Forged / expired / wrong-secret tokens: 401.
  const [h, p] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${token.split('.')[2]}`;
  expect((await api(forged, 'wallet.summary')).status).toBe(401);
  const { SignJWT } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ ...claims, iat: now - 7200, exp: now - 3600 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(b.jwtSecret));
  expect((await api(expired, 'wallet.summary')).status).toBe(401);
  const wrongKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-another-secret-another'));
  expect((await api(wrongKey, 'wallet.summary')).status).toBe(401);
});

test('jobs need the service role; withdrawals pay out through WeChat transfer', async () => {
  expect((await b.call('jobs', {}, null)).status).toBe(401);
  const u = await signIn('earner');
  const op = await signIn('operator');
  await b.db.sql`insert into app.operators (member_id, role) values (${op.user.id}, 'finance')`;
  // Give the earner an available balance the way the engine would: a posted transfer.
  await b.db.sql.unsafe(`select ledger.transfer('test-fund-${u.user.id}', 'adjust', array[
    row('world', 'CNY', -5000)::ledger.leg, row('wallet:${u.user.id}:available', 'CNY', 5000)::ledger.leg])`);
  const w = await api(u.session.access_token, 'wallet.withdraw', { amount: 3000 });
  expect(w.status).toBe(200);
  const denied = await api(u.session.access_token, 'admin.withdrawalReview', { withdrawalId: w.body.withdrawalId, approve: true });
  expect(denied.status).toBe(403);
  const approved = await api(op.session.access_token, 'admin.withdrawalReview', { withdrawalId: w.body.withdrawalId, approve: true });
  expect(approved.body.status).toBe('approved');
  const paid = await until(async () => {
    const list = await api(u.session.access_token, 'wallet.withdrawals', {});
    return list.body.items[0].status === 'paid' && list.body.items[0];
  });
  expect(paid).toMatchObject({ amount: 3000, net: 3000 });
  const summary = await api(u.session.access_token, 'wallet.summary');
  expect(summary.body).toMatchObject({ available: 2000, withdrawing: 0 });
  const jobs = await b.call('jobs', {}, b.serviceKey);
  expect(jobs.status).toBe(200);
  expect(Array.isArray(jobs.body.ran)).toBe(true);
});

test('jobs close expired unpaid orders at WeChat first, and send subscribe messages the user accepted', async () => {
  const u = await signIn('late');
  const token = u.session.access_token;
  // The user accepts the "entry joined" template (one credit).
  const templates = (await api(token, 'inbox.templates')).body.templates;
  expect(templates.entryJoined).toBeTruthy();
  expect((await api(token, 'inbox.subscribed', { accepted: [templates.entryJoined], rejected: [] })).status).toBe(200);

  const stale = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 3 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  const [{ stock: reserved }] = await b.db.sql`select stock from app.listings where id = 'p1'`;
  await b.db.sql`update app.orders set expires_at = now() - interval '1 minute' where id = ${stale.body.orderId}`;
  const paid = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  await api(token, 'pay.sandboxConfirm', { paymentId: paid.body.payment.paymentId });

  const run = await b.call('jobs', {}, b.serviceKey);
  expect(run.status).toBe(200);
  const steps = Object.fromEntries(run.body.ran.map((r: any) => [r.step, r.result ?? r.error]));
  expect(steps.closeExpired).toBe(1);
  expect(steps.sendOutbox).toMatchObject({ sent: 1 });
  // Closed at WeChat, closed here, stock back.
  const txs = (await (await fetch(`${b.sandbox.url}/sandbox/transactions`)).json()).transactions;
  expect(txs.find((t: any) => t.out_trade_no === stale.body.orderId).trade_state).toBe('CLOSED');
  expect((await api(token, 'orders.detail', { orderId: stale.body.orderId })).body.order.status).toBe('closed');
  const [{ stock }] = await b.db.sql`select stock from app.listings where id = 'p1'`;
  expect(stock).toBe(reserved + 3 - 1);
  // The subscribe message reached WeChat (the sandbox) for this user, once.
  const msgs = (await (await fetch(`${b.sandbox.url}/sandbox/messages?touser=${b.sandbox.openidFor('late')}`)).json()).messages;
  expect(msgs).toHaveLength(1);
  expect(msgs[0]).toMatchObject({ template_id: templates.entryJoined, data: { thing1: { value: '已加入排队' } } });
  // The credit was used: a second join is in the inbox only.
  const again = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  await api(token, 'pay.sandboxConfirm', { paymentId: again.body.payment.paymentId });
  await b.call('jobs', {}, b.serviceKey);
  expect((await (await fetch(`${b.sandbox.url}/sandbox/messages?touser=${b.sandbox.openidFor('late')}`)).json()).messages).toHaveLength(1);
  const inbox = await api(token, 'inbox.list', {});
  expect(inbox.body.items.filter((m: any) => m.kind === 'entryJoined')).toHaveLength(2);
});

test('clearing: the jobs tell a waiting shopper before (with the subscribe message accepted) and after, each once', async () => {
  const u = await signIn('clearing');
  const token = u.session.access_token;
  const templates = (await api(token, 'inbox.templates')).body.templates;
  expect((await api(token, 'inbox.subscribed', { accepted: [templates.clearingSoon], rejected: [] })).status).toBe(200);
  const order = await api(token, 'orders.checkout', { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  await api(token, 'pay.sandboxConfirm', { paymentId: order.body.payment.paymentId });
  const [entry] = await until(async () => {
    const rows = await b.db.sql`select e.member_id, e.entitlement - e.paid as remaining from rebate.entries e
      where e.order_id = ${order.body.orderId} and e.status = 'waiting'`;
    return rows.length ? rows : null;
  });
  // A clearing once, a few seconds from now (an ISO schedule): within the 24 h lead at once.
  const at = new Date(Math.ceil((Date.now() + 5000) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await b.db.sql`select rebate.update_settings(${JSON.stringify({ clearing: { on: true, schedule: at } })}::text::jsonb, 'ops')`;
  try {
    const stepOf = (run: any) => run.body.ran.find((r: any) => r.step === 'notifyClearing')?.result;
    const first = await b.call('jobs', {}, b.serviceKey);
    expect(stepOf(first)).toMatchObject({ done: 0 });
    expect(stepOf(first).soon).toBeGreaterThanOrEqual(1);
    const second = await b.call('jobs', {}, b.serviceKey);
    expect(stepOf(second)).toBeUndefined(); // nothing new: nobody told twice
    let inbox = (await api(token, 'inbox.list', {})).body.items;
    const soon = inbox.filter((m: any) => m.kind === 'clearingSoon');
    expect(soon).toHaveLength(1);
    expect(soon[0]).toMatchObject({ title: '队列奖励即将清零', data: { entries: 1, amount: Number(entry.remaining) } });
    expect(new Date(soon[0].data.at).toISOString()).toBe(new Date(at).toISOString());
    // The subscribe message went out (second run's sendOutbox).
    const msgs = (await (await fetch(`${b.sandbox.url}/sandbox/messages?touser=${b.sandbox.openidFor('clearing')}`)).json()).messages;
    expect(msgs.filter((m: any) => m.template_id === templates.clearingSoon)).toHaveLength(1);

    await sleep(Math.max(0, new Date(at).getTime() - Date.now() + 500));
    const after = await b.call('jobs', {}, b.serviceKey);
    expect(stepOf(after).done).toBeGreaterThanOrEqual(1);
    await b.call('jobs', {}, b.serviceKey);
    inbox = (await api(token, 'inbox.list', {})).body.items;
    const done = inbox.filter((m: any) => m.kind === 'clearingDone');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ title: '队列奖励已清零', data: { entries: 1, amount: Number(entry.remaining) } });
    const [{ status }] = await b.db.sql`select status from rebate.entries where order_id = ${order.body.orderId}`;
    expect(status).toBe('cleared');
  } finally {
    await b.db.sql`select rebate.update_settings('{"clearing":{"on":false}}'::jsonb, 'ops')`;
  }
});
