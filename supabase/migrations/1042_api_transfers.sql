-- WeChat transfers of approved withdrawals (jobs sends them, transfer-notify confirms).

/** Approved withdrawals to pay by WeChat transfer (jobs), once their backoff is over (1400_ops_wechat_retries.sql). */
create or replace function app.transfers_to_send(p_limit integer default 50)
returns table (id text, openid text, net bigint, send_attempts integer)
language sql stable
security definer
set search_path = ''
as $$
  select w.id, pr.openid, w.net, w.send_attempts from app.withdrawals w join app.profiles pr on pr.member_id = w.member_id
  where w.status = 'approved' and (w.next_attempt_at is null or w.next_attempt_at <= now())
  order by w.reviewed_at, w.id limit p_limit
$$;

create or replace function app.transfer_started(p_id text, p_bill_no text, p_package_info text) returns void
language sql
security definer
set search_path = ''
as $$
  update app.withdrawals set status = 'paying', transfer_bill_no = p_bill_no, package_info = p_package_info
  where id = p_id and status = 'approved'
$$;

/**
 * MCHTRANSFER.BILL.FINISHED: SUCCESS pays the withdrawal out (net to the
 * user, fee to the platform); FAIL / CANCELLED returns the amount to the
 * available wallet. Idempotent by withdrawal status under its row lock.
 */
create or replace function app.confirm_transfer(p_out_bill_no text, p_bill_no text, p_state text, p_amount bigint) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  w app.withdrawals;
begin
  select * into w from app.withdrawals where id = p_out_bill_no for update;
  if not found then
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('unknown_transfer', p_out_bill_no, jsonb_build_object('state', p_state, 'amount', p_amount));
    return 'anomaly:unknown_transfer';
  end if;
  if w.status in ('paid', 'failed', 'rejected') then
    -- The same outcome again is WeChat repeating itself; the opposite one is
    -- a contradiction for an operator (the recorded outcome stands).
    if (w.status = 'paid' and p_state in ('FAIL', 'CANCELLED')) or (w.status <> 'paid' and p_state = 'SUCCESS') then
      insert into app.payment_anomalies (kind, out_trade_no, detail)
      values ('transfer_state_conflict', p_out_bill_no, jsonb_build_object('state', p_state, 'recorded', w.status, 'amount', p_amount));
      return 'anomaly:transfer_state_conflict';
    end if;
    return 'duplicate';
  end if;
  if p_state = 'SUCCESS' then
    if p_amount is distinct from w.net then
      insert into app.payment_anomalies (kind, out_trade_no, detail)
      values ('transfer_amount_mismatch', p_out_bill_no, jsonb_build_object('amount', p_amount, 'expected', w.net));
      return 'anomaly:transfer_amount_mismatch';
    end if;
    perform ledger.transfer('withdraw-paid:' || w.id, 'withdraw-paid', array[
      row('withdrawals:pending', 'CNY', -w.amount)::ledger.leg,
      row('world', 'CNY', w.net)::ledger.leg,
      row('revenue:fees', 'CNY', w.fee)::ledger.leg]);
    update app.withdrawals set status = 'paid', paid_at = now(), transfer_bill_no = coalesce(p_bill_no, transfer_bill_no) where id = w.id;
    perform app.notify(w.member_id, 'withdrawalResult', '提现到账',
      format('提现 ¥%s 已转入微信零钱。', to_char(w.net / 100.0, 'FM999999999990.00')), '/packages/wallet/pages/index/index',
      'withdrawal:' || w.id);
    return 'paid';
  elsif p_state in ('FAIL', 'CANCELLED') then
    perform ledger.transfer('withdraw-return:' || w.id, 'withdraw-return', array[
      row('withdrawals:pending', 'CNY', -w.amount)::ledger.leg,
      row(coalesce(w.source_account, 'wallet:' || w.member_id || ':available'), 'CNY', w.amount)::ledger.leg]);
    update app.withdrawals set status = 'failed', reject_reason = case p_state when 'CANCELLED' then '转账已撤销' else '转账失败' end
    where id = w.id;
    perform app.notify(w.member_id, 'withdrawalResult', '提现未成功',
      format('提现 ¥%s 未能到账，金额已退回余额。', to_char(w.amount / 100.0, 'FM999999999990.00')), '/packages/wallet/pages/index/index',
      'withdrawal:' || w.id);
    return 'returned';
  end if;
  return 'ignored';
end
$$;
