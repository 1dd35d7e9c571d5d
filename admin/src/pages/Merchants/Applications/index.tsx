// 入驻审核: applications by status; approve with a commission (the store is
// created) or reject with a reason.
import { ModalForm, ProFormRadio, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { APPLICATION_STATUS, dateTime } from '../../../components/labels';
import { ratioRule } from '../../../components/money';
import { pagedRequest } from '../../../components/table';
import type { MerchantApplicationRow } from '../../../services/contract';
import { listApplications, reviewApplication } from '../../../services/merchants';

export default function ApplicationsPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [reviewing, setReviewing] = useState<MerchantApplicationRow | null>(null);
  const columns: ProColumns<MerchantApplicationRow>[] = [
    { title: '状态', dataIndex: 'status', valueType: 'select', valueEnum: APPLICATION_STATUS, initialValue: 'pending' },
    { title: '门店名称', dataIndex: 'storeName', search: false, render: (_, a) => <span data-testid={`application-${a.applicationId}`}>{a.storeName}</span> },
    { title: '申请人', dataIndex: 'memberName', search: false },
    { title: '联系人', dataIndex: 'contactName', search: false },
    { title: '电话', dataIndex: 'phone', search: false },
    { title: '地址', dataIndex: 'address', search: false, ellipsis: true },
    { title: '经营类目', dataIndex: 'category', search: false },
    { title: '营业执照', dataIndex: 'licenseNo', search: false },
    { title: '申请时间', dataIndex: 'createdAt', search: false, render: (_, a) => dateTime(a.createdAt) },
    { title: '门店', dataIndex: 'storeId', search: false },
    {
      title: '操作',
      valueType: 'option',
      render: (_, a) =>
        a.status === 'pending' && access.canReviewMerchants
          ? [
              <a key="r" onClick={() => setReviewing(a)} data-testid={`review-${a.applicationId}`}>
                审核
              </a>,
            ]
          : [a.rejectReason ? <span key="x">驳回原因：{a.rejectReason}</span> : null],
    },
  ];
  return (
    <>
      <ProTable<MerchantApplicationRow> rowKey="applicationId" actionRef={ref} headerTitle="商家入驻申请" columns={columns} request={pagedRequest(listApplications) as never} />
      <ModalForm<{ decision: 'approve' | 'reject'; commission?: string; reason?: string }>
        title={`审核入驻 · ${reviewing?.storeName ?? ''}`}
        open={!!reviewing}
        modalProps={{ destroyOnHidden: true, onCancel: () => setReviewing(null) }}
        initialValues={{ decision: 'approve', commission: '10' }}
        submitter={{ searchConfig: { submitText: '提交审核' }, submitButtonProps: { 'data-testid': 'review-submit' } as never }}
        onFinish={async (v) => {
          try {
            const approve = v.decision === 'approve';
            const r = await reviewApplication({ applicationId: reviewing!.applicationId, approve, ...(approve ? { commission: v.commission!.trim() } : { reason: v.reason?.trim() }) });
            message.success(r.status === 'approved' ? `已通过，门店 ${r.storeId} 已创建` : '已驳回');
            setReviewing(null);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormRadio.Group name="decision" label="审核结果" options={[{ label: '通过', value: 'approve' }, { label: '驳回', value: 'reject' }]} />
        <ProFormText name="commission" label="平台佣金比例" fieldProps={{ suffix: '%' }} rules={[ratioRule(false, 100)]} tooltip="通过时必填：门店每笔收款中平台的佣金" />
        <ProFormTextArea name="reason" label="驳回原因" fieldProps={{ maxLength: 200 }} />
      </ModalForm>
    </>
  );
}
