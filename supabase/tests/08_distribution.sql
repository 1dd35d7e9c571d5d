-- Distribution rewards (0008_distribution.sql): upline lists, per-order
-- rewards (direct, indirect, level difference, cap, zero pieces dropped),
-- frozen → available → cancelled with their ledger moves, dividends
-- (periods, labels, equal and weighted largest-remainder splits), member
-- reads, RLS, grants. Expected amounts are worked out by hand in comments.
begin;
select plan(53);

create temp view dist_tables as
  select c.oid, n.nspname || '.' || c.relname as name, c.relrowsecurity
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'distribution' and c.relkind in ('r', 'p');
create temp view dist_functions as
  select p.oid, p.oid::regprocedure::text as name, p.prosecdef, p.proconfig
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'distribution' or p.oid = 'rebate.replay_rewards()'::regprocedure;

-- Security ------------------------------------------------------------------
select is_empty($$select name from dist_tables where not relrowsecurity$$, 'every distribution table has RLS enabled');
select is_empty($$select name from dist_functions where not prosecdef or not ('search_path=""' = any (coalesce(proconfig, '{}')))$$,
  'every distribution function is security definer with search_path = ''''');
select is_empty($$select name from dist_functions where has_function_privilege('anon', oid, 'execute')$$,
  'anon can execute no distribution function');
select set_eq($$select name from dist_functions where has_function_privilege('authenticated', oid, 'execute')$$,
  array['distribution.my_rewards(integer,bigint)', 'distribution.my_reward_totals()'],
  'authenticated can execute only the member reads');
select ok(has_function_privilege('service_role', 'distribution.run_due(timestamptz)', 'execute'), 'service_role runs dividends');
select ok(not has_function_privilege('service_role', 'distribution.reward_order(text, jsonb)', 'execute'),
  'nobody but the owner creates rewards directly');
select is_empty($$select name from dist_tables where has_table_privilege('anon', oid, 'select')$$, 'anon reads no distribution table');
select is_empty($$select name from dist_tables
  where has_table_privilege('authenticated', oid, 'insert') or has_table_privilege('authenticated', oid, 'update')
     or has_table_privilege('authenticated', oid, 'delete') or has_table_privilege('service_role', oid, 'insert')
     or has_table_privilege('service_role', oid, 'update') or has_table_privilege('service_role', oid, 'delete')$$,
  'clients never write distribution tables');
select set_eq($$select policyname::text from pg_policies where schemaname = 'distribution'$$,
  array['Members can read their own rewards', 'Members can read their own upline'], 'policies are named as sentences');

-- Upline lists --------------------------------------------------------------
select catalog.upsert_level('{"id":"L1","teamRatio":"2"}');
select catalog.upsert_level('{"id":"L2","teamRatio":"5"}');
select catalog.upsert_level('{"id":"SH","shareholder":true}');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":6000}');
select members.upsert_member('{"id":"A","level":"L2"}');
select members.upsert_member('{"id":"B","level":"L1","referrer":"A"}');
select members.upsert_member('{"id":"C","referrer":"B"}');
select members.upsert_member('{"id":"S1","level":"SH"}');
select members.upsert_member('{"id":"S2","level":"SH"}');
select members.upsert_member('{"id":"S3","level":"SH"}');
select members.upsert_member('{"id":"D","referrer":"S2"}');

select is(distribution.upline_of('C'), array['B', 'A'], 'the upline list: referrer first, then its upline');
select is(distribution.upline_of('A'), '{}'::text[], 'no referrer, no upline');
select throws_ok($$select members.upsert_member('{"id":"S1","referrer":"A"}')$$, '22023',
  'referrer: "S1" is already registered without a referrer; a referrer binds only at registration',
  'a referrer binds only at registration');
select is(distribution.upline_of('S1'), '{}'::text[], 'a refused late binding stores nothing');
select lives_ok($$select members.upsert_member('{"id":"C","referrer":"B"}')$$, 're-sending the same referrer is fine');
select is(distribution.upline_of('C'), array['B', 'A'], 'and keeps the upline');

-- Per-order rewards -----------------------------------------------------------
select throws_ok($$select rebate.update_settings('{"distribution":{"cap":"12.345"}}', 'test')$$, '22023',
  'distribution.cap: must be a percentage from 0 to 10000 with at most 2 decimals', 'a bad ratio names its field');
select is(rebate.current_settings() #>> '{distribution,cap}', '100', 'and changes nothing');
select lives_ok($$select rebate.update_settings('{"enabled":false,"distribution":{"on":true,"directRatio":"10","indirectRatio":"5","levelDifference":true,"sameLevelRatio":"1","dividendRatio":"10"}}', 'test')$$,
  'distribution can be turned on');

select orders.pay_order('{"id":"o1","user":"C","at":"2026-01-05T10:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
-- B = 10000: direct B 10% = 1000, indirect A 5% = 500; walk: B (2) > 0 → levelDiff 2% = 200,
-- A (5) > 2 → levelDiff 3% = 300; no same level (nobody repeats h).
select set_eq($$select member_id, kind, amount, status from distribution.rewards where order_id = 'o1'$$,
  $$values ('B', 'direct', 1000::bigint, 'frozen'), ('A', 'indirect', 500::bigint, 'frozen'),
           ('B', 'levelDiff', 200::bigint, 'frozen'), ('A', 'levelDiff', 300::bigint, 'frozen')$$,
  'direct, indirect and level differences, frozen at payment');
select is(ledger.balance('wallet:B:frozen'), 1200::bigint, 'B''s frozen wallet holds its rewards');
select is(ledger.balance('wallet:A:frozen'), 800::bigint, 'A''s frozen wallet holds its rewards');
select is(ledger.balance('distribution:expense'), -2000::bigint, 'the expense account funds them');
select is((select base from distribution.orders where order_id = 'o1'), 10000::bigint, 'the order base is recorded');
select is((select count(*) from distribution.rewards where member_id = 'C'), 0::bigint, 'the buyer earns nothing from its own order');

select orders.complete_order('o1', '2026-01-10T10:00:00+08:00');
select is((select count(*) from distribution.rewards where order_id = 'o1' and status = 'available'), 4::bigint,
  'completion makes the order''s rewards available');
select is(ledger.balance('wallet:B:available'), 1200::bigint, 'and moves them to the available wallet');
select is(ledger.balance('wallet:B:frozen'), 0::bigint, 'out of the frozen wallet');

select from rebate.update_settings('{"distribution":{"cap":"12"}}', 'test');
select orders.pay_order('{"id":"o2","user":"C","at":"2026-01-11T10:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
-- Cap 12% = 1200: direct 1000 (left 200), indirect 500 cut to 200 (left 0), level differences cut to 0: dropped.
select set_eq($$select member_id, kind, amount from distribution.rewards where order_id = 'o2'$$,
  $$values ('B', 'direct', 1000::bigint), ('A', 'indirect', 200::bigint)$$,
  'the cap cuts pieces in order; pieces cut to 0 are not created');
select orders.refund_order('o2', '2026-01-12T10:00:00+08:00');
select is((select string_agg(distinct status, ',') from distribution.rewards where order_id = 'o2'), 'cancelled',
  'a refund cancels the order''s rewards');
select is((select sum(amount) from distribution.rewards where order_id = 'o2'), 1200::numeric, 'their amounts stay as history');
select is(ledger.balance('wallet:A:frozen') + ledger.balance('wallet:B:frozen'), 0::bigint, 'the money leaves the frozen wallets');
select is(ledger.balance('distribution:expense'), -2000::bigint, 'back to the expense account');

select from rebate.update_settings('{"distribution":{"on":false}}', 'test');
select orders.pay_order('{"id":"o3","user":"C","at":"2026-01-13T10:00:00+08:00","lines":[{"product":"p1","paid":4000}]}');
select is((select count(*) from distribution.rewards where order_id = 'o3'), 0::bigint, 'distribution off: no reward');
select is((select base from distribution.orders where order_id = 'o3'), 4000::bigint, 'but the base is recorded (dividends)');

-- Dividend periods ---------------------------------------------------------------
select is((select label from distribution.period_of('weekly', '2025-12-29T00:00:00+08:00')), '2026-W01',
  'ISO week labels use the week-year');
select is((select label from distribution.period_of('weekly', '2021-01-03T23:59:59+08:00')), '2020-W53', 'week 53');
select is((select row(starts_at, ends_at)::text from distribution.period_of('weekly', '2026-01-07T12:00:00+08:00')),
  (select row('2026-01-05T00:00:00+08:00'::timestamptz, '2026-01-12T00:00:00+08:00'::timestamptz)::text),
  'a week runs Monday 00:00 to Monday 00:00, Shanghai time');
select is((select label from distribution.period_of('monthly', '2026-01-31T16:30:00Z')), '2026-02',
  'months are Shanghai calendar months');

select throws_ok($$select distribution.run_due(null)$$, '22023', 'at: must be an ISO 8601 time string', 'run_due needs a time');
select is(distribution.run_due('2026-01-31T23:59:59+08:00'), 0, 'a period not ended yet is not settled');
select from rebate.update_settings('{"distribution":{"on":true}}', 'test');
-- January: o1 completed (B 10000) → D = 10% = 1000 among S1, S2, S3: 333 each, 1 fen left → S1 (smallest id).
select is(distribution.run_due('2026-02-01T00:00:00+08:00'), 1, 'the first period ending is settled');
select set_eq($$select member_id, amount, status from distribution.rewards where order_id = 'dividend:2026-01'$$,
  $$values ('S1', 334::bigint, 'available'), ('S2', 333::bigint, 'available'), ('S3', 333::bigint, 'available')$$,
  'equal split by largest remainder, ties to the smaller id, available at once');
select is(ledger.balance('wallet:S1:available'), 334::bigint, 'credited to the available wallet');
select is(distribution.run_due('2026-02-05T00:00:00+08:00'), 0, 'a settled period is never paid again');

select from rebate.update_settings('{"distribution":{"dividendSplit":"weighted"}}', 'test');
select orders.pay_order('{"id":"o4","user":"D","at":"2026-02-02T10:00:00+08:00","lines":[{"product":"p1","paid":3000}]}');
select orders.complete_order('o4', '2026-02-03T10:00:00+08:00');
select orders.pay_order('{"id":"o5","user":"S3","at":"2026-02-04T10:00:00+08:00","lines":[{"product":"p1","paid":1000}]}');
select orders.complete_order('o5', '2026-02-05T10:00:00+08:00');
-- February: revenue 3000 + 1000 → D = 400; weights S2 3000 (D is below S2), S3 1000 (its own), S1 0:
-- S2 floor(400 × 3000 / 4000) = 300, S3 100, S1 0 (no reward).
select is(distribution.run_due('2026-03-01T00:00:00+08:00'), 1, 'February is settled');
select set_eq($$select member_id, amount from distribution.rewards where order_id = 'dividend:2026-02'$$,
  $$values ('S2', 300::bigint), ('S3', 100::bigint)$$, 'weighted by downline completed spend; zero shares create nothing');
select throws_ok($$update distribution.dividend_periods set amount = 0$$, '55000', null, 'settled periods are append-only');

-- Reads -------------------------------------------------------------------------
-- o1: 4, o2: 2, o4: S2 direct 300 (D is below S2), January: 3, February: 2.
select is(jsonb_array_length(rebate.replay_rewards()), 12, 'the replay output lists every reward');

insert into auth.users (id) values ('00000000-0000-0000-0000-0000000000b0');
update members.members set auth_user_id = '00000000-0000-0000-0000-0000000000b0' where id = 'B';
create temp table seen (what text primary key, value text);
grant all on seen to authenticated;
set local role authenticated;
select from set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-0000000000b0","role":"authenticated"}', true);
insert into seen values
  ('table', (select string_agg(distinct member_id, ',') from distribution.rewards)),
  ('mine', (select string_agg(kind || ':' || amount || ':' || status, ',' order by id) from distribution.my_rewards())),
  ('page', (select string_agg(order_id || ':' || kind, ',') from distribution.my_rewards(1))),
  ('totals', (select row(t.frozen, t.available, t.cancelled)::text from distribution.my_reward_totals() t)),
  ('buyer', (select string_agg(distinct buyer_id, ',') from distribution.my_rewards()));
reset role;
select is((select value from seen where what = 'table'), 'B', 'RLS: a member reads only their own rewards');
select is((select value from seen where what = 'mine'), 'direct:1000:available,levelDiff:200:available,direct:1000:cancelled',
  'my_rewards: the signed-in member''s rewards');
select is((select value from seen where what = 'page'), 'o2:direct', 'newest first, limited');
select is((select value from seen where what = 'totals'), '(0,1200,1000)', 'totals by status');
select is((select value from seen where what = 'buyer'), 'C', 'with the buyer of each order');

select * from finish();
rollback;
