// 门店: list, edit (commission, contact, logo, the store's {Q}), links to its products and cashiers.
import { PlusOutlined } from '@ant-design/icons';
import { DrawerForm, ProFormText, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Form } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useAccess } from '../../../auth';
import { ImageUpload } from '../../../components/ImageUpload';
import { dateTime } from '../../../components/labels';
import { ratioRule, ratioText } from '../../../components/money';
import { queueFromForm, queueToForm, type QueueForm } from '../../../components/queueConfig';
import { QueueConfigFields } from '../../../components/QueueConfigFields';
import { pagedRequest } from '../../../components/table';
import type { AdminStore } from '../../../services/contract';
import { listStores, saveStore } from '../../../services/merchants';

interface StoreForm {
  name: string;
  commission: string;
  address?: string;
  phone?: string;
  logo?: string[];
  queue: QueueForm;
}

export default function StoresPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [editing, setEditing] = useState<AdminStore | null | undefined>(undefined);
  const columns: ProColumns<AdminStore>[] = [
    { title: '关键词', dataIndex: 'keyword', hideInTable: true },
    { title: '门店', dataIndex: 'name', search: false },
    { title: 'ID', dataIndex: 'id', search: false },
    { title: '佣金', dataIndex: 'commission', search: false, render: (_, s) => ratioText(s.commission) },
    { title: '地址', dataIndex: 'address', search: false, ellipsis: true },
    { title: '电话', dataIndex: 'phone', search: false },
    { title: '店主会员', dataIndex: 'ownerMemberId', search: false },
    { title: '收银台', dataIndex: 'cashierCount', search: false, render: (_, s) => <Link to={`/merchants/cashiers?store=${s.id}`}>{s.cashierCount}</Link> },
    { title: '商品', dataIndex: 'productCount', search: false, render: (_, s) => <Link to={`/merchants/store-products?store=${s.id}`}>{s.productCount}</Link> },
    { title: '创建时间', dataIndex: 'createdAt', search: false, render: (_, s) => dateTime(s.createdAt) },
    { title: '操作', valueType: 'option', render: (_, s) => (access.canEditMerchants ? [<a key="e" onClick={() => setEditing(s)}>编辑</a>] : []) },
  ];
  return (
    <>
      <ProTable<AdminStore>
        rowKey="id"
        actionRef={ref}
        headerTitle="门店"
        columns={columns}
        request={pagedRequest(listStores) as never}
        toolBarRender={() => [access.canEditMerchants && <Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>新建门店</Button>]}
      />
      <DrawerForm<StoreForm>
        title={editing ? `编辑门店 · ${editing.name}` : '新建门店'}
        open={editing !== undefined}
        width={760}
        drawerProps={{ destroyOnHidden: true, onClose: () => setEditing(undefined) }}
        onOpenChange={(o) => !o && setEditing(undefined)}
        initialValues={
          editing
            ? { name: editing.name, commission: editing.commission, address: editing.address ?? '', phone: editing.phone ?? '', logo: editing.logo ? [editing.logo] : [], queue: queueToForm(editing.queue, 'store') }
            : { commission: '10', logo: [], queue: queueToForm(undefined, 'store') }
        }
        onFinish={async (v) => {
          try {
            await saveStore({
              ...(editing ? { id: editing.id } : {}),
              name: v.name.trim(),
              commission: v.commission.trim(),
              address: v.address || null,
              phone: v.phone || null,
              logo: v.logo?.[0] ?? null,
              queue: queueFromForm(v.queue, 'store', editing?.queue),
            });
            message.success('门店已保存');
            setEditing(undefined);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormText name="name" label="门店名称" rules={[{ required: true, message: '请输入门店名称' }]} />
        <ProFormText name="commission" label="平台佣金" width="sm" fieldProps={{ suffix: '%' }} rules={[ratioRule(true, 100)]} />
        <ProFormText name="address" label="地址" />
        <ProFormText name="phone" label="电话" width="md" />
        <Form.Item name="logo" label="门店 Logo">
          <ImageUpload max={1} />
        </Form.Item>
        <QueueConfigFields owner="store" />
      </DrawerForm>
    </>
  );
}
