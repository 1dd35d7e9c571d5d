-- Security: RLS on every table, definer functions pinned, explicit grants,
-- members read only their own rows, clients never write.
begin;
select plan(26);

create temp view our_tables as
  select c.oid, n.nspname || '.' || c.relname as name, c.relrowsecurity
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname in ('ledger', 'members', 'catalog', 'orders', 'rebate', 'audit') and c.relkind in ('r', 'p');
create temp view our_functions as
  select p.oid, p.oid::regprocedure::text as name, p.prosecdef, p.proconfig
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('util', 'ledger', 'members', 'catalog', 'orders', 'rebate', 'audit');

select is_empty($$select name from our_tables where not relrowsecurity$$, 'every table has RLS enabled');
select is_empty($$select name from our_functions where prosecdef and not ('search_path=""' = any (coalesce(proconfig, '{}')))$$,
  'every security definer function sets search_path = ''''');
-- The API layer (its own schemas) wraps these; clients call only the wrappers.
select is_empty($$select name from our_functions where has_function_privilege('anon', oid, 'execute')
  and name <> 'members.current_member_id()'$$, 'anon can execute none of the engine''s functions');
select is_empty($$select name from our_functions where has_function_privilege('authenticated', oid, 'execute')
  and name <> 'members.current_member_id()'$$, 'authenticated can execute none of the engine''s functions');
select ok(has_function_privilege('service_role', 'orders.pay_order(jsonb)', 'execute'), 'service_role pays orders');
select ok(not has_function_privilege('service_role', 'ledger.transfer(text, text, ledger.leg[])', 'execute'),
  'nobody but the owner posts raw transfers');
select is_empty($$select name from our_tables where has_table_privilege('anon', oid, 'select')$$, 'anon reads no table');
select is_empty($$select name from our_tables
  where has_table_privilege('authenticated', oid, 'insert') or has_table_privilege('authenticated', oid, 'update')
     or has_table_privilege('authenticated', oid, 'delete') or has_table_privilege('service_role', oid, 'insert')
     or has_table_privilege('service_role', oid, 'update') or has_table_privilege('service_role', oid, 'delete')$$,
  'clients never write tables directly');
select is_empty($$select p.policyname from pg_policies p where p.schemaname in ('ledger', 'members', 'orders', 'rebate')
  and p.policyname !~ '^[A-Z][a-z]+( [a-z]+)+$'$$, 'policies are named as sentences');

-- Two members with orders; A is signed in.
insert into auth.users (id) values ('00000000-0000-0000-0000-00000000000a'), ('00000000-0000-0000-0000-00000000000b');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000}');
select members.upsert_member('{"id":"A"}');
select members.upsert_member('{"id":"B"}');
update members.members set auth_user_id = '00000000-0000-0000-0000-00000000000a' where id = 'A';
update members.members set auth_user_id = '00000000-0000-0000-0000-00000000000b' where id = 'B';
select orders.pay_order('{"id":"oA","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
select orders.pay_order('{"id":"oB","user":"B","at":"2026-01-01T10:01:00+08:00","lines":[{"product":"p1","paid":10000}]}');

create temp table seen (what text primary key, value text);
grant all on seen to authenticated, anon, service_role;

set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-00000000000a","role":"authenticated"}', true);
insert into seen values
  ('uid', auth.uid()::text),
  ('role', auth.role()),
  ('members', (select string_agg(id, ',' order by id) from members.members)),
  ('accounts', (select string_agg(code, ',' order by code) from ledger.accounts)),
  ('postings', (select count(*)::text from ledger.entries)),
  ('orders', (select string_agg(id, ',' order by id) from orders.orders)),
  ('lines', (select string_agg(order_id, ',' order by order_id) from orders.lines)),
  ('entries', (select string_agg(order_id, ',' order by order_id) from rebate.entries)),
  ('payouts', (select count(*)::text from rebate.payouts));
do $$
begin
  perform orders.pay_order('{"id":"oX","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":1}]}');
  insert into seen values ('pay', 'allowed');
exception when insufficient_privilege then
  insert into seen values ('pay', 'refused');
end
$$;
do $$
begin
  update rebate.entries set paid = 0;
  insert into seen values ('write', 'allowed');
exception when insufficient_privilege then
  insert into seen values ('write', 'refused');
end
$$;
do $$
begin
  perform 1 from rebate.queue_ops;
  insert into seen values ('journal', 'allowed');
exception when insufficient_privilege then
  insert into seen values ('journal', 'refused');
end
$$;
reset role;

select is((select value from seen where what = 'uid'), '00000000-0000-0000-0000-00000000000a', 'auth.uid() reads the JWT sub');
select is((select value from seen where what = 'role'), 'authenticated', 'auth.role() reads the JWT role');
select is((select value from seen where what = 'members'), 'A', 'Members can read their own member row (only)');
select is((select value from seen where what = 'accounts'), 'coupons:A,love:A,points:A,wallet:A:available,wallet:A:frozen',
  'Members can read their own wallet accounts (only)');
select is((select value from seen where what = 'postings'), '1', 'Members can read the postings of their own accounts (only)');
select is((select value from seen where what = 'orders'), 'oA', 'Members can read their own orders (only)');
select is((select value from seen where what = 'lines'), 'oA', 'Members can read the lines of their own orders (only)');
select is((select value from seen where what = 'entries'), 'oA', 'Members can read their own queue entries (only)');
select is((select value from seen where what = 'payouts'), '1', 'Members can read the payouts to their own entries (only)');
select is((select value from seen where what = 'pay'), 'refused', 'a client cannot call pay_order');
select is((select value from seen where what = 'write'), 'refused', 'a client cannot write its entries');
select is((select value from seen where what = 'journal'), 'refused', 'a client cannot read the queue journal');

-- Signed in as B: sees B's rows; signed out (anon): nothing at all.
delete from seen;
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-00000000000b","role":"authenticated"}', true);
insert into seen values ('entries', (select string_agg(order_id, ',') from rebate.entries)),
                        ('payouts', (select count(*)::text from rebate.payouts));
reset role;
select is((select value from seen where what = 'entries'), 'oB', 'B sees only B''s entries');
select is((select value from seen where what = 'payouts'), '0', 'B received nothing yet, and sees no one else''s payouts');

delete from seen;
set local role anon;
select set_config('request.jwt.claims', '', true);
do $$
begin
  perform 1 from members.members;
  insert into seen values ('anon', 'allowed');
exception when insufficient_privilege then
  insert into seen values ('anon', 'refused');
end
$$;
reset role;
select is((select value from seen where what = 'anon'), 'refused', 'anon reads no member data');

delete from seen;
set local role service_role;
do $$
begin
  perform orders.pay_order('{"id":"oS","user":"B","at":"2026-01-01T10:02:00+08:00","lines":[{"product":"p1","paid":10000}]}');
  insert into seen values ('service', 'allowed');
end
$$;
insert into seen values ('service-read', (select count(*)::text from rebate.entries));
reset role;
select is((select value from seen where what = 'service'), 'allowed', 'service_role pays orders through the function');
select is((select value from seen where what = 'service-read'), '3', 'service_role reads everything (bypasses RLS)');

select * from finish();
rollback;
