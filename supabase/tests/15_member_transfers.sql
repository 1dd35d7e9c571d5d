-- Points and love-value transfers (0014_member_transfers.sql, 1320_api_member_transfers.sql):
-- lookup by member code (masked), success in the ledger with both inboxes
-- notified, an idempotent replay, insufficient balance, self, unknown code,
-- the daily limit, missing / NULL keys (22023 / P0002 naming the field,
-- nothing changed), postings summing to zero, privileges.
begin;
select plan(42);

create temp table fx (key text primary key, value text);
insert into fx select k, (app.login_wechat('openid-tr-' || k, null, 'weapp', null) ->> 'memberId') from unnest(array['a', 'b']) k;
update app.profiles set nickname = '张三丰' where member_id = (select value from fx where key = 'a');
update app.profiles set nickname = '李四' where member_id = (select value from fx where key = 'b');
insert into fx select fx.key || '_user', p.auth_user_id::text from fx join app.profiles p on p.member_id = fx.value;
insert into fx select fx.key || '_code', p.invite_code from fx join app.profiles p on p.member_id = fx.value where fx.key in ('a', 'b');
-- A's points and love (as exchange credits them).
select ledger.transfer('seed-points', 'exchange', array[
  row('world:POINTS', 'POINTS', -1000)::ledger.leg, row('points:' || (select value from fx where key = 'a'), 'POINTS', 1000)::ledger.leg]);
select ledger.transfer('seed-love', 'exchange', array[
  row('world:LOVE', 'LOVE', -300)::ledger.leg, row('love:' || (select value from fx where key = 'a'), 'LOVE', 300)::ledger.leg]);
update app.site_content set value = '{"dailyLimit": {"points": 800, "love": 50000}}' where key = 'transferRule';

create function pg_temp.v(k text) returns text language sql as $$ select value from fx where key = k $$;

/** Calls api.<fn>(p) as member k (role authenticated, k's claims). */
create function pg_temp.api(k text, fn text, p jsonb) returns jsonb language plpgsql as $$
declare
  r jsonb;
begin
  perform set_config('request.jwt.claims', json_build_object('sub', pg_temp.v(k || '_user'), 'role', 'authenticated')::text, true);
  set local role authenticated;
  execute format('select api.%I($1)', fn) into r using p;
  reset role;
  return r;
end
$$;

/** 'accepted', or 'SQLSTATE column' of the refusal. */
create function pg_temp.refusal(k text, fn text, p jsonb) returns text language plpgsql as $$
declare
  v_col text;
begin
  perform pg_temp.api(k, fn, p);
  return 'accepted';
exception when others then
  get stacked diagnostics v_col = column_name;
  return sqlstate || ' ' || coalesce(v_col, '');
end
$$;

create function pg_temp.fingerprint() returns text language sql as $$
  select md5(concat_ws('|',
    (select string_agg(concat_ws(',', code, balance), ';' order by id) from ledger.accounts),
    (select count(*) from ledger.entries),
    (select string_agg(concat_ws(',', id, from_member, to_member, kind, amount), ';' order by id) from members.transfers),
    (select count(*) from app.inbox)))
$$;

create function pg_temp.send(k text, amount int, req text, kind text default 'points', code text default null) returns jsonb language sql as $$
  select pg_temp.api(k, 'transfer_send', jsonb_build_object('code', coalesce(code, pg_temp.v('b_code')), 'kind', kind, 'amount', amount, 'requestId', req))
$$;

-- Lookup: masked, case-insensitive code; unknown / malformed / self refused.
select is(pg_temp.api('a', 'transfer_lookup', jsonb_build_object('code', lower(pg_temp.v('b_code')))),
  jsonb_build_object('recipient', jsonb_build_object('code', pg_temp.v('b_code'), 'maskedName', '李**')),
  'lookup names the recipient masked (first character + **)');
select is(pg_temp.refusal('a', 'transfer_lookup', '{"code":"ZZZZZZZZ"}'), 'P0002 code', 'an unknown code is not found, on code');
select is(pg_temp.refusal('a', 'transfer_lookup', '{"code":"ab"}'), '22023 code', 'a malformed code is refused on code');
select is(pg_temp.refusal('a', 'transfer_lookup', jsonb_build_object('code', pg_temp.v('a_code'))), '22023 code', 'one''s own code is refused on code');

-- Success.
select is((pg_temp.send('a', 300, 'req-first-0001') - 'createdAt' - 'transferId'),
  jsonb_build_object('kind', 'points', 'amount', 300, 'recipient', jsonb_build_object('code', pg_temp.v('b_code'), 'maskedName', '李**'),
    'replayed', false, 'balance', 700),
  'a transfer answers the amount, the masked recipient and the sender''s balance');
select is(ledger.balance('points:' || pg_temp.v('a')), 700::bigint, 'the sender''s points go down by the amount');
select is(ledger.balance('points:' || pg_temp.v('b')), 300::bigint, 'the recipient''s points go up by the amount');
select is((select string_agg(concat_ws(' ', a.code, e.amount), ', ' order by e.amount)
           from ledger.entries e join ledger.accounts a on a.id = e.account_id join ledger.transfers t on t.id = e.transfer_id
           where t.idempotency_key = 'member-transfer:' || pg_temp.v('a') || ':req-first-0001'),
  concat('points:', pg_temp.v('a'), ' -300, points:', pg_temp.v('b'), ' 300'),
  'one ledger transfer of two postings between the members'' points accounts');
select is((select kind from ledger.transfers where idempotency_key = 'member-transfer:' || pg_temp.v('a') || ':req-first-0001'),
  'member-transfer', 'its kind is member-transfer');
select is((select string_agg(concat_ws(' ', kind, title, body), ' / ' order by id) from app.inbox where member_id = pg_temp.v('a') and kind like 'transfer%'),
  'transferSent 转让成功 已向 李** 转让 300 积分。', 'the sender is notified');
select is((select string_agg(concat_ws(' ', kind, title, body), ' / ' order by id) from app.inbox where member_id = pg_temp.v('b') and kind like 'transfer%'),
  'transferReceived 收到转让 张** 向你转让了 300 积分，已到账。', 'the recipient is notified');

-- Idempotent replay: same answer, nothing moves, nobody notified twice.
create temp table before_replay as select pg_temp.fingerprint() as f;
select is((pg_temp.send('a', 300, 'req-first-0001') ->> 'replayed')::boolean, true, 'the same requestId again is a replay');
select is(pg_temp.fingerprint(), (select f from before_replay), 'a replay changes nothing (ledger, transfers, inbox)');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 301, 'requestId', 'req-first-0001')),
  '22023 requestId', 'the same requestId for another amount is refused on requestId');
select is(pg_temp.fingerprint(), (select f from before_replay), '… and changes nothing');

-- Love moves between the love accounts.
select is((pg_temp.send('a', 120, 'req-love-0001', 'love') ->> 'balance')::int, 180, 'love: the sender keeps 180');
select is(ledger.balance('love:' || pg_temp.v('b')), 120::bigint, 'love: the recipient has 120 available');

-- Refusals, each naming its field and changing nothing.
create temp table before_refusals as select pg_temp.fingerprint() as f;
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'love', 'amount', 181, 'requestId', 'req-much-0001')),
  '22023 amount', 'more than the balance is refused on amount');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('a_code'), 'kind', 'points', 'amount', 1, 'requestId', 'req-self-0001')),
  '22023 code', 'to oneself is refused on code');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', 'QQQQQQQQ', 'kind', 'points', 'amount', 1, 'requestId', 'req-unkn-0001')),
  'P0002 code', 'an unknown code is refused on code');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 501, 'requestId', 'req-limit-001')),
  '22023 amount', 'past the daily limit (800, 300 used) is refused on amount');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'coupon', 'amount', 1, 'requestId', 'req-kind-0001')),
  '22023 kind', 'a kind other than points / love is refused on kind');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 1.5, 'requestId', 'req-frac-0001')),
  '22023 amount', 'a fractional amount is refused on amount');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 0, 'requestId', 'req-zero-0001')),
  '22023 amount', 'zero is refused on amount');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', -5, 'requestId', 'req-negv-0001')),
  '22023 amount', 'a negative amount is refused on amount');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 1, 'requestId', 'short')),
  '22023 requestId', 'a malformed requestId is refused on requestId');
select is(
  (select string_agg(concat_ws(':', k, how, pg_temp.refusal('a', 'transfer_send',
     case how when 'missing' then base - k else jsonb_set(base, array[k], 'null') end)), ' ' order by k, how)
   from (select jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 1, 'requestId', 'req-keys-0001') as base) b,
        unnest(array['amount', 'code', 'kind', 'requestId']) k, unnest(array['missing', 'null']) how),
  'amount:missing:22023 amount amount:null:22023 amount code:missing:22023 code code:null:22023 code '
  'kind:missing:22023 kind kind:null:22023 kind requestId:missing:22023 requestId requestId:null:22023 requestId',
  'each key missing or NULL is refused naming it');
select is(pg_temp.refusal('a', 'transfer_lookup', '{}'), '22023 code', 'lookup without code is refused on code');
select is(pg_temp.fingerprint(), (select f from before_refusals), 'none of the refusals changed anything');

-- The limit is the day's sum: 500 more fits (800), 1 more does not; the recipient may send on.
select is((pg_temp.send('a', 500, 'req-fill-0001') ->> 'balance')::int, 200, 'up to the daily limit is accepted');
select is(pg_temp.refusal('a', 'transfer_send', jsonb_build_object('code', pg_temp.v('b_code'), 'kind', 'points', 'amount', 1, 'requestId', 'req-over-0001')),
  '22023 amount', 'one more point that day is refused on amount');
select is((pg_temp.send('b', 50, 'req-back-0001', 'points', pg_temp.v('a_code')) ->> 'balance')::int, 750, 'the recipient can send points back');

-- The engine function on its own: NULLs refused naming the field.
select throws_ok($$select members.transfer(null, 'x', 'points', 1, 'req-engine-01', 10)$$, '22023', 'from: unknown member', 'engine: NULL sender');
select throws_ok(format('select members.transfer(%L, %L, %L, null, %L, 10)', pg_temp.v('a'), pg_temp.v('b'), 'points', 'req-engine-01'),
  '22023', 'amount: must be a positive integer', 'engine: NULL amount');
select throws_ok(format('select members.transfer(%L, %L, %L, 1, null, 10)', pg_temp.v('a'), pg_temp.v('b'), 'points'),
  '22023', 'requestId: must be 8-64 letters, digits, _ or -', 'engine: NULL request id');

-- Ledger sums: every member-transfer nets zero per currency, and members' totals are what was seeded.
select is_empty($$select t.id from ledger.transfers t join ledger.entries e on e.transfer_id = t.id
                  where t.kind = 'member-transfer' group by t.id having sum(e.amount) <> 0$$, 'every member transfer sums to zero');
select is(ledger.balance('points:' || pg_temp.v('a')) + ledger.balance('points:' || pg_temp.v('b')), 1000::bigint, 'points: A + B = what A was credited');
select is((pg_temp.api('b', 'transfer_list', '{"limit":2}') -> 'items') #>> '{0,direction}', 'out', 'the list has the newest first (B''s own transfer out)');
select is(jsonb_array_length(pg_temp.api('a', 'transfer_list', '{}') -> 'items'), 4, 'A''s list: 3 sent, 1 received');

-- Privileges: members reach the money only through the api wrapper.
select ok(not has_function_privilege('authenticated', 'members.transfer(text, text, text, bigint, text, bigint, timestamptz)', 'execute')
      and not has_table_privilege('authenticated', 'members.transfers', 'select'), 'members cannot call the engine function or read the table');

select is(
  (select string_agg(concat_ws(' ', f, array_to_string(array(select r from unnest(array['anon', 'authenticated', 'service_role']) r
     where has_function_privilege(r, ('api.' || f || '(jsonb)')::regprocedure, 'execute')), ','),
     (select case when prosecdef then 'definer' else 'invoker' end from pg_proc where oid = ('api.' || f || '(jsonb)')::regprocedure)), '; ' order by f)
   from unnest(array['transfer_list', 'transfer_lookup', 'transfer_send']) f),
  'transfer_list authenticated definer; transfer_lookup authenticated definer; transfer_send authenticated definer',
  'the api functions: executable by authenticated only, security definer');
create temp table calls (fn text, state text);
grant all on calls to authenticated;
set local role authenticated;
do $$ begin perform set_config('request.jwt.claims', json_build_object('role', 'authenticated', 'sub', gen_random_uuid())::text, true); end $$;
do $$
declare f text;
begin
  foreach f in array array['transfer_list', 'transfer_lookup', 'transfer_send'] loop
    begin
      execute format('select api.%I(%L::jsonb)', f, '{}');
      insert into calls values (f, 'ok');
    exception when others then
      insert into calls values (f, sqlstate);
    end;
  end loop;
end
$$;
reset role;
select is((select string_agg(fn || ' ' || state, ', ' order by fn) from calls),
  'transfer_list 42501, transfer_lookup 42501, transfer_send 42501', 'a signed-in caller who is no member is refused (42501)');

select * from finish();
rollback;
