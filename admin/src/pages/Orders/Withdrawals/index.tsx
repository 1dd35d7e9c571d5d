// 提现审核 (finance): approve (the WeChat transfer is sent) or reject (the money returns to the wallet).
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { useRef } from 'react';
import { useAccess } from '../../../auth';
import { dateTime, WITHDRAWAL_STATUS } from '../../../components/labels';
import { Money } from '../../../components/money';
import { pagedRequest } from '../../../components/table';
import type { WithdrawalRow } from '../../../services/contract';
import { listWithdrawals, reviewWithdrawal } from '../../../services/orders';
import { ReviewButtons } from '../review';

export default function WithdrawalsPage() {
  const access = useAccess();
  const ref = useRef<ActionType>();
  const columns: ProColumns<WithdrawalRow>[] = [
    { title: '状态', dataIndex: 'status', valueType: 'select', valueEnum: WITHDRAWAL_STATUS, initialValue: 'reviewing' },
    { title: '提现单号', dataIndex: 'withdrawalId', search: false },
    { title: '会员', dataIndex: 'memberName', search: false, render: (_, w) => `${w.memberName}（${w.memberId}）` },
    { title: '提现金额', dataIndex: 'amount', search: false, render: (_, w) => <Money fen={w.amount} /> },
    { title: '手续费', dataIndex: 'fee', search: false, render: (_, w) => <Money fen={w.fee} /> },
    { title: '到账', dataIndex: 'net', search: false, render: (_, w) => <Money fen={w.net} /> },
    { title: '申请时间', dataIndex: 'createdAt', search: false, render: (_, w) => dateTime(w.createdAt) },
    { title: '审核时间', dataIndex: 'reviewedAt', search: false, render: (_, w) => dateTime(w.reviewedAt) },
    {
      title: '操作',
      valueType: 'option',
      render: (_, w) =>
        w.status === 'reviewing' && access.canReviewWithdrawals
          ? [
              <ReviewButtons
                key="r"
                id={w.withdrawalId}
                what="提现"
                onApprove={() => reviewWithdrawal({ withdrawalId: w.withdrawalId, approve: true }).then(() => ref.current?.reload())}
                onReject={(reason) => reviewWithdrawal({ withdrawalId: w.withdrawalId, approve: false, reason }).then(() => ref.current?.reload())}
              />,
            ]
          : [w.rejectReason ? <span key="x">{w.rejectReason}</span> : null],
    },
  ];
  return <ProTable<WithdrawalRow> rowKey="withdrawalId" actionRef={ref} headerTitle="提现审核" columns={columns} request={pagedRequest(listWithdrawals) as never} />;
}
