// 商品列表: search / filter / page, create and edit in a drawer (source, cost
// or supply price, supplier, stock, images, per-product {Q}), on/off sale one
// or many, and the §4 ratio chain spelled out for a product.
import { PlusOutlined } from '@ant-design/icons';
import {
  DrawerForm,
  ProFormDependency,
  ProFormDigit,
  ProFormRadio,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
  ProFormTextArea,
  ProTable,
  type ActionType,
  type ProColumns,
} from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Image, Space, Steps, Switch, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { ImageUpload } from '../../../components/ImageUpload';
import { fenRule, Money, ratioText, YuanInput } from '../../../components/money';
import { queueFromForm, queueToForm, type QueueForm } from '../../../components/queueConfig';
import { QueueConfigFields } from '../../../components/QueueConfigFields';
import { pagedRequest } from '../../../components/table';
import { getProduct, listCategories, listProducts, saveProduct, setProductsOnSale } from '../../../services/catalog';
import type { AdminProduct, ProductInput, ProductSource, RatioChainStep } from '../../../services/contract';
import { listSuppliers } from '../../../services/merchants';

const SOURCE_TEXT: Record<ProductSource, string> = { self: '自营', supplier: '供应商', supplyChain: '供应链' };

type ProductForm = Omit<ProductInput, 'queue'> & { queue: QueueForm };

function ChainDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useQuery({ queryKey: ['product', id], queryFn: () => getProduct({ id: id! }), enabled: !!id });
  const show = (v: RatioChainStep['value']) =>
    v === null ? '未设置' : typeof v === 'string' ? ratioText(v) : Object.entries(v).map(([k, r]) => `${k}: ${ratioText(r)}`).join('，') || '未设置';
  return (
    <Drawer open={!!id} onClose={onClose} width={560} title={`奖励比例来源 · ${q.data?.product.title ?? ''}`} data-testid="ratio-chain">
      <Typography.Paragraph type="secondary">按 §4 顺序取第一个已设置的来源（会员等级比例对有等级的会员优先）。当前无等级会员适用的来源已标出。</Typography.Paragraph>
      <Steps
        direction="vertical"
        size="small"
        current={q.data?.ratioChain.findIndex((s) => s.applies) ?? -1}
        items={(q.data?.ratioChain ?? []).map((s, i) => ({
          title: (
            <Space>
              <span>{`${i + 1}. ${s.label}`}</span>
              {s.applies && <Tag color="orange">当前适用</Tag>}
            </Space>
          ),
          description: show(s.value),
          status: s.applies ? 'process' : s.value === null ? 'wait' : 'finish',
        }))}
      />
    </Drawer>
  );
}

export default function ProductsPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [editing, setEditing] = useState<AdminProduct | null | undefined>(undefined);
  const [chainOf, setChainOf] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const categories = useQuery({ queryKey: ['categories'], queryFn: listCategories });
  const suppliers = useQuery({ queryKey: ['suppliers'], queryFn: listSuppliers });
  const categoryOptions = (categories.data?.items ?? []).map((c) => ({ label: c.name, value: c.id }));
  const supplierOptions = (suppliers.data?.items ?? []).map((s) => ({ label: s.name, value: s.id }));
  const categoryName = (id: string | null) => categories.data?.items.find((c) => c.id === id)?.name ?? '-';
  const supplierName = (id: string | null) => suppliers.data?.items.find((s) => s.id === id)?.name ?? '-';

  const onSale = async (ids: string[], on: boolean) => {
    try {
      const r = await setProductsOnSale({ ids, onSale: on });
      message.success(`${on ? '上架' : '下架'} ${r.updated} 个商品`);
      setSelected([]);
      ref.current?.reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const columns: ProColumns<AdminProduct>[] = [
    { title: '关键词', dataIndex: 'keyword', hideInTable: true, fieldProps: { placeholder: '商品名称' } },
    {
      title: '商品',
      dataIndex: 'title',
      search: false,
      render: (_, p) => (
        <Space>
          {p.images[0] ? <Image src={p.images[0]} width={48} height={48} style={{ objectFit: 'cover' }} /> : <div style={{ width: 48, height: 48, background: '#f5f5f5' }} />}
          <div>
            <div data-testid={`product-row-${p.id}`}>{p.title}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.id}
            </Typography.Text>
          </div>
        </Space>
      ),
    },
    { title: '分类', dataIndex: 'categoryId', valueType: 'select', fieldProps: { options: categoryOptions }, render: (_, p) => categoryName(p.categoryId) },
    { title: '来源', dataIndex: 'source', valueType: 'select', valueEnum: Object.fromEntries(Object.entries(SOURCE_TEXT).map(([k, text]) => [k, { text }])) },
    { title: '售价', dataIndex: 'price', search: false, render: (_, p) => <Money fen={p.price} /> },
    { title: '成本/供货价', dataIndex: 'cost', search: false, render: (_, p) => <Money fen={p.cost} /> },
    { title: '供应商', dataIndex: 'supplierId', valueType: 'select', fieldProps: { options: supplierOptions }, render: (_, p) => (p.source === 'self' ? '-' : supplierName(p.supplierId)) },
    { title: '库存', dataIndex: 'stock', search: false },
    { title: '销量', dataIndex: 'sales', search: false },
    { title: '排队返利', dataIndex: ['queue', 'enabled'], search: false, render: (_, p) => (p.queue?.enabled === false ? <Tag>未参与</Tag> : <Tag color="orange">参与</Tag>) },
    {
      title: '状态',
      dataIndex: 'onSale',
      valueType: 'select',
      valueEnum: { true: { text: '在售', status: 'Success' }, false: { text: '已下架', status: 'Default' } },
      render: (_, p) => <Switch checked={p.onSale} checkedChildren="在售" unCheckedChildren="下架" disabled={!access.canEditCatalog} onChange={(v) => onSale([p.id], v)} />,
    },
    {
      title: '操作',
      valueType: 'option',
      render: (_, p) => [
        access.canEditCatalog && (
          <a key="edit" onClick={() => setEditing(p)}>
            编辑
          </a>
        ),
        <a key="chain" onClick={() => setChainOf(p.id)}>
          返利比例
        </a>,
      ],
    },
  ];

  const initial: ProductForm = editing
    ? { ...editing, queue: queueToForm(editing.queue, 'product') }
    : { title: '', source: 'self', price: 0, cost: 0, stock: 0, onSale: true, images: [], description: '', queue: queueToForm(undefined, 'product') };

  return (
    <>
      <ProTable<AdminProduct>
        rowKey="id"
        actionRef={ref}
        headerTitle="商品列表"
        columns={columns}
        request={pagedRequest(listProducts, {}) as never}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        rowSelection={access.canEditCatalog ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) } : undefined}
        tableAlertOptionRender={() => (
          <Space>
            <a onClick={() => onSale(selected, true)}>批量上架</a>
            <a onClick={() => onSale(selected, false)}>批量下架</a>
          </Space>
        )}
        toolBarRender={() => [
          access.canEditCatalog && (
            <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="product-new">
              新建商品
            </Button>
          ),
        ]}
      />
      <DrawerForm<ProductForm>
        title={editing ? `编辑商品 · ${editing.title}` : '新建商品'}
        open={editing !== undefined}
        width={760}
        initialValues={initial}
        drawerProps={{ destroyOnHidden: true, onClose: () => setEditing(undefined) }}
        onOpenChange={(o) => !o && setEditing(undefined)}
        submitter={{ searchConfig: { submitText: '保存', resetText: '取消' }, submitButtonProps: { 'data-testid': 'product-save' } as never }}
        onFinish={async (v) => {
          try {
            const input: ProductInput = {
              ...(editing ? { id: editing.id } : {}),
              title: v.title.trim(),
              source: v.source,
              categoryId: v.categoryId ?? null,
              price: v.price,
              marketPrice: v.marketPrice ?? null,
              cost: v.cost,
              supplierId: v.source === 'self' ? null : (v.supplierId ?? null),
              stock: v.stock,
              onSale: v.onSale,
              recommended: v.recommended ?? false,
              sort: v.sort ?? 0,
              images: v.images ?? [],
              description: v.description ?? '',
              // On create the server applies newProductsDefaultOn unless the operator touched the queue settings.
              queue: queueFromForm(v.queue, 'product', editing?.queue),
            };
            if (!editing && JSON.stringify(v.queue) === JSON.stringify(queueToForm(undefined, 'product'))) delete input.queue;
            const r = await saveProduct(input);
            message.success(`已保存「${r.product.title}」`);
            setEditing(undefined);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormText name="title" label="商品名称" rules={[{ required: true, message: '请输入商品名称' }, { max: 60, message: '最多 60 个字' }]} />
        <ProFormRadio.Group name="source" label="商品来源" options={[{ label: '自营', value: 'self' }, { label: '供应商', value: 'supplier' }, { label: '供应链', value: 'supplyChain' }]} />
        <ProFormSelect name="categoryId" label="分类" options={categoryOptions} width="md" />
        <Space size="large" align="start" wrap>
          <Form.Item name="price" label="售价" required rules={[fenRule(true)]}>
            <YuanInput style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="marketPrice" label="划线价" rules={[fenRule(false)]}>
            <YuanInput style={{ width: 180 }} />
          </Form.Item>
          <ProFormDependency name={['source']}>
            {({ source }) => (
              <Form.Item name="cost" label={source === 'self' ? '成本价' : '供货价'} required rules={[fenRule(true)]}>
                <YuanInput style={{ width: 180 }} />
              </Form.Item>
            )}
          </ProFormDependency>
        </Space>
        <ProFormDependency name={['source']}>
          {({ source }) => (source === 'self' ? null : <ProFormSelect name="supplierId" label="供应商" options={supplierOptions} width="md" rules={[{ required: true, message: '请选择供应商' }]} />)}
        </ProFormDependency>
        <Space size="large" wrap>
          <ProFormDigit name="stock" label="库存" min={0} fieldProps={{ precision: 0 }} width="sm" rules={[{ required: true, message: '请输入库存' }]} />
          <ProFormDigit name="sort" label="排序" fieldProps={{ precision: 0 }} width="xs" />
          <ProFormSwitch name="onSale" label="上架" />
          <ProFormSwitch name="recommended" label="首页推荐" fieldProps={{ 'data-testid': 'product-recommended' } as never} />
        </Space>
        <Form.Item name="images" label="商品图片">
          <ImageUpload testId="product-images" />
        </Form.Item>
        <ProFormTextArea name="description" label="商品详情" fieldProps={{ rows: 3 }} />
        <QueueConfigFields owner="product" />
      </DrawerForm>
      <ChainDrawer id={chainOf} onClose={() => setChainOf(null)} />
    </>
  );
}
