// Order detail: lines, deductions, payment, and the queue entries it created.
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Cell } from '@/components/Cell';
import { OrderEntries } from '@/components/OrderEntries';
import { Price } from '@/components/Price';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText } from '@/services/api';
import { platform } from '@/services/config';
import { settlePayment } from '@/services/payment';
import { go } from '@/routes';
import { useSettings } from '@/stores/settings';
import { dateTime, ORDER_STATUS_TEXT, units, yuan } from '@/utils/format';

export default function OrderPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const settings = useSettings();
  const [paying, setPaying] = useState(false);
  const { data, error, loading, reload } = useRequest(() => callApi('orders.detail', { orderId: id }), [id], { skip: !id, reloadOnShow: true });
  const o = data?.order;

  const payAgain = async () => {
    if (!o || paying) return;
    setPaying(true);
    try {
      const res = await callApi('orders.pay', { orderId: o.orderId, platform });
      const r = await settlePayment(res.payment, res.payable);
      if (r === 'paid') void Taro.showToast({ title: '支付成功', icon: 'success' });
      await reload();
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none' });
    } finally {
      setPaying(false);
    }
  };

  return (
    <View className="page" data-testid="page-order">
      <StateView loading={loading && !data} error={!id ? '订单不存在' : data ? null : error} onRetry={reload} testid="order">
        {o && (
          <View>
            <View className="hero" style={{ paddingBottom: '32px' }}>
              <View className="hero__value" style={{ fontSize: '24px' }} data-testid="order-status">
                {ORDER_STATUS_TEXT[o.status]}
              </View>
              {/* Only while the payment stands: after a refund (or closing) the header says so alone. */}
              {params.paid === '1' && (o.status === 'paid' || o.status === 'completed') && (
                <View className="hero__label" data-testid="order-paid-note">
                  {o.entries.some((e) => e.entitlement > 0) ? `支付成功，已加入${settings.name}` : '支付成功'}
                </View>
              )}
            </View>
            <View className="card">
              {o.lines.map((l, i) => (
                <View key={i} className="row row--between mt-s">
                  <Text className="flex1 ellipsis">{l.title} ×{l.quantity}</Text>
                  <Price fen={l.paid} size="s" plain />
                </View>
              ))}
            </View>
            <View className="cell-group">
              <Cell label="商品金额" value={yuan(o.goodsTotal)} />
              {o.pointsDeduction > 0 && <Cell label={`积分抵扣（${units(o.pointsUsed)}）`} value={`-${yuan(o.pointsDeduction)}`} />}
              {o.loveDeduction > 0 && <Cell label={`爱心值抵扣（${units(o.loveUsed)}）`} value={`-${yuan(o.loveDeduction)}`} />}
              {o.couponDeduction > 0 && <Cell label="购物券" value={`-${yuan(o.couponDeduction)}`} />}
              <Cell label="实付" value={<Price fen={o.payable} testid="order-payable" />} />
              <Cell label="订单号" value={o.orderId} />
              <Cell label="下单时间" value={dateTime(o.createdAt)} />
              {o.paidAt && <Cell label="支付时间" value={dateTime(o.paidAt)} />}
              {o.completedAt && <Cell label="完成时间" value={dateTime(o.completedAt)} />}
            </View>
            {o.refund && (
              <View className="card" data-testid="order-refund">
                <View className="title">退款申请：{o.refund.status === 'pending' ? '处理中' : o.refund.status === 'approved' ? '已同意' : '已拒绝'}</View>
                <View className="muted">原因：{o.refund.reason}</View>
                {o.refund.rejectReason && <View className="muted">拒绝原因：{o.refund.rejectReason}</View>}
              </View>
            )}
            {o.entries.length > 0 && (
              <OrderEntries lead="本单的" entries={o.entries} />
            )}
            <View className="row pad" style={{ justifyContent: 'flex-end' }}>
              {o.canRefund && (
                <View className="btn btn--plain btn--small" onClick={() => go('refund', { id: o.orderId })} data-testid="order-refund-btn">
                  申请退款
                </View>
              )}
              {o.canPay && (
                <View className={`btn btn--small ${paying ? 'btn--disabled' : ''}`} onClick={payAgain} data-testid="order-pay">
                  {paying ? '支付中…' : '去支付'}
                </View>
              )}
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
