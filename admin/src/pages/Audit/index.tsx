// 操作日志: who, when, what, before/after; filter by entity, entity id,
// operator, action and time.
import { ProTable, type ProColumns } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { dateTime } from '../../components/labels';
import { pagedRequest } from '../../components/table';
import type { AuditRow } from '../../services/contract';
import { listAudit, listAuditOperators } from '../../services/audit';
import { labelOf } from '../Settings/model';

export const ENTITY_NAMES: Record<string, string> = {
  settings: '返利设置',
  product: '商品',
  category: '分类',
  home: '首页内容',
  member: '会员',
  level: '会员等级',
  merchantApplication: '入驻申请',
  image: '图片',
  store: '门店',
  storeProduct: '门店商品',
  cashier: '收银台',
  supplier: '供应商',
  refund: '退款',
  withdrawal: '提现',
  paymentAnomaly: '支付异常',
  queue: '队列',
  operator: '后台账号',
};

export const ACTION_NAMES: Record<string, string> = {
  'settings.update': '修改设置',
  'settings.enableAllProducts': '一键开启商品',
  'catalog.productSave': '保存商品',
  'catalog.productsSetOnSale': '上/下架',
  'catalog.bulkCreate': '批量上架',
  'catalog.categorySave': '保存分类',
  'catalog.categoryDelete': '删除分类',
  'catalog.homeSave': '保存首页',
  'uploads.image': '上传图片',
  'members.setLevel': '设置等级',
  'members.levelSave': '保存等级',
  'merchants.review': '审核入驻',
  'merchants.storeSave': '保存门店',
  'merchants.storeProductSave': '保存门店商品',
  'merchants.cashierSave': '保存收银台',
  'merchants.supplierSave': '保存供应商',
  'refunds.review': '审核退款',
  'withdrawals.review': '审核提现',
  'anomalies.resolve': '处理异常',
  'queues.setPaused': '暂停/恢复队列',
  'queues.runDue': '执行清算',
  'operators.save': '保存账号',
  'auth.signIn': '登录',
  'auth.signOut': '退出',
  'auth.changePassword': '修改密码',
};

/** Leaf-by-leaf before/after of two JSON values. */
export function changes(before: unknown, after: unknown, path = ''): { path: string; before: string; after: string }[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changes(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const show = (v: unknown) => (v === undefined ? '（无）' : typeof v === 'string' ? v : JSON.stringify(v));
  return [{ path: path || '(整体)', before: show(before), after: show(after) }];
}

export default function AuditPage() {
  const [open, setOpen] = useState<AuditRow | null>(null);
  // Names only (audit.operators): whoever may read the log may pick from who appears in it.
  const operators = useQuery({ queryKey: ['auditOperators'], queryFn: listAuditOperators });
  const columns: ProColumns<AuditRow>[] = [
    { title: '时间', dataIndex: 'at', valueType: 'dateTimeRange', search: { transform: (v: [string, string]) => ({ from: new Date(v[0]).toISOString(), to: new Date(v[1]).toISOString() }) }, render: (_, a) => dateTime(a.at) },
    {
      title: '操作人',
      dataIndex: 'operatorId',
      valueType: 'select',
      fieldProps: { showSearch: true, optionFilterProp: 'label', placeholder: '选择操作人', options: (operators.data?.items ?? []).map((o) => ({ label: o.name, value: o.id })) },
      render: (_, a) => <span data-testid="audit-operator">{a.operatorName ?? '系统'}</span>,
    },
    { title: '对象', dataIndex: 'entity', valueType: 'select', valueEnum: Object.fromEntries(Object.entries(ENTITY_NAMES).map(([k, v]) => [k, { text: v }])), render: (_, a) => <Tag>{ENTITY_NAMES[a.entity] ?? a.entity}</Tag> },
    { title: '对象ID', dataIndex: 'entityId' },
    {
      title: '操作',
      dataIndex: 'action',
      width: 220,
      render: (_, a) => (
        <span>
          {ACTION_NAMES[a.action] ?? ''}{' '}
          <Typography.Text code data-testid="audit-action" style={{ fontSize: 12 }}>
            {a.action}
          </Typography.Text>
        </span>
      ),
    },
    { title: '备注', dataIndex: 'note', search: false, ellipsis: true },
    { title: '变更', valueType: 'option', render: (_, a) => [<a key="d" onClick={() => setOpen(a)}>查看前后对比</a>] },
  ];
  const rows = open ? changes(open.before, open.after) : [];
  return (
    <>
      <ProTable<AuditRow> rowKey="id" headerTitle="操作日志" columns={columns} request={pagedRequest(listAudit) as never} pagination={{ defaultPageSize: 20 }} data-testid="audit-table" />
      <Modal open={!!open} onCancel={() => setOpen(null)} footer={null} width={800} title={open ? `${open.operatorName ?? '系统'} · ${open.action} · ${dateTime(open.at)}` : ''}>
        <Table
          size="small"
          rowKey="path"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '字段', dataIndex: 'path', render: (p: string) => (open?.entity === 'settings' ? labelOf(p) : p) },
            { title: '修改前', dataIndex: 'before', render: (v: string) => <Tag>{v}</Tag> },
            { title: '修改后', dataIndex: 'after', render: (v: string) => <Tag color="orange">{v}</Tag> },
          ]}
        />
      </Modal>
    </>
  );
}
