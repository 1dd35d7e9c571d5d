// 支付异常: notifications that did not settle (wrong amount, payer, merchant…); resolve with a note.
import { ModalForm, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { dateTime } from '../../../components/labels';
import { pagedRequest } from '../../../components/table';
import type { AnomalyRow } from '../../../services/contract';
import { listAnomalies, resolveAnomaly } from '../../../services/orders';

export default function AnomaliesPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [resolving, setResolving] = useState<AnomalyRow | null>(null);
  const columns: ProColumns<AnomalyRow>[] = [
    { title: '处理状态', dataIndex: 'resolved', valueType: 'select', valueEnum: { false: { text: '待处理', status: 'Warning' }, true: { text: '已处理', status: 'Success' } }, initialValue: 'false', hideInTable: true },
    { title: '类型', dataIndex: 'kind', search: false, render: (_, a) => <Tag color="red">{a.kind}</Tag> },
    { title: '商户单号', dataIndex: 'outTradeNo', search: false },
    { title: '微信支付单号', dataIndex: 'transactionId', search: false },
    { title: '详情', dataIndex: 'detail', search: false, render: (_, a) => <Typography.Text code style={{ fontSize: 12 }}>{JSON.stringify(a.detail)}</Typography.Text> },
    { title: '发生时间', dataIndex: 'createdAt', search: false, render: (_, a) => dateTime(a.createdAt) },
    { title: '处理', search: false, render: (_, a) => (a.resolvedAt ? `${a.resolvedBy ?? ''} ${dateTime(a.resolvedAt)}：${a.note ?? ''}` : '-') },
    { title: '操作', valueType: 'option', render: (_, a) => (!a.resolvedAt && access.canResolveAnomalies ? [<a key="r" onClick={() => setResolving(a)}>处理</a>] : []) },
  ];
  return (
    <>
      <ProTable<AnomalyRow>
        rowKey="id"
        actionRef={ref}
        headerTitle="支付异常"
        columns={columns}
        request={pagedRequest(listAnomalies) as never}
      />
      <ModalForm<{ note: string }>
        title="处理支付异常"
        open={!!resolving}
        modalProps={{ destroyOnHidden: true, onCancel: () => setResolving(null) }}
        onFinish={async (v) => {
          try {
            await resolveAnomaly({ id: resolving!.id, note: v.note.trim() });
            message.success('已处理');
            setResolving(null);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormTextArea name="note" label="处理说明" rules={[{ required: true, message: '请填写处理说明' }, { max: 500, message: '最多 500 字' }]} />
      </ModalForm>
    </>
  );
}
