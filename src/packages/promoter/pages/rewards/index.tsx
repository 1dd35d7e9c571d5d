import { Text, View } from '@tarojs/components';
import { Stat } from '@/components/Stat';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import { dateTime, maskName, REWARD_KIND_TEXT, REWARD_STATUS_TEXT, yuan } from '@/utils/format';

export default function RewardsPage() {
  const list = usePaged((cursor) => callApi('promoter.rewards', { cursor }), []);
  const totals = list.last?.totals;
  return (
    <View className="page" data-testid="page-rewards">
      <View className="hero" style={{ paddingBottom: '24px' }}>
        <View className="stats">
          <Stat value={totals ? yuan(totals.available) : '--'} label="已到账" testid="rewards-available" />
          <Stat value={totals ? yuan(totals.frozen) : '--'} label="冻结中" testid="rewards-frozen" />
        </View>
      </View>
      <View className="card muted">奖励随订单支付产生（冻结），订单完成后到账；订单退款则取消。</View>
      <StateView loading={list.loading} error={list.error} empty={list.items.length === 0} emptyText="暂无奖励记录" onRetry={list.reload} testid="rewards">
        <View className="cell-group">
          {list.items.map((r) => (
            <View key={r.id} className="cell" data-testid={`reward-${r.id}`}>
              <View className="cell__label">
                <View>
                  {REWARD_KIND_TEXT[r.kind]} · 来自 {maskName(r.fromMaskedName)}
                </View>
                <View className="muted">{dateTime(r.createdAt)}</View>
              </View>
              <View className="text-center">
                <View className={r.status === 'cancelled' ? 'muted' : 'text-success strong'}>+{yuan(r.amount)}</View>
                <Text className="muted">{REWARD_STATUS_TEXT[r.status]}</Text>
              </View>
            </View>
          ))}
        </View>
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
