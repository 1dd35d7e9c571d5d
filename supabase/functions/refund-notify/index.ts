// WeChat Pay refund notify (REFUND.SUCCESS / ABNORMAL / CLOSED) → the
// core refunds the order once (idempotent by refund status).
import { notifyHandler } from '../_shared/notify.ts';
import type { RefundNotice } from '../_shared/wechat/index.ts';
import { requireEnv } from '../_shared/env.ts';

Deno.serve(
  notifyHandler<RefundNotice>('refund-notify', async (tx, envelope, r) => {
    if (r.mchid !== requireEnv('WECHATPAY_MCHID')) {
      // Signed by WeChat for another merchant of ours: not this project's refund.
      await tx`select app.record_anomaly('foreign_merchant', ${r.out_refund_no}, ${r.refund_id ?? null},
                                         ${JSON.stringify({ mchid: r.mchid, event: envelope.event_type })}::jsonb)`;
      return 'anomaly:foreign_merchant';
    }
    if (envelope.event_type === 'REFUND.SUCCESS' && r.refund_status === 'SUCCESS') {
      const [{ x }] = await tx`select app.confirm_refund(${r.out_refund_no}, ${r.refund_id}, ${r.amount.refund}, ${r.success_time ?? null}) as x`;
      return x as string;
    }
    await tx`select app.refund_failed(${r.out_refund_no}, ${r.refund_status})`;
    return `failed ${r.refund_status}`;
  }),
);
