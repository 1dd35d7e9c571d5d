-- Operator reviews: withdrawals, merchant applications, refunds.

create or replace function api.admin_withdrawals(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform app.require_operator(array['admin', 'finance']);
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object('withdrawalId', w.id, 'memberId', w.member_id, 'amount', w.amount, 'fee', w.fee,
             'net', w.net, 'status', w.status, 'createdAt', w.created_at) order by w.created_at)
    from app.withdrawals w where w.status = coalesce(p ->> 'status', 'reviewing')), '[]'));
end
$$;

/**
 * Approves (the transfer is sent by the caller / jobs) or rejects (money back to the wallet) a withdrawal under review.
 * No caller check: api.admin_withdrawal_review (member operators) and the console's admin.* (ops.authorize) check first.
 */
create or replace function app.review_withdrawal(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w app.withdrawals;
begin
  select * into w from app.withdrawals where id = p ->> 'withdrawalId' for update;
  if not found then
    perform app.not_found('withdrawalId', '提现申请不存在');
  end if;
  if w.status <> 'reviewing' then
    perform app.conflict('该申请已审核', 'already_reviewed', 'withdrawalId');
  end if;
  if jsonb_typeof(p -> 'approve') is distinct from 'boolean' then
    perform app.bad('approve', '须为 true 或 false');
  end if;
  if (p ->> 'approve')::boolean then
    update app.withdrawals set status = 'approved', reviewed_at = now() where id = w.id;
  else
    if coalesce(trim(p ->> 'reason'), '') = '' then
      perform app.bad('reason', '请填写驳回原因');
    end if;
    perform ledger.transfer('withdraw-return:' || w.id, 'withdraw-return', array[
      row('withdrawals:pending', 'CNY', -w.amount)::ledger.leg,
      row(coalesce(w.source_account, 'wallet:' || w.member_id || ':available'), 'CNY', w.amount)::ledger.leg]);
    update app.withdrawals set status = 'rejected', reviewed_at = now(), reject_reason = trim(p ->> 'reason') where id = w.id;
    perform app.notify(w.member_id, 'withdrawalResult', '提现被驳回',
      format('提现 ¥%s 未通过审核：%s。金额已退回余额。', to_char(w.amount / 100.0, 'FM999999999990.00'), trim(p ->> 'reason')),
      '/packages/wallet/pages/index/index', 'withdrawal:' || w.id);
  end if;
  return jsonb_build_object('withdrawalId', w.id, 'status', (select status from app.withdrawals where id = w.id));
end
$$;

create or replace function api.admin_withdrawal_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform app.require_operator(array['admin', 'finance']);
  return app.review_withdrawal(p);
end
$$;

/**
 * Approves (creates the store and one cashier) or rejects a merchant application.
 * No caller check: api.admin_merchant_review (member operators) and the console's admin.* (ops.authorize) check first.
 */
create or replace function app.review_merchant(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  a app.merchant_applications;
  v_store text;
  v_cashier text;
begin
  select * into a from app.merchant_applications where id = p ->> 'applicationId' for update;
  if not found then
    perform app.not_found('applicationId', '申请不存在');
  end if;
  if a.status <> 'pending' then
    perform app.conflict('该申请已审核', 'already_reviewed', 'applicationId');
  end if;
  if jsonb_typeof(p -> 'approve') is distinct from 'boolean' then
    perform app.bad('approve', '须为 true 或 false');
  end if;
  if (p ->> 'approve')::boolean then
    v_store := 's' || lower(app.random_code(10));
    v_cashier := 'c' || lower(app.random_code(10));
    perform catalog.upsert_store(jsonb_strip_nulls(jsonb_build_object('id', v_store,
      'commission', coalesce(p ->> 'commission', '10'), 'recruiter', a.recruiter_member_id)));
    insert into app.stores (store_id, name, address, phone, owner_member_id) values (v_store, a.store_name, a.address, a.phone, a.member_id);
    perform catalog.upsert_cashier(jsonb_build_object('id', v_cashier, 'store', v_store));
    insert into app.cashiers (cashier_id, name) values (v_cashier, '收银台1');
    update app.merchant_applications set status = 'approved', reviewed_at = now(), store_id = v_store where id = a.id;
  else
    update app.merchant_applications set status = 'rejected', reviewed_at = now(), reject_reason = coalesce(p ->> 'reason', '') where id = a.id;
  end if;
  perform app.notify(a.member_id, 'merchantReview', case when (p ->> 'approve')::boolean then '商家入驻已通过' else '商家入驻未通过' end,
    case when (p ->> 'approve')::boolean then format('「%s」已开通，可在商家中心查看收银码。', a.store_name)
         else format('「%s」的入驻申请未通过：%s', a.store_name, coalesce(p ->> 'reason', '')) end,
    '/packages/merchant/pages/index/index', 'merchant:' || a.id);
  return jsonb_build_object('applicationId', a.id, 'status', (select status from app.merchant_applications where id = a.id), 'storeId', v_store);
end
$$;

create or replace function api.admin_merchant_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform app.require_operator(array['admin']);
  return app.review_merchant(p);
end
$$;

/**
 * Approves (the refund is sent by the caller / jobs) or rejects (the order goes back to paid) a refund request.
 * No caller check: api.admin_refund_review (member operators) and the console's admin.* (ops.authorize) check first.
 */
create or replace function app.review_refund(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r app.refunds;
begin
  select * into r from app.refunds where out_refund_no = p ->> 'outRefundNo';
  if not found then
    perform app.not_found('outRefundNo', '退款申请不存在');
  end if;
  perform 1 from app.orders where id = r.order_id for update;
  select * into r from app.refunds where out_refund_no = r.out_refund_no for update;
  if r.status <> 'pending' or r.reviewed_at is not null then
    perform app.conflict('该申请已审核', 'already_reviewed', 'outRefundNo');
  end if;
  if jsonb_typeof(p -> 'approve') is distinct from 'boolean' then
    perform app.bad('approve', '须为 true 或 false');
  end if;
  if (p ->> 'approve')::boolean then
    update app.refunds set reviewed_at = now() where out_refund_no = r.out_refund_no;
  else
    update app.refunds set status = 'rejected', reviewed_at = now(), reject_reason = coalesce(p ->> 'reason', '') where out_refund_no = r.out_refund_no;
    update app.orders set status = 'paid' where id = r.order_id and status = 'refunding';
  end if;
  return jsonb_build_object('outRefundNo', r.out_refund_no, 'status', (select status from app.refunds where out_refund_no = r.out_refund_no));
end
$$;

create or replace function api.admin_refund_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform app.require_operator(array['admin', 'support']);
  return app.review_refund(p);
end
$$;
