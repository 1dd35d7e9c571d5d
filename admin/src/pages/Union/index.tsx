// 工会排队 (union queue mode, SPEC §5): the pool now and its inflow, what the
// waiting entries are owed, the pool history per run day (inflow, payouts,
// carry) with each day's run report in a drawer, and the waiting queue from
// its head with the engine's estimate. Every figure is the engine's
// (admin.union_*: reads of 0009's pool, runs and entries), never recomputed.
import { ProCard, StatisticCard } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Skeleton, Space, Table, Tag } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatYuan } from '@/domain/money';
import { useAccess } from '../../auth';
import { Money, ratioText, yuan } from '../../components/money';
import type { ForecastView, UnionPaidEntry, UnionQueueRow, UnionRunDay } from '../../services/contract';
import { getUnionHistory, getUnionQueue, getUnionRunReport, getUnionSummary } from '../../services/union';

function estimateText(e: ForecastView | null): string {
  if (!e) return '首次结算后可估算';
  if (e.status === 'paused') return '暂停中';
  if (e.status === 'noInflow') return '暂无流入';
  if (e.days === 0) return '下次结算';
  return `${e.days} 天（${e.dateFrom} 至 ${e.dateTo ?? '更晚'}）`;
}

function RunReportDrawer({ day, onClose }: { day: string | null; onClose: () => void }) {
  const report = useQuery({ queryKey: ['union-run', day], queryFn: () => getUnionRunReport({ day: day! }), enabled: !!day });
  const r = report.data?.report;
  return (
    <Drawer open={!!day} onClose={onClose} width={760} title={`${day ?? ''} 结算报告`} destroyOnClose>
      {report.isLoading ? (
        <Skeleton active />
      ) : !r ? (
        <Alert type="info" showIcon message="该日未结算" />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions bordered size="small" column={2} data-testid="union-report">
            <Descriptions.Item label="计入净利润">
              <Money fen={r.netProfit} />（{r.linesCounted} 笔订单行）
            </Descriptions.Item>
            <Descriptions.Item label="注入奖池">
              <Money fen={r.inflow} testId="union-report-inflow" />
            </Descriptions.Item>
            <Descriptions.Item label="结算前奖池">
              <Money fen={r.poolBefore} />
            </Descriptions.Item>
            <Descriptions.Item label="支付">
              {r.paidCount} 条，<Money fen={r.paidAmount} testId="union-report-paid" />
            </Descriptions.Item>
            <Descriptions.Item label="结转">
              <Money fen={r.carry} testId="union-report-carry" />
            </Descriptions.Item>
            <Descriptions.Item label="停在">{r.stoppedAtSeq === null ? '无待付' : `#${r.stoppedAtSeq}（奖池不足以整笔支付）`}</Descriptions.Item>
          </Descriptions>
          <Table<UnionPaidEntry>
            size="small"
            rowKey="seq"
            pagination={false}
            dataSource={report.data?.entries ?? []}
            data-testid="union-report-entries"
            columns={[
              { title: '序号', dataIndex: 'seq', render: (v) => `#${v}` },
              { title: '会员', dataIndex: 'memberName' },
              { title: '订单', dataIndex: 'orderId' },
              { title: '额度', dataIndex: 'quota', render: (v) => yuan(v) },
              { title: '加速已返', dataIndex: 'accelerated', render: (v) => yuan(v) },
              { title: '本次支付', dataIndex: 'amount', render: (v) => yuan(v) },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export default function UnionPage() {
  const access = useAccess();
  const summary = useQuery({ queryKey: ['union-summary'], queryFn: getUnionSummary });
  const history = useQuery({ queryKey: ['union-history'], queryFn: () => getUnionHistory() });
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const queue = useQuery({ queryKey: ['union-queue', page], queryFn: () => getUnionQueue(page) });
  const [day, setDay] = useState<string | null>(null);

  if (summary.isLoading) return <Skeleton active />;
  if (summary.error || !summary.data) return <Alert type="error" showIcon message={(summary.error as Error)?.message ?? '加载失败'} />;
  const s = summary.data;
  const days = history.data?.items ?? [];
  return (
    <ProCard direction="column" ghost gutter={[0, 16]}>
      {s.mode === 'classic' && (
        <Alert
          type="warning"
          showIcon
          data-testid="union-classic"
          message="平台当前为经典排队模式，未启用工会排队"
          description="排队模式在建站时选定，有订单后不能更改；经典模式的队列见「队列」与「负债看板」。"
        />
      )}
      <Alert
        type="info"
        showIcon
        message={
          <Space wrap>
            <span>
              额度比例 {ratioText(s.settings.unionQuotaRatio)} · 奖池比例 {ratioText(s.settings.unionPoolRatio)} · 每日 {s.settings.unionDailyAt} 结算 · 加速奖励{' '}
              {ratioText(s.settings.accelerationRatio)}
            </span>
            {access.canViewSettings && (
              <Link to="/settings?tab=union" data-testid="union-settings-link">
                工会设置
              </Link>
            )}
          </Space>
        }
      />
      <StatisticCard.Group data-testid="union-summary">
        <StatisticCard statistic={{ title: '奖池余额', value: yuan(s.balance) }} data-testid="union-balance" />
        <StatisticCard statistic={{ title: '昨日注入', value: yuan(s.inflowYesterday) }} data-testid="union-inflow-yesterday" />
        <StatisticCard statistic={{ title: '近7日注入', value: yuan(s.inflow7Days) }} data-testid="union-inflow-7d" />
        <StatisticCard statistic={{ title: '排队中', value: `${s.waitingCount} 条`, description: `其中 ${s.lockedCount} 条未满等待期` }} data-testid="union-waiting" />
        <StatisticCard statistic={{ title: '待返额度', value: yuan(s.outstanding) }} data-testid="union-outstanding" />
      </StatisticCard.Group>

      <ProCard title="每日注入、支付与奖池（元）">
        <ReactECharts
          style={{ height: 320 }}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: ['注入', '支付', '奖池结转'] },
            grid: { left: 70, right: 30, bottom: 40, top: 40 },
            xAxis: { type: 'category', data: days.map((h) => h.day) },
            yAxis: [{ type: 'value', name: '元' }],
            series: [
              { name: '注入', type: 'bar', data: days.map((h) => formatYuan(h.inflow)), itemStyle: { color: '#1677ff' } },
              { name: '支付', type: 'bar', data: days.map((h) => formatYuan(h.paidAmount)), itemStyle: { color: '#52c41a' } },
              { name: '奖池结转', type: 'line', data: days.map((h) => formatYuan(h.carry)), itemStyle: { color: '#fa541c' } },
            ],
          }}
        />
      </ProCard>

      <ProCard title="每日结算（近90天）">
        <Table<UnionRunDay>
          size="small"
          rowKey="day"
          loading={history.isLoading}
          dataSource={[...days].reverse()}
          pagination={{ pageSize: 10 }}
          data-testid="union-history"
          onRow={(h) => ({ 'data-testid': `union-day-${h.day}` }) as never}
          columns={[
            { title: '结算日', dataIndex: 'day' },
            { title: '净利润', dataIndex: 'netProfit', render: (v) => yuan(v) },
            { title: '注入', dataIndex: 'inflow', render: (v) => yuan(v) },
            { title: '结算前奖池', dataIndex: 'poolBefore', render: (v) => yuan(v) },
            { title: '支付条数', dataIndex: 'paidCount' },
            { title: '支付金额', dataIndex: 'paidAmount', render: (v) => yuan(v) },
            { title: '结转', dataIndex: 'carry', render: (v) => yuan(v) },
            {
              title: '报告',
              key: 'report',
              render: (_, h) => (
                <a onClick={() => setDay(h.day)} data-testid={`union-report-${h.day}`}>
                  查看
                </a>
              ),
            },
          ]}
        />
      </ProCard>

      <ProCard title="排队队首">
        <Table<UnionQueueRow>
          size="small"
          rowKey="seq"
          loading={queue.isLoading}
          dataSource={queue.data?.items ?? []}
          data-testid="union-queue"
          pagination={{ current: page.page, pageSize: page.pageSize, total: queue.data?.total ?? 0, onChange: (p, ps) => setPage({ page: p, pageSize: ps }) }}
          columns={[
            { title: '位次', dataIndex: 'place' },
            { title: '序号', dataIndex: 'seq', render: (v) => `#${v}` },
            { title: '会员', dataIndex: 'memberName' },
            { title: '订单', dataIndex: 'orderId' },
            { title: '额度', dataIndex: 'quota', render: (v) => yuan(v) },
            { title: '已返', dataIndex: 'paid', render: (v) => yuan(v) },
            { title: '前方额度', dataIndex: 'ahead', render: (v) => yuan(v) },
            {
              title: '可结算日',
              dataIndex: 'payableDay',
              render: (v, r) => (
                <Space>
                  {v}
                  {r.locked && <Tag color="orange">等待期</Tag>}
                </Space>
              ),
            },
            { title: '预计返完', key: 'estimate', render: (_, r) => estimateText(r.estimate) },
          ]}
        />
      </ProCard>
      <RunReportDrawer day={day} onClose={() => setDay(null)} />
    </ProCard>
  );
}
