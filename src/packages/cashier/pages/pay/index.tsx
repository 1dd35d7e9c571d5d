// 扫码买单: opened from a cashier QR code (scene = cashier id).
import { useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Keypad } from '@/components/Keypad';
import { QueuePreviewCard } from '@/components/QueuePreviewCard';
import { UnionPreviewCard, useUnionOverview } from '@/components/Union';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText } from '@/services/api';
import { platform } from '@/services/config';
import { settlePayment } from '@/services/payment';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { redirect } from '@/routes';
import { useSettings } from '@/stores/settings';
import { cashierIdFrom } from '@/utils/scene';
import { parseYuanInput, yuan } from '@/utils/format';
import './index.scss';

export default function CashierPayPage() {
  const { params } = useRouter();
  const cashierId = cashierIdFrom(params as Record<string, string | undefined>);
  const name = useSettings((s) => s.name);
  const union = useSettings((s) => s.mode) === 'union';
  const overview = useUnionOverview(union);
  const [text, setText] = useState('');
  const [paying, setPaying] = useState(false);
  const { data, error, loading, reload } = useRequest(() => callApi('cashier.info', { cashierId: cashierId ?? '' }), [cashierId], { skip: !cashierId });
  const amount = parseYuanInput(text);
  const valid = amount !== null && amount > 0;

  const pay = async () => {
    if (!valid || !cashierId || paying) return;
    const subscribed = askSubscribe(SUBSCRIBE_MOMENTS.pay);
    setPaying(true);
    try {
      await subscribed;
      const res = await callApi('cashier.pay', { cashierId, amount: amount as number, platform });
      const r = await settlePayment(res.payment, res.payable);
      if (r === 'paid') redirect('cashierReceipt', { orderId: res.orderId });
      else void Taro.showToast({ title: '已取消支付', icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
    } finally {
      setPaying(false);
    }
  };

  return (
    <View className="page cashier" data-testid="page-cashier">
      <StateView loading={loading && !data} error={!cashierId ? '收款码无效，请重新扫码' : data ? null : error} onRetry={reload} testid="cashier">
        {data && (
          <View>
            <View className="card row">
              {data.cashier.storeLogo ? <Image className="avatar avatar--l" src={data.cashier.storeLogo} /> : <View className="avatar avatar--l">店</View>}
              <View className="flex1" style={{ marginLeft: '12px' }}>
                <View className="title" data-testid="cashier-store">
                  {data.cashier.storeName}
                </View>
                <View className="muted">{data.cashier.name}{data.cashier.storeAddress ? ` · ${data.cashier.storeAddress}` : ''}</View>
              </View>
            </View>
            <View className="card">
              <View className="muted">付款金额（元）</View>
              <View className="cashier__amount" data-testid="cashier-amount">
                <Text className="cashier__yen">¥</Text>
                <Text>{text || ''}</Text>
                <Text className="cashier__caret">|</Text>
              </View>
              {!union && data.queue?.enabled && valid && (
                <View className="muted" data-testid="cashier-hint">
                  本次支付将按实付 {yuan(amount as number)} 计算{name}权益
                </View>
              )}
            </View>
            {union ? (
              <UnionPreviewCard paid={valid ? (amount as number) : 10000} overview={overview.data} baseLabel={valid ? '实付' : '每消费'} testid="cashier-union" />
            ) : (
              <QueuePreviewCard preview={data.queue} name={name} baseLabel="每消费 ¥100.00" />
            )}
            <View className="cashier__pad">
              <Keypad value={text} onChange={setText} testid="cashier-keypad" />
              <View className={`btn btn--block mt-s ${!valid || paying ? 'btn--disabled' : ''}`} onClick={pay} data-testid="cashier-pay">
                {paying ? '支付中…' : valid ? `付款 ${yuan(amount as number)}` : '请输入金额'}
              </View>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
