-- Clearing notifications (1044_api_outbox.sql, SPEC §3.2 / §7): clearing
-- coming (app.notify_clearing_soon) once per member and occurrence, a lead
-- time before it, only to members with waiting entries, a subscribe message
-- where subscribed; clearing done (app.notify_clearing_done) once per member
-- with the number of entries and the amount voided; privileges.
begin;
select plan(31);

create function pg_temp.buy(p_id text, p_user text, p_paid bigint, p_at text) returns void language sql as $$
  select orders.pay_order(jsonb_build_object('id', p_id, 'user', p_user, 'at', p_at,
    'lines', jsonb_build_array(jsonb_build_object('product', 'p1', 'paid', p_paid))))
$$;
create function pg_temp.set(p jsonb) returns void language sql as $$ select null from rebate.update_settings(p, 'ops') $$;
create function pg_temp.msgs(p_member text, p_kind text) returns bigint language sql as $$
  select count(*) from app.inbox where member_id = p_member and kind = p_kind
$$;
create function pg_temp.data(p_member text, p_kind text) returns jsonb language sql as $$
  select data from app.inbox where member_id = p_member and kind = p_kind order by id desc limit 1
$$;

select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['A', 'B', 'C', 'D']) u;
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":0}');
-- Extraction 10%, entitlement 100%, strict order, settled at payment (the defaults).
select pg_temp.buy('o1', 'A', 1000, '2026-01-01T10:00:00+08:00');
select pg_temp.buy('o2', 'B', 1000, '2026-01-01T10:05:00+08:00');
select pg_temp.buy('o3', 'A', 2000, '2026-01-01T10:10:00+08:00');
select pg_temp.buy('o4', 'C', 500, '2026-01-01T10:15:00+08:00');
select orders.refund_order('o4', '2026-01-01T11:00:00+08:00');
select rebate.process_pending(10000);
select is((select string_agg(concat_ws(' ', order_id, entitlement, paid, status), ', ' order by id) from rebate.entries),
  'o1 1000 350 waiting, o2 1000 0 waiting, o3 2000 0 waiting, o4 500 0 cancelled',
  'A waits with 650 + 2000 unpaid, B with 1000, C has no waiting entry');
insert into app.subscriptions (member_id, kind, credits) values ('A', 'clearingSoon', 1), ('A', 'clearingDone', 1);

-- Clearing coming --------------------------------------------------------------
select is(app.notify_clearing_soon('2026-01-01T12:00:00+08:00'), 0, 'clearing off: no notice');
select pg_temp.set('{"clearing":{"on":true,"schedule":"2026-01-03T00:00:00+08:00"}}');
select is(app.clearing_notice_lead(), interval '24 hours', 'the lead time is 24 h');
select is(app.notify_clearing_soon('2026-01-01T12:00:00+08:00'), 0, 'an occurrence more than the lead ahead: no notice yet');
select pg_temp.set('{"clearing":{"schedule":"daily 00:00"}}');
select is(app.notify_clearing_soon('2026-01-01T12:00:00+08:00'), 2, 'the next occurrence (01-02 00:00) within 24 h: A and B are told');
select is(pg_temp.msgs('A', 'clearingSoon') || ' ' || pg_temp.msgs('B', 'clearingSoon') || ' ' || pg_temp.msgs('C', 'clearingSoon'), '1 1 0',
  'one message each; none to C, who has no waiting entry');
select is(pg_temp.data('A', 'clearingSoon'), jsonb_build_object('at', '2026-01-02T00:00:00+08:00'::timestamptz, 'entries', 2, 'amount', 2650),
  'A: the occurrence, 2 waiting entries, 2650 fen still unpaid');
select is((select concat_ws(' | ', title, body, link) from app.inbox where member_id = 'B' and kind = 'clearingSoon'),
  '队列奖励即将清零 | 1 笔排队权益待返 ¥10.00，将于 01-02 00:00 清零作废（已到账的返还不受影响）。 | /pages/queue/index',
  'B''s message in Chinese, money in yuan, Shanghai time');
select is((select count(*) from app.outbox where member_id = 'A' and kind = 'clearingSoon'), 1::bigint, 'A subscribed: one subscribe message');
select is((select count(*) from app.outbox where member_id = 'B'), 0::bigint, 'B did not subscribe: inbox only');
select is((select credits from app.subscriptions where member_id = 'A' and kind = 'clearingSoon'), 0, 'A''s credit is used');
select is(app.notify_clearing_soon('2026-01-01T12:01:00+08:00'), 0, 'a repeated tick tells nobody again');
select is(app.notify_clearing_soon('2026-01-01T20:00:00+08:00'), 0, '... nor a later one before the clearing');
select is(pg_temp.msgs('A', 'clearingSoon') + pg_temp.msgs('B', 'clearingSoon'), 2::bigint, 'still one message each');
select pg_temp.buy('o5', 'D', 3000, '2026-01-01T21:00:00+08:00');
select pg_temp.buy('o6', 'A', 100, '2026-01-01T21:05:00+08:00');
select rebate.process_pending(10000);
select is(app.notify_clearing_soon('2026-01-01T21:10:00+08:00'), 1, 'a member who joins inside the window is told (D), A not twice');
select is(pg_temp.msgs('D', 'clearingSoon') || ' ' || pg_temp.msgs('A', 'clearingSoon'), '1 1', 'D once, A still once');

-- Clearing done ----------------------------------------------------------------
create temp table expected as
  select member_id, count(*) as entries, sum(entitlement - paid)::bigint as amount
  from rebate.entries where status = 'waiting' group by member_id;
select is(app.notify_clearing_done(), 0, 'no clearing yet: nothing to tell');
select is(rebate.tick('2026-01-02T00:01:00+08:00') ->> 'cleared', '5', 'the clearing voids the 5 waiting entries');
select is(app.notify_clearing_done(), 3, 'A, B and D are told');
select is((select string_agg(concat_ws(' ', member_id, data ->> 'entries', data ->> 'amount'), ', ' order by member_id)
           from app.inbox where kind = 'clearingDone'),
  (select string_agg(concat_ws(' ', member_id, entries, amount), ', ' order by member_id) from expected),
  'each with the number of entries and the amount voided');
select is((select concat_ws(' | ', data ->> 'entries', data ->> 'amount', body) from app.inbox where member_id = 'B' and kind = 'clearingDone'),
  '1 | 1000 | 1 笔排队权益待返 ¥10.00，已于 01-02 00:00 清零作废（已到账的返还不受影响）。',
  'B: 1 entry, 1000 fen');
select is((select sum(voided) from app.clearing_voided), (select sum(entitlement - paid) from rebate.entries where status = 'cleared')::numeric,
  'every cleared entry is noted once with what it voided');
select is((select count(*) from app.outbox where member_id = 'A' and kind = 'clearingDone'), 1::bigint, 'A subscribed to clearingDone too');
select is(app.notify_clearing_done(), 0, 'called again: nothing twice');
select rebate.tick('2026-01-02T00:02:00+08:00');
select is(app.notify_clearing_done(), 0, 'a repeated tick: nothing twice');
select is((select count(*) from app.inbox where kind = 'clearingDone'), 3::bigint, 'one clearingDone message per member');
select is(app.notify_clearing_soon('2026-01-02T00:03:00+08:00'), 0, 'the next occurrence: nobody waits, nobody is told');

-- The next occurrence is a new notice and a new done message.
select pg_temp.buy('o7', 'A', 400, '2026-01-02T10:00:00+08:00');
select rebate.process_pending(10000);
select is(app.notify_clearing_soon('2026-01-02T10:01:00+08:00') || ' ' || pg_temp.msgs('A', 'clearingSoon'), '1 2',
  'A is told again for the next occurrence (once per member and occurrence)');
select rebate.tick('2026-01-03T00:00:00+08:00');
select is(app.notify_clearing_done(), 1, 'and told what the next clearing voided');
select is(pg_temp.data('A', 'clearingDone'), jsonb_build_object('at', '2026-01-03T00:00:00+08:00'::timestamptz, 'entries', 1, 'amount', 400),
  '1 entry, 400 fen, at that occurrence');

-- Privileges ---------------------------------------------------------------------
select ok(not has_function_privilege('authenticated', 'app.notify_clearing_soon(timestamptz)', 'execute')
      and not has_function_privilege('anon', 'app.notify_clearing_done()', 'execute')
      and has_function_privilege('service_role', 'app.notify_clearing_done()', 'execute'), 'only the service role runs them');

select * from finish();
rollback;
