// 退款审核: refund requests by status; approve (sent to WeChat) or reject.
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { dateTime, REFUND_STATUS } from '../../../components/labels';
import { Money } from '../../../components/money';
import { pagedRequest } from '../../../components/table';
import type { RefundRow } from '../../../services/contract';
import { listRefunds, reviewRefund } from '../../../services/orders';
import { OrderDrawer } from '../List';
import { ReviewButtons } from '../review';

export default function RefundsPage() {
  const access = useAccess();
  const ref = useRef<ActionType>();
  const [order, setOrder] = useState<string | null>(null);
  const columns: ProColumns<RefundRow>[] = [
    { title: '状态', dataIndex: 'status', valueType: 'select', valueEnum: REFUND_STATUS, initialValue: 'pending' },
    { title: '退款单号', dataIndex: 'outRefundNo', search: false },
    { title: '订单号', dataIndex: 'orderId', search: false, render: (_, r) => <a onClick={() => setOrder(r.orderId)}>{r.orderId}</a> },
    { title: '会员', dataIndex: 'memberName', search: false },
    { title: '金额', dataIndex: 'amount', search: false, render: (_, r) => <Money fen={r.amount} /> },
    { title: '原因', dataIndex: 'reason', search: false, ellipsis: true },
    { title: '申请时间', dataIndex: 'createdAt', search: false, render: (_, r) => dateTime(r.createdAt) },
    { title: '审核时间', dataIndex: 'reviewedAt', search: false, render: (_, r) => dateTime(r.reviewedAt) },
    {
      title: '操作',
      valueType: 'option',
      render: (_, r) =>
        r.status === 'pending' && access.canReviewRefunds
          ? [
              <ReviewButtons
                key="r"
                id={r.outRefundNo}
                what="退款"
                onApprove={() => reviewRefund({ outRefundNo: r.outRefundNo, approve: true }).then(() => ref.current?.reload())}
                onReject={(reason) => reviewRefund({ outRefundNo: r.outRefundNo, approve: false, reason }).then(() => ref.current?.reload())}
              />,
            ]
          : [r.rejectReason ? <span key="x">{r.rejectReason}</span> : null],
    },
  ];
  return (
    <>
      <ProTable<RefundRow> rowKey="outRefundNo" actionRef={ref} headerTitle="退款审核" columns={columns} request={pagedRequest(listRefunds) as never} />
      <OrderDrawer id={order} onClose={() => setOrder(null)} />
    </>
  );
}
