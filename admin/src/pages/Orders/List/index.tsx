// 订单列表: filters (status, kind, member, store, order id, time range) and a
// detail drawer: lines, deductions, payment, refund, queue entries, ledger.
import { ProDescriptions, ProTable, type ProColumns } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { Card, Drawer, Skeleton, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { EntryTable } from '../../../components/EntryTable';
import { dateTime, ORDER_STATUS, REFUND_STATUS } from '../../../components/labels';
import { Money } from '../../../components/money';
import { pagedRequest } from '../../../components/table';
import type { AdminOrderRow, LedgerPosting } from '../../../services/contract';
import { listOrders, orderDetail } from '../../../services/orders';

export function OrderDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useQuery({ queryKey: ['order', id], queryFn: () => orderDetail({ id: id! }), enabled: !!id });
  const o = q.data?.order;
  return (
    <Drawer open={!!id} onClose={onClose} width={980} title={`订单详情 · ${id ?? ''}`} destroyOnHidden>
      {!o ? (
        <Skeleton active />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <ProDescriptions column={3} bordered size="small">
            <ProDescriptions.Item label="订单号">{o.id}</ProDescriptions.Item>
            <ProDescriptions.Item label="类型">{o.kind === 'cashier' ? '扫码买单' : '商城订单'}</ProDescriptions.Item>
            <ProDescriptions.Item label="状态">{ORDER_STATUS[o.status]?.text ?? o.status}</ProDescriptions.Item>
            <ProDescriptions.Item label="会员">{`${o.memberName}（${o.memberId}）`}</ProDescriptions.Item>
            <ProDescriptions.Item label="商品金额"><Money fen={o.goodsTotal} /></ProDescriptions.Item>
            <ProDescriptions.Item label="实付"><Money fen={o.payable} /></ProDescriptions.Item>
            <ProDescriptions.Item label="下单时间">{dateTime(o.createdAt)}</ProDescriptions.Item>
            <ProDescriptions.Item label="支付时间">{dateTime(o.paidAt)}</ProDescriptions.Item>
            <ProDescriptions.Item label="完成时间">{dateTime(o.completedAt)}</ProDescriptions.Item>
            <ProDescriptions.Item label="积分抵扣">{`${o.deductions.pointsUsed} 积分 / `}<Money fen={o.deductions.pointsDeduction} /></ProDescriptions.Item>
            <ProDescriptions.Item label="爱心值抵扣">{`${o.deductions.loveUsed} / `}<Money fen={o.deductions.loveDeduction} /></ProDescriptions.Item>
            <ProDescriptions.Item label="优惠券抵扣"><Money fen={o.deductions.couponDeduction} /></ProDescriptions.Item>
            <ProDescriptions.Item label="备注" span={3}>{o.remark || '-'}</ProDescriptions.Item>
          </ProDescriptions>
          <Card size="small" title="商品明细">
            <Table
              size="small"
              rowKey="line"
              pagination={false}
              dataSource={o.lines}
              columns={[
                { title: '行', dataIndex: 'line', render: (v: number) => v + 1 },
                { title: '商品', dataIndex: 'title' },
                { title: '单价', dataIndex: 'price', render: (v: number) => <Money fen={v} /> },
                { title: '数量', dataIndex: 'quantity' },
                { title: '金额', dataIndex: 'amount', render: (v: number) => <Money fen={v} /> },
                { title: '抵扣', dataIndex: 'deducted', render: (v: number) => <Money fen={v} /> },
                { title: '实付', dataIndex: 'paid', render: (v: number) => <Money fen={v} /> },
              ]}
            />
          </Card>
          <Card size="small" title="支付与退款">
            <ProDescriptions column={3} size="small">
              <ProDescriptions.Item label="商户单号">{o.payment?.outTradeNo ?? '-'}</ProDescriptions.Item>
              <ProDescriptions.Item label="微信支付单号">{o.payment?.transactionId ?? '-'}</ProDescriptions.Item>
              <ProDescriptions.Item label="支付状态">{o.payment?.status ?? '-'}</ProDescriptions.Item>
              <ProDescriptions.Item label="退款">{o.refund ? <Space><Money fen={o.refund.amount} /><Tag>{REFUND_STATUS[o.refund.status]?.text ?? o.refund.status}</Tag>{o.refund.reason}</Space> : '-'}</ProDescriptions.Item>
            </ProDescriptions>
          </Card>
          <Card size="small" title="排队记录">
            <EntryTable entries={o.entries} testId="order-entries" />
          </Card>
          <Card size="small" title="账务流水">
            <Table<LedgerPosting>
              size="small"
              rowKey={(p) => `${p.transferId}-${p.account}-${p.currency}-${p.amount}`}
              pagination={false}
              dataSource={o.ledger}
              columns={[
                { title: '时间', dataIndex: 'at', render: (v) => dateTime(v) },
                { title: '类型', dataIndex: 'kind' },
                { title: '账户', dataIndex: 'account' },
                { title: '币种', dataIndex: 'currency' },
                { title: '金额', dataIndex: 'amount', render: (v: number, p) => (p.currency === 'CNY' || p.currency === 'COUPON' ? <Money fen={v} /> : v) },
              ]}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

export default function OrdersPage() {
  const [open, setOpen] = useState<string | null>(null);
  const columns: ProColumns<AdminOrderRow>[] = [
    { title: '订单号', dataIndex: 'orderId', hideInTable: true },
    { title: '订单号', dataIndex: 'id', search: false, width: 200, render: (_, o) => <a onClick={() => setOpen(o.id)}>{o.id}</a> },
    { title: '类型', dataIndex: 'kind', valueType: 'select', valueEnum: { mall: { text: '商城订单' }, cashier: { text: '扫码买单' } } },
    { title: '状态', dataIndex: 'status', valueType: 'select', valueEnum: ORDER_STATUS },
    { title: '会员ID', dataIndex: 'memberId', hideInTable: true },
    { title: '门店ID', dataIndex: 'storeId', hideInTable: true },
    { title: '会员', dataIndex: 'memberName', search: false, ellipsis: true },
    { title: '商品', dataIndex: 'title', search: false, ellipsis: true },
    { title: '商品金额', dataIndex: 'goodsTotal', search: false, render: (_, o) => <Money fen={o.goodsTotal} /> },
    { title: '实付', dataIndex: 'payable', search: false, render: (_, o) => <Money fen={o.payable} /> },
    { title: '下单时间', dataIndex: 'createdAt', valueType: 'dateTimeRange', search: { transform: (v: [string, string]) => ({ from: new Date(v[0]).toISOString(), to: new Date(v[1]).toISOString() }) }, render: (_, o) => dateTime(o.createdAt) },
    { title: '支付时间', dataIndex: 'paidAt', search: false, render: (_, o) => dateTime(o.paidAt) },
    { title: '操作', valueType: 'option', render: (_, o) => [<a key="d" onClick={() => setOpen(o.id)}>详情</a>] },
  ];
  return (
    <>
      <ProTable<AdminOrderRow> rowKey="id" headerTitle="订单列表" columns={columns} request={pagedRequest(listOrders) as never} pagination={{ defaultPageSize: 20 }} scroll={{ x: 1200 }} />
      <OrderDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
