// 收银台: a store's cashiers with their own {Q} (and random return), and the
// printable QR code of each.
import { PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { DrawerForm, ProFormText, ProTable, type ActionType } from '@ant-design/pro-components';
import { App, Button, Space, Tag } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { CashierQrModal } from '../../../components/CashierQr';
import { ratioText } from '../../../components/money';
import { queueFromForm, queueToForm, type QueueForm } from '../../../components/queueConfig';
import { QueueConfigFields } from '../../../components/QueueConfigFields';
import type { AdminCashier } from '../../../services/contract';
import { listCashiers, saveCashier } from '../../../services/merchants';
import { StoreSelect, useStoreParam } from '../storeSelect';

export default function CashiersPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [storeId, setStore, stores] = useStoreParam();
  const [editing, setEditing] = useState<AdminCashier | null | undefined>(undefined);
  const [qr, setQr] = useState<AdminCashier | null>(null);
  const storeName = stores.find((s) => s.id === storeId)?.name ?? '';
  return (
    <>
      <ProTable<AdminCashier>
        rowKey="id"
        actionRef={ref}
        headerTitle={<Space>收银台<StoreSelect value={storeId} onChange={setStore} stores={stores} /></Space>}
        search={false}
        params={{ storeId }}
        request={async () => {
          if (!storeId) return { data: [], total: 0, success: true };
          const r = await listCashiers({ storeId });
          return { data: r.items, total: r.items.length, success: true };
        }}
        columns={[
          { title: '收银台', dataIndex: 'name' },
          { title: 'ID', dataIndex: 'id' },
          { title: '排队返利', render: (_, c) => (c.queue?.enabled === false ? <Tag>未参与</Tag> : <Tag color="orange">参与</Tag>) },
          { title: '默认比例', render: (_, c) => ratioText(c.queue?.defaultRatio ?? null) },
          { title: '提取比例', render: (_, c) => ratioText(c.queue?.extractRatio ?? null) },
          { title: '随机返还', render: (_, c) => (c.queue?.randomReturn?.on ? `现金 ${c.queue.randomReturn.cashCount} / 积分 ${c.queue.randomReturn.pointsCount}` : '-') },
          {
            title: '操作',
            valueType: 'option',
            render: (_, c) => [
              <a key="q" onClick={() => setQr(c)} data-testid={`cashier-qr-${c.id}`}>
                <QrcodeOutlined /> 二维码
              </a>,
              access.canEditMerchants && <a key="e" onClick={() => setEditing(c)}>编辑</a>,
            ],
          },
        ]}
        toolBarRender={() => [access.canEditMerchants && storeId && <Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>新建收银台</Button>]}
      />
      <DrawerForm<{ name: string; queue: QueueForm }>
        title={editing ? `编辑收银台 · ${editing.name}` : '新建收银台'}
        open={editing !== undefined}
        width={760}
        drawerProps={{ destroyOnHidden: true, onClose: () => setEditing(undefined) }}
        onOpenChange={(o) => !o && setEditing(undefined)}
        initialValues={editing ? { name: editing.name, queue: queueToForm(editing.queue, 'cashier') } : { queue: queueToForm(undefined, 'cashier') }}
        onFinish={async (v) => {
          try {
            await saveCashier({ ...(editing ? { id: editing.id } : {}), storeId: storeId!, name: v.name.trim(), queue: queueFromForm(v.queue, 'cashier', editing?.queue) });
            message.success('收银台已保存');
            setEditing(undefined);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormText name="name" label="收银台名称" rules={[{ required: true, message: '请输入名称' }]} />
        <QueueConfigFields owner="cashier" />
      </DrawerForm>
      <CashierQrModal cashier={qr} storeName={storeName} onClose={() => setQr(null)} />
    </>
  );
}
