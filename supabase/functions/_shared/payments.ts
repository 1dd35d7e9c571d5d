// Starting WeChat payments for orders (prepay → requestPayment params) and
// the refund / transfer requests the jobs function and the api send.
import { asService } from './db.ts';
import { functionsBaseUrl, sandboxUrl } from './env.ts';
import { WechatApiError, type Refund } from './wechat/index.ts';
import { wechatPay } from './wechat-env.ts';

/** What api.orders_checkout / cashier_checkout / orders_pay_info return. */
export interface PayInfo {
  orderId: string;
  payable: number;
  status: string;
  openid: string | null;
  prepayId?: string | null;
  description: string;
}

export type PaymentParams =
  | { kind: 'wechat'; timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string }
  | { kind: 'sandbox'; paymentId: string }
  | { kind: 'none' };

/**
 * Payment params for an order: none when nothing is left to pay; otherwise
 * a JSAPI prepay (reused while valid) and, in production, the signed
 * wx.requestPayment parameters. Against the local sandbox the client gets
 * the prepay id to confirm with pay.sandboxConfirm instead.
 */
export async function paymentFor(info: PayInfo): Promise<PaymentParams> {
  if (info.status !== 'unpaid' || info.payable === 0) return { kind: 'none' };
  if (!info.openid) throw new Error(`order ${info.orderId}: payer has no openid`);
  const pay = await wechatPay();
  let prepayId = info.prepayId ?? null;
  if (!prepayId) {
    prepayId = await pay.jsapiPrepay({
      description: info.description.slice(0, 120) || '订单',
      out_trade_no: info.orderId,
      notify_url: `${functionsBaseUrl()}/pay-notify`,
      amount: { total: info.payable, currency: 'CNY' },
      payer: { openid: info.openid },
      attach: info.orderId,
    });
    await asService((tx) => tx`select app.record_prepay(${info.orderId}, ${prepayId})`);
  }
  if (sandboxUrl()) return { kind: 'sandbox', paymentId: prepayId };
  const { appId: _appId, ...params } = await pay.requestPayment(prepayId);
  return { kind: 'wechat', ...params };
}

/** A WeChat answer that says the request itself is wrong (retrying the same request cannot help). 429 is "too often": retry. */
function refusedByWechat(err: unknown): err is WechatApiError {
  return err instanceof WechatApiError && err.status >= 400 && err.status < 500 && err.status !== 429;
}

/** Not found at WeChat: the earlier attempt never reached it. */
function notFound(err: unknown): boolean {
  return err instanceof WechatApiError && err.status === 404;
}

/**
 * Sends one approved refund to WeChat (or settles it at once when nothing
 * was paid in cash). Each attempt is claimed first (app.wechat_request_claim:
 * counted, next one pushed out by the backoff). From the second attempt on
 * the request may already have reached WeChat with its answer lost, so
 * WeChat is asked first (GET refunds/{out_refund_no}) and the refund is
 * taken from its record instead of being requested again.
 */
export async function sendRefund(r: { out_refund_no: string; order_id: string; amount: number; total: number; reason: string }): Promise<string> {
  if (r.amount === 0) {
    const [{ x }] = await asService((tx) => tx`select app.confirm_refund(${r.out_refund_no}, 'none', 0, now()) as x`);
    return x as string;
  }
  const [{ attempt }] = await asService((tx) => tx`select app.wechat_request_claim('refund', ${r.out_refund_no}) as attempt`);
  if (attempt === null) return 'refund not due';
  const pay = await wechatPay();
  try {
    if (attempt > 1) {
      const known = await pay.queryRefund(r.out_refund_no).catch((err) => {
        if (notFound(err)) return null;
        throw err;
      });
      if (known) return await refundFromWechat(known);
    }
    const refund = await pay.refund({
      out_trade_no: r.order_id,
      out_refund_no: r.out_refund_no,
      reason: r.reason.slice(0, 80),
      notify_url: `${functionsBaseUrl()}/refund-notify`,
      amount: { refund: r.amount, total: r.total, currency: 'CNY' },
    });
    await asService((tx) => tx`select app.refund_started(${r.out_refund_no}, ${refund.refund_id})`);
    return `refund ${refund.status}`;
  } catch (err) {
    if (refusedByWechat(err)) {
      await asService((tx) => tx`select app.refund_failed(${r.out_refund_no}, ${err.code})`);
      return `refund refused ${err.code}`;
    }
    await asService((tx) => tx`select app.wechat_request_error('refund', ${r.out_refund_no}, ${(err as Error).message})`).catch(() => {});
    throw err;
  }
}

/** A refund WeChat already has (an earlier attempt reached it): recorded from WeChat's own record, never requested twice. */
async function refundFromWechat(known: Refund): Promise<string> {
  await asService((tx) => tx`select app.refund_started(${known.out_refund_no}, ${known.refund_id})`);
  if (known.status === 'SUCCESS') {
    const [{ x }] = await asService((tx) => tx`select app.confirm_refund(${known.out_refund_no}, ${known.refund_id}, ${known.amount.refund},
                                                                          ${known.success_time ?? null}) as x`);
    return `refund found at WeChat: ${x}`;
  }
  if (known.status === 'ABNORMAL' || known.status === 'CLOSED') {
    await asService((tx) => tx`select app.refund_failed(${known.out_refund_no}, ${known.status})`);
  }
  return `refund found at WeChat: ${known.status}`;
}

/**
 * Pays one approved withdrawal by 商家转账 (transfer to the user's WeChat
 * balance). Claimed and retried like refunds; from the second attempt on
 * WeChat is asked first (GET transfer-bills/out-bill-no/{id}): a bill it
 * already has is finished from its state, or (still waiting for the user)
 * fetched again with the same out_bill_no, which WeChat answers with the
 * same bill: one transfer, never two.
 */
export async function sendTransfer(w: { id: string; openid: string; net: number }): Promise<string> {
  const [{ attempt }] = await asService((tx) => tx`select app.wechat_request_claim('transfer', ${w.id}) as attempt`);
  if (attempt === null) return 'transfer not due';
  const pay = await wechatPay();
  try {
    if (attempt > 1) {
      const known = await pay.queryTransfer(w.id).catch((err) => {
        if (notFound(err)) return null;
        throw err;
      });
      if (known && (known.state === 'SUCCESS' || known.state === 'FAIL' || known.state === 'CANCELLED')) {
        await asService((tx) => tx`select app.transfer_started(${w.id}, ${known.transfer_bill_no}, null)`);
        const [{ x }] = await asService((tx) => tx`select app.confirm_transfer(${w.id}, ${known.transfer_bill_no}, ${known.state},
                                                                               ${known.transfer_amount ?? null}) as x`);
        return `transfer found at WeChat: ${x}`;
      }
      // Not there (send it), or there and waiting: the same out_bill_no returns the same bill with its package_info.
    }
    const bill = await pay.transfer({
      out_bill_no: w.id,
      // 1000 = 现金营销 (cash rewards); its required report fields follow.
      transfer_scene_id: Deno.env.get('WECHATPAY_TRANSFER_SCENE_ID') ?? '1000',
      openid: w.openid,
      transfer_amount: w.net,
      transfer_remark: '钱包提现',
      notify_url: `${functionsBaseUrl()}/transfer-notify`,
      user_recv_perception: '现金奖励',
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: '排队返利' },
        { info_type: '奖励说明', info_content: '钱包余额提现' },
      ],
    });
    await asService((tx) => tx`select app.transfer_started(${w.id}, ${bill.transfer_bill_no}, ${bill.package_info ?? null})`);
    const sandbox = sandboxUrl();
    if (sandbox && bill.state === 'WAIT_USER_CONFIRM') {
      // Locally nobody taps "收款" in wx.requestMerchantTransfer: the sandbox plays the user.
      await fetch(`${sandbox}/sandbox/transfer/confirm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ out_bill_no: w.id }),
      }).then((r) => r.body?.cancel());
    }
    return `transfer ${bill.state}`;
  } catch (err) {
    await asService((tx) => tx`select app.wechat_request_error('transfer', ${w.id}, ${(err as Error).message})`).catch(() => {});
    throw err;
  }
}
