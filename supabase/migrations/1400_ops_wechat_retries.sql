-- Requests to WeChat that move money (refunds, withdrawal transfers): each
-- attempt is claimed before it is sent, retried with backoff, and a retry
-- asks WeChat first whether the earlier attempt reached it (the request may
-- have arrived while its answer was lost). And what an operator reads to
-- see what is stuck and why (docs/reliability.md).

/**
 * Delay before attempt n + 1 after attempt n: 15 s doubling to at most 1 h
 * (base from app.job_state 'wechat_retry_base_ms' when set; tests shorten it).
 */
create or replace function app.wechat_retry_backoff(p_attempts integer) returns interval
language sql stable
security definer
set search_path = ''
as $$
  select least(
    make_interval(secs => coalesce((select value from app.job_state where key = 'wechat_retry_base_ms'), 15000) / 1000.0
                          * power(2, least(greatest(p_attempts - 1, 0), 12))),
    interval '1 hour')
$$;

/**
 * Claims the next attempt of a refund ('refund', out_refund_no) or a
 * withdrawal transfer ('transfer', withdrawal id) before it is sent: counts
 * it and moves next_attempt_at out by the backoff, so a crash or a lost
 * answer is retried later, and two runs never send the same row at once.
 * Returns the attempt number (1: nothing can have reached WeChat yet; more:
 * query WeChat before sending again), or null when the row is not due (sent
 * meanwhile, or claimed by another run).
 */
create or replace function app.wechat_request_claim(p_kind text, p_id text) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v integer;
begin
  if p_id is null then
    raise exception using errcode = '22023', message = 'p_id: required', column = 'p_id';
  end if;
  if p_kind = 'refund' then
    update app.refunds set send_attempts = send_attempts + 1, last_attempt_at = now(),
                           next_attempt_at = now() + app.wechat_retry_backoff(send_attempts + 1)
    where out_refund_no = p_id and status = 'pending' and (next_attempt_at is null or next_attempt_at <= now())
    returning send_attempts into v;
  elsif p_kind = 'transfer' then
    update app.withdrawals set send_attempts = send_attempts + 1, last_attempt_at = now(),
                               next_attempt_at = now() + app.wechat_retry_backoff(send_attempts + 1)
    where id = p_id and status = 'approved' and (next_attempt_at is null or next_attempt_at <= now())
    returning send_attempts into v;
  else
    raise exception using errcode = '22023', message = 'p_kind: must be refund or transfer', column = 'p_kind';
  end if;
  return v;
end
$$;

/** Why the last attempt failed (kept for the operator; the backoff set by the claim stands). */
create or replace function app.wechat_request_error(p_kind text, p_id text, p_error text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_id is null then
    raise exception using errcode = '22023', message = 'p_id: required', column = 'p_id';
  end if;
  if p_kind = 'refund' then
    update app.refunds set last_error = left(p_error, 500) where out_refund_no = p_id;
  elsif p_kind = 'transfer' then
    update app.withdrawals set last_error = left(p_error, 500) where id = p_id;
  else
    raise exception using errcode = '22023', message = 'p_kind: must be refund or transfer', column = 'p_kind';
  end if;
end
$$;

/**
 * Work that is stuck, and why, oldest first: refunds and transfers WeChat
 * has not taken (with the last error and when the next attempt is due),
 * refunds and transfers WeChat took but never finished, payments the engine
 * refused, unresolved anomalies, queue operations not applied, messages that
 * failed. `p_older_than`: how long in-flight work may take before it counts.
 */
create or replace function app.stuck_work(p_older_than interval default interval '10 minutes')
returns table (kind text, ref text, status text, since timestamptz, attempts integer, next_attempt_at timestamptz, last_error text, why text)
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  if p_older_than is null then
    raise exception using errcode = '22023', message = 'p_older_than: required', column = 'p_older_than';
  end if;
  return query
  select * from (
    select 'refund', r.out_refund_no, r.status, coalesce(r.reviewed_at, r.created_at), r.send_attempts, r.next_attempt_at, r.last_error,
           case when r.send_attempts = 0 then '退款等待发送（审核后由 jobs 发送）'
                else '退款请求未被微信受理，将于 next_attempt_at 重试（先查询微信是否已收到）' end
    from app.refunds r
    where r.status = 'pending' and (r.send_attempts > 0 or r.created_at < now() - p_older_than)
      and (r.reviewed_at is not null
           or not coalesce((select (value #>> '{}')::boolean from app.site_content where key = 'refundReview'), false))
    union all
    select 'refund', r.out_refund_no, r.status, coalesce(r.last_attempt_at, r.reviewed_at, r.created_at), r.send_attempts, null, r.last_error,
           '微信已受理退款，尚未收到退款结果通知'
    from app.refunds r where r.status = 'processing' and coalesce(r.last_attempt_at, r.reviewed_at, r.created_at) < now() - p_older_than
    union all
    select 'refund', r.out_refund_no, r.status, r.created_at, r.send_attempts, null, coalesce(r.reject_reason, r.last_error),
           '退款失败（微信拒绝或异常），订单已恢复为已支付，需人工处理'
    from app.refunds r join app.orders o on o.id = r.order_id where r.status = 'failed' and o.status = 'paid'
    union all
    select 'transfer', w.id, w.status, coalesce(w.reviewed_at, w.created_at), w.send_attempts, w.next_attempt_at, w.last_error,
           '提现转账请求未被微信受理，将于 next_attempt_at 重试（先查询微信是否已收到）'
    from app.withdrawals w where w.status = 'approved' and (w.send_attempts > 0 or w.reviewed_at < now() - p_older_than)
    union all
    select 'transfer', w.id, w.status, coalesce(w.last_attempt_at, w.reviewed_at), w.send_attempts, null, w.last_error,
           '转账已发起，等待用户确认收款或微信结果通知'
    from app.withdrawals w where w.status = 'paying' and coalesce(w.last_attempt_at, w.reviewed_at, w.created_at) < now() - p_older_than
    union all
    select 'payment', o.id, o.status, o.paid_at, null, null, null, '已收款但引擎拒绝结算（core_settled = false），需人工处理'
    from app.orders o where o.status = 'paid' and not o.core_settled
    union all
    select 'anomaly', coalesce(a.out_trade_no, a.id::text), a.kind, a.created_at, null, null, a.detail::text, '微信通知异常，未动资金，需人工核对'
    from app.payment_anomalies a where a.resolved_at is null
    union all
    select 'queue', q.order_id || '/' || q.line, q.kind, q.created_at, null, null, null, '队列操作未执行（jobs 处理积压）'
    from rebate.queue_ops q where q.processed_at is null and q.created_at < now() - interval '1 minute'
    union all
    select 'message', m.id::text, m.status, m.created_at, m.attempts, null, m.last_error, '订阅消息发送失败'
    from app.outbox m where m.status = 'failed'
  ) s (kind, ref, status, since, attempts, next_attempt_at, last_error, why)
  order by s.since nulls last, s.kind, s.ref;
end
$$;

revoke all on function app.wechat_retry_backoff(integer), app.wechat_request_claim(text, text), app.wechat_request_error(text, text, text),
  app.stuck_work(interval) from public, anon, authenticated;
grant execute on function app.wechat_retry_backoff(integer), app.wechat_request_claim(text, text), app.wechat_request_error(text, text, text),
  app.stuck_work(interval) to service_role;
