import { Text, View } from '@tarojs/components';
import { Stat } from '@/components/Stat';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import { useUnionOverview } from '@/components/Union';
import { useSettings } from '@/stores/settings';
import { dateTime, maskName, ratioText, REWARD_KIND_TEXT, REWARD_STATUS_TEXT, yuan } from '@/utils/format';

export default function RewardsPage() {
  const list = usePaged((cursor) => callApi('promoter.rewards', { cursor }), []);
  const totals = list.last?.totals;
  const union = useSettings((s) => s.mode) === 'union';
  const overview = useUnionOverview(union);
  const accelerations = list.items.filter((r) => r.kind === 'acceleration');
  return (
    <View className="page" data-testid="page-rewards">
      <View className="hero" style={{ paddingBottom: '24px' }}>
        <View className="stats">
          <Stat value={totals ? yuan(totals.available) : '--'} label="已到账" testid="rewards-available" />
          <Stat value={totals ? yuan(totals.frozen) : '--'} label="冻结中" testid="rewards-frozen" />
        </View>
      </View>
      <View className="card muted">奖励随订单支付产生（冻结），订单完成后到账；订单退款则取消。</View>
      {union && (
        <View className="card" data-testid="acceleration-explain">
          <View className="section-title">推广加速</View>
          <View>
            你直接邀请的好友订单完成时，按其订单金额的 {overview.data ? ratioText(overview.data.accelerationRatio) : '--'}
            立即返还到你最早一笔排队中的工会排队额度（不超过该订单为平台带来的净利润，也不超过该笔额度的待返部分），直接到账。
          </View>
          {overview.data && !overview.data.accelerationOn && <View className="muted mt-s">平台暂未开启推广加速。</View>}
          <View className="mt-s" data-testid="acceleration-total">
            推广加速累计 {yuan(accelerations.filter((r) => r.status !== 'cancelled').reduce((s, r) => s + r.amount, 0))}（{accelerations.length} 笔）
          </View>
          {accelerations.map((r) => (
            <View key={r.id} className="row row--between mt-s" data-testid={`acceleration-${r.id}`}>
              <Text>来自 {maskName(r.fromMaskedName)} · {dateTime(r.createdAt)}</Text>
              <Text className="text-success strong">+{yuan(r.amount)}</Text>
            </View>
          ))}
        </View>
      )}
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
