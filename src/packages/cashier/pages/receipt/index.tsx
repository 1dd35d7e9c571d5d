// Receipt after a cashier payment, with the new queue entry.
import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { OrderEntries } from '@/components/OrderEntries';
import { Price } from '@/components/Price';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { dateTime } from '@/utils/format';

export default function ReceiptPage() {
  const { params } = useRouter();
  const orderId = params.orderId ?? '';
  const { data, error, loading, reload } = useRequest(() => callApi('orders.detail', { orderId }), [orderId], { skip: !orderId });
  const o = data?.order;

  return (
    <View className="page" data-testid="page-receipt">
      <StateView loading={loading && !data} error={!orderId ? '订单不存在' : data ? null : error} onRetry={reload} testid="receipt">
        {o && (
          <View>
            <View className="card text-center">
              <View className="done-icon">✓</View>
              <View className="title">支付成功</View>
              <View className="mt-s">
                <Price fen={o.payable} size="l" testid="receipt-amount" />
              </View>
              <View className="muted mt-s">{o.title}</View>
              <View className="muted">{dateTime(o.paidAt ?? o.createdAt)}</View>
              <View className="muted small" data-testid="receipt-order-no">
                订单号 {o.orderId}
              </View>
            </View>
            {o.entries.length > 0 ? (
              <OrderEntries lead="已加入" entries={o.entries} />
            ) : (
              <View className="card muted" data-testid="receipt-no-entry">
                本次消费未产生排队权益（活动未开启、不在活动时间或已达参与次数上限）。
              </View>
            )}
            <View className="row pad">
              <View className="btn btn--plain flex1" onClick={() => go('queue')} data-testid="receipt-to-queue">
                查看我的队列
              </View>
              <View className="btn flex1" onClick={() => go('home')}>
                返回首页
              </View>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
