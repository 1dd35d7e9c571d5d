import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Cell } from '@/components/Cell';
import { QueueDisclaimer } from '@/components/EstimateNote';
import { LinkedEntryCard } from '@/components/LinkedEntryCard';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { useSettings } from '@/stores/settings';
import { dateTime } from '@/utils/format';

export default function EntryPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const settings = useSettings();
  const { data, error, loading, reload } = useRequest(() => callApi('queue.entry', { entryId: id }), [id], { skip: !id, reloadOnShow: true });
  const e = data?.entry;
  return (
    <View className="page" data-testid="page-entry">
      <StateView loading={loading && !data} error={!id ? '记录不存在' : data ? null : error} onRetry={reload} testid="entry">
        {e && (
          <View>
            <LinkedEntryCard entry={e} />
            <View className="cell-group">
              <Cell label="加入时间" value={dateTime(e.joinedAt)} />
              <Cell label="所属订单" value={e.orderId} arrow onClick={() => go('order', { id: e.orderId })} />
            </View>
            <View className="card">
              <QueueDisclaimer name={settings.name} />
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
