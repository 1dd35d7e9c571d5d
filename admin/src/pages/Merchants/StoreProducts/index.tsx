// 门店商品: a store's online products with their own {Q}.
import { PlusOutlined } from '@ant-design/icons';
import { DrawerForm, ProFormDigit, ProFormSwitch, ProFormText, ProFormTextArea, ProTable, type ActionType } from '@ant-design/pro-components';
import { App, Button, Form, Space, Tag } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { ImageUpload } from '../../../components/ImageUpload';
import { fenRule, Money, YuanInput } from '../../../components/money';
import { queueFromForm, queueToForm, type QueueForm } from '../../../components/queueConfig';
import { QueueConfigFields } from '../../../components/QueueConfigFields';
import type { AdminStoreProduct } from '../../../services/contract';
import { listStoreProducts, saveStoreProduct } from '../../../services/merchants';
import { StoreSelect, useStoreParam } from '../storeSelect';

interface Form_ {
  title: string;
  price: number;
  cost: number;
  stock: number;
  onSale: boolean;
  images: string[];
  description?: string;
  queue: QueueForm;
}

export default function StoreProductsPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [storeId, setStore, stores] = useStoreParam();
  const [editing, setEditing] = useState<AdminStoreProduct | null | undefined>(undefined);
  return (
    <>
      <ProTable<AdminStoreProduct>
        rowKey="id"
        actionRef={ref}
        headerTitle={<Space>门店商品<StoreSelect value={storeId} onChange={setStore} stores={stores} /></Space>}
        search={false}
        params={{ storeId }}
        request={async () => {
          if (!storeId) return { data: [], total: 0, success: true };
          const r = await listStoreProducts({ storeId });
          return { data: r.items, total: r.items.length, success: true };
        }}
        columns={[
          { title: '商品', dataIndex: 'title' },
          { title: '售价', dataIndex: 'price', render: (_, p) => <Money fen={p.price} /> },
          { title: '成本', dataIndex: 'cost', render: (_, p) => <Money fen={p.cost} /> },
          { title: '库存', dataIndex: 'stock' },
          { title: '状态', dataIndex: 'onSale', render: (_, p) => (p.onSale ? <Tag color="green">在售</Tag> : <Tag>下架</Tag>) },
          { title: '排队返利', render: (_, p) => (p.queue?.enabled === false ? <Tag>未参与</Tag> : <Tag color="orange">参与</Tag>) },
          { title: '操作', valueType: 'option', render: (_, p) => (access.canEditMerchants ? [<a key="e" onClick={() => setEditing(p)}>编辑</a>] : []) },
        ]}
        toolBarRender={() => [access.canEditMerchants && storeId && <Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>新建门店商品</Button>]}
      />
      <DrawerForm<Form_>
        title={editing ? `编辑 · ${editing.title}` : '新建门店商品'}
        open={editing !== undefined}
        width={760}
        drawerProps={{ destroyOnHidden: true, onClose: () => setEditing(undefined) }}
        onOpenChange={(o) => !o && setEditing(undefined)}
        initialValues={editing ? { ...editing, queue: queueToForm(editing.queue, 'storeProduct') } : { onSale: true, stock: 0, images: [], queue: queueToForm(undefined, 'storeProduct') }}
        onFinish={async (v) => {
          try {
            await saveStoreProduct({
              ...(editing ? { id: editing.id } : {}),
              storeId: storeId!,
              title: v.title.trim(),
              price: v.price,
              cost: v.cost,
              stock: v.stock,
              onSale: v.onSale,
              images: v.images ?? [],
              description: v.description ?? '',
              queue: queueFromForm(v.queue, 'storeProduct', editing?.queue),
            });
            message.success('已保存');
            setEditing(undefined);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormText name="title" label="商品名称" rules={[{ required: true, message: '请输入商品名称' }]} />
        <Space size="large">
          <Form.Item name="price" label="售价" required rules={[fenRule(true)]}>
            <YuanInput style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="cost" label="成本" required rules={[fenRule(true)]}>
            <YuanInput style={{ width: 180 }} />
          </Form.Item>
          <ProFormDigit name="stock" label="库存" min={0} fieldProps={{ precision: 0 }} width="xs" />
          <ProFormSwitch name="onSale" label="上架" />
        </Space>
        <Form.Item name="images" label="图片">
          <ImageUpload />
        </Form.Item>
        <ProFormTextArea name="description" label="详情" />
        <QueueConfigFields owner="storeProduct" />
      </DrawerForm>
    </>
  );
}
