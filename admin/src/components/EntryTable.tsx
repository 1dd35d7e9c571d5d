// Queue entries (of an order, a member or a queue), in the order given.
import { Badge, Table, Tooltip } from 'antd';
import type { AdminEntry } from '../services/contract';
import { ENTRY_STATUS, dateTime } from './labels';
import { Money, ratioText } from './money';

export function EntryTable({ entries, showQueue = true, testId }: { entries: AdminEntry[]; showQueue?: boolean; testId?: string }) {
  return (
    <Table<AdminEntry>
      size="small"
      rowKey="entryId"
      dataSource={entries}
      pagination={entries.length > 10 ? { pageSize: 10 } : false}
      data-testid={testId}
      columns={[
        { title: '序号', dataIndex: 'seq', width: 70 },
        ...(showQueue ? [{ title: '队列', dataIndex: 'queueKey' }] : []),
        { title: '会员', dataIndex: 'memberName' },
        { title: '订单', dataIndex: 'orderId', render: (v: string, e) => <Tooltip title={`第 ${e.line + 1} 行`}>{v}</Tooltip> },
        { title: '基数', dataIndex: 'base', render: (v: number) => <Money fen={v} /> },
        { title: '比例', dataIndex: 'ratio', render: (v: string) => ratioText(v) },
        { title: '应返', dataIndex: 'entitlement', render: (v: number) => <Money fen={v} /> },
        { title: '已返', dataIndex: 'paid', render: (v: number, e) => <Money fen={v} testId={`entry-paid-${e.entryId}`} /> },
        { title: '待返', key: 'pending', render: (_: unknown, e) => <Money fen={e.entitlement - e.paid} /> },
        { title: '状态', dataIndex: 'status', render: (v: string) => <Badge status={(ENTRY_STATUS[v]?.status ?? 'default').toLowerCase() as never} text={ENTRY_STATUS[v]?.text ?? v} /> },
        { title: '加入时间', dataIndex: 'joinedAt', render: (v: string) => dateTime(v) },
      ]}
    />
  );
}
