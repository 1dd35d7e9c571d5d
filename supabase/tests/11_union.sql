-- Union queue mode (0009_union.sql): the mode chosen at setup
-- (check_mode_change), profit by source (union_line_profit), entries,
-- net profit and acceleration at completion (union_order_completed), the
-- daily run (union_run_day via union_run_due: inflow, strict full payouts,
-- locked entries skipped keeping their place, carry, idempotent, catch-up),
-- the ledger accounts, the reads (union_pool_balance, union_pool_history,
-- union_run_report, replay_union_entries), RLS and grants. Amounts are
-- worked out by hand in the comments.
begin;
select plan(58);

create temp view union_tables as
  select c.oid, n.nspname || '.' || c.relname as name, c.relrowsecurity
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'rebate' and c.relname like 'union\_%' and c.relkind in ('r', 'p');
create temp view union_functions as
  select p.oid, p.oid::regprocedure::text as name, p.prosecdef, p.proconfig
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'rebate' and (p.proname like 'union\_%' or p.proname in ('check_mode_change', 'replay_union_entries'));

-- Security ------------------------------------------------------------------
select is((select count(*)::int from union_tables), 5, 'five union tables');
select is_empty($$select name from union_tables where not relrowsecurity$$, 'every union table has RLS enabled');
select is_empty($$select name from union_functions where has_function_privilege('anon', oid, 'execute')
                                                     or has_function_privilege('authenticated', oid, 'execute')$$,
  'clients execute no union function');
select set_eq($$select name from union_functions where has_function_privilege('service_role', oid, 'execute')$$,
  array['rebate.union_run_due(timestamp with time zone)', 'rebate.union_pool_balance()',
        'rebate.union_pool_history(date,date)', 'rebate.union_run_report(date)', 'rebate.union_estimate(bigint)'],
  'service_role runs the daily job and the console reads, nothing that moves money directly');
select is_empty($$select name from union_functions where prosecdef and not ('search_path=""' = any (coalesce(proconfig, '{}')))$$,
  'security definer union functions have search_path = ''''');
select is_empty($$select name from union_tables
  where has_table_privilege('anon', oid, 'select') or has_table_privilege('authenticated', oid, 'insert')
     or has_table_privilege('authenticated', oid, 'update') or has_table_privilege('authenticated', oid, 'delete')
     or has_table_privilege('service_role', oid, 'insert') or has_table_privilege('service_role', oid, 'update')$$,
  'clients never write union tables; anon reads none');
select set_eq($$select policyname::text from pg_policies where schemaname = 'rebate' and tablename like 'union\_%'$$,
  array['Members can read their own union entries'], 'the policy is named as a sentence');

-- Setup: union mode, pool 50%, direct 10%, acceleration 20% ----------------
select from rebate.update_settings('{"mode":"union","unionPoolRatio":"50","distribution":{"on":true,"directRatio":"10","accelerationRatio":"20"}}', 'test');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":4000}');
select catalog.upsert_product('{"id":"p2","price":10000,"source":"supplier","cost":10000,"queue":{"minWaitDays":3}}');
select catalog.upsert_store('{"id":"s1","commission":"10","queue":{"minWaitDays":2}}');
select catalog.upsert_store('{"id":"s9","commission":"150"}');
select catalog.upsert_cashier('{"id":"c1","store":"s1"}');
select members.upsert_member('{"id":"R"}');
select members.upsert_member('{"id":"A","referrer":"R"}');
select members.upsert_member('{"id":"B"}');

-- check_mode_change -----------------------------------------------------------
-- Classic mode refuses a store whose extraction + commission exceeds 100% (0012_settlement.sql): s9 first.
select throws_ok($$select rebate.update_settings('{"mode":"classic"}', 'test')$$, '22023',
  'mode: extraction + commission must not exceed 100%', 'back to classic with a 150% store is refused on mode');
select catalog.upsert_store('{"id":"s9","commission":"90"}');
select lives_ok($$select rebate.update_settings('{"mode":"classic"}', 'test')$$, 'before any order the mode may change');
select lives_ok($$select rebate.update_settings('{"mode":"union"}', 'test')$$, 'and back');

-- Day 1 (2026-01-01) ----------------------------------------------------------
-- o0: R buys p1 (profit 6000, no referrer): entry seq 1, quota 11000, net 6000.
select orders.pay_order('{"id":"o0","user":"R","at":"2026-01-01T09:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
select orders.complete_order('o0', '2026-01-01T09:30:00+08:00');
select throws_ok($$select rebate.update_settings('{"mode":"classic"}', 'test')$$, '22023',
  'mode: cannot be changed once an order exists (union and classic queues are separate systems, chosen at setup)',
  'the mode cannot change once an order exists');
select is((rebate.current_settings() ->> 'mode'), 'union', 'and nothing changed');
select lives_ok($$select rebate.update_settings('{"mode":"union"}', 'test')$$, 'sending the same mode is fine');
select is((select count(*)::int from rebate.entries), 0, 'union-mode orders create no classic entry');
select is((select extraction from orders.lines where order_id = 'o0'), 0::bigint, 'and extract nothing');

-- o1: A (referred by R) buys p1 + p2: direct 10% of 20000 = 2000 to R.
-- Profits 6000 + 0; the 2000 reward is taken from line 0 → net0 4000 + 0 = 4000.
-- Acceleration: 20% of B = 20000 → 4000, ≤ net 4000, ≤ R's seq 1 remaining 11000: paid 4000.
-- Entries: seq 2 (p1, payable 01-02), seq 3 (p2, minWaitDays 3: payable 01-04).
select orders.pay_order('{"id":"o1","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":10000},{"product":"p2","paid":10000}]}');
select orders.complete_order('o1', '2026-01-01T11:00:00+08:00');
-- o2: B pays 20000 at c1 (store s1, minWaitDays 2): profit 2000, seq 4 quota 22000, payable 01-03.
select orders.pay_order('{"id":"o2","user":"B","at":"2026-01-01T12:00:00+08:00","cashier":"c1","paid":20000}');
select orders.complete_order('o2', '2026-01-01T13:00:00+08:00');

select results_eq($$select seq, order_id, line, member_id, quota, paid, status, payable_day::text
                   from rebate.union_entries order by seq$$,
  $$values (1::bigint, 'o0', 0, 'R', 11000::bigint, 4000::bigint, 'waiting', '2026-01-02'),
           (2, 'o1', 0, 'A', 11000, 0, 'waiting', '2026-01-02'),
           (3, 'o1', 1, 'A', 11000, 0, 'waiting', '2026-01-04'),
           (4, 'o2', 0, 'B', 22000, 0, 'waiting', '2026-01-03')$$,
  'union_order_completed: entries in completion and line order, quota 110%, payable after minWaitDays (item, else store)');
-- union_line_profit: as settled at payment (0012): self paid − cost, supplier paid − supply price, store commission.
select is((select rebate.union_line_profit(l) from orders.lines l where order_id = 'o0'), 6000::bigint, 'self-operated: paid − cost');
select is((select rebate.union_line_profit(l) from orders.lines l where order_id = 'o1' and line = 1), 0::bigint,
  'supplier at its supply price: 0, never negative');
select is((select rebate.union_line_profit(l) from orders.lines l where order_id = 'o2'), 2000::bigint, 'cashier: the platform''s commission (10%)');
select catalog.upsert_product('{"id":"p2","price":10000,"source":"supplier","cost":1000,"queue":{"minWaitDays":3}}');
select is((select rebate.union_line_profit(l) from orders.lines l where order_id = 'o1' and line = 1), 0::bigint,
  'the supply price is the one fixed at payment');
select results_eq($$select order_id, line, profit, net from rebate.union_lines order by order_id, line$$,
  $$values ('o0', 0, 6000::bigint, 6000::bigint), ('o1', 0, 6000, 0), ('o1', 1, 0, 0), ('o2', 0, 2000, 2000)$$,
  'net profit per line: rewards then acceleration taken in line order');
select results_eq($$select member_id, kind, amount, status from distribution.rewards where order_id = 'o1' order by kind$$,
  $$values ('R', 'acceleration', 4000::bigint, 'available'), ('R', 'direct', 2000, 'available')$$,
  'acceleration is a reward, available at once');
select results_eq($$select member_id, entry_id, amount from rebate.union_accelerations$$,
  $$values ('R', (select id from rebate.union_entries where seq = 1), 4000::bigint)$$, 'paid to R''s oldest waiting entry');
select is(ledger.balance('union:profit'), 8000::bigint, 'union:profit holds the day''s net profit (6000 + 0 + 2000)');
select is(ledger.balance('wallet:R:available'), 6000::bigint, 'R: the direct reward and the acceleration, available');
select is(ledger.balance('revenue:mall'), 30000 - 10000 - 6000 - 4000::bigint,
  'the mall''s revenue keeps paid minus p2''s supply price (the supplier''s, 0012_settlement.sql) and what went to the pool and to R');

-- union_run_due: before unionDailyAt nothing runs ------------------------------
select is(rebate.union_run_due('2026-01-02T00:04:59+08:00'), 0, 'a tick before 00:05 runs nothing');
select is(rebate.union_pool_balance(), 0::bigint, 'the pool is still empty');
-- 00:05: the run of 01-02. N = 8000 → inflow 50% = 4000; seq 1's remaining 7000 > 4000: nothing paid.
select is(rebate.union_run_due('2026-01-02T00:05:00+08:00'), 1, 'at 00:05 the day runs');
select is(rebate.union_run_due('2026-01-02T00:05:00+08:00'), 0, 'a repeated tick runs nothing');
select is(rebate.union_pool_balance(), 4000::bigint, 'the pool: 50% of 8000, carried');
select is(ledger.balance('union:kept'), 4000::bigint, 'the platform keeps the other 50%');
select is(ledger.balance('union:profit'), 0::bigint, 'the counted profit left union:profit');

-- Day 2: o3, B buys p1 for 100000 (profit 96000, no referrer): seq 5, quota 110000.
select orders.pay_order('{"id":"o3","user":"B","at":"2026-01-02T10:00:00+08:00","lines":[{"product":"p1","paid":100000}]}');
select orders.complete_order('o3', '2026-01-02T11:00:00+08:00');

-- Missed days caught up in order at 01-04 06:00:
-- 01-03: +48000 → 52000. Payable: 1 (7000), 2 (11000), 4 (22000), 5 (110000); 3 is locked.
--        Running 7000, 18000, 40000 ≤ 52000; 150000 > 52000 stops. Paid 40000, 12000 carries.
-- 01-04: +0. Seq 3 is payable now and, being ahead of 5, paid: 11000 ≤ 12000; 1000 carries.
select is(rebate.union_run_due('2026-01-04T06:00:00+08:00'), 2, 'missed days are caught up in order');
select results_eq($$select seq, paid, status, paid_day::text from rebate.union_entries order by seq$$,
  $$values (1::bigint, 11000::bigint, 'done', '2026-01-03'), (2, 11000, 'done', '2026-01-03'),
           (3, 11000, 'done', '2026-01-04'), (4, 22000, 'done', '2026-01-03'), (5, 0, 'waiting', null)$$,
  'union_run_day: full payouts in seq order; the locked entry keeps its place and is paid first once payable');
select results_eq($$select day::text, net_profit, inflow, pool_before, paid_count, paid_amount, pool_after
                   from rebate.union_pool_history()$$,
  $$values ('2026-01-02', 8000::bigint, 4000::bigint, 0::bigint, 0::bigint, 0::bigint, 4000::bigint),
           ('2026-01-03', 96000, 48000, 4000, 3, 40000, 12000),
           ('2026-01-04', 0, 0, 12000, 1, 11000, 1000)$$,
  'union_pool_history: one row per run day');
select results_eq($$select day::text from rebate.union_pool_history('2026-01-03', '2026-01-03')$$,
  $$values ('2026-01-03')$$, 'union_pool_history: a date range');
select is(rebate.union_run_report('2026-01-03'),
  jsonb_build_object('day', '2026-01-03', 'tickAt', '2026-01-04T06:00:00+08:00'::timestamptz, 'netProfit', 96000,
    'inflow', 48000, 'poolBefore', 4000, 'paidCount', 3, 'paidAmount', 40000, 'carry', 12000, 'stoppedAtSeq', 5,
    'firstPaidSeq', 1, 'lastPaidSeq', 4, 'linesCounted', 1),
  'union_run_report: the figures, the seqs paid, where the walk stopped');
select is(rebate.union_run_report('2026-01-09'), null, 'union_run_report: null for a day that has not run');
select is(rebate.union_pool_balance(), 1000::bigint, 'union_pool_balance after the catch-up');
select is(ledger.balance('union:pool'), 1000::bigint, 'the pool account');
select is(ledger.balance('union:kept'), 52000::bigint, 'the platform''s share: 4000 + 48000');
select is(ledger.balance('wallet:R:available'), 13000::bigint, 'R: 2000 direct + 4000 acceleration + 7000 payout');
select is(ledger.balance('wallet:A:available'), 22000::bigint, 'A: two entries in full');
select is(ledger.balance('wallet:B:available'), 22000::bigint, 'B: the cashier entry in full');
select is((select count(*)::int from ledger.transfers where kind = 'union-run'), 3, 'one transfer per run day');
select is(rebate.union_run_due('2026-01-04T23:59:00+08:00'), 0, 'idempotent: the same day never runs twice');
select throws_ok($$select rebate.union_run_due(null)$$, '22023', 'at: must be an ISO 8601 time string', 'a null time names the field');

-- union_estimate: seq 5 waits (110000); daily inflow of 12-29 … 01-04: 0, 0, 0, 0, 4000, 48000, 0 = 52000;
-- pool 1000: the shared forecast of 109000 fen: ceil(7 × 109000 / 52000) = 15 days after 01-04 → 01-19.
select is(rebate.union_estimate(5) - 'forecast',
  '{"seq":5,"ahead":0,"own":110000,"pool":1000,"daily":[0,0,0,0,4000,48000,0],"lastRunDay":"2026-01-04"}'::jsonb,
  'union_estimate: quota ahead, pool, the daily inflow of the last 7 run days');
select is(rebate.union_estimate(5) -> 'forecast', util.forecast(109000, array[0,0,0,0,4000,48000,0]::bigint[], '2026-01-04', '2026-01-03'),
  'union_estimate: the shared forecast (util.forecast)');
select is(rebate.union_estimate(5) #>> '{forecast,date}', '2026-01-19', 'an expected date 15 days after the last run');
select is(rebate.union_estimate(1) ->> 'forecast', null, 'no estimate for a paid entry');
select is(rebate.union_estimate(99), null, 'null for an unknown seq');

-- The replay output ------------------------------------------------------------
select is(jsonb_array_length(rebate.replay_union_entries()), 5, 'replay_union_entries: every entry');
select is(rebate.replay_union_entries() -> 0,
  '{"base":10000,"entitlement":11000,"line":0,"order":"o0","paid":11000,"queue":"union","ratio":"110","seq":1,"status":"done","user":"R"}'::jsonb,
  'in the §10 entry shape, queue union');
select is(rebate.replay_state() -> 'union', '{"pool":1000}'::jsonb, 'replay_state prints the pool');
select is(rebate.replay_state() -> 'reserves', '{}'::jsonb, 'and no reserve for the union queue');

-- RLS: a member reads their own entries -------------------------------------------
insert into auth.users (id) values ('00000000-0000-0000-0000-0000000000a1');
update members.members set auth_user_id = '00000000-0000-0000-0000-0000000000a1' where id = 'A';
create temp table seen (value text);
grant all on seen to authenticated;
set local role authenticated;
select from set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
insert into seen select string_agg(distinct member_id, ',') || ':' || count(*) from rebate.union_entries;
reset role;
select is((select value from seen), 'A:2', 'RLS: a member reads only their own union entries');

select * from finish();
rollback;
