// WeChat Pay payment notify (TRANSACTION.SUCCESS) → app.confirm_payment,
// idempotent by transaction id. Configured as notify_url of every prepay.
import { notifyHandler } from '../_shared/notify.ts';
import type { Transaction } from '../_shared/wechat/index.ts';
import { requireEnv } from '../_shared/env.ts';
import { asService } from '../_shared/db.ts';

Deno.serve(
  notifyHandler<Transaction>('pay-notify', async (tx, envelope, t) => {
    if (envelope.event_type !== 'TRANSACTION.SUCCESS' || t.trade_state !== 'SUCCESS') return `ignored ${t.trade_state}`;
    if (t.mchid !== requireEnv('WECHATPAY_MCHID') || t.appid !== requireEnv('WECHAT_APPID')) {
      // Signed by WeChat for another merchant/app of ours: not this project's payment.
      await tx`select app.record_anomaly('foreign_merchant', ${t.out_trade_no}, ${t.transaction_id ?? null},
                                         ${JSON.stringify({ mchid: t.mchid, appid: t.appid })}::jsonb)`;
      return 'anomaly:foreign_merchant';
    }
    const [{ r }] = await tx`select app.confirm_payment(${t.out_trade_no}, ${t.transaction_id ?? ''}, ${t.amount.total},
                                                        ${t.payer?.openid ?? null}, ${t.success_time ?? null}) as r`;
    return r as string;
  }, async (outcome, t) => {
    if (outcome !== 'settled') return;
    // The queue processor, right after the payment committed: the payment
    // applied what it could under a try-lock; this applies what a busy
    // queue left (try-locks again), and again while it finds some, so an
    // operation committed while another transaction held the queue is not
    // left for the jobs function (docs/scaling.md).
    for (let round = 0; round < 10; round++) {
      const [{ n }] = await asService((tx) => tx`select app.apply_paid_order(${t.out_trade_no}) as n`);
      if (!n) return;
    }
  }),
);
