// 规则模拟 (SPEC §9): before a change goes live, run a synthetic order stream
// (the current products as the price mix) through the model engine with
// today's settings and with the proposed ones, side by side, in a web worker
// over src/domain: the same compareSettings `npm run simulate` runs, so the
// same stream gives the same figures here, on the CLI and through replay.
import { ProCard } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, Form, Input, InputNumber, Row, Skeleton, Space, Table } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useEffect, useRef, useState } from 'react';
import { formatYuan } from '@/domain/money';
import { validateSettingsPatch, type SettingsPatch } from '@/domain/settings';
import type { SimulationFigures, SimulationResult } from '@/domain/simulate';
import type { SyntheticSpec } from '@/domain/synthetic';
import { ValidationError } from '@/domain/validate';
import { flagText } from '../../components/compliance';
import { getComplianceInputs } from '../../services/estimates';

interface SimForm {
  days: number;
  ordersPerDay: number;
  users: number;
  refundRate: number;
  completeMin: number;
  completeMax: number;
  seed: number;
  patch: string;
}

const yuan = (fen: number) => (fen < 0 ? `-¥${formatYuan(-fen)}` : `¥${formatYuan(fen)}`);

type Outcome = { ok: true; result: { current: SimulationResult; proposed: SimulationResult } } | { ok: false; message: string };

const MONEY: [keyof SimulationFigures, string][] = [
  ['extracted', '提取总额'],
  ['paidOut', '已返'],
  ['outstanding', '待返'],
  ['reserves', '储备金'],
  ['kept', '平台留存'],
  ['absorbed', '平台承担（退款）'],
  ['platformNet', '平台净额'],
  ['rewards', '分销奖励'],
];

export default function SimulatorPage() {
  const inputs = useQuery({ queryKey: ['compliance-inputs'], queryFn: getComplianceInputs });
  const [form] = Form.useForm<SimForm>();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  if (inputs.isLoading) return <Skeleton active />;
  if (inputs.error || !inputs.data) return <Alert type="error" showIcon message={(inputs.error as Error)?.message ?? '加载失败'} />;
  const { settings, catalogue } = inputs.data;
  const products = catalogue.products.filter((p) => p.price > 0);

  const run = (v: SimForm) => {
    let patch: SettingsPatch;
    try {
      patch = validateSettingsPatch(JSON.parse(v.patch || '{}'));
    } catch (e) {
      const msg = e instanceof ValidationError ? `${e.field}: ${e.reason}` : '须为 JSON 对象，例如 {"extractRatio":"20"}';
      form.setFields([{ name: 'patch', errors: [msg] }]);
      return;
    }
    const spec: SyntheticSpec = {
      seed: v.seed,
      start: new Date(Date.now() - v.days * 86_400_000).toISOString(),
      days: v.days,
      ordersPerDay: v.ordersPerDay,
      users: v.users,
      products: products.map((p) => ({ id: p.id, price: p.price, cost: p.cost, queue: p.queue as never })),
      completeAfterDays: [v.completeMin, v.completeMax],
      refundRate: v.refundRate / 100,
      refundAfterDays: [0, Math.min(3, v.completeMin)],
      // Today's settings first; the proposed patch then holds throughout.
      settings: settings as never,
    };
    worker.current?.terminate();
    worker.current = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    setRunning(true);
    setOutcome(null);
    worker.current.onmessage = (e: MessageEvent<Outcome>) => {
      setOutcome(e.data);
      setRunning(false);
    };
    worker.current.postMessage({ spec, patch });
  };

  const r = outcome?.ok ? outcome.result : null;
  const rows = r
    ? [
        { key: 'orders', label: '订单数', current: String(r.current.figures.orders), proposed: String(r.proposed.figures.orders) },
        ...MONEY.map(([k, label]) => ({ key: k, label, current: yuan(r.current.figures[k] as number), proposed: yuan(r.proposed.figures[k] as number) })),
        { key: 'done', label: '已返完 / 排队中', current: `${r.current.figures.entries.done} / ${r.current.figures.entries.waiting}`, proposed: `${r.proposed.figures.entries.done} / ${r.proposed.figures.entries.waiting}` },
        ...(['p50', 'p90', 'p99'] as const).map((p) => ({
          key: p,
          label: `返完用时 ${p}`,
          current: r.current.figures.wait[p] === null ? '-' : `${r.current.figures.wait[p]} 天`,
          proposed: r.proposed.figures.wait[p] === null ? '-' : `${r.proposed.figures.wait[p]} 天`,
        })),
        { key: 'flags', label: '合规提示', current: String(r.current.figures.compliance.length), proposed: String(r.proposed.figures.compliance.length) },
      ]
    : [];
  return (
    <ProCard direction="column" ghost gutter={[0, 16]}>
      <ProCard title="模拟参数" subTitle="以现有商品为价格组合，生成订单流；用当前设置与拟修改设置各跑一遍">
        {products.length === 0 && <Alert type="info" showIcon message="还没有可售商品：请先添加商品" style={{ marginBottom: 16 }} />}
        <Form<SimForm>
          form={form}
          layout="vertical"
          initialValues={{ days: 60, ordersPerDay: 100, users: 500, refundRate: 3, completeMin: 7, completeMax: 10, seed: 1, patch: '{"extractRatio": "20"}' }}
          onFinish={run}
        >
          <Row gutter={16}>
            <Col span={4}><Form.Item name="days" label="天数"><InputNumber min={1} max={365} precision={0} data-testid="sim-days" /></Form.Item></Col>
            <Col span={4}><Form.Item name="ordersPerDay" label="日均订单"><InputNumber min={1} max={100000} precision={0} data-testid="sim-orders" /></Form.Item></Col>
            <Col span={4}><Form.Item name="users" label="用户数"><InputNumber min={1} max={1000000} precision={0} /></Form.Item></Col>
            <Col span={4}><Form.Item name="refundRate" label="退款率（%）"><InputNumber min={0} max={100} /></Form.Item></Col>
            <Col span={4}><Form.Item name="completeMin" label="完成（天，最少）"><InputNumber min={0} max={365} precision={0} /></Form.Item></Col>
            <Col span={4}><Form.Item name="completeMax" label="完成（天，最多）"><InputNumber min={0} max={365} precision={0} /></Form.Item></Col>
          </Row>
          <Row gutter={16}>
            <Col span={4}><Form.Item name="seed" label="随机种子"><InputNumber min={0} max={4294967295} precision={0} /></Form.Item></Col>
            <Col span={20}>
              <Form.Item name="patch" label="拟修改的设置（JSON，与返利设置同名）">
                <Input.TextArea rows={2} data-testid="sim-patch" />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" loading={running} disabled={products.length === 0} data-testid="sim-run">
            开始模拟
          </Button>
        </Form>
      </ProCard>
      {outcome && !outcome.ok && <Alert type="error" showIcon message={outcome.message} />}
      {r && (
        <>
          <ProCard title="模拟结果" data-testid="sim-result">
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={rows}
              onRow={(row) => ({ 'data-testid': `sim-row-${row.key}` }) as never}
              columns={[
                { title: '', dataIndex: 'label' },
                { title: '当前设置', dataIndex: 'current' },
                { title: '拟修改设置', dataIndex: 'proposed' },
              ]}
            />
          </ProCard>
          <ProCard gutter={16} ghost>
            <ProCard title="资金去向（元）">
              <ReactECharts
                style={{ height: 320 }}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { data: ['当前设置', '拟修改设置'] },
                  grid: { left: 70, right: 20, bottom: 60, top: 40 },
                  xAxis: { type: 'category', data: MONEY.map(([, l]) => l), axisLabel: { rotate: 20 } },
                  yAxis: { type: 'value' },
                  series: [
                    { name: '当前设置', type: 'bar', data: MONEY.map(([k]) => formatYuan(r.current.figures[k] as number)) },
                    { name: '拟修改设置', type: 'bar', data: MONEY.map(([k]) => formatYuan(r.proposed.figures[k] as number)) },
                  ],
                }}
              />
            </ProCard>
            <ProCard title="合规提示（拟修改设置）">
              {r.proposed.figures.compliance.length === 0 ? (
                <Alert type="success" showIcon message="无" />
              ) : (
                <Space direction="vertical">
                  {r.proposed.figures.compliance.map((f) => (
                    <div key={`${f.rule}:${f.subject}`}>{flagText(f)}</div>
                  ))}
                </Space>
              )}
            </ProCard>
          </ProCard>
        </>
      )}
    </ProCard>
  );
}
