-- Admin actions: orders (list with filters; detail with lines, payment,
-- refund, queue entries and the ledger postings of the order's transfers),
-- the refund and withdrawal review queues (app.review_refund /
-- app.review_withdrawal of 1046, shared with the api's member operators:
-- one rule, one place), and the payment anomaly queue.

alter table app.payment_anomalies
  add column resolved_by uuid references ops.operators (id),
  add column note text check (char_length(note) <= 200);

create or replace function ops.refund_json(r app.refunds) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('outRefundNo', r.out_refund_no, 'orderId', r.order_id, 'memberId', o.member_id,
    'memberName', ops.member_name(o.member_id), 'amount', r.amount, 'reason', r.reason, 'status', r.status,
    'rejectReason', r.reject_reason, 'createdAt', r.created_at, 'reviewedAt', r.reviewed_at)
  from app.orders o where o.id = r.order_id
$$;

create or replace function ops.withdrawal_json(w app.withdrawals) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('withdrawalId', w.id, 'memberId', w.member_id, 'memberName', ops.member_name(w.member_id),
    'amount', w.amount, 'fee', w.fee, 'net', w.net, 'status', w.status, 'rejectReason', w.reject_reason,
    'createdAt', w.created_at, 'reviewedAt', w.reviewed_at)
$$;

create or replace function ops.anomaly_json(a app.payment_anomalies) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', a.id::text, 'kind', a.kind, 'outTradeNo', a.out_trade_no, 'transactionId', a.transaction_id,
    'detail', a.detail, 'createdAt', a.created_at, 'resolvedAt', a.resolved_at,
    'resolvedBy', (select o.name from ops.operators o where o.id = a.resolved_by), 'note', a.note)
$$;

-- ---------------------------------------------------------------- orders

create or replace function admin.orders_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_from timestamptz;
  v_to timestamptz;
begin
  perform ops.authorize('canViewOrders');
  pg := ops.page(p);
  if ops.has(p, 'from') then v_from := util.expect_instant(p -> 'from', 'from'); end if;
  if ops.has(p, 'to') then v_to := util.expect_instant(p -> 'to', 'to'); end if;
  return (
    with f as (
      select o.* from app.orders o
      where (ops.opt_text(p, 'status') is null or o.status = p ->> 'status')
        and (ops.opt_text(p, 'kind') is null or o.kind = p ->> 'kind')
        and (ops.opt_text(p, 'memberId') is null or o.member_id = p ->> 'memberId')
        and (ops.opt_text(p, 'storeId') is null or o.store_id = p ->> 'storeId')
        and (ops.opt_text(p, 'orderId') is null or o.id = p ->> 'orderId')
        and (v_from is null or o.created_at >= v_from)
        and (v_to is null or o.created_at < v_to))
    select jsonb_build_object(
      'items', coalesce((select jsonb_agg(ops.order_row(x) order by x.created_at desc, x.id)
                         from (select * from f order by created_at desc, id limit pg.lim offset pg.off) x), '[]'),
      'total', (select count(*) from f)));
end
$$;

create or replace function admin.orders_detail(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  o app.orders;
begin
  perform ops.authorize('canViewOrders');
  select * into o from app.orders where id = p ->> 'id';
  if not found then perform app.not_found('id', '订单不存在'); end if;
  return jsonb_build_object('order', ops.order_row(o) || jsonb_build_object(
    'lines', coalesce((select jsonb_agg(jsonb_build_object('line', l.line, 'kind', l.kind, 'itemId', l.item_id, 'title', l.title,
                         'price', l.price, 'quantity', l.quantity, 'amount', l.amount, 'deducted', l.deducted, 'paid', l.paid) order by l.line)
                       from app.order_lines l where l.order_id = o.id), '[]'),
    'deductions', jsonb_build_object('pointsUsed', o.points_used, 'pointsDeduction', o.points_deduction, 'loveUsed', o.love_used,
                                     'loveDeduction', o.love_deduction, 'couponDeduction', o.coupon_deduction),
    'payment', (select jsonb_build_object('outTradeNo', pm.out_trade_no, 'status', pm.status, 'amount', pm.amount,
                         'transactionId', pm.transaction_id, 'paidAt', pm.paid_at) from app.payments pm where pm.order_id = o.id),
    'refund', (select ops.refund_json(r) from app.refunds r where r.order_id = o.id),
    'entries', coalesce((select jsonb_agg(ops.entry_json(e) order by e.line) from rebate.entries e where e.order_id = o.id), '[]'),
    -- Every posting of the transfers that moved this order's escrow (payment, completion, refund).
    'ledger', coalesce((
      select jsonb_agg(jsonb_build_object('transferId', t.id::text, 'key', t.idempotency_key, 'kind', t.kind, 'account', a.code,
                         'currency', a.currency, 'amount', e.amount, 'at', e.created_at) order by e.id)
      from (select distinct e0.transfer_id from ledger.entries e0
            where e0.account_id = (select a0.id from ledger.accounts a0 where a0.code = 'escrow:order:' || o.id)) tr
      join ledger.transfers t on t.id = tr.transfer_id
      join ledger.entries e on e.transfer_id = t.id
      join ledger.accounts a on a.id = e.account_id), '[]'),
    'completedAt', o.completed_at, 'remark', o.remark));
end
$$;

-- ---------------------------------------------------------------- refunds

create or replace function admin.refunds_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_status text := ops.opt_text(p, 'status');
begin
  perform ops.authorize('canViewOrders');
  pg := ops.page(p);
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(ops.refund_json(r) order by r.created_at, r.out_refund_no)
                       from (select * from app.refunds r
                             where (v_status is null and r.status = 'pending' and r.reviewed_at is null) or r.status = v_status
                             order by r.created_at, r.out_refund_no limit pg.lim offset pg.off) r), '[]'),
    'total', (select count(*) from app.refunds r
              where (v_status is null and r.status = 'pending' and r.reviewed_at is null) or r.status = v_status));
end
$$;

create or replace function admin.refunds_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r jsonb;
begin
  perform ops.authorize('canReviewRefunds');
  r := app.review_refund(p);
  perform ops.audit('refunds.review', 'refund', p ->> 'outRefundNo', jsonb_build_object('status', 'pending'),
    r || jsonb_build_object('approve', p -> 'approve', 'reason', p -> 'reason'));
  return r;
end
$$;

-- ---------------------------------------------------------------- withdrawals

create or replace function admin.withdrawals_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_status text := coalesce(ops.opt_text(p, 'status'), 'reviewing');
begin
  perform ops.authorize('canViewWithdrawals');
  pg := ops.page(p);
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(ops.withdrawal_json(w) order by w.created_at, w.id)
                       from (select * from app.withdrawals w where w.status = v_status
                             order by w.created_at, w.id limit pg.lim offset pg.off) w), '[]'),
    'total', (select count(*) from app.withdrawals w where w.status = v_status));
end
$$;

create or replace function admin.withdrawals_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r jsonb;
begin
  perform ops.authorize('canReviewWithdrawals');
  r := app.review_withdrawal(p);
  perform ops.audit('withdrawals.review', 'withdrawal', p ->> 'withdrawalId', jsonb_build_object('status', 'reviewing'),
    r || jsonb_build_object('approve', p -> 'approve', 'reason', p -> 'reason'));
  return r;
end
$$;

-- ---------------------------------------------------------------- anomalies

create or replace function admin.anomalies_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_resolved boolean := case when ops.has(p, 'resolved') then util.expect_boolean(p -> 'resolved', 'resolved') else false end;
begin
  perform ops.authorize('canViewOrders');
  pg := ops.page(p);
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(ops.anomaly_json(a) order by a.id desc)
                       from (select * from app.payment_anomalies a where (a.resolved_at is not null) = v_resolved
                             order by a.id desc limit pg.lim offset pg.off) a), '[]'),
    'total', (select count(*) from app.payment_anomalies a where (a.resolved_at is not null) = v_resolved));
end
$$;

create or replace function admin.anomalies_resolve(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me uuid := ops.authorize('canResolveAnomalies');
  a app.payment_anomalies;
  v_note text;
begin
  if coalesce(p ->> 'id', '') !~ '^\d{1,18}$' then perform util.fail('id', 'must be a whole number'); end if;
  v_note := trim(util.expect_string(p -> 'note', 'note', 200));
  select * into a from app.payment_anomalies where id = (p ->> 'id')::bigint for update;
  if not found then perform app.not_found('id', '异常记录不存在'); end if;
  if a.resolved_at is not null then perform app.conflict('该异常已处理', 'already_resolved', 'id'); end if;
  update app.payment_anomalies set resolved_at = now(), resolved_by = v_me, note = v_note where id = a.id returning * into a;
  perform ops.audit('anomalies.resolve', 'paymentAnomaly', a.id::text, null, jsonb_build_object('note', v_note));
  return jsonb_build_object('anomaly', ops.anomaly_json(a));
end
$$;
