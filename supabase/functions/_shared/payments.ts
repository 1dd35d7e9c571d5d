// Starting WeChat payments for orders (prepay → requestPayment params) and
// the refund / transfer requests the jobs function and the api send.
import { asService } from './db.ts';
import { functionsBaseUrl, sandboxUrl } from './env.ts';
import { WechatApiError } from './wechat/index.ts';
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

/** Sends one approved refund to WeChat (or settles it at once when nothing was paid in cash). */
export async function sendRefund(r: { out_refund_no: string; order_id: string; amount: number; total: number; reason: string }): Promise<string> {
  if (r.amount === 0) {
    const [{ x }] = await asService((tx) => tx`select app.confirm_refund(${r.out_refund_no}, 'none', 0, now()) as x`);
    return x as string;
  }
  const pay = await wechatPay();
  try {
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
    if (err instanceof WechatApiError && err.status >= 400 && err.status < 500) {
      await asService((tx) => tx`select app.refund_failed(${r.out_refund_no}, ${err.code})`);
      return `refund refused ${err.code}`;
    }
    throw err;
  }
}

/** Pays one approved withdrawal by 商家转账 (transfer to the user's WeChat balance). */
export async function sendTransfer(w: { id: string; openid: string; net: number }): Promise<string> {
  const pay = await wechatPay();
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
}
