-- Estimates (0011_forecast.sql, 1200_api_estimates.sql): util.forecast gives
-- the days and dates of src/domain/forecast.ts for the same cases
-- (test/unit/forecast.test.ts), rebate.queue_inflow counts the extraction
-- offered to a queue (line operations under settleOn = paid, not paused),
-- app.estimate_json turns it into the shopper's estimate, app.frozen_unlocks
-- dates the frozen wallet.
begin;
select plan(24);

create function pg_temp.f(p_amount bigint, p_daily bigint[], p_today date, p_not_before date default null) returns text
language sql as $$
  select concat_ws(' ', x ->> 'days', x ->> 'daysLow', x ->> 'daysHigh', x ->> 'date', x ->> 'dateFrom', coalesce(x ->> 'dateTo', '-'))
  from (select util.forecast(p_amount, p_daily, p_today, p_not_before) x) y
$$;

-- Constant inflow ------------------------------------------------------------
select is(util.forecast(5000, array[1000, 1000, 1000, 1000, 1000, 1000, 1000], '2026-03-10'),
  '{"status":"estimate","inflowPerDay":1000,"days":5,"daysLow":5,"daysHigh":5,"date":"2026-03-15","dateFrom":"2026-03-14","dateTo":"2026-03-15","basis":"按近7日日均流入 ¥10.00 估算，仅供参考","method":"trailing7d"}'::jsonb,
  '¥10/day and ¥50 to go: 5 days, paid on day 4 or 5, with its basis');
select is(pg_temp.f(5500, array[1000, 1000, 1000, 1000, 1000, 1000, 1000], '2026-02-26'),
  '6 6 6 2026-03-04 2026-03-03 2026-03-04', 'a part day rounds up, across a month end');
select is(pg_temp.f(168 * 365, array[168, 168, 168, 168, 168, 168, 168], '2026-01-01'),
  '365 365 365 2027-01-01 2026-12-31 2027-01-01', 'a year ahead at ¥1.68/day');
select is(pg_temp.f(0, array[1000, 1000, 1000, 1000, 1000, 1000, 1000], '2026-03-10'),
  '0 0 0 2026-03-10 2026-03-10 2026-03-10', 'nothing left to flow in: today');
select is(pg_temp.f(5000, array[1000, 1000, 1000, 1000, 1000, 1000, 1000], '2026-03-10', '2026-03-20'),
  '5 5 5 2026-03-20 2026-03-20 2026-03-20', 'minWaitDays: never before the entry is payable');
select is(pg_temp.f(5000, array[1000, 1000, 1000, 1000, 1000, 1000, 1000], '2026-03-10', '2026-03-12'),
  '5 5 5 2026-03-15 2026-03-14 2026-03-15', 'an earlier payable date changes nothing');

-- Varying inflow (the same figures as the unit test) -------------------------
select is(pg_temp.f(50000, array[12000, 0, 8000, 15000, 5000, 10000, 20000], '2026-03-10'),
  '5 3 11 2026-03-15 2026-03-12 2026-03-21', 'a range from the daily variance: 3 to 11 days around 5');
select is(pg_temp.f(2000000, array[12000, 0, 8000, 15000, 5000, 10000, 20000], '2026-03-10'),
  '200 143 334 2026-09-26 2026-07-30 2027-02-07', 'a long wait widens the range');
select is(util.forecast(2000000, array[0, 0, 0, 0, 0, 0, 1000], '2026-03-10') - 'status' - 'method',
  '{"inflowPerDay":143,"days":14000,"daysLow":5383,"daysHigh":null,"date":"2064-07-08","dateFrom":"2040-12-03","dateTo":null,"basis":"按近7日日均流入 ¥1.43 估算，仅供参考"}'::jsonb,
  'too noisy to bound from above: the range is open');

-- No basis -------------------------------------------------------------------
select is(util.forecast(5000, array[0, 0, 0, 0, 0, 0, 0], '2026-03-10') ->> 'status', 'noInflow', 'no inflow in the window: no estimate');
select is(util.forecast(5000, array[0, 0, 0, 0, 0, 0, 0], '2026-03-10') ->> 'basis', '近7日队列无流入，暂无法估算', '... and it says why');
select is(util.forecast(5000, array[1000, 1000, 1000, 1000, 1000, 1000, 1000], '2026-03-10', null, true) - 'method',
  '{"status":"paused","inflowPerDay":null,"days":null,"daysLow":null,"daysHigh":null,"date":null,"dateFrom":null,"dateTo":null,"basis":"队列奖励暂停中，暂停期间不产生返还，暂无法估算"}'::jsonb,
  'paused: no estimate whatever the inflow');
select throws_ok($$select util.forecast(1, array[5]::bigint[], '2026-03-10')$$, '22023', 'daily: needs at least 2 days',
  'a window of fewer than 2 days is refused, naming the field');
select throws_ok($$select util.forecast(1, null, '2026-03-10')$$, '22023', 'daily: needs at least 2 days', '... and a NULL one');

-- Inflow of a queue under the default settings (settleOn = paid) -------------
create function pg_temp.buy(p_id text, p_user text, p_paid bigint) returns void language sql as $$
  select orders.pay_order(jsonb_build_object('id', p_id, 'user', p_user, 'at', '2026-01-01T10:00:00+08:00',
    'lines', jsonb_build_array(jsonb_build_object('product', 'p1', 'paid', p_paid))))
$$;
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000}');
select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['A', 'B', 'C']) u;
select pg_temp.buy('o1', 'A', 10000);
select pg_temp.buy('o2', 'B', 10000);
select is((select array_agg(distinct kind) from rebate.queue_ops), array['line'], 'settling on payment journals line operations only');
select is(rebate.queue_inflow((select id from rebate.queues where key = 'product:p1'), now(), 7),
  array[2000, 0, 0, 0, 0, 0, 0]::bigint[], 'both extractions (10% of 10000) count as inflow of the last 24 h');
select is(rebate.queue_inflow((select id from rebate.queues where key = 'product:p1'), now() + interval '1 day 1 second', 7),
  array[0, 2000, 0, 0, 0, 0, 0]::bigint[], 'a day later they are in the second slice');
select is(rebate.queue_inflow((select id from rebate.queues where key = 'product:p1'), now() + interval '7 days', 7),
  array[0, 0, 0, 0, 0, 0, 0]::bigint[], 'and out of the window after 7 days');
select is((select inflow_daily from app.queue_stats('product:p1')), array[2000, 0, 0, 0, 0, 0, 0]::bigint[], 'app.queue_stats reads it');

-- A (10000 owed, 1000 paid) and B (10000 owed) wait: B needs 9000 + 10000 at 2000/7 a day.
select is(app.estimate_json(19000, (select inflow_daily from app.queue_stats('product:p1'))) ->> 'days', '67',
  'an entry has an estimate after two paid orders (ceil(7 × 19000 / 2000) = 67 days)');
select is(app.estimate_json(19000, (select inflow_daily from app.queue_stats('product:p1'))) ->> 'date',
  to_char(util.local_day(now()) + 67, 'YYYY-MM-DD'), '... dated from today in Shanghai');
do $$ begin perform rebate.update_settings('{"paused": true}', 'test'); end $$;
select pg_temp.buy('o3', 'C', 10000);
select is(rebate.queue_inflow((select id from rebate.queues where key = 'product:p1'), now(), 7),
  array[2000, 0, 0, 0, 0, 0, 0]::bigint[], 'extraction kept while paused is not inflow');
select is(app.estimate_json(19000, array[2000, 0, 0, 0, 0, 0, 0]) ->> 'status', 'paused', 'a paused platform shows no estimate');

-- Frozen wallet --------------------------------------------------------------
select is(app.frozen_unlocks('A'), '[{"date":null,"queue":1000,"reward":0,"amount":1000}]'::jsonb,
  'A''s frozen payout, undated without an app order (the api dates it by complete_due_at)');

select * from finish();
rollback;
