import { Text, View } from '@tarojs/components';
import { QrImage } from '@/components/QrImage';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { platform } from '@/services/config';

export default function CashiersPage() {
  const { data, error, loading, reload } = useRequest(() => callApi('merchant.cashiers', { platform }), []);
  return (
    <View className="page" data-testid="page-merchant-cashiers">
      <StateView loading={loading && !data} error={data ? null : error} empty={!!data && data.items.length === 0} emptyText="还没有收银台，请联系平台开通" onRetry={reload} testid="cashiers">
        {data?.items.map((c) => (
          <View key={c.cashierId} className="card text-center" data-testid={`cashier-${c.cashierId}`}>
            <View className="title">{c.name}</View>
            <View className="mt">
              <QrImage wxacodeBase64={c.wxacodeBase64} url={c.url} testid={`cashier-qr-${c.cashierId}`} />
            </View>
            <View className="muted mt-s">顾客微信扫码即可付款并加入排队</View>
            <Text className="muted small">编号 {c.cashierId}</Text>
          </View>
        ))}
      </StateView>
    </View>
  );
}
