-- The console's union reads (1170_admin_union.sql): admin.union_summary,
-- admin.union_history, admin.union_run_report, admin.union_queue on a small
-- union scenario laid out relative to today (T = util.local_day(now())) so
-- "yesterday" and "the last 7 days" are the scenario's days; then the
-- refusals (no session, a role without canViewQueues, shoppers). Amounts
-- worked out by hand in the comments.
begin;
select plan(26);

create temp table ctx (k text primary key, v text);
grant all on ctx to operator, anon, authenticated;
insert into ctx values ('T', util.local_day(now())::text);
create temp view d as select (select v::date from ctx where k = 'T') as t;
grant select on d to operator;

-- Setup: union mode, pool 50%, direct 10%, acceleration 20%.
select from rebate.update_settings('{"mode":"union","unionPoolRatio":"50","distribution":{"on":true,"directRatio":"10","accelerationRatio":"20"}}', 'test');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":4000}');
select catalog.upsert_product('{"id":"p2","price":10000,"source":"supplier","cost":10000,"queue":{"minWaitDays":10}}');
select members.upsert_member('{"id":"R"}');
select members.upsert_member('{"id":"A","referrer":"R"}');
select members.upsert_member('{"id":"B"}');

-- Day T-3: o0, R buys p1 (profit 6000): seq 1, quota 11000.
-- o1, A (referred by R) buys p1 + p2: direct 2000 to R, acceleration 20% × 20000 = 4000 into seq 1 (7000 left);
-- net profit 6000 − 2000 − 4000 = 0. Seq 2 (p1, payable T-2), seq 3 (p2, minWaitDays 10: payable T+7).
select orders.pay_order(format('{"id":"o0","user":"R","at":"%sT09:00:00+08:00","lines":[{"product":"p1","paid":10000}]}', t - 3)::jsonb) from d;
select orders.complete_order('o0', ((t - 3) || 'T09:30:00+08:00')::timestamptz) from d;
select orders.pay_order(format('{"id":"o1","user":"A","at":"%sT10:00:00+08:00","lines":[{"product":"p1","paid":10000},{"product":"p2","paid":10000}]}', t - 3)::jsonb) from d;
select orders.complete_order('o1', ((t - 3) || 'T11:00:00+08:00')::timestamptz) from d;
-- Run T-2: N = 6000 → inflow 3000; seq 1's 7000 > 3000: nothing paid, 3000 carries.
select rebate.union_run_due(((t - 2) || 'T06:00:00+08:00')::timestamptz) from d;
-- Day T-2: o2, B buys p1 for 100000 (profit 96000): seq 4, quota 110000, payable T-1.
select orders.pay_order(format('{"id":"o2","user":"B","at":"%sT10:00:00+08:00","lines":[{"product":"p1","paid":100000}]}', t - 2)::jsonb) from d;
select orders.complete_order('o2', ((t - 2) || 'T11:00:00+08:00')::timestamptz) from d;
-- Run T-1: +48000 → 51000. Payable: seq 1 (7000), 2 (11000), 4 (110000); seq 3 is locked.
-- Running 7000, 18000 ≤ 51000; 128000 stops at seq 4. Paid 18000, 33000 carries.
select rebate.union_run_due(((t - 1) || 'T06:00:00+08:00')::timestamptz) from d;

select ops.upsert_operator('boss', '老板', 'admin', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
select ops.upsert_operator('clerk', '客服', 'support', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
set local role operator;
insert into ctx select 'boss', ops.sign_in_finish((select operator_id from ops.sign_in_begin('boss')), true, 3600, 3, 15)::text;
insert into ctx select 'clerk', ops.sign_in_finish((select operator_id from ops.sign_in_begin('clerk')), true, 3600, 3, 15)::text;
reset role;
insert into ctx select 'claims:' || k, json_build_object('aud', 'operator', 'role', 'operator', 'sub', v::jsonb #>> '{operator,id}',
  'session_id', v::jsonb ->> 'sessionId')::text from ctx where k in ('boss', 'clerk');

-- Refusals ---------------------------------------------------------------------
set local role operator;
select throws_ok($$select admin.union_summary('{}')$$, '42501', '请先登录后台', 'union_summary: no session, refused');
select throws_ok($$select admin.union_queue('{}')$$, '42501', '请先登录后台', 'union_queue: no session, refused');
reset role;
delete from ops.role_permissions where role = 'support' and permission = 'canViewQueues';
set local role operator;
select set_config('request.jwt.claims', (select v from ctx where k = 'claims:clerk'), true);
select throws_ok($$select admin.union_summary('{}')$$, '42501', '当前角色无权执行此操作', 'union_summary checks canViewQueues itself');
select throws_ok($$select admin.union_history('{}')$$, '42501', '当前角色无权执行此操作', 'union_history checks canViewQueues itself');
select throws_ok(format('select admin.union_run_report(%L)', jsonb_build_object('day', t - 1)), '42501', '当前角色无权执行此操作',
  'union_run_report checks canViewQueues itself') from d;
select throws_ok($$select admin.union_queue('{}')$$, '42501', '当前角色无权执行此操作', 'union_queue checks canViewQueues itself');
reset role;
set local role authenticated;
select throws_ok($$select admin.union_summary('{}')$$, '42501', null, 'shoppers cannot execute the union reads');
reset role;

set local role operator;
select set_config('request.jwt.claims', (select v from ctx where k = 'claims:boss'), true);
insert into ctx select 'summary', admin.union_summary('{}')::text;
insert into ctx select 'history', admin.union_history('{}')::text;
insert into ctx select 'history1', admin.union_history(jsonb_build_object('from', t - 1, 'to', t - 1))::text from d;
insert into ctx select 'report1', admin.union_run_report(jsonb_build_object('day', t - 1))::text from d;
insert into ctx select 'report2', admin.union_run_report(jsonb_build_object('day', t - 2))::text from d;
insert into ctx select 'report5', admin.union_run_report(jsonb_build_object('day', t + 5))::text from d;
insert into ctx select 'queue', admin.union_queue('{}')::text;
insert into ctx select 'queue2', admin.union_queue('{"page":2,"pageSize":1}')::text;
select throws_ok($$select admin.union_history('{"from":"2026-02-30"}')$$, '22023', 'from: 须为日期 YYYY-MM-DD', 'union_history: a day that does not exist names the field');
select throws_ok($$select admin.union_history('{"from":"2026-03-02","to":"2026-03-01"}')$$, '22023', 'from: 开始日期不能晚于结束日期', 'union_history: from after to');
select throws_ok($$select admin.union_run_report('{}')$$, '22023', 'day: 请选择日期', 'union_run_report: a missing day names the field');
select throws_ok($$select admin.union_run_report('{"day":null}')$$, '22023', 'day: 请选择日期', 'union_run_report: a null day names the field');
reset role;
create temp view r as select
  (select v::jsonb from ctx where k = 'summary') as summary, (select v::jsonb from ctx where k = 'history') as history,
  (select v::jsonb from ctx where k = 'history1') as history1, (select v::jsonb from ctx where k = 'report1') as report1,
  (select v::jsonb from ctx where k = 'report2') as report2, (select v::jsonb from ctx where k = 'report5') as report5,
  (select v::jsonb from ctx where k = 'queue') as queue, (select v::jsonb from ctx where k = 'queue2') as queue2,
  (select v::date from ctx where k = 'T') as t;


select is(summary - 'lastRun' - 'today' - 'settings',
  '{"mode":"union","balance":33000,"inflowYesterday":48000,"inflow7Days":51000,"waitingCount":2,"outstanding":121000,"lockedCount":1}'::jsonb,
  'union_summary: pool 33000, yesterday''s inflow 48000, 7 days 3000 + 48000, two waiting owing 11000 + 110000, seq 3 locked') from r;
select is(summary -> 'balance', to_jsonb(rebate.union_pool_balance()), 'union_summary: the balance is rebate.union_pool_balance') from r;
select is(summary -> 'lastRun',
  jsonb_build_object('day', t - 1, 'netProfit', 96000, 'inflow', 48000, 'poolBefore', 3000, 'paidCount', 2, 'paidAmount', 18000,
                     'carry', 33000, 'tickAt', ((t - 1) || 'T06:00:00+08:00')::timestamptz),
  'union_summary: the last run') from r;
select is(summary -> 'settings',
  '{"unionQuotaRatio":"110","unionPoolRatio":"50","unionDailyAt":"00:05","accelerationRatio":"20"}'::jsonb, 'union_summary: the union settings') from r;

select is(history -> 'items',
  jsonb_build_array(
    jsonb_build_object('day', t - 2, 'netProfit', 6000, 'inflow', 3000, 'poolBefore', 0, 'paidCount', 0, 'paidAmount', 0,
                       'carry', 3000, 'tickAt', ((t - 2) || 'T06:00:00+08:00')::timestamptz),
    jsonb_build_object('day', t - 1, 'netProfit', 96000, 'inflow', 48000, 'poolBefore', 3000, 'paidCount', 2, 'paidAmount', 18000,
                       'carry', 33000, 'tickAt', ((t - 1) || 'T06:00:00+08:00')::timestamptz)),
  'union_history: one row per run day, oldest first') from r;
select is(jsonb_array_length(history1 -> 'items'), 1, 'union_history: a date range') from r;

select is(report1 -> 'report', rebate.union_run_report(t - 1),
  'union_run_report: the engine''s report') from r;
select is(report1 #>> '{report,carry}', '33000', 'union_run_report: the carry') from r;
select is(report1 -> 'entries',
  '[{"seq":1,"memberId":"R","memberName":"会员R","orderId":"o0","line":0,"quota":11000,"accelerated":4000,"amount":7000},
    {"seq":2,"memberId":"A","memberName":"会员A","orderId":"o1","line":0,"quota":11000,"accelerated":0,"amount":11000}]'::jsonb,
  'union_run_report: the entries paid, in order; the amount is what the run paid (quota less the acceleration before)') from r;
select is(report2,
  jsonb_build_object('report', rebate.union_run_report(t - 2), 'entries', '[]'::jsonb), 'union_run_report: a run that paid nobody') from r;
select is(report5, '{"report":null,"entries":[]}'::jsonb, 'union_run_report: a day that has not run') from r;

select is(queue - 'items', '{"total":2}'::jsonb, 'union_queue: two waiting') from r;
select is((select jsonb_agg(i - 'estimate') from jsonb_array_elements(queue -> 'items') i),
  jsonb_build_array(
    jsonb_build_object('place', 1, 'seq', 3, 'memberId', 'A', 'memberName', '会员A', 'orderId', 'o1', 'line', 1, 'quota', 11000, 'paid', 0,
                       'payableDay', t + 7, 'locked', true, 'ahead', 0),
    jsonb_build_object('place', 2, 'seq', 4, 'memberId', 'B', 'memberName', '会员B', 'orderId', 'o2', 'line', 0, 'quota', 110000, 'paid', 0,
                       'payableDay', t - 1, 'locked', false, 'ahead', 11000)),
  'union_queue: from the head in seq order; the locked entry keeps its place; quota ahead') from r;
select is((select jsonb_agg(i -> 'estimate') from jsonb_array_elements(queue -> 'items') i),
  jsonb_build_array(rebate.union_estimate(3) -> 'forecast', rebate.union_estimate(4) -> 'forecast'),
  'union_queue: the estimate is rebate.union_estimate''s forecast') from r;
select is(queue2 #>> '{items,0,place}', '2', 'union_queue: the place counts from the head across pages') from r;

select * from finish();
rollback;
