// 兑换: turn a waiting entry's remaining entitlement into points, love value
// or a coupon, at the operator's exchange ratio.
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText } from '@/services/api';
import type { ApiResponse, ExchangeTarget, MyEntry } from '@contract';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { useSettings } from '@/stores/settings';
import { EXCHANGE_TARGET_TEXT, ratioText, units, yuan } from '@/utils/format';

function amountText(to: ExchangeTarget, amount: number): string {
  return to === 'coupon' ? yuan(amount) : units(amount);
}

/** Why this entry cannot be exchanged, in the shopper's words. */
export function exchangeUnavailableText(entry: MyEntry, pending: number, buttonName: string): string {
  if (entry.status !== 'waiting') return `该权益已结束排队，不能再${buttonName}（只有排队中的权益可以${buttonName}）`;
  if (pending <= 0) return `该权益没有可${buttonName}的待返金额`;
  return `${buttonName}功能暂未开放，敬请期待`;
}

export default function ExchangePage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const buttonName = useSettings((s) => s.exchangeButtonName);
  const name = useSettings((s) => s.name);
  const { data, error, loading, reload } = useRequest(
    async () => {
      const [entry, preview] = await Promise.all([callApi('queue.entry', { entryId: id }), callApi('queue.exchangePreview', { entryId: id })]);
      return { entry: entry.entry, preview };
    },
    [id],
    { skip: !id },
  );
  const [to, setTo] = useState<ExchangeTarget | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ApiResponse<'queue.exchange'> | null>(null);
  const option = data?.preview.options.find((o) => o.to === to) ?? null;

  const confirm = async () => {
    if (!option || busy) return;
    const subscribed = askSubscribe(SUBSCRIBE_MOMENTS.exchange);
    const { confirm: ok } = await Taro.showModal({
      title: `确认${buttonName}`,
      content: `将待返 ${yuan(data!.preview.pending)} 兑换为 ${amountText(option.to, option.amount)} ${EXCHANGE_TARGET_TEXT[option.to]}${option.frozen ? '（冻结）' : ''}。兑换后该权益退出排队，不可撤销。`,
      confirmText: '确认',
    });
    await subscribed;
    if (!ok) return;
    setBusy(true);
    try {
      setDone(await callApi('queue.exchange', { entryId: id, to: option.to }));
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page page--with-bar" data-testid="page-exchange">
      <StateView loading={loading && !data} error={!id ? '记录不存在' : data ? null : error} onRetry={reload} testid="exchange">
        {done ? (
          <View className="card text-center" data-testid="exchange-done">
            <View className="done-icon">✓</View>
            <View className="title">{buttonName}成功</View>
            <View className="subtitle mt-s">
              获得 {amountText(done.to, done.amount)} {EXCHANGE_TARGET_TEXT[done.to]}
            </View>
            <View className="btn btn--block mt" onClick={() => void Taro.navigateBack()} data-testid="exchange-back">
              返回
            </View>
          </View>
        ) : (
          data && (
            <View>
              <View className="card">
                <View className="muted">{data.entry.title}</View>
                <View className="row row--between mt-s">
                  <Text>{data.entry.canExchange ? `可${buttonName}的待返金额` : '待返金额'}</Text>
                  <Text className="text-accent strong" data-testid="exchange-pending">
                    {yuan(data.preview.pending)}
                  </Text>
                </View>
              </View>
              {data.entry.canExchange && data.preview.options.length > 0 ? (
                <View className="cell-group">
                  {data.preview.options.map((o) => (
                    <View key={o.to} className="cell" onClick={() => setTo(o.to)} data-testid={`exchange-option-${o.to}`}>
                      <View className="cell__label">
                        <View>{EXCHANGE_TARGET_TEXT[o.to]}</View>
                        <View className="muted">
                          比例 {ratioText(o.ratio)}
                          {o.frozen ? ' · 到账后冻结' : ''}
                        </View>
                      </View>
                      <Text className="strong" style={{ marginRight: '12px' }} data-testid={`exchange-amount-${o.to}`}>
                        {amountText(o.to, o.amount)}
                      </Text>
                      <Text className={to === o.to ? 'text-primary' : 'muted'}>{to === o.to ? '●' : '○'}</Text>
                    </View>
                  ))}
                </View>
              ) : (
                <View className="card notice notice--info" data-testid="exchange-unavailable">
                  {exchangeUnavailableText(data.entry, data.preview.pending, buttonName)}
                </View>
              )}
              <View className="card notice">{buttonName}后该权益退出{name}，不再获得后续返还；积分、爱心值可用于下单抵扣或转让。</View>
              {data.entry.canExchange && data.preview.options.length > 0 && (
                <View className="action-bar">
                  <View className={`btn btn--block ${!option || busy ? 'btn--disabled' : ''}`} onClick={confirm} data-testid="exchange-confirm">
                    {busy ? '处理中…' : option ? `确认${buttonName}为${EXCHANGE_TARGET_TEXT[option.to]}` : `请选择${buttonName}方式`}
                  </View>
                </View>
              )}
            </View>
          )
        )}
      </StateView>
    </View>
  );
}
