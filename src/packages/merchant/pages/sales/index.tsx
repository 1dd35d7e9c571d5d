import { useState } from 'react';
import Decimal from 'decimal.js';
import { Text, View } from '@tarojs/components';
import { RecordCell } from '@/components/RecordCell';
import { Stat } from '@/components/Stat';
import { StateView } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { dateTime, maskName, yuan } from '@/utils/format';

type Range = 'today' | '7d' | '30d';

const RANGE_TABS: { key: Range; label: string }[] = [
  { key: 'today', label: '今日' },
  { key: '7d', label: '近7天' },
  { key: '30d', label: '近30天' },
];

/** Bar height in percent of the day with the most sales (display only). */
function barPercent(amount: number, max: number): string {
  if (max <= 0) return '0';
  return new Decimal(amount).mul(100).div(max).toDecimalPlaces(0).toFixed();
}

export default function SalesPage() {
  const [range, setRange] = useState<Range>('7d');
  const { data, error, loading, reload } = useRequest(() => callApi('merchant.sales', { range }), [range]);
  const max = data ? Math.max(0, ...data.daily.map((d) => d.amount)) : 0;
  return (
    <View className="page" data-testid="page-merchant-sales">
      <Tabs items={RANGE_TABS} value={range} onChange={setRange} testid="sales-tabs" />
      <StateView loading={loading && !data} error={data ? null : error} onRetry={reload} testid="sales">
        {data && (
          <View>
            <View className="card">
              <View className="stats">
                <Stat value={yuan(data.totals.amount)} label="销售额" testid="sales-amount" />
                <Stat value={data.totals.orderCount} label="订单数" testid="sales-count" />
              </View>
            </View>
            {data.daily.length > 1 && (
              <View className="card">
                <View className="section-title">每日销售额</View>
                <View className="row" style={{ alignItems: 'flex-end', height: '120px' }}>
                  {data.daily.map((d) => (
                    <View key={d.date} className="flex1" style={{ margin: '0 2px', display: 'flex', flexDirection: 'column', justifyContent: 'flex-end', height: '120px' }}>
                      <View style={{ height: `${barPercent(d.amount, max)}%`, background: '#ff8a00', borderRadius: '4px 4px 0 0', minHeight: '2px' }} />
                    </View>
                  ))}
                </View>
                <View className="row row--between muted">
                  <Text>{data.daily[0].date}</Text>
                  <Text>{data.daily[data.daily.length - 1].date}</Text>
                </View>
              </View>
            )}
            <View className="section-title pad" style={{ paddingBottom: 0 }}>
              最近订单
            </View>
            {data.recent.length === 0 ? (
              <View className="state" data-testid="sales-empty">
                <Text className="state__text">该时段暂无订单</Text>
              </View>
            ) : (
              <View className="cell-group">
                {data.recent.map((r) => (
                  <RecordCell
                    key={r.orderId}
                    testid={`sale-${r.orderId}`}
                    title={
                      <>
                        {r.source === 'cashier' ? '扫码买单' : '线上订单'} · {maskName(r.buyerMaskedName)}
                      </>
                    }
                    sub={dateTime(r.paidAt)}
                    amount={yuan(r.amount)}
                  />
                ))}
              </View>
            )}
          </View>
        )}
      </StateView>
    </View>
  );
}
