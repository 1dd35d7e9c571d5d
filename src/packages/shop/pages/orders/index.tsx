import { useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Price } from '@/components/Price';
import { ListFooter, StateView } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import type { OrderStatus } from '@contract';
import { go } from '@/routes';
import { dateTime, ORDER_STATUS_TEXT } from '@/utils/format';

type Filter = OrderStatus | 'all';
const FILTERS: { key: Filter; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'unpaid', label: '待支付' },
  { key: 'paid', label: '已支付' },
  { key: 'completed', label: '已完成' },
  { key: 'refunding', label: '退款' },
];

export default function OrdersPage() {
  const { params } = useRouter();
  const [filter, setFilter] = useState<Filter>((FILTERS.find((f) => f.key === params.status)?.key ?? 'all') as Filter);
  const list = usePaged((cursor) => callApi('orders.list', { cursor, status: filter }), [filter], { reloadOnShow: true });

  return (
    <View className="page" data-testid="page-orders">
      <Tabs items={FILTERS} value={filter} onChange={setFilter} testid="orders-tabs" />
      <StateView loading={list.loading} error={list.error} empty={list.items.length === 0} emptyText="暂无订单" onRetry={list.reload} testid="orders">
        {list.items.map((o) => (
          <View key={o.orderId} className="card" onClick={() => go('order', { id: o.orderId })} data-testid={`order-${o.orderId}`}>
            <View className="row row--between">
              <Text className="muted">{o.kind === 'cashier' ? '扫码买单' : '商城订单'} · {dateTime(o.createdAt)}</Text>
              <Text className={o.status === 'unpaid' ? 'text-primary' : 'muted'}>{ORDER_STATUS_TEXT[o.status]}</Text>
            </View>
            <View className="row mt-s">
              {o.image ? <Image className="avatar avatar--l" src={o.image} mode="aspectFill" /> : <View className="avatar avatar--l">{o.kind === 'cashier' ? '店' : '商'}</View>}
              <View className="flex1" style={{ marginLeft: '12px' }}>
                <View className="ellipsis-2">{o.title}</View>
                <View className="muted">共 {o.itemCount} 件</View>
              </View>
              <Price fen={o.payable} plain />
            </View>
          </View>
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
