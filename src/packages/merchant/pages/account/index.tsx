// 商家结算: the store's settlement account (sales frozen until the order's
// after-sales period ends, then available), its statement, and a withdrawal
// through the shoppers' withdraw page (from=merchant).
import { View } from '@tarojs/components';
import { RecordCell } from '@/components/RecordCell';
import { Stat } from '@/components/Stat';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { dateTime, ratioText, yuan } from '@/utils/format';

export default function MerchantAccountPage() {
  const summary = useRequest(() => callApi('merchant.account', { limit: 1 }), [], { reloadOnShow: true });
  const list = usePaged(async (cursor) => {
    const p = await callApi('merchant.account', { cursor });
    return {
      nextCursor: p.nextCursor,
      items: p.items.map((i) => ({
        id: i.id,
        title: i.orderId ? `${i.title} · ${i.orderId}` : i.title,
        sub: `${dateTime(i.createdAt)} · ${i.balance === 'frozen' ? '冻结' : '可用'}`,
        amount: `${i.direction === 'in' ? '+' : '-'}${yuan(i.amount)}`,
        positive: i.direction === 'in',
      })),
    };
  }, []);
  const data = summary.data;
  return (
    <View className="page" data-testid="page-merchant-account">
      <StateView loading={summary.loading && !data} error={data ? null : summary.error} onRetry={summary.reload} testid="merchant-account">
        {data && (
          <View className="card">
            <View className="stats">
              <Stat value={yuan(data.available)} label="可提现" testid="merchant-available" />
              <Stat value={yuan(data.frozen)} label="冻结中" testid="merchant-frozen" />
              <Stat value={yuan(data.withdrawing)} label="提现中" testid="merchant-withdrawing" />
            </View>
            <View className="muted mt-s">
              订单实付扣除排队提取与平台服务费（{ratioText(data.commission)}）后计入冻结，订单售后期结束后转为可提现。
            </View>
            <View className={`btn btn--block mt ${data.available > 0 ? '' : 'btn--disabled'}`} onClick={() => data.available > 0 && go('withdraw', { from: 'merchant' })} data-testid="merchant-withdraw">
              提现到微信零钱
            </View>
          </View>
        )}
      </StateView>
      <View className="section-title pad" style={{ paddingBottom: 0 }}>
        结算明细
      </View>
      <StateView loading={list.loading} error={list.error} empty={list.items.length === 0} emptyText="暂无结算记录" onRetry={list.reload} testid="merchant-statement">
        <View className="cell-group">
          {list.items.map((r) => (
            <RecordCell key={r.id} testid={`statement-${r.id}`} title={r.title} sub={r.sub} amount={r.amount} positive={r.positive} />
          ))}
        </View>
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
