// POST /functions/v1/jobs (service role key; pg_cron or the local stack
// calls it every minute): runs everything that is due, each step on its
// own so one failure does not block the others. Returns what ran.
//  1. the queue engine's pending operations (rebate.process_pending)
//  2. unpaid orders past their window: closed at WeChat, then here
//  3. paid orders past the after-sales window: completed
//  4. new payouts → inbox notifications
//  5. refunds to send to WeChat
//  6. approved withdrawals to pay by transfer
//  7. subscribe messages to send
//  8. the core's schedules (clearing, union settlement) when it has them
import { jwtVerify } from 'jose';
import { asService } from '../_shared/db.ts';
import { env, requireEnv } from '../_shared/env.ts';
import { handler, HttpError, json } from '../_shared/http.ts';
import { sendRefund, sendTransfer } from '../_shared/payments.ts';
import { WechatApiError } from '../_shared/wechat/index.ts';
import { miniProgram, subscribeTemplates, wechatPay } from '../_shared/wechat-env.ts';

async function isServiceRole(req: Request): Promise<boolean> {
  const m = (req.headers.get('authorization') ?? '').match(/^Bearer\s+(\S+)$/i);
  if (!m) return false;
  if (m[1] === env('SUPABASE_SERVICE_ROLE_KEY')) return true;
  try {
    const { payload } = await jwtVerify(m[1], new TextEncoder().encode(requireEnv('JWT_SECRET')), { algorithms: ['HS256'] });
    return payload.role === 'service_role';
  } catch {
    return false;
  }
}

type Step = () => Promise<unknown>;

async function closeExpired(): Promise<number> {
  const rows = await asService((tx) => tx`select * from app.expired_unpaid(100)`);
  let closed = 0;
  for (const r of rows) {
    if (r.has_payment) {
      const pay = await wechatPay();
      try {
        await pay.close(r.order_id);
      } catch (err) {
        if (!(err instanceof WechatApiError)) throw err;
        if (err.code === 'ORDERPAID') {
          // Paid at the last moment: settle it from WeChat's own record.
          const t = await pay.queryByOutTradeNo(r.order_id);
          await asService((tx) => tx`select app.confirm_payment(${t.out_trade_no}, ${t.transaction_id ?? ''}, ${t.amount.total},
                                                                ${t.payer?.openid ?? null}, ${t.success_time ?? null})`);
          continue;
        }
        if (err.code !== 'ORDER_NOT_EXIST' && err.code !== 'ORDER_CLOSED') throw err;
      }
    }
    const [{ ok }] = await asService((tx) => tx`select app.close_order(${r.order_id}) as ok`);
    if (ok) closed++;
  }
  return closed;
}

async function sendOutbox(): Promise<{ sent: number; skipped: number; failed: number }> {
  const templates = subscribeTemplates();
  const rows = await asService((tx) => tx`select * from app.outbox_pending(100)`);
  const out = { sent: 0, skipped: 0, failed: 0 };
  for (const m of rows) {
    const template = templates[m.kind];
    if (!template) {
      await asService((tx) => tx`select app.outbox_result(${m.id}, 'skipped', 'no template configured')`);
      out.skipped++;
      continue;
    }
    const at = new Date(m.data.at);
    const time = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
      .format(at).replace(/\//g, '-');
    try {
      // Template keywords: thing1 = title, thing2 = summary, time3 = when (docs/wechat.md).
      await miniProgram().sendSubscribeMessage({
        touser: m.openid,
        template_id: template,
        page: m.page ?? undefined,
        data: { thing1: { value: String(m.data.title).slice(0, 20) }, thing2: { value: String(m.data.body).slice(0, 20) }, time3: { value: time } },
        miniprogram_state: (env('WECHAT_MINIPROGRAM_STATE') as 'formal' | 'trial' | 'developer' | undefined) ?? 'formal',
        lang: 'zh_CN',
      });
      await asService((tx) => tx`select app.outbox_result(${m.id}, 'sent', null)`);
      out.sent++;
    } catch (err) {
      // 43101: the user withdrew consent; nothing to retry.
      const refused = err instanceof WechatApiError && err.code === '43101';
      await asService((tx) => tx`select app.outbox_result(${m.id}, ${refused ? 'skipped' : 'failed'}, ${(err as Error).message.slice(0, 200)})`);
      if (refused) out.skipped++;
      else out.failed++;
    }
  }
  return out;
}

/**
 * Gives the lease back. When the database is down at that moment (a restart),
 * keeps trying for a while: otherwise every run would skip until the lease
 * expires (300 s) and refunds, transfers and completions would wait that long.
 */
async function releaseLease(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await asService((tx) => tx`select app.jobs_release()`);
      return;
    } catch (err) {
      if (attempt >= 30) {
        console.error('jobs: lease not released (it expires on its own):', (err as Error).message);
        return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function eachOnItsOwn<T>(what: string, rows: readonly T[], send: (row: T) => Promise<unknown>): Promise<{ sent: number; failed: number }> {
  const out = { sent: 0, failed: 0 };
  for (const row of rows) {
    try {
      await send(row);
      out.sent++;
    } catch (err) {
      console.error(`jobs: ${what}:`, (err as Error).message);
      out.failed++;
    }
  }
  return out;
}

const STEPS: [string, Step][] = [
  ['processQueues', async () => {
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const [{ n }] = await asService((tx) => tx`select rebate.process_pending(10000) as n`);
      total += Number(n);
      if (Number(n) === 0) break;
    }
    return total;
  }],
  ['closeExpired', closeExpired],
  ['completeDue', async () => Number((await asService((tx) => tx`select app.complete_due(now(), 200) as n`))[0].n)],
  ['notifyPayouts', async () => Number((await asService((tx) => tx`select app.notify_payouts(500) as n`))[0].n)],
  // One failing request does not hold up the others: each is retried on its own backoff (app.wechat_request_claim).
  ['sendRefunds', async () => {
    const rows = await asService((tx) => tx`select * from app.refunds_to_send(50)`);
    return eachOnItsOwn('refund', rows, (r) => sendRefund({ out_refund_no: r.out_refund_no, order_id: r.order_id, amount: Number(r.amount), total: Number(r.total), reason: r.reason }));
  }],
  ['sendTransfers', async () => {
    const rows = await asService((tx) => tx`select * from app.transfers_to_send(50)`);
    return eachOnItsOwn('transfer', rows, (w) => sendTransfer({ id: w.id, openid: w.openid, net: Number(w.net) }));
  }],
  ['sendOutbox', sendOutbox],
  ['coreSchedules', async () => {
    // The engine's own schedules (clearing, distribution dividends): rebate.tick (0007_options.sql).
    await asService((tx) => tx`select rebate.tick(now())`);
    return 'ticked';
  }],
  // Clearing notices (SPEC §7), next to the clearing that rebate.tick runs: members with waiting entries are told
  // app.clearing_notice_lead() before an occurrence, and told what it voided after (1044_api_outbox.sql).
  // Their subscribe messages go out with the next run's sendOutbox.
  ['notifyClearing', async () => {
    const [{ soon, done }] = await asService((tx) => tx`select app.notify_clearing_soon(now()) as soon, app.notify_clearing_done() as done`);
    return { soon: Number(soon), done: Number(done) };
  }],
];

Deno.serve(
  handler(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, null, 'POST only');
    if (!(await isServiceRole(req))) throw new HttpError(401, null, 'service role key required', 'unauthenticated');
    const holder = crypto.randomUUID();
    const [{ ok }] = await asService((tx) => tx`select app.jobs_lease(${holder}, 300) as ok`);
    if (!ok) return json({ ran: [], skipped: 'another run holds the lease' });
    const ran: { step: string; result?: unknown; error?: string }[] = [];
    try {
      for (const [step, fn] of STEPS) {
        try {
          const result = await fn();
          if (result && result !== 'none' && !(typeof result === 'object' && Object.values(result as object).every((v) => v === 0))) {
            ran.push({ step, result });
          }
        } catch (err) {
          console.error(`jobs: ${step}:`, err);
          ran.push({ step, error: (err as Error).message });
        }
      }
    } finally {
      await releaseLease();
    }
    return json({ ran });
  }),
);
