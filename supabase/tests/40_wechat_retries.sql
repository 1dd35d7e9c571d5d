-- Requests to WeChat (1400_ops_wechat_retries.sql): the backoff, claiming
-- an attempt of a refund / transfer (counted, pushed out, never twice at
-- once), recording its error, bad input refused naming the field with
-- nothing changed, and app.stuck_work: what an operator sees and why.
begin;
select plan(27);

select members.upsert_member('{"id": "M1"}');
insert into auth.users (id) values ('00000000-0000-4000-8000-000000000001');
insert into app.profiles (member_id, auth_user_id, openid, invite_code)
values ('M1', '00000000-0000-4000-8000-000000000001', 'o-test-m1', 'ABCDEF');
insert into app.orders (id, member_id, kind, status, goods_total, payable, platform, expires_at, paid_at)
values ('order01', 'M1', 'mall', 'refunding', 1000, 1000, 'h5', now(), now() - interval '1 hour'),
       ('order02', 'M1', 'mall', 'refunded', 1000, 1000, 'h5', now(), now() - interval '1 hour');
insert into app.refunds (out_refund_no, order_id, amount, reason, status)
values ('Rorder01', 'order01', 1000, '测试', 'pending'), ('Rorder02', 'order02', 1000, '测试', 'succeeded');
insert into app.withdrawals (id, member_id, amount, fee, net, status, reviewed_at)
values ('W00001', 'M1', 500, 0, 500, 'approved', now());

-- Backoff ---------------------------------------------------------------------
select is(app.wechat_retry_backoff(1), interval '15 seconds', 'first retry after 15 s');
select is(app.wechat_retry_backoff(2), interval '30 seconds', 'then 30 s');
select is(app.wechat_retry_backoff(4), interval '2 minutes', 'doubling');
select is(app.wechat_retry_backoff(40), interval '1 hour', 'at most an hour');
insert into app.job_state (key, value) values ('wechat_retry_base_ms', 400);
select is(app.wechat_retry_backoff(2), interval '0.8 seconds', 'the base comes from app.job_state (tests shorten it)');
delete from app.job_state where key = 'wechat_retry_base_ms';

-- Claims ----------------------------------------------------------------------
select is(app.wechat_request_claim('refund', 'Rorder01'), 1, 'the first attempt of a refund');
select is((select (send_attempts, next_attempt_at - last_attempt_at)::text from app.refunds where out_refund_no = 'Rorder01'),
  '(1,00:00:15)', 'counted, next attempt 15 s later');
select is(app.wechat_request_claim('refund', 'Rorder01'), null, 'not due again before its backoff: a second run does not send it too');
update app.refunds set next_attempt_at = now() - interval '1 second' where out_refund_no = 'Rorder01';
select is(app.wechat_request_claim('refund', 'Rorder01'), 2, 'due again: attempt 2 (query WeChat first)');
select is((select next_attempt_at - last_attempt_at from app.refunds where out_refund_no = 'Rorder01'), interval '30 seconds', 'backing off');
select is(app.wechat_request_claim('refund', 'Rorder02'), null, 'a refund no longer pending is not claimed');
select is(app.wechat_request_claim('refund', 'nope'), null, 'an unknown refund is not claimed');
select is(app.wechat_request_claim('transfer', 'W00001'), 1, 'the first attempt of a transfer');
select is(app.wechat_request_claim('transfer', 'W00001'), null, '... not twice at once');
select is((select array_agg(id) from app.transfers_to_send(50)), null, 'transfers_to_send skips it during its backoff');
update app.withdrawals set next_attempt_at = now() where id = 'W00001';
select is((select array_agg(id) from app.transfers_to_send(50)), array['W00001'], '... and offers it once due');

-- Bad input: named, nothing changed --------------------------------------------
select throws_ok($$select app.wechat_request_claim('payment', 'Rorder01')$$, '22023', 'p_kind: must be refund or transfer', 'an unknown kind is refused');
select throws_ok($$select app.wechat_request_claim(null, 'Rorder01')$$, '22023', 'p_kind: must be refund or transfer', '... and a NULL one');
select throws_ok($$select app.wechat_request_claim('refund', null)$$, '22023', 'p_id: required', 'a NULL id is refused');
select throws_ok($$select app.wechat_request_error('refund', null, 'x')$$, '22023', 'p_id: required', '... by the error recorder too');
select throws_ok($$select app.wechat_request_error('x', 'Rorder01', 'x')$$, '22023', 'p_kind: must be refund or transfer', '... with its kind');
select is((select (send_attempts, last_error)::text from app.refunds where out_refund_no = 'Rorder01'), '(2,)', 'nothing changed by the refused calls');

-- Errors and what is stuck -------------------------------------------------------
select app.wechat_request_error('refund', 'Rorder01', 'POST /v3/refund/domestic/refunds: SYSTEM_ERROR ' || repeat('x', 600));
select is((select char_length(last_error) from app.refunds where out_refund_no = 'Rorder01'), 500, 'the last error is kept, cut to 500 characters');
insert into app.payment_anomalies (kind, out_trade_no, detail) values ('unknown_refund', 'Rnobody', '{}');
select is(
  (select array_agg(kind || ' ' || ref || ' ' || coalesce(attempts::text, '-') order by kind, ref) from app.stuck_work('0 seconds')),
  array['anomaly Rnobody -', 'refund Rorder01 2', 'transfer W00001 1'],
  'stuck: the failing refund and transfer with their attempts, the unresolved anomaly; not the finished refund');
select matches((select why || ' / ' || last_error from app.stuck_work('0 seconds') where ref = 'Rorder01'),
  '^退款请求未被微信受理.* / POST /v3/refund/domestic/refunds: SYSTEM_ERROR', 'with why and the last error');
select throws_ok($$select * from app.stuck_work(null)$$, '22023', 'p_older_than: required', 'a NULL age is refused');

-- Grants -----------------------------------------------------------------------
select ok(not has_function_privilege('authenticated', 'app.stuck_work(interval)', 'execute')
      and not has_function_privilege('anon', 'app.wechat_request_claim(text, text)', 'execute')
      and not has_function_privilege('authenticated', 'app.wechat_request_error(text, text, text)', 'execute')
      and has_function_privilege('service_role', 'app.stuck_work(interval)', 'execute')
      and has_function_privilege('service_role', 'app.wechat_request_claim(text, text)', 'execute'),
  'service_role only');

select * from finish();
rollback;
