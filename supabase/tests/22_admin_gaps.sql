-- Console gaps: the audit log's operator names (admin.audit_operators,
-- canViewAudit, id + name only), the member detail's second team level
-- (admin.members_detail team.indirectMembers), and the joined message sent
-- where the entry is created (app.notify_entry_joined, a deferred trigger).
begin;
select plan(14);

create temp table ctx (k text primary key, v text);
grant all on ctx to operator, authenticated;

select ops.upsert_operator('boss2', '老板', 'admin', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
select ops.upsert_operator('money2', '财务小王', 'finance', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
select ops.upsert_operator('desk2', '客服小李', 'support', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
insert into ctx select 'claims:' || login, json_build_object('aud', 'operator', 'role', 'operator', 'sub', id::text,
  'session_id', ops.sign_in_finish(id, true, 3600, 3, 15) ->> 'sessionId')::text
from ops.operators where login in ('boss2', 'money2', 'desk2');
insert into ctx select 'operators', count(*)::text from ops.operators;
insert into ctx select 'desk2', id::text from ops.operators where login = 'desk2';

-- ---------------------------------------------------------------- audit.operators
set local role operator;
select set_config('request.jwt.claims', (select v from ctx where k = 'claims:money2'), true);
select is((select count(*)::int from jsonb_array_elements(admin.audit_operators('{}') -> 'items')), (select v::int from ctx where k = 'operators'),
  'finance (canViewAudit, not canManageOperators) reads every operator''s name');
select is((select jsonb_agg(distinct k) from jsonb_array_elements(admin.audit_operators('{}') -> 'items') i, jsonb_object_keys(i) k),
  '["id", "name"]'::jsonb, 'id and name only: no login, role or sign-in state');
select ok(admin.audit_operators('{}') -> 'items' @> jsonb_build_array(jsonb_build_object('id', (select v from ctx where k = 'desk2'), 'name', '客服小李')),
  'an operator''s id with their name');
select throws_ok($$select admin.operators_list('{}')$$, '42501', null, 'while the accounts themselves stay with canManageOperators');
select set_config('request.jwt.claims', (select v from ctx where k = 'claims:desk2'), true);
select throws_ok($$select admin.audit_operators('{}')$$, '42501', null, 'support (no canViewAudit) reads no names');
reset role;
select is((select count(*)::int from ops.audit_log where action like 'audit.%'), 0, 'a read writes no audit entry');

-- ---------------------------------------------------------------- members.detail: the second level
select members.upsert_member('{"id":"T0"}');
select members.upsert_member('{"id":"T1","referrer":"T0"}');
select members.upsert_member('{"id":"T2","referrer":"T0"}');
select members.upsert_member('{"id":"T11","referrer":"T1"}');
select members.upsert_member('{"id":"T21","referrer":"T2"}');
select members.upsert_member('{"id":"T111","referrer":"T11"}');
set local role operator;
select set_config('request.jwt.claims', (select v from ctx where k = 'claims:desk2'), true);
insert into ctx select 'team', (admin.members_detail('{"id":"T0"}') -> 'team')::text;
reset role;
select is((select (v::jsonb ->> 'indirect')::int from ctx where k = 'team'), 2, 'two referees of referees');
select is((select jsonb_agg(i ->> 'id' order by i ->> 'id') from ctx, jsonb_array_elements(v::jsonb -> 'indirectMembers') i where k = 'team'),
  '["T11", "T21"]'::jsonb, 'the second level listed: not the direct referees, not the third level');
select is((select jsonb_agg(i ->> 'referrerId' order by i ->> 'id') from ctx, jsonb_array_elements(v::jsonb -> 'indirectMembers') i where k = 'team'),
  '["T1", "T2"]'::jsonb, 'each with the direct referee who brought them');
select is((select array_agg(u.member_id order by u.member_id) from distribution.uplines u where u.upline[2] = 'T0'),
  array['T11', 'T21'], 'the same members as the engine''s upline lists hold at second place');

-- ---------------------------------------------------------------- joined message where the entry is created
select is((select (tgdeferrable, tginitdeferred) from pg_trigger where tgname = 'entries_notify_joined' and tgrelid = 'rebate.entries'::regclass),
  (true, true), 'the joined message is a deferred trigger on rebate.entries: it sees the entry as the processor left it');
do $$
begin
  perform catalog.upsert_product('{"id":"pj","price":10000,"source":"self","cost":5000,"queue":{}}');
  insert into app.listings (id, kind, source, title, stock, on_sale) values ('pj', 'product', 'self', '排队测试', 10, true);
  insert into ctx select 'member', r ->> 'memberId' from (select app.login_wechat('openid-gaps-j', null, 'weapp', null) r) x;
  perform set_config('request.jwt.claims', json_build_object('sub', (select auth_user_id::text from app.profiles
    where member_id = (select v from ctx where k = 'member')), 'role', 'authenticated')::text, true);
  set local role authenticated;
  insert into ctx values ('order', api.orders_checkout('{"lines":[{"productId":"pj","quantity":1}],"usePoints":false,"useLove":false,"useCoupon":false,"platform":"weapp"}') ->> 'orderId');
  reset role;
  perform app.confirm_payment((select v from ctx where k = 'order'), 'tx-gaps-j', 10000, 'openid-gaps-j', now());
end
$$;
set constraints all immediate;
select is((select jsonb_agg(jsonb_build_object('kind', i.kind, 'link', i.link))
           from app.inbox i where i.dedupe_key like 'joined:' || (select v from ctx where k = 'order') || ':%'),
  jsonb_build_array(jsonb_build_object('kind', 'entryJoined', 'link', '/packages/queue/pages/entry/index?id=' ||
    (select id from rebate.entries where order_id = (select v from ctx where k = 'order')))),
  'one 已加入排队 naming the entry');
select orders.pay_order('{"id":"gaps-core","user":"T0","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"pj","paid":10000}]}');
set constraints all immediate;
select is((select count(*)::int from app.inbox where dedupe_key like 'joined:gaps-core:%'), 0,
  'an engine order not placed through the api (replay, simulator) notifies nobody');
select is((select count(*)::int from app.inbox where member_id = (select v from ctx where k = 'member') and dedupe_key like 'joined:%'), 1,
  'still one message for the shopper');

select * from finish();
rollback;
