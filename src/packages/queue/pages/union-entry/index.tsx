// 工会排队 entry detail: quota, place, quota ahead, the pool's inflow and the
// estimate (labelled as an estimate), its dates and order.
import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Cell } from '@/components/Cell';
import { StateView } from '@/components/StateView';
import { UnionDisclaimer, UnionEntryCard, UnionPoolCard, useUnionOverview } from '@/components/Union';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { ratioText, yuan } from '@/utils/format';

export default function UnionEntryPage() {
  const { params } = useRouter();
  const seq = params.seq ?? '';
  const { data, error, loading, reload } = useRequest(() => callApi('union.entry', { seq }), [seq], { skip: !seq, reloadOnShow: true });
  const overview = useUnionOverview();
  const e = data?.entry;
  return (
    <View className="page" data-testid="page-union-entry">
      <StateView loading={loading && !data} error={!seq ? '记录不存在' : data ? null : error} onRetry={reload} testid="union-entry">
        {e && (
          <View>
            <UnionEntryCard entry={e} />
            <View className="cell-group">
              <Cell label="实付" value={yuan(e.base)} />
              <Cell label="额度比例" value={ratioText(e.ratio)} testid="union-entry-ratio" />
              <Cell label="加入日期（订单完成）" value={e.completedDate} />
              <Cell label="最早返还日期" value={e.payableDate} testid="union-entry-payable" />
              {e.paidDate && <Cell label="返完日期" value={e.paidDate} />}
              <Cell label="所属订单" value={e.orderId} arrow onClick={() => go('order', { id: e.orderId })} />
            </View>
            <UnionPoolCard overview={overview.data} />
            <View className="card">
              <UnionDisclaimer />
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
