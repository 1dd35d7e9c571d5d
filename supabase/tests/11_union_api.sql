-- pgTAP for supabase/migrations/1047_api_union.sql (工会排队 in the app):
-- who may execute each function, definer, pinned search_path; union.overview
-- answers a signed-out caller with the pool's figures; union.myEntries and
-- union.entry show only the caller's entries, with place, quota ahead and the
-- estimate; another member's seq is not found; a bad seq names the field.
begin;
select plan(18);

select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.union_overview(jsonb)', 'execute')),
  array['anon', 'authenticated', 'service_role']::text[], 'api.union_overview(jsonb): public');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.union_my_entries(jsonb)', 'execute')),
  array['authenticated']::text[], 'api.union_my_entries(jsonb): executable by authenticated');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'api.union_entry(jsonb)', 'execute')),
  array['authenticated']::text[], 'api.union_entry(jsonb): executable by authenticated');
select is(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, 'app.union_entry_json(rebate.union_entries)', 'execute')),
  array[]::text[], 'app.union_entry_json: executable by no client role');
select is_empty($$select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                  where n.nspname = 'api' and p.proname like 'union\_%' and not p.prosecdef$$, 'the union api functions are security definer');
select is_empty($$select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                  where n.nspname in ('api', 'app') and p.proname like 'union\_%' and not ('search_path=""' = any (coalesce(p.proconfig, '{}')))$$,
  'the union api functions pin search_path');

-- A union platform: A and B each complete one order on 01-01 (p1: profit 10000 each);
-- the run of 01-02 puts 60% of 20000 = 12000 in the pool: A (seq 1, 11000) paid, B (seq 2) waits with 1000 carried.
select from rebate.update_settings('{"mode":"union"}', 'test');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":0}');
select members.upsert_member('{"id":"A"}');
select members.upsert_member('{"id":"B"}');
select orders.pay_order('{"id":"oA","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
select orders.complete_order('oA', '2026-01-01T11:00:00+08:00');
select orders.pay_order('{"id":"oB","user":"B","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
select orders.complete_order('oB', '2026-01-01T12:00:00+08:00');
select orders.pay_order('{"id":"oB2","user":"B","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":20000}]}');
select orders.complete_order('oB2', '2026-01-01T12:30:00+08:00');
-- N = 10000 + 10000 + 20000 = 40000 → pool 24000: A 11000, B 11000 (2000 left); B2's 22000 waits.
select from rebate.tick('2026-01-02T00:05:00+08:00');
insert into auth.users (id) values ('00000000-0000-0000-0000-0000000000b1');
update members.members set auth_user_id = '00000000-0000-0000-0000-0000000000b1' where id = 'B';

create temp table got (what text primary key, value jsonb, state text);
grant all on got to anon, authenticated;

set local role anon;
insert into got select 'overview', api.union_overview('{}'), null;
reset role;
select is(((select value from got where what = 'overview') - 'yesterdayInflow' - 'inflow7' - 'lastRunDate'),
  '{"mode":"union","quotaRatio":"110","poolRatio":"60","dailyAt":"00:05","accelerationRatio":"0","accelerationOn":false,
    "pool":2000,"waitingCount":1,"waitingQuota":22000}'::jsonb,
  'union.overview (signed out): mode, ratios, the pool, who waits');
select is((select value ->> 'lastRunDate' from got where what = 'overview'), '2026-01-02', 'and the last run day');

set local role authenticated;
select from set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-0000000000b1","role":"authenticated"}', true);
insert into got select 'mine', api.union_my_entries('{}'), null;
insert into got select 'waiting', api.union_my_entries('{"status":"waiting"}'), null;
insert into got select 'entry', api.union_entry('{"seq":"3"}'), null;
do $$
begin
  begin
    perform api.union_entry('{"seq":"1"}');
    insert into got values ('other', null, 'ok');
  exception when others then
    insert into got values ('other', null, sqlstate || ' ' || sqlerrm);
  end;
  begin
    perform api.union_entry('{"seq":"x"}');
    insert into got values ('bad', null, 'ok');
  exception when others then
    insert into got values ('bad', null, sqlstate || ' ' || sqlerrm);
  end;
  begin
    perform api.union_my_entries('{"status":"soon"}');
    insert into got values ('badStatus', null, 'ok');
  exception when others then
    insert into got values ('badStatus', null, sqlstate || ' ' || sqlerrm);
  end;
end
$$;
reset role;

select is((select jsonb_path_query_array(value, '$.items[*].seq') from got where what = 'mine'), '["3", "2"]'::jsonb,
  'union.myEntries: only the caller''s entries, waiting first');
select is((select value -> 'summary' from got where what = 'mine'),
  '{"waitingCount":1,"quota":33000,"paid":11000,"pending":22000}'::jsonb, 'with totals');
select is((select jsonb_path_query_array(value, '$.items[*].seq') from got where what = 'waiting'), '["3"]'::jsonb, 'status waiting');
select is((select (value -> 'entry') - 'estimate' from got where what = 'entry'),
  '{"seq":"3","orderId":"oB2","line":0,"base":20000,"ratio":"110","quota":22000,"paid":0,"pending":22000,"status":"waiting",
    "place":1,"quotaAhead":0,"completedDate":"2026-01-01","payableDate":"2026-01-02","paidDate":null,"accelerated":0}'::jsonb,
  'union.entry: quota, place, quota ahead, dates');
-- 7-day inflow: 0 × 6 + 24000; pool 2000: 20000 fen to go → ceil(7 × 20000 / 24000) = 6 days after 01-02.
select is((select value #>> '{entry,estimate,date}' from got where what = 'entry'), '2026-01-08', 'with the shared forecast as its estimate');
select is((select value -> 'entry' -> 'estimate' from got where what = 'entry'), rebate.union_estimate(3) -> 'forecast', 'the same as rebate.union_estimate');
select is((select value #>> '{items,1,paidDate}' from got where what = 'mine'), '2026-01-02', 'a done entry says when it was paid');
select is((select state from got where what = 'other'), 'P0002 seq: 排队记录不存在', 'another member''s entry is not found');
select is((select state from got where what = 'bad'), '22023 seq: 无效的排队记录', 'a bad seq names the field');
select is((select state from got where what = 'badStatus'), '22023 status: 须为 waiting、finished 或 all', 'a bad status names the field');

select * from finish();
rollback;
