import { Text, View } from '@tarojs/components';
import { Cell } from '../../../../components/Cell';
import { StateView } from '../../../../components/StateView';
import { useRequest } from '../../../../hooks/useRequest';
import { callApi } from '../../../../services/api';
import { go } from '../../../../routes';
import { units, yuan } from '../../../../utils/format';

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
                <View className="stat">
                  <View className="stat__value" data-testid="wallet-frozen">{yuan(data.frozen)}</View>
                  <View className="stat__label">冻结中</View>
                </View>
                <View className="stat">
                  <View className="stat__value" data-testid="wallet-withdrawing">{yuan(data.withdrawing)}</View>
                  <View className="stat__label">提现中</View>
                </View>
              </View>
            </View>
            <View className="card">
              <View className="muted">冻结金额在对应订单完成（售后期结束）后转为可提现。</View>
              <View className="btn btn--block mt" onClick={() => go('withdraw')} data-testid="wallet-withdraw">
                提现
              </View>
            </View>
            <View className="card">
              <View className="section-title">其他资产</View>
              <View className="stats">
                <View className="stat">
                  <View className="stat__value" data-testid="wallet-points">{units(data.points)}</View>
                  <View className="stat__label">积分</View>
                </View>
                <View className="stat">
                  <View className="stat__value" data-testid="wallet-love">{units(data.love.available)}</View>
                  <View className="stat__label">爱心值{data.love.frozen > 0 ? `（冻结 ${units(data.love.frozen)}）` : ''}</View>
                </View>
                <View className="stat">
                  <View className="stat__value" data-testid="wallet-coupon">{yuan(data.coupon)}</View>
                  <View className="stat__label">购物券</View>
                </View>
              </View>
            </View>
            <View className="cell-group">
              <Cell label="收支明细" arrow onClick={() => go('walletHistory')} testid="wallet-history" />
              <Cell label="提现记录" arrow onClick={() => go('walletHistory', { tab: 'withdrawals' })} testid="wallet-withdrawals" />
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
