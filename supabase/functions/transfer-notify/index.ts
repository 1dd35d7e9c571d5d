// WeChat Pay transfer notify (MCHTRANSFER.BILL.FINISHED): a withdrawal is
// paid (SUCCESS) or its amount returns to the wallet (FAIL / CANCELLED).
import { notifyHandler } from '../_shared/notify.ts';
import type { TransferNotice } from '../_shared/wechat/index.ts';

Deno.serve(
  notifyHandler<TransferNotice>('transfer-notify', async (tx, envelope, t) => {
    if (envelope.event_type !== 'MCHTRANSFER.BILL.FINISHED') return `ignored ${envelope.event_type}`;
    const [{ r }] = await tx`select app.confirm_transfer(${t.out_bill_no}, ${t.transfer_bill_no}, ${t.state}, ${t.transfer_amount}) as r`;
    return r as string;
  }),
);
