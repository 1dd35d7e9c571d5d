// Settles the payment params of a checkout / cashier payment:
// weapp → Taro.requestPayment; h5 sandbox → a confirm dialog + pay.sandboxConfirm.
import Taro from '@tarojs/taro';
import type { PaymentParams } from '@contract';
import { ApiError, callApi } from './api';
import { formatYuan } from '@/domain/money';

export type PaymentResult = 'paid' | 'cancelled';

export async function settlePayment(payment: PaymentParams, payable: number): Promise<PaymentResult> {
  if (payment.kind === 'none') return 'paid';
  if (payment.kind === 'wechat') {
    const { kind: _kind, ...params } = payment;
    try {
      await Taro.requestPayment(params);
      return 'paid';
    } catch (e) {
      const msg = String((e as { errMsg?: string })?.errMsg ?? '');
      if (msg.includes('cancel')) return 'cancelled';
      throw new ApiError('支付未完成，请稍后在订单中重新支付', 0);
    }
  }
  const { confirm } = await Taro.showModal({
    title: '确认支付',
    content: `支付 ¥${formatYuan(payable)}（测试环境模拟支付，不会真实扣款）`,
    confirmText: '确认支付',
    cancelText: '取消',
  });
  if (!confirm) return 'cancelled';
  await callApi('pay.sandboxConfirm', { paymentId: payment.paymentId });
  return 'paid';
}
