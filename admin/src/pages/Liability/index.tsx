// 负债看板 (SPEC §9): what the queues owe, per queue and in total; their
// trailing inflow and the projected days to clear the tail (the estimate rule
// of the shop, util.forecast); how many waiting entries are projected to be
// filled within 30 / 90 / 300 days; stranded queues (no inflow: e.g. a
// product off sale, or paused); a warning threshold the operator sets; the
// compliance flags of the settings in force; charts of outstanding vs inflow
// and of entry age.
import { ProCard, StatisticCard } from '@ant-design/pro-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, InputNumber, Skeleton, Space, Table, Tag } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useState } from 'react';
import { formatYuan } from '@/domain/money';
import type { Settings } from '@/domain/settings';
import { useAccess } from '../../auth';
import type { LiabilityQueue } from '../../services/contract';
import { flagsFor, getComplianceInputs, getLiability, setLiabilityWarning } from '../../services/estimates';
import { flagText } from '../../components/compliance';

const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '-' : `¥${formatYuan(fen)}`);
const share = (n: number, of: number) => (of === 0 ? '-' : `${Math.round((n * 1000) / of) / 10}%`);

function clearText(q: LiabilityQueue): string {
  const c = q.clear;
  if (c.status === 'paused') return '暂停中';
  if (c.status === 'noInflow') return q.outstanding > 0 ? '无流入' : '-';
  if (c.days === 0) return '已可清偿';
  return `${c.days} 天（${c.dateFrom} 至 ${c.dateTo ?? '更晚'}）`;
}

export default function LiabilityPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const liability = useQuery({ queryKey: ['liability'], queryFn: getLiability });
  const inputs = useQuery({ queryKey: ['compliance-inputs'], queryFn: getComplianceInputs, enabled: access.canViewSettings });
  const [days, setDays] = useState<number | null>(null);
  const saveWarn = useMutation({
    mutationFn: (d: number) => setLiabilityWarning({ days: d }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['liability'] });
      message.success('预警阈值已保存，操作已记录到日志');
    },
    onError: (e: Error) => message.error(e.message),
  });
  if (liability.isLoading) return <Skeleton active />;
  if (liability.error || !liability.data) return <Alert type="error" showIcon message={(liability.error as Error)?.message ?? '加载失败'} />;
  const d = liability.data;
  const t = d.total;
  const inflowPerDay = Math.round(t.inflowDaily.reduce((a, b) => a + b, 0) / t.inflowDaily.length);
  const flags = inputs.data ? flagsFor(inputs.data, inputs.data.settings as unknown as Settings) : [];
  return (
    <ProCard direction="column" ghost gutter={[0, 16]}>
      <StatisticCard.Group data-testid="liability-total">
        <StatisticCard statistic={{ title: '待返总额', value: yuan(t.outstanding), description: `${t.waitingCount} 条排队` }} data-testid="liability-outstanding" />
        <StatisticCard statistic={{ title: '累计已返', value: yuan(t.paidToDate) }} data-testid="liability-paid" />
        <StatisticCard statistic={{ title: '近7日日均流入', value: yuan(inflowPerDay) }} data-testid="liability-inflow" />
        <StatisticCard
          statistic={{ title: '预计 30 / 90 / 300 天内返完', value: `${share(t.within.d30, t.waitingCount)} / ${share(t.within.d90, t.waitingCount)} / ${share(t.within.d300, t.waitingCount)}` }}
          data-testid="liability-within"
        />
        <StatisticCard statistic={{ title: '无流入队列（滞留金额）', value: `${t.stranded}（${yuan(t.strandedAmount)}）` }} data-testid="liability-stranded" />
      </StatisticCard.Group>

      {(t.warnings > 0 || flags.length > 0) && (
        <Alert
          type="warning"
          showIcon
          data-testid="liability-alerts"
          message={t.warnings > 0 ? `${t.warnings} 个队列预计清偿超过 ${d.warnDays} 天或无流入` : '当前设置触发合规提示'}
          description={flags.length > 0 ? <Space direction="vertical">{flags.map((f) => <div key={`${f.rule}:${f.subject}`}>{flagText(f)}</div>)}</Space> : undefined}
        />
      )}

      <ProCard
        title="各队列负债"
        extra={
          <Space>
            <span>预警阈值（清偿天数）</span>
            <InputNumber min={1} max={36500} precision={0} value={days ?? d.warnDays} onChange={(v) => setDays(v)} disabled={!access.canOperateQueues} data-testid="liability-warn-days" />
            {access.canOperateQueues && (
              <Button onClick={() => saveWarn.mutate(days ?? d.warnDays)} loading={saveWarn.isPending} data-testid="liability-warn-save">
                保存
              </Button>
            )}
          </Space>
        }
      >
        <Table<LiabilityQueue>
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={d.queues}
          data-testid="liability-queues"
          onRow={(q) => ({ 'data-testid': `liability-row-${q.key}` }) as never}
          columns={[
            { title: '队列', dataIndex: 'name' },
            { title: '排队', dataIndex: 'waitingCount' },
            { title: '待返', dataIndex: 'outstanding', render: (v) => yuan(v) },
            { title: '储备金', dataIndex: 'reserve', render: (v) => yuan(v) },
            { title: '累计已返', dataIndex: 'paidToDate', render: (v) => yuan(v) },
            { title: '日均流入', dataIndex: 'inflowPerDay', render: (v) => yuan(v) },
            { title: '预计清偿', key: 'clear', render: (_, q) => clearText(q) },
            {
              title: '30/90/300 天内返完',
              key: 'within',
              render: (_, q) => `${share(q.within.d30, q.waitingCount)} / ${share(q.within.d90, q.waitingCount)} / ${share(q.within.d300, q.waitingCount)}`,
            },
            {
              title: '状态',
              key: 'state',
              render: (_, q) => (
                <Space>
                  {q.stranded && <Tag color="red">滞留</Tag>}
                  {q.warning && <Tag color="orange">预警</Tag>}
                  {!q.stranded && !q.warning && <Tag color="green">正常</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </ProCard>

      <ProCard gutter={16} ghost>
        <ProCard title="待返总额与每日流入（近30天，元）">
          <ReactECharts
            style={{ height: 320 }}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { data: ['待返总额', '当日流入'] },
              grid: { left: 70, right: 70, bottom: 40, top: 40 },
              xAxis: { type: 'category', data: d.history.map((h) => h.date.slice(5)) },
              yAxis: [{ type: 'value', name: '待返' }, { type: 'value', name: '流入' }],
              series: [
                { name: '待返总额', type: 'line', data: d.history.map((h) => formatYuan(h.outstanding)), itemStyle: { color: '#fa541c' } },
                { name: '当日流入', type: 'bar', yAxisIndex: 1, data: d.history.map((h) => formatYuan(h.inflow)), itemStyle: { color: '#1677ff' } },
              ],
            }}
          />
        </ProCard>
        <ProCard title="排队时长分布">
          <ReactECharts
            style={{ height: 320 }}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { data: ['条数', '待返（元）'] },
              grid: { left: 60, right: 70, bottom: 40, top: 40 },
              xAxis: { type: 'category', data: d.ages.map((a) => a.bucket) },
              yAxis: [{ type: 'value', name: '条数' }, { type: 'value', name: '元' }],
              series: [
                { name: '条数', type: 'bar', data: d.ages.map((a) => a.count) },
                { name: '待返（元）', type: 'bar', yAxisIndex: 1, data: d.ages.map((a) => formatYuan(a.amount)) },
              ],
            }}
          />
        </ProCard>
      </ProCard>
    </ProCard>
  );
}
