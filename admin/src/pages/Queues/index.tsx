// 队列: every queue with its length, waiting amount, reserve and head; its
// entries in payout order; pause / resume one queue; run what is due now.
import { ProTable, type ProColumns } from '@ant-design/pro-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Drawer, Popconfirm, Space, Switch } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../auth';
import { EntryTable } from '../../components/EntryTable';
import { Money } from '../../components/money';
import type { QueueRowAdmin } from '../../services/contract';
import { listEntries, listQueues, runDue, setQueuePaused } from '../../services/queues';

function EntriesDrawer({ queue, onClose }: { queue: QueueRowAdmin | null; onClose: () => void }) {
  const [all, setAll] = useState(false);
  const [page, setPage] = useState(1);
  const q = useQuery({ queryKey: ['entries', queue?.key, all, page], queryFn: () => listEntries({ key: queue!.key, status: all ? 'all' : 'waiting', page, pageSize: 50 }), enabled: !!queue });
  return (
    <Drawer open={!!queue} onClose={onClose} width={1100} title={`队列明细 · ${queue?.name ?? ''}`} destroyOnHidden extra={<Space>含已结束<Switch checked={all} onChange={(v) => { setAll(v); setPage(1); }} /></Space>}>
      <EntryTable entries={q.data?.items ?? []} showQueue={false} testId="queue-entries" />
      <Space style={{ marginTop: 8 }}>
        <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>上一页</Button>
        <span>第 {page} 页 / 共 {q.data?.total ?? 0} 条</span>
        <Button disabled={(q.data?.total ?? 0) <= page * 50} onClick={() => setPage(page + 1)}>下一页</Button>
      </Space>
    </Drawer>
  );
}

export default function QueuesPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState<QueueRowAdmin | null>(null);
  const queues = useQuery({ queryKey: ['queues'], queryFn: listQueues });
  const pause = useMutation({
    mutationFn: setQueuePaused,
    onSuccess: (r) => {
      message.success(r.paused ? '队列已暂停' : '队列已恢复');
      qc.invalidateQueries({ queryKey: ['queues'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const due = useMutation({
    mutationFn: runDue,
    onSuccess: (r) => {
      message.success(r.ran ? '已执行到期的清零与结算' : '当前没有到期的任务');
      qc.invalidateQueries({ queryKey: ['queues'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const columns: ProColumns<QueueRowAdmin>[] = [
    { title: '队列', dataIndex: 'name', render: (_, q) => <a onClick={() => setOpen(q)}>{q.name}</a> },
    { title: '标识', dataIndex: 'key', copyable: true },
    { title: '排队人数', dataIndex: 'waitingCount', sorter: (a, b) => a.waitingCount - b.waitingCount },
    { title: '待返总额', dataIndex: 'waitingAmount', sorter: (a, b) => a.waitingAmount - b.waitingAmount, render: (_, q) => <Money fen={q.waitingAmount} /> },
    { title: '储备金', dataIndex: 'reserve', render: (_, q) => <Money fen={q.reserve} /> },
    { title: '队首', render: (_, q) => (q.head ? <span>#{q.head.seq} {q.head.memberName} 已返 <Money fen={q.head.paid} /> / <Money fen={q.head.entitlement} /></span> : '-') },
    { title: '状态', dataIndex: 'paused', render: (_, q) => (q.paused ? <Badge status="warning" text="已暂停" /> : <Badge status="processing" text="运行中" />) },
    {
      title: '操作',
      valueType: 'option',
      render: (_, q) => [
        <a key="e" onClick={() => setOpen(q)}>明细</a>,
        access.canOperateQueues && (
          <Popconfirm key="p" title={q.paused ? '恢复该队列的返还？' : '暂停该队列的返还？（新订单仍会入队）'} onConfirm={() => pause.mutate({ key: q.key, paused: !q.paused })}>
            <a data-testid={`queue-pause-${q.key}`}>{q.paused ? '恢复' : '暂停'}</a>
          </Popconfirm>
        ),
      ],
    },
  ];
  return (
    <>
      {queues.data?.paused && <Alert type="warning" showIcon message="全局返利已在「返利设置」中暂停" style={{ marginBottom: 16 }} />}
      <ProTable<QueueRowAdmin>
        rowKey="key"
        headerTitle="全部队列"
        search={false}
        loading={queues.isLoading}
        dataSource={queues.data?.items ?? []}
        columns={columns}
        pagination={{ pageSize: 20 }}
        options={{ reload: () => queues.refetch() }}
        toolBarRender={() => [
          access.canOperateQueues && (
            <Popconfirm key="d" title="立即执行所有已到期的清零与结算？" onConfirm={() => due.mutate()}>
              <Button type="primary" loading={due.isPending}>立即执行到期清算</Button>
            </Popconfirm>
          ),
        ]}
      />
      <EntriesDrawer queue={open} onClose={() => setOpen(null)} />
    </>
  );
}
