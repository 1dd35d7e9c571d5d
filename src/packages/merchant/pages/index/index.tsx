// 商家中心: application status; approved merchants get sales and cashier codes.
import { Text, View } from '@tarojs/components';
import { Cell } from '@/components/Cell';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { dateTime, MERCHANT_STATUS_TEXT, ratioText } from '@/utils/format';

export default function MerchantPage() {
  const { data, error, loading, reload } = useRequest(() => callApi('merchant.status', {}), [], { reloadOnShow: true });
  return (
    <View className="page" data-testid="page-merchant">
      <StateView loading={loading && !data} error={data ? null : error} onRetry={reload} testid="merchant">
        {data && (
          <View>
            <View className="card">
              <View className="row row--between">
                <Text className="title">商家入驻</Text>
                <Text className={`tag ${data.status === 'approved' ? 'tag--success' : data.status === 'rejected' ? 'tag--primary' : 'tag--info'}`} data-testid="merchant-status">
                  {MERCHANT_STATUS_TEXT[data.status]}
                </Text>
              </View>
              {data.status === 'none' && <View className="muted mt-s">填写门店资料提交申请，平台审核通过后即可开通收银台收款码。</View>}
              {data.status === 'pending' && data.application && (
                <View className="muted mt-s">
                  “{data.application.storeName}”已于 {dateTime(data.application.createdAt)} 提交，正在审核，结果将通过消息通知你。
                </View>
              )}
              {data.status === 'rejected' && (
                <View className="mt-s">
                  <View className="text-primary" data-testid="merchant-reject-reason">
                    未通过原因：{data.rejectReason ?? '资料不完整'}
                  </View>
                </View>
              )}
              {data.status === 'approved' && data.store && (
                <View className="muted mt-s">
                  门店：{data.store.name} · 平台服务费 {ratioText(data.store.commission)}
                </View>
              )}
              {(data.status === 'none' || data.status === 'rejected') && (
                <View className="btn btn--block mt" onClick={() => go('merchantApply')} data-testid="merchant-apply">
                  {data.status === 'rejected' ? '修改后重新申请' : '立即申请'}
                </View>
              )}
            </View>
            {data.status === 'approved' && (
              <View className="cell-group">
                <Cell label="商家结算" arrow onClick={() => go('merchantAccount')} testid="merchant-account" />
                <Cell label="销售数据" arrow onClick={() => go('merchantSales')} testid="merchant-sales" />
                <Cell label="收银台收款码" arrow onClick={() => go('merchantCashiers')} testid="merchant-cashiers" />
              </View>
            )}
          </View>
        )}
      </StateView>
    </View>
  );
}
