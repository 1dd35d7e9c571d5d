// Demo activity for a freshly seeded local stack, made through the real
// API and the WeChat sandbox (so every order has a real sandbox payment):
// shoppers alice, bob and carol (sign in as them in the H5 app with
// ?devUser=alice), an operator `admin`, the console's operators (one per
// role, scripts/operator.ts DEMO_OPERATORS), a referral, a few paid orders.
import postgres from 'postgres';
import { createOperator, DEMO_OPERATORS } from '../operator.ts';

interface Session {
  token: string;
  memberId: string;
}

export async function loadDemoActivity(functionsUrl: string, anonKey: string, databaseUrl: string, mode?: 'classic' | 'union'): Promise<string[]> {
  const done: string[] = [];
  const call = async (fn: string, body: object, token = anonKey) => {
    const res = await fetch(`${functionsUrl}/${fn}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, apikey: anonKey },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${fn} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (name: string, inviteScene?: string): Promise<Session> => {
    const r = await call('wechat-login', { code: `sandbox:${name}`, platform: 'h5', ...(inviteScene ? { inviteScene } : {}) });
    return { token: r.session.access_token, memberId: r.user.id };
  };
  const buy = async (s: Session, productId: string, quantity = 1) => {
    const c = await call('api', { action: 'orders.checkout', lines: [{ productId, quantity }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, s.token);
    if (c.payment.kind === 'sandbox') await call('api', { action: 'pay.sandboxConfirm', paymentId: c.payment.paymentId }, s.token);
    return c.orderId as string;
  };

  const sql = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const admin = await login('admin');
    await sql`insert into app.operators (member_id, role) values (${admin.memberId}, 'admin') on conflict do nothing`;
    await sql`update app.profiles set nickname = '平台管理员' where member_id = ${admin.memberId}`;
    done.push('operator admin');
    // Console operators, one per role (the sign-in npm start prints).
    for (const o of DEMO_OPERATORS) await createOperator(sql, o);
    done.push(`console operators ${DEMO_OPERATORS.map((o) => `${o.login} (${o.role})`).join(', ')}`);

    const alice = await login('alice');
    const [{ invite }] = await sql`select invite_code as invite from app.profiles where member_id = ${alice.memberId}`;
    const bob = await login('bob', `i=${invite}`);
    const carol = await login('carol', `i=${invite}`);
    for (const [s, nick] of [[alice, '爱丽丝'], [bob, '鲍勃'], [carol, '卡罗尔']] as const) {
      await sql`update app.profiles set nickname = ${nick} where member_id = ${s.memberId}`;
    }
    done.push('shoppers alice, bob, carol (bob and carol invited by alice)');

    const orders = [
      await buy(alice, 'p-rice'),
      await buy(bob, 'p-rice'),
      await buy(carol, 'p-tea'),
      await buy(alice, 'p-tea'),
      await buy(bob, 'sp-beef-noodle', 2),
    ];
    const cashier = await call('api', { action: 'cashier.pay', cashierId: 'c-noodle-1', amount: 5000, platform: 'h5' }, carol.token);
    if (cashier.payment.kind === 'sandbox') await call('api', { action: 'pay.sandboxConfirm', paymentId: cashier.payment.paymentId }, carol.token);
    orders.push(cashier.orderId as string);
    done.push('6 paid orders (mall, store product, cashier)');
    if (mode === 'union') {
      // Union entries join when an order completes (after-sales over): complete the demo orders now,
      // in order, so the 工会排队 tab has entries; the pool fills at the next daily run (unionDailyAt).
      for (const id of orders) await sql`select orders.complete_order(${id}, now())`;
      done.push('union mode: the 6 orders completed; their lines wait in 工会排队 for the next daily run');
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return done;
}
