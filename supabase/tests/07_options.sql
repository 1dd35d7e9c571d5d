-- Ratio rules and shopper options (0007_options): random bits, lottery,
-- random-return groups, §4 chains, member statistics and upgrades, draw,
-- exchange, credits at completion / refund, clearing, tick, pg_cron,
-- settings audit. Expected values are worked out by hand from the rules.
begin;
select plan(79);

create function pg_temp.buy(p_id text, p_user text, p_product text, p_paid bigint, p_at text default '2026-01-01T10:00:00+08:00',
                            p_pin text default null) returns void
language sql as $$
  select orders.pay_order(jsonb_build_object('id', p_id, 'user', p_user, 'at', p_at,
    'lines', jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('product', p_product, 'paid', p_paid, 'randomReturn', p_pin)))))
$$;
create function pg_temp.entry(p_order text, p_line int default 0) returns text language sql as $$
  select concat_ws(' ', util.ratio_text(ratio), entitlement, paid, status) from rebate.entries where order_id = p_order and line = p_line
$$;
create function pg_temp.set(p jsonb) returns void language sql as $$ select null from rebate.update_settings(p, 'ops') $$;
create function pg_temp.cron_job() returns boolean language plpgsql as $$
begin
  return (select count(*) = 1 from cron.job where jobname = 'rebate-tick' and command = 'select rebate.tick(now())');
end
$$;
create function pg_temp.fingerprint() returns text language sql as $$
  select md5(concat_ws('|',
    (select string_agg(concat_ws(',', id, account_id, amount), ';' order by id) from ledger.entries),
    (select string_agg(concat_ws(',', code, balance), ';' order by id) from ledger.accounts),
    (select string_agg(concat_ws(',', id, status), ';' order by id) from orders.orders),
    (select string_agg(concat_ws(',', id, ratio, entitlement, paid, status, drawn_ratio, exchanged_to, exchanged_amount), ';' order by id)
     from rebate.entries),
    (select string_agg(concat_ws(',', queue_id, groups, taken, cash, points), ';') from rebate.random_groups),
    (select string_agg(concat_ws(',', id, level_id), ';' order by id) from members.members)))
$$;

-- ---------------------------------------------------------------------------
-- Random bits
set local rebate.rng = 'seeded';
select is(rebate.u48('draw:o1:0'), rebate.u48('draw:o1:0'), 'seeded bits are a function of the label');
select isnt(rebate.u48('draw:o1:0'), rebate.u48('draw:o1:1'), 'different labels, different bits');
select is(rebate.u48('abc'), ('x' || left(encode(sha256('abc'::bytea), 'hex'), 12))::bit(48)::bigint,
  'seeded = the first 6 bytes of SHA-256(label), big-endian');
set local rebate.rng = '';
select isnt(rebate.u48('draw:o1:0'), rebate.u48('draw:o1:0'), 'unseeded bits come from gen_random_uuid()');
select ok((select bool_and(rebate.u48('x') between 0 and 281474976710655) from generate_series(1, 50)), 'always 48 bits');
set local rebate.rng = 'seeded';

select is(rebate.pick(0, 7), 0::bigint, 'pick(0, n) = 0');
select is(rebate.pick(281474976710655, 7), 6::bigint, 'pick(2^48 - 1, n) = n - 1');
select is(rebate.pick(140737488355328, 10), 5::bigint, 'pick(2^47, 10) = 5 (exact, beyond 2^53)');

-- Lottery
select is(rebate.draw_lottery('{"kind":"fixed","ratios":["10","20","50"],"weights":[0,3,0]}', rebate.u48('a')), 20::numeric,
  'fixed: only a weighted ratio can be drawn');
select is(rebate.draw_lottery('{"kind":"fixed","ratios":["10","20"],"weights":[1,1]}', 140737488355327), 10::numeric,
  'fixed: just below half of the bits picks the first of two');
select is(rebate.draw_lottery('{"kind":"fixed","ratios":["10","20"]}', 140737488355328), 20::numeric,
  'fixed: half of the bits picks the second (weights default to 1)');
select is(rebate.draw_lottery('{"kind":"range","min":"80","max":"150.5"}', 0), 80::numeric, 'range: the lowest bits give min');
select is(rebate.draw_lottery('{"kind":"range","min":"80","max":"150.5"}', 281474976710655), 150.5::numeric, 'range: the highest give max');
select ok(rebate.is_possible_outcome('{"kind":"fixed","ratios":["50","150"],"weights":[1,0]}', 50.0), 'a weighted ratio, by value');
select ok(not rebate.is_possible_outcome('{"kind":"fixed","ratios":["50","150"],"weights":[1,0]}', 150), 'a weight-0 ratio is not possible');
select ok(rebate.is_possible_outcome('{"kind":"range","min":"80","max":"120.5"}', 120.5)
          and not rebate.is_possible_outcome('{"kind":"range","min":"80","max":"120.5"}', 120.51), 'range bounds are inclusive');

-- Permutations
select is((select array_agg(x order by x) from unnest(rebate.shuffle_slots(2, 3, 'product:p1', 1)) x),
  array['cash', 'cash', 'points', 'points', 'points'], 'a permutation keeps cashCount cash and pointsCount points');
select is(rebate.shuffle_slots(2, 3, 'product:p1', 1), rebate.shuffle_slots(2, 3, 'product:p1', 1), 'seeded: the same group, the same order');
select is(rebate.shuffle_slots(1, 0, 'q', 1), array['cash'], 'a group of one');

-- Schedules (Asia/Shanghai)
select is(rebate.latest_occurrence('daily 00:00', '2026-01-01T23:59:00+08:00'), '2026-01-01T00:00:00+08:00'::timestamptz, 'daily: today');
select is(rebate.latest_occurrence('daily 12:30', '2026-01-01T12:29:00+08:00'), '2025-12-31T12:30:00+08:00'::timestamptz, 'daily: else yesterday');
select is(rebate.latest_occurrence('weekly 1 12:00', '2026-01-05T12:30:00+08:00'), '2026-01-05T12:00:00+08:00'::timestamptz,
  'weekly: 2026-01-05 is a Monday');
select is(rebate.latest_occurrence('weekly 5 18:00', '2026-01-05T12:30:00+08:00'), '2026-01-02T18:00:00+08:00'::timestamptz,
  'weekly: the previous Friday');
select is(rebate.latest_occurrence('monthly 15 09:00', '2026-03-10T00:00:00+08:00'), '2026-02-15T09:00:00+08:00'::timestamptz,
  'monthly: last month''s when this month''s is ahead');
select is(rebate.latest_occurrence('2026-02-10T08:00:00+08:00', '2026-02-10T07:59:00+08:00'), null, 'ISO: none before it');
select is(rebate.latest_occurrence('daily 00:00', '2026-01-01T16:30:00Z'), '2026-01-02T00:00:00+08:00'::timestamptz,
  'the local day, not the UTC day');

-- ---------------------------------------------------------------------------
-- Levels, chains, cumulative tiers
select lives_ok($$select catalog.upsert_level('{"id":"bronze","upgrade":{"completedSpend":1000}}')$$, 'a level with an upgrade condition');
select catalog.upsert_level('{"id":"gold","rank":10,"ratio":"150","upgrade":{"teamSpend":3000}}');
select catalog.upsert_level('{"id":"staff","rank":100}');
select throws_ok($$select catalog.upsert_level('{"id":"x","upgrade":{"teamSpend":-5}}')$$, '22023', 'upgrade.teamSpend: must not be negative',
  'upgrade amounts are fen');
select throws_ok($$select catalog.upsert_level('{"id":"x","upgrade":{"bogus":1}}')$$, '22023', 'upgrade.bogus: unknown field',
  'upgrade keys are checked');
select catalog.upsert_level('{"id":"bronze","upgrade":{"completedSpend":1000}}');
select is((select array_agg(id || ':' || def_index order by def_index) from catalog.levels where id in ('bronze', 'gold', 'staff')),
  array['bronze:0', 'gold:1', 'staff:2'], 'definition order, kept when a level is redefined');

select members.upsert_member(jsonb_build_object('id', 'R'));
select members.upsert_member(jsonb_build_object('id', 'A', 'referrer', 'R'));
select members.upsert_member(jsonb_build_object('id', 'B', 'referrer', 'A'));
select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['C', 'D', 'E']) u;
select catalog.upsert_product('{"id":"p1","price":1000,"source":"self","cost":0,"queue":{"independentRatio":"90"}}');
select catalog.upsert_product('{"id":"tier","price":1000,"source":"self","cost":0,
  "queue":{"cumulativeTiers":[{"days":7,"minSpend":1000,"ratio":"120"},{"days":30,"minSpend":2000,"ratio":"130"}]}}');
select catalog.upsert_store('{"id":"s1","commission":"10","queue":{"memberLevelRatios":{"gold":"170"},"defaultRatio":"80"}}');
select catalog.upsert_store_product('{"id":"sp1","store":"s1","price":1000,"cost":0}');

select is((select row(c.ratio, c.lottery, c.random_return)::text from rebate.resolve_line('product', 'p1', 'C',
  '2026-01-01T10:00:00+08:00') c), '(90,,)',
  'no source applies: the tail');
select is((select c.ratio from rebate.resolve_line('storeProduct', 'sp1', 'B', now()) c), 80::numeric,
  'without a level no member-level map applies');
select pg_temp.buy('t1', 'B', 'tier', 1000, '2026-01-01T10:00:00+08:00');
select is(pg_temp.entry('t1'), '100 1000 0 waiting', 'no completed spend: no tier');
select orders.complete_order('t1', '2026-01-02T10:00:00+08:00');
select is(rebate.window_spend('B', null, 7, '2026-01-05T00:00:00+08:00'), 1000::bigint, 'completed mall spend in the window');
select is(rebate.window_spend('B', 's1', 7, '2026-01-05T00:00:00+08:00'), 0::bigint, 'a store family counts only its store');
select is(rebate.window_spend('B', null, 7, '2026-01-01T10:00:00+08:00'), 0::bigint, 'the window ends before the order time');
select is(rebate.cumulative_ratio('[{"days":7,"minSpend":1000,"ratio":"120"},{"days":7,"minSpend":0,"ratio":"110"}]', 'B', null,
  '2026-01-05T00:00:00+08:00'), 120::numeric, 'the highest qualifying tier ratio wins');
select pg_temp.buy('t2', 'B', 'tier', 1000, '2026-01-05T10:00:00+08:00');
select is(pg_temp.entry('t2'), '120 1200 0 waiting', 'a qualifying tier sets the ratio at payment');

-- Member statistics and upgrades: B completed 1000 → bronze; A and R have team spend 1000.
select is((select level_id from members.members where id = 'B'), 'bronze', 'own completed spend upgrades the buyer');
select is((select array_agg(member_id || ':' || own_spend || ':' || team_spend order by member_id) from members.member_stats),
  array['A:0:1000', 'B:1000:0', 'R:0:1000'], 'team spend is added up the whole upline');
select orders.complete_order('t2', '2026-01-06T10:00:00+08:00');
select is((select array_agg(id || ':' || coalesce(level_id, '-') order by id) from members.members where id in ('A', 'B', 'R')),
  array['A:-', 'B:bronze', 'R:-'], 'team spend below a condition upgrades nobody');
select pg_temp.buy('t3', 'B', 'p1', 1000, '2026-01-06T11:00:00+08:00');
select orders.complete_order('t3', '2026-01-07T10:00:00+08:00');
select is((select array_agg(id || ':' || coalesce(level_id, '-') order by id) from members.members where id in ('A', 'B', 'R')),
  array['A:gold', 'B:bronze', 'R:gold'], 'uplines reaching the team condition move up');
select members.upsert_member('{"id":"A","level":"staff"}');
select members.evaluate_level('A');
select is((select level_id from members.members where id = 'A'), 'staff', 'never down automatically');
select pg_temp.buy('g1', 'R', 'p1', 1000, '2026-01-08T10:00:00+08:00');
select is(pg_temp.entry('g1'), '150 1500 0 waiting', 'a member-level ratio: the level''s own ratio');
select orders.pay_order('{"id":"g2","user":"R","at":"2026-01-08T10:00:00+08:00","lines":[{"storeProduct":"sp1","paid":1000}]}');
select is(pg_temp.entry('g2'), '170 1700 0 waiting', 'the store''s member-level map before the base');

-- ---------------------------------------------------------------------------
-- Lottery entries and draw
select pg_temp.set('{"lottery":{"kind":"fixed","ratios":["50","200","0"],"weights":[1,1,0]}}');
select pg_temp.buy('d1', 'C', 'p1', 1000, '2026-01-09T10:00:00+08:00');
select is((select row(util.ratio_text(ratio), lottery ->> 'kind')::text from rebate.entries where order_id = 'd1'), '(90,fixed)',
  'a lottery source: drawable, starting with the tail below it');
select fingerprint into temp f0 from (select pg_temp.fingerprint() as fingerprint) x;
select throws_ok($$select rebate.draw('{"order":"d1","line":0,"outcome":"0"}')$$, '22023',
  'outcome: is not a possible outcome of this lottery', 'a weight-0 outcome');
select throws_ok($$select rebate.draw('{"order":"nope","line":0}')$$, '22023', 'order: unknown order "nope"', 'unknown order');
select throws_ok($$select rebate.draw('{"order":"d1","line":1}')$$, '22023', 'line: order "d1" has no entry on line 1', 'no such line');
select throws_ok($$select rebate.draw('{"order":"t1","line":0}')$$, '22023', 'line: this entry has no lottery to draw', 'not drawable');
select is(pg_temp.fingerprint(), (select fingerprint from f0), 'refused draws change nothing');
select is(rebate.draw('{"order":"d1","line":0,"outcome":"200.0"}'), '{"ratio":"200","status":"waiting","entitlement":2000}'::jsonb,
  'a pinned draw replaces the ratio and recomputes the entitlement');
select throws_ok($$select rebate.draw('{"order":"d1","line":0}')$$, '22023', 'line: this entry was already drawn', 'once per entry');
select pg_temp.buy('d2', 'D', 'p1', 1000, '2026-01-09T10:01:00+08:00');
select ok(rebate.draw('{"order":"d2","line":0}') ->> 'ratio' in ('50', '200'), 'an unpinned draw picks a weighted ratio');
select pg_temp.set('{"lottery":null}');

-- ---------------------------------------------------------------------------
-- Exchange
select pg_temp.set('{"exchangeRatio":{"coupon":"80"},"loveFrozen":true}');
select pg_temp.buy('x1', 'E', 'p1', 1000, '2026-01-10T10:00:00+08:00');
select is(rebate.exchange('{"order":"x1","line":0,"to":"coupon"}'), '{"to":"coupon","amount":720,"frozen":false}'::jsonb,
  'coupon: pct(remaining 900, 80) = 720');
select is(ledger.balance('coupons:E'), 720::bigint, 'credited to the coupon account');
select throws_ok($$select rebate.exchange('{"order":"x1","line":0,"to":"points"}')$$, '22023', 'line: this entry is exchanged, not waiting',
  'once per entry');
select pg_temp.buy('x2', 'E', 'p1', 1000, '2026-01-10T10:01:00+08:00');
select null from rebate.exchange('{"order":"x2","line":0,"to":"love"}');
select is(ledger.balance('love:E:frozen'), 900::bigint, 'love is frozen under loveFrozen while the order is open');
select orders.complete_order('x2', '2026-01-11T10:00:00+08:00');
select is(ledger.balance('love:E:frozen') || '/' || ledger.balance('love:E'), '0/900', 'and released at completion');
select orders.refund_order('x1', '2026-01-11T10:00:00+08:00');
select is(ledger.balance('coupons:E'), 0::bigint, 'a refund takes the exchange credit back');
select pg_temp.set('{"loveFrozen":false,"exchangeRatio":{"coupon":"100"}}');

-- ---------------------------------------------------------------------------
-- Random return
select catalog.upsert_product('{"id":"rr","price":1000,"source":"self","cost":0}');
select pg_temp.set('{"randomReturn":{"on":true,"cashCount":1,"pointsCount":2},"extractRatio":"0"}');
select pg_temp.buy('r' || i, 'C', 'rr', 1000, '2026-01-12T10:00:00+08:00') from generate_series(1, 6) i;
select is((select array_agg(rr_group || ':' || n order by rr_group)
           from (select rr_group, count(*) filter (where rr_slot = 'cash') as n from rebate.entries
                 where order_id like 'r_' group by rr_group) x),
  array['1:1', '2:1'], 'exactly cashCount cash per group');
select is((select count(*) from rebate.entries where order_id like 'r_' and status = 'converted' and exchanged_amount = 1000), 4::bigint,
  'the others are converted at once to points');
select is(ledger.balance('points:C'), 4000::bigint, 'and their points are credited');
select is((select taken || '/' || groups from rebate.random_groups g join rebate.queues q on q.id = g.queue_id where q.key = 'product:rr'),
  '3/2', 'the stored group state');
select pg_temp.buy('rp1', 'C', 'rr', 1000, '2026-01-12T11:00:00+08:00', 'cash');
select throws_ok($$select pg_temp.buy('rp2', 'D', 'rr', 1000, '2026-01-12T11:01:00+08:00', 'cash')$$, '22023',
  'lines[0].randomReturn: no cash slot left in this random-return group', 'a second cash pin in a group of one cash');
select pg_temp.buy('rp2', 'D', 'rr', 1000, '2026-01-12T11:01:00+08:00', 'points');
select is((select string_agg(rr_slot, ',' order by order_id) from rebate.entries where order_id in ('rp1', 'rp2')), 'cash,points',
  'pins are honoured');
select pg_temp.set('{"randomReturn":{"on":false}}');
select throws_ok($$select pg_temp.buy('rp3', 'D', 'rr', 1000, '2026-01-12T11:02:00+08:00', 'points')$$, '22023',
  'lines[0].randomReturn: random return is off for this line', 'a points pin without random return');
select orders.refund_order('r1', '2026-01-13T10:00:00+08:00');
select is(ledger.balance('points:C'), (select 4000 - coalesce(sum(exchanged_amount), 0) from rebate.entries where order_id = 'r1')::bigint,
  'a refund takes conversion points back');

-- ---------------------------------------------------------------------------
-- Clock, clearing, tick
select is(rebate.platform_clock(), '2026-01-13T10:00:00+08:00'::timestamptz, 'the clock is the latest accepted time');
select pg_temp.set('{"clearing":{"on":true,"schedule":"daily 00:00"}}');
select is((select clearing_mark from rebate.jobs_state), '2026-01-13T10:00:00+08:00'::timestamptz,
  'turning clearing on sets the mark to the clock');
select is(rebate.tick('2026-01-13T23:00:00+08:00'), '{"cleared":0}'::jsonb, 'no occurrence after the mark yet');
select pg_temp.buy('late', 'D', 'p1', 1000, '2026-01-14T00:30:00+08:00');
select is(rebate.tick('2026-01-14T01:00:00+08:00') ->> 'cleared',
  (select count(*)::text from rebate.entries e join orders.orders o on o.id = e.order_id
   where e.status = 'waiting' and o.at <= '2026-01-14T00:00:00+08:00'), 'a due clearing clears the waiting entries');
select is((select count(*) from rebate.entries where status = 'waiting'), 1::bigint, 'an order after the occurrence keeps waiting');
select is(pg_temp.entry('late'), '90 900 0 waiting', 'that one');
select is((select last_tick from rebate.jobs_state), '2026-01-14T01:00:00+08:00'::timestamptz, 'the tick moved the clock');
select throws_ok($$select rebate.tick(null)$$, '22023', 'at: must be an ISO 8601 time string', 'a tick needs a time');

-- pg_cron: the every-minute job, where the extension can be installed in this database.
select case when rebate.schedule_tick()
  then ok(pg_temp.cron_job(), 'pg_cron runs rebate.tick every minute')
  else skip('pg_cron is not available in this database', 1) end;

-- Every settings change is audited.
select is((select count(*) from audit.settings_changes where actor = 'ops'), 7::bigint, 'every settings change above (7) is audited');
select ok((select before #> '{clearing,on}' = 'false' and after #> '{clearing,on}' = 'true'
           from audit.settings_changes where patch ? 'clearing'), 'with before and after');

select * from finish();
rollback;
