// Checkout: the server prices the order (deductions, coupon), we show it,
// then pay with WeChat Pay (weapp) or the sandbox (h5).
import { useMemo, useState, type ReactNode } from 'react';
import { Input, Switch, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Price } from '@/components/Price';
import { EstimateNote } from '@/components/EstimateNote';
import { StateView } from '@/components/StateView';
import { UnionPreviewCard, useUnionOverview } from '@/components/Union';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText } from '@/services/api';
import type { CheckoutInput } from '@contract';
import { platform } from '@/services/config';
import { settlePayment } from '@/services/payment';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { redirect } from '@/routes';
import { useCart } from '@/stores/cart';
import { useSettings } from '@/stores/settings';
import { ratioText, units, yuan } from '@/utils/format';

/** One deduction the shopper can switch on (points, love, coupon): its balance, and what it takes off when on. */
function DeductionSwitch({ kind, label, hint, on, balance, deduction, onChange }: { kind: 'points' | 'love' | 'coupon'; label: string; hint: ReactNode; on: boolean; balance: number; deduction: number; onChange: (on: boolean) => void }) {
  return (
    <View className="cell">
      <View className="cell__label">
        {label}
        <Text className="muted">{hint}</Text>
      </View>
      {on && <Text className="text-primary" style={{ marginRight: '8px' }} data-testid={`checkout-${kind}-deduction`}>-{yuan(deduction)}</Text>}
      <Switch checked={on} disabled={balance <= 0} onChange={(e) => onChange(e.detail.value)} color="#e8473c" data-testid={`checkout-use-${kind}`} />
    </View>
  );
}

export default function CheckoutPage() {
  const { params } = useRouter();
  const fromCart = params.from === 'cart';
  const cartItems = useCart((s) => s.items);
  const removeSelected = useCart((s) => s.removeSelected);
  const name = useSettings((s) => s.name);
  const union = useSettings((s) => s.mode) === 'union';
  const overview = useUnionOverview(union);
  const [usePoints, setUsePoints] = useState(false);
  const [useLove, setUseLove] = useState(false);
  const [useCoupon, setUseCoupon] = useState(false);
  const [remark, setRemark] = useState('');
  const [paying, setPaying] = useState(false);

  const lines = useMemo(
    () =>
      fromCart
        ? cartItems.filter((i) => i.selected).map((i) => ({ productId: i.productId, quantity: i.quantity }))
        : params.productId
          ? [{ productId: params.productId, quantity: Math.max(1, parseInt(params.qty ?? '1', 10) || 1) }]
          : [],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [fromCart, params.productId, params.qty],
  );
  const input: CheckoutInput = { lines, usePoints, useLove, useCoupon };
  const preview = useRequest(() => callApi('orders.preview', input), [JSON.stringify(lines), usePoints, useLove, useCoupon], { skip: lines.length === 0 });
  const data = preview.data;

  const pay = async () => {
    if (!data || paying) return;
    // Must run inside the tap, before any await (WeChat rule).
    const subscribed = askSubscribe(SUBSCRIBE_MOMENTS.pay);
    setPaying(true);
    try {
      await subscribed;
      const res = await callApi('orders.checkout', { ...input, platform, ...(remark.trim() ? { remark: remark.trim() } : {}) });
      if (fromCart) removeSelected();
      const result = await settlePayment(res.payment, res.payable);
      if (result === 'cancelled') void Taro.showToast({ title: '已取消支付，可在订单中继续支付', icon: 'none' });
      redirect('order', { id: res.orderId, paid: result === 'paid' ? 1 : undefined });
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
    } finally {
      setPaying(false);
    }
  };

  return (
    <View className="page page--with-bar" data-testid="page-checkout">
      <StateView
        loading={preview.loading && !data}
        error={lines.length === 0 ? '没有要结算的商品' : data ? null : preview.error}
        onRetry={preview.reload}
        testid="checkout"
      >
        {data && (
          <View>
            <View className="card">
              {data.lines.map((l, i) => (
                <View key={`${l.productId}-${i}`} className="mt-s" data-testid={`checkout-line-${i}`}>
                  <View className="row row--between">
                    <Text className="flex1 ellipsis">{l.title}</Text>
                    <Text className="muted">×{l.quantity}</Text>
                  </View>
                  <View className="row row--between">
                    <Price fen={l.price} size="s" plain />
                    {!union && l.queue?.enabled && <Text className="tag tag--accent">{name} {ratioText(l.queue.ratio)}</Text>}
                  </View>
                  {!union && l.queue?.enabled && (
                    <View className="muted">
                      排队 {l.queue.waitingCount} 人，前方待返 {yuan(l.queue.amountAhead)}
                      <EstimateNote estimate={l.queue.estimate} testid={`checkout-line-${i}-estimate`} />
                    </View>
                  )}
                </View>
              ))}
            </View>
            <View className="cell-group">
              <View className="cell">
                <Text className="cell__label">商品金额</Text>
                <Price fen={data.goodsTotal} size="s" plain testid="checkout-goods-total" />
              </View>
              <DeductionSwitch kind="points" label="积分抵扣" hint={<>（可用 {units(data.points.balance)}）</>} on={usePoints} balance={data.points.balance} deduction={data.points.deduction} onChange={setUsePoints} />
              <DeductionSwitch kind="love" label="爱心值抵扣" hint={<>（可用 {units(data.love.balance)}）</>} on={useLove} balance={data.love.balance} deduction={data.love.deduction} onChange={setUseLove} />
              <DeductionSwitch kind="coupon" label="购物券" hint={<>（余额 {yuan(data.coupon.balance)}）</>} on={useCoupon} balance={data.coupon.balance} deduction={data.coupon.deduction} onChange={setUseCoupon} />
              <View className="cell">
                <Input className="flex1" placeholder="订单备注（选填）" value={remark} maxlength={100} onInput={(e) => setRemark(e.detail.value)} data-testid="checkout-remark" />
              </View>
            </View>
            {union && <UnionPreviewCard paid={data.payable} overview={overview.data} testid="checkout-union" />}
            {!union && data.deductionOrders === 'noJoin' && (usePoints || useLove) && (
              <View className="card notice" data-testid="checkout-nojoin">
                使用积分/爱心值抵扣的订单不参与{name}排队（仍按实付提取返还给排在前面的顾客）。
              </View>
            )}
            <View className="card muted">
              {union
                ? '工会排队额度按实付计算，订单完成后加入；返还来自每日利润入池，到账时间与金额以实际为准。'
                : '待返权益按每行实付计算；返还来自后续订单，到账时间与金额以实际为准。'}
            </View>
            <View className="action-bar">
              <View className="flex1">
                <Text className="muted">实付 </Text>
                <Price fen={data.payable} size="l" testid="checkout-payable" />
              </View>
              <View className={`btn ${paying ? 'btn--disabled' : ''}`} onClick={pay} data-testid="checkout-pay">
                {paying ? '支付中…' : '提交订单'}
              </View>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
