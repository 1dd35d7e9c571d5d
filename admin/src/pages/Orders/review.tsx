// Approve / reject buttons of the review queues: approve asks for a
// confirmation, reject for a reason.
import { App, Button, Input, Popconfirm, Space } from 'antd';
import { useState } from 'react';

export function ReviewButtons({ id, onApprove, onReject, what }: { id: string; what: string; onApprove: () => Promise<unknown>; onReject: (reason: string) => Promise<unknown> }) {
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await f();
      message.success(ok);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space>
      <Popconfirm title={`确认通过该${what}？`} okText="通过" cancelText="取消" onConfirm={() => run(onApprove, '已通过')} okButtonProps={{ 'data-testid': `approve-confirm-${id}` } as never}>
        <Button type="link" size="small" loading={busy} data-testid={`approve-${id}`}>
          通过
        </Button>
      </Popconfirm>
      <Button
        type="link"
        size="small"
        danger
        disabled={busy}
        onClick={() => {
          let reason = '';
          modal.confirm({
            title: `驳回${what}`,
            content: <Input.TextArea rows={3} placeholder="驳回原因（会告知用户）" onChange={(e) => (reason = e.target.value)} />,
            okText: '驳回',
            okButtonProps: { danger: true },
            cancelText: '取消',
            onOk: () => run(() => onReject(reason.trim()), '已驳回'),
          });
        }}
      >
        驳回
      </Button>
    </Space>
  );
}
