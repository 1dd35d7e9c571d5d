// 概览: what waits for an operator (reviews, anomalies) and the queues'
// waiting amounts, for the signed-in role.
import { ProCard, StatisticCard } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { Empty } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useNavigate } from 'react-router-dom';
import { formatYuan } from '@/domain/money';
import { useAccess } from '../../auth';
import { listApplications } from '../../services/merchants';
import { listAnomalies, listRefunds, listWithdrawals } from '../../services/orders';
import { listQueues } from '../../services/queues';

export default function DashboardPage() {
  const access = useAccess();
  const navigate = useNavigate();
  const one = { page: 1, pageSize: 1 };
  const refunds = useQuery({ queryKey: ['dash', 'refunds'], queryFn: () => listRefunds({ ...one, status: 'pending' }), enabled: access.canViewOrders });
  const withdrawals = useQuery({ queryKey: ['dash', 'withdrawals'], queryFn: () => listWithdrawals({ ...one, status: 'reviewing' }), enabled: access.canViewWithdrawals });
  const applications = useQuery({ queryKey: ['dash', 'applications'], queryFn: () => listApplications({ ...one, status: 'pending' }), enabled: access.canViewMerchants });
  const anomalies = useQuery({ queryKey: ['dash', 'anomalies'], queryFn: () => listAnomalies({ ...one, resolved: false }), enabled: access.canViewOrders });
  const queues = useQuery({ queryKey: ['queues'], queryFn: listQueues, enabled: access.canViewQueues });
  const top = [...(queues.data?.items ?? [])].sort((a, b) => b.waitingAmount - a.waitingAmount).slice(0, 12);
  const stat = (title: string, value: number | undefined, to: string, show: boolean) =>
    show ? (
      <StatisticCard key={title} statistic={{ title, value: value ?? '-' }} onClick={() => navigate(to)} style={{ cursor: 'pointer' }} />
    ) : null;
  return (
    <ProCard direction="column" ghost gutter={[0, 16]}>
      <StatisticCard.Group>
        {stat('待审核退款', refunds.data?.total, '/orders/refunds', access.canViewOrders)}
        {stat('待审核提现', withdrawals.data?.total, '/orders/withdrawals', access.canViewWithdrawals)}
        {stat('待审核入驻', applications.data?.total, '/merchants/applications', access.canViewMerchants)}
        {stat('待处理支付异常', anomalies.data?.total, '/orders/anomalies', access.canViewOrders)}
        {stat('队列数', queues.data?.items.length, '/queues', access.canViewQueues)}
      </StatisticCard.Group>
      {access.canViewQueues && (
        <ProCard title="各队列待返金额（元）">
          {top.length === 0 ? (
            <Empty description="暂无排队" />
          ) : (
            <ReactECharts
              style={{ height: 360 }}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: string) => `¥${v}` },
                grid: { left: 60, right: 20, bottom: 80, top: 20 },
                xAxis: { type: 'category', data: top.map((q) => q.name), axisLabel: { rotate: 30 } },
                yAxis: { type: 'value' },
                series: [
                  { name: '待返金额', type: 'bar', data: top.map((q) => formatYuan(q.waitingAmount)), itemStyle: { color: '#fa541c' } },
                ],
              }}
            />
          )}
        </ProCard>
      )}
    </ProCard>
  );
}
