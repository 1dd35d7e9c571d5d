import { Text, View } from '@tarojs/components';
import { Cell } from '@/components/Cell';
import { Stat } from '@/components/Stat';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { units, yuan } from '@/utils/format';

export default function WalletPage() {
  const { data, error, loading, reload } = useRequest(() => callApi('wallet.summary', {}), [], { reloadOnShow: true });
  return (
    <View className="page" data-testid="page-wallet">
      <StateView loading={loading && !data} error={data ? null : error} onRetry={reload} testid="wallet">
        {data && (
          <View>
            <View className="hero">
              <View className="hero__label">可提现余额</View>
              <View className="hero__value" data-testid="wallet-available">
                {yuan(data.available)}
              </View>
              <View className="stats mt">
                <Stat value={yuan(data.frozen)} label="冻结中" testid="wallet-frozen" />
                <Stat value={yuan(data.withdrawing)} label="提现中" testid="wallet-withdrawing" />
              </View>
            </View>
            <View className="card">
              <View className="muted">冻结金额在对应订单完成（售后期结束）后转为可提现。</View>
              {(data.frozenUnlocks ?? []).map((u, i) => (
                <View key={u.date ?? `undated-${i}`} className="row row--between mt-s" data-testid={`wallet-unlock-${i}`}>
                  <Text>{u.date ? `${u.date} 解冻` : '订单完成后解冻'}</Text>
                  <Text className="strong">
                    {yuan(u.amount)}
                    {u.reward > 0 && u.queue > 0 ? (
                      <Text className="muted small">
                        （队列返还 {yuan(u.queue)}，推广奖励 {yuan(u.reward)}）
                      </Text>
                    ) : null}
                  </Text>
                </View>
              ))}
              <View className="btn btn--block mt" onClick={() => go('withdraw')} data-testid="wallet-withdraw">
                提现
              </View>
            </View>
            <View className="card">
              <View className="section-title">其他资产</View>
              <View className="stats">
                <Stat value={units(data.points)} label="积分" testid="wallet-points" />
                <Stat
                  value={units(data.love.available)}
                  label={
                    <>
                      爱心值{data.love.frozen > 0 ? `（冻结 ${units(data.love.frozen)}）` : ''}
                    </>
                  }
                  testid="wallet-love"
                />
                <Stat value={yuan(data.coupon)} label="购物券" testid="wallet-coupon" />
              </View>
            </View>
            <View className="cell-group">
              <Cell label="收支明细" arrow onClick={() => go('walletHistory')} testid="wallet-history" />
              <Cell label="提现记录" arrow onClick={() => go('walletHistory', { tab: 'withdrawals' })} testid="wallet-withdrawals" />
              <Cell label="积分、爱心值转让" arrow onClick={() => go('walletTransfer')} testid="wallet-transfer" />
            </View>
            <View className="pad muted text-center">
              <Text>提现经平台审核后通过微信支付到账</Text>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
