-- RLS and privileges over every table of the product's schemas, found in
-- pg_class / pg_namespace (a table added later is covered without editing
-- this file):
--   (a) every table has row level security enabled;
--   (b) anon reads only the public catalogue, and nothing personal in it;
--   (c) signed in as member A, no row of member B is visible in any table
--       a member can read (orders, lines, refunds, withdrawals, inbox,
--       profiles, wallet accounts and postings, entries, payouts, ...),
--       and neither the tables nor the api functions let A change B's rows;
--   (d) no client role (anon, authenticated) holds INSERT / UPDATE / DELETE /
--       TRUNCATE on any table (money tables included) or any sequence, and
--       service_role writes no table directly either (money moves only in
--       security definer functions).
begin;
select plan(31);

-- The product's schemas: everything but Postgres's and Supabase's own.
create temp view our_tables as
  select c.oid::regclass as tbl, n.nspname as schema, c.relname as name, c.relrowsecurity as rls, c.relkind
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f')
    and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'auth', 'storage', 'realtime', 'extensions',
                          'supabase_functions', 'supabase_migrations', 'vault', 'graphql', 'graphql_public', 'pgsodium',
                          'pgsodium_masks', 'net', 'cron', 'pgbouncer')
    and n.nspname !~ '^pg_temp|^pg_toast'
    -- Objects of extensions (pgTAP's views in public, ...) are not ours.
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e');
-- The public catalogue: the only tables a signed-out visitor may read.
create temp table public_catalogue (tbl regclass primary key);
insert into public_catalogue values ('app.categories'), ('app.listings'), ('app.stores'), ('app.cashiers');
grant select on our_tables, public_catalogue to anon, authenticated;

-- ------------------------------------------------------------------ (a)

select ok((select count(*) from our_tables where relkind in ('r', 'p')) >= 30, 'the product''s schemas hold its tables (the filter finds them)');
select is_empty($$select tbl::text from our_tables where relkind in ('r', 'p') and not rls$$,
  '(a) every table in the product''s schemas has row level security enabled');
select is_empty($$select tbl::text from our_tables where relkind in ('v', 'm')
  and (has_table_privilege('anon', tbl, 'select') or has_table_privilege('authenticated', tbl, 'select'))$$,
  '(a) no view (which would bypass RLS as its owner) is readable by a client role');

-- ------------------------------------------------------------------ (d) structure

create temp view client_writes as
  select t.tbl::text as tbl, r.role, p.priv
  from our_tables t
  cross join (values ('anon'), ('authenticated'), ('public')) r(role)
  cross join (values ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(priv)
  where case when r.role = 'public'
             then exists (select 1 from aclexplode(coalesce((select relacl from pg_class where oid = t.tbl), '{}')) a
                          where a.grantee = 0 and a.privilege_type = p.priv)
             else has_table_privilege(r.role, t.tbl, p.priv)
                  or (p.priv in ('INSERT', 'UPDATE', 'REFERENCES') and has_any_column_privilege(r.role, t.tbl, p.priv)) end;
select is_empty($$select * from client_writes$$,
  '(d) no client role (anon, authenticated, PUBLIC) can insert, update, delete, truncate, reference or trigger any table');
select is_empty($$select tbl::text, p.priv from our_tables t
  cross join (values ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) p(priv)
  where has_table_privilege('service_role', t.tbl, p.priv)
     or (p.priv in ('INSERT', 'UPDATE') and has_any_column_privilege('service_role', t.tbl, p.priv))$$,
  '(d) service_role writes no table directly (notifies and jobs go through definer functions)');
select is_empty($$select t.tbl::text from our_tables t
  where (t.schema in ('ledger', 'orders', 'rebate', 'distribution')
         or t.tbl in ('app.orders'::regclass, 'app.order_lines'::regclass, 'app.payments'::regclass, 'app.refunds'::regclass,
                      'app.withdrawals'::regclass))
    and (has_table_privilege('authenticated', t.tbl, 'INSERT') or has_table_privilege('authenticated', t.tbl, 'UPDATE')
         or has_table_privilege('authenticated', t.tbl, 'DELETE') or has_table_privilege('anon', t.tbl, 'INSERT')
         or has_table_privilege('anon', t.tbl, 'UPDATE') or has_table_privilege('anon', t.tbl, 'DELETE'))$$,
  '(d) money tables (ledger, orders, entries, payouts, rewards, payments, refunds, withdrawals) are read-only to clients');
select is_empty($$select c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'S' and n.nspname in (select distinct schema from our_tables)
    and (has_sequence_privilege('anon', c.oid, 'USAGE') or has_sequence_privilege('anon', c.oid, 'UPDATE')
         or has_sequence_privilege('authenticated', c.oid, 'USAGE') or has_sequence_privilege('authenticated', c.oid, 'UPDATE'))$$,
  '(d) no client role can draw from or set any sequence');
select is_empty($$select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in (select distinct schema from our_tables) and p.prosecdef
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    and not ('search_path=""' = any (coalesce(p.proconfig, '{}')))$$,
  'every security definer function pins search_path = ''''');

-- ------------------------------------------------------------------ (b) structure

select is_empty($$select tbl::text from our_tables
  where has_table_privilege('anon', tbl, 'select') and tbl not in (select tbl from public_catalogue)$$,
  '(b) anon can read no table but the public catalogue');
select is_empty($$select c.table_schema || '.' || c.table_name || '.' || c.column_name from information_schema.columns c
  join our_tables t on t.schema = c.table_schema and t.name = c.table_name
  where c.column_name ~ '(member|owner|openid|unionid|auth_user|payer|recruiter|user_id|license)'
    and (has_column_privilege('anon', t.tbl, c.column_name, 'select') or
         (t.tbl in (select tbl from public_catalogue) and has_column_privilege('authenticated', t.tbl, c.column_name, 'select')))$$,
  '(b) no column a visitor can read names a person (member, owner, openid, payer, recruiter ...)');
select is_empty($$select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in (select distinct schema from our_tables) and has_function_privilege('anon', p.oid, 'execute')
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    and p.oid::regprocedure::text not in ('api.settings_display(jsonb)', 'api.catalog_home(jsonb)', 'api.catalog_categories(jsonb)',
      'api.catalog_products(jsonb)', 'api.catalog_product(jsonb)', 'api.cashier_info(jsonb)',
      'members.current_member_id()', 'app.page_cursor(jsonb,bigint)')$$,
  '(b) anon can call only the public catalogue functions');

-- ------------------------------------------------------------------ fixture: members A and B with rows everywhere

do $$
begin
  perform catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
  perform catalog.upsert_product('{"id":"p9","price":500,"source":"self","cost":100,"queue":{}}');
end
$$;
insert into app.listings (id, kind, source, title, stock, on_sale) values ('p1', 'product', 'self', '测试大米', 100, true),
  ('p9', 'product', 'self', '已下架', 10, false);

create temp table fx (key text primary key, value text);
grant all on fx to anon, authenticated;
insert into fx select 'a', (r ->> 'memberId') from (select app.login_wechat('openid-rls-a', null, 'weapp', null) r) x;
insert into fx select 'a_user', (select auth_user_id::text from app.profiles where member_id = (select value from fx where key = 'a'));
insert into fx select 'b', (r ->> 'memberId') from (select app.login_wechat('openid-rls-b', 'union-b', 'weapp', null) r) x;
insert into fx select 'b_user', (select auth_user_id::text from app.profiles where member_id = (select value from fx where key = 'b'));
-- Money in both wallets (as the engine would post it).
do $$
begin
  perform ledger.transfer('test-fund-' || k, 'adjust', array[row('world', 'CNY', -5000)::ledger.leg,
    row('wallet:' || (select value from fx where key = k) || ':available', 'CNY', 5000)::ledger.leg]) from unnest(array['a', 'b']) k;
end
$$;

-- Each member, as themself: a paid order (refund requested for B), an unpaid one, a withdrawal,
-- a merchant application, a subscription.
create temp table acting (k text);
grant all on acting to authenticated;
do $$
declare
  k text;
  v jsonb;
begin
  foreach k in array array['a', 'b'] loop
    perform set_config('request.jwt.claims', json_build_object('sub', (select value from fx where key = k || '_user'), 'role', 'authenticated')::text, true);
    set local role authenticated;
    v := api.orders_checkout('{"lines":[{"productId":"p1","quantity":1}],"usePoints":false,"useLove":false,"useCoupon":false,"platform":"weapp"}');
    insert into fx values (k || '_paid', v ->> 'orderId');
    v := api.orders_checkout('{"lines":[{"productId":"p1","quantity":2}],"usePoints":false,"useLove":false,"useCoupon":false,"platform":"weapp"}');
    insert into fx values (k || '_unpaid', v ->> 'orderId');
    v := api.wallet_withdraw('{"amount":1000}');
    insert into fx values (k || '_withdrawal', v ->> 'withdrawalId');
    perform api.merchant_apply('{"storeName":"店","contactName":"张三","phone":"13800000000","address":"某路 1 号","category":"餐饮","licenseNo":"L1","intro":""}');
    perform api.inbox_subscribed('{"kinds":["entryJoined"]}');
    reset role;
    -- WeChat confirms the first order (service side).
    perform app.confirm_payment((select value from fx where key = k || '_paid'), 'tx-rls-' || k, 10000, 'openid-rls-' || k, now());
    perform app.record_prepay((select value from fx where key = k || '_unpaid'), 'wx-prepay-' || k);
  end loop;
  perform set_config('request.jwt.claims', json_build_object('sub', (select value from fx where key = 'b_user'), 'role', 'authenticated')::text, true);
  set local role authenticated;
  perform api.orders_refund(jsonb_build_object('orderId', (select value from fx where key = 'b_paid'), 'reason', '不想要了'));
  reset role;
end
$$;
insert into fx select 'b_entry', id::text from rebate.entries where order_id = (select value from fx where key = 'b_paid');
insert into fx select 'b_inbox', string_agg(id::text, ',') from app.inbox where member_id = (select value from fx where key = 'b');

-- Who owns a row of each table, as an expression over the row `x` (null: not a member's table).
create temp table owners (tbl regclass primary key, expr text, readable boolean, owned_a bigint, owned_b bigint, total bigint);
grant all on owners to authenticated;
insert into owners (tbl, expr, readable)
select t.tbl,
  case
    when t.tbl in (select tbl from public_catalogue) then null
    when t.tbl = 'members.members'::regclass then 'x.id'
    when cols @> '{member_id}' then 'x.member_id'
    when cols @> '{owner_member}' then 'x.owner_member'
    when cols @> '{owner_member_id}' then 'x.owner_member_id'
    when cols @> '{order_id}' then 'coalesce((select o.member_id from app.orders o where o.id = x.order_id), (select o.member_id from orders.orders o where o.id = x.order_id))'
    when cols @> '{account_id}' then '(select a.owner_member from ledger.accounts a where a.id = x.account_id)'
    when cols @> '{entry_id}' then '(select e.member_id from rebate.entries e where e.id = x.entry_id)'
  end,
  has_table_privilege('authenticated', t.tbl, 'select')
from our_tables t
cross join lateral (select array_agg(attname::text) as cols from pg_attribute where attrelid = t.tbl and attnum > 0 and not attisdropped) c
where t.relkind in ('r', 'p');

do $$
declare
  r record;
begin
  for r in select * from owners where expr is not null loop
    execute format('update owners set owned_a = (select count(*) from %s x where (%s) = %L),
                                      owned_b = (select count(*) from %s x where (%s) = %L),
                                      total = (select count(*) from %s x) where tbl = %L::regclass',
      r.tbl, r.expr, (select value from fx where key = 'a'), r.tbl, r.expr, (select value from fx where key = 'b'), r.tbl, r.tbl);
  end loop;
end
$$;

select is_empty($$select tbl::text from owners where readable and expr is null and tbl not in (select tbl from public_catalogue)$$,
  '(c) every table a member can read says whose each row is (member / owner / order / account / entry)');
select is_empty($$select k from unnest(array['app.orders', 'app.order_lines', 'app.payments', 'app.refunds', 'app.withdrawals',
    'app.inbox', 'app.profiles', 'app.merchant_applications', 'app.subscriptions', 'ledger.accounts', 'ledger.entries',
    'orders.orders', 'orders.lines', 'rebate.entries', 'members.members']) k
  where coalesce((select owned_b from owners where tbl = k::regclass), 0) = 0$$,
  'fixture: B has rows in every member-facing table (orders, lines, payments, refunds, withdrawals, inbox, wallet, entries ...)');

-- B's rows as they are now, to compare after A has tried everything.
create temp table b_digest as
select md5(string_agg(d, '|' order by d)) as digest from (
  select 'o' || to_jsonb(o)::text as d from app.orders o where member_id = (select value from fx where key = 'b')
  union all select 'l' || to_jsonb(l)::text from app.order_lines l where order_id in (select id from app.orders where member_id = (select value from fx where key = 'b'))
  union all select 'r' || to_jsonb(r)::text from app.refunds r where order_id in (select id from app.orders where member_id = (select value from fx where key = 'b'))
  union all select 'w' || to_jsonb(w)::text from app.withdrawals w where member_id = (select value from fx where key = 'b')
  union all select 'i' || to_jsonb(i)::text from app.inbox i where member_id = (select value from fx where key = 'b')
  union all select 'p' || to_jsonb(p)::text from app.profiles p where member_id = (select value from fx where key = 'b')
  union all select 'm' || to_jsonb(m)::text from app.merchant_applications m where member_id = (select value from fx where key = 'b')
  union all select 'a' || to_jsonb(a)::text from ledger.accounts a where owner_member = (select value from fx where key = 'b')
  union all select 'e' || to_jsonb(e)::text from rebate.entries e where member_id = (select value from fx where key = 'b')
) x;

-- ------------------------------------------------------------------ (b) behaviour: signed out

create temp table seen (who text, tbl text, visible bigint, foreign_rows bigint, outcome text);
grant all on seen to anon, authenticated;

set local role anon;
do $$ begin perform set_config('request.jwt.claims', '{"role":"anon"}', true); end $$;
do $$
declare
  r record;
  n bigint;
begin
  for r in select tbl from our_tables where relkind in ('r', 'p') loop
    begin
      execute format('select count(*) from %s', r.tbl) into n;
      insert into seen values ('anon', r.tbl::text, n, null, 'read');
    exception when insufficient_privilege then
      insert into seen values ('anon', r.tbl::text, null, null, 'refused');
    end;
  end loop;
end
$$;
reset role;

select is_empty($$select tbl from seen where who = 'anon' and outcome = 'read' and tbl::regclass not in (select tbl from public_catalogue)$$,
  '(b) signed out, every table but the public catalogue refuses to be read');
select is((select visible from seen where who = 'anon' and tbl = 'app.listings'), (select count(*) from app.listings where on_sale),
  '(b) signed out, only listings on sale are visible (not the one taken off sale)');
select ok((select visible from seen where who = 'anon' and tbl = 'app.listings') > 0, '(b) ... and those are visible (the check can fail)');

-- ------------------------------------------------------------------ (c) behaviour: A reads

do $$ begin perform set_config('request.jwt.claims', json_build_object('sub', (select value from fx where key = 'a_user'), 'role', 'authenticated')::text, true); end $$;
set local role authenticated;
do $$
declare
  r record;
  v bigint;
  n bigint;
  me text := (select value from fx where key = 'a');
begin
  for r in select * from owners where readable and expr is not null loop
    execute format('select count(*), count(*) filter (where (%s) is distinct from %L) from %s x', r.expr, me, r.tbl) into v, n;
    insert into seen values ('a', r.tbl::text, v, n, 'read');
  end loop;
end
$$;
reset role;

select is_empty($$select tbl, foreign_rows from seen where who = 'a' and foreign_rows <> 0$$,
  '(c) signed in as A, no row A can see in any table belongs to someone else');
select is_empty($$select s.tbl, s.visible, o.owned_a from seen s join owners o on o.tbl = s.tbl::regclass
  where s.who = 'a' and s.visible <> o.owned_a$$,
  '(c) ... and A sees exactly A''s own rows (RLS filters, it does not just hide everything)');
select ok((select sum(visible) from seen where who = 'a') >= 10, '(c) A does see rows of A''s own');
select is((select visible from seen where who = 'a' and tbl = 'ledger.accounts'),
  (select count(*) from ledger.accounts where owner_member = (select value from fx where key = 'a')),
  '(c) wallet: A sees A''s own accounts, not B''s (wallet:B:available / frozen, points, love, coupons)');

-- ------------------------------------------------------------------ (c) + (d) behaviour: A writes

set local role authenticated;
do $$
declare
  r record;
  col text;
  op text;
begin
  for r in select tbl from our_tables where relkind in ('r', 'p') loop
    select attname into col from pg_attribute
    where attrelid = r.tbl and attnum > 0 and not attisdropped and attidentity = '' and attgenerated = '' order by attnum limit 1;
    foreach op in array array['insert', 'update', 'delete', 'truncate'] loop
      begin
        execute case op
          when 'insert' then format('insert into %s default values', r.tbl)
          when 'update' then format('update %s set %I = %I', r.tbl, col, col)
          when 'delete' then format('delete from %s', r.tbl)
          else format('truncate %s', r.tbl) end;
        insert into seen values ('a-write', r.tbl::text, null, null, op || ': allowed');
      exception
        when insufficient_privilege then insert into seen values ('a-write', r.tbl::text, null, null, op || ': refused');
        when others then insert into seen values ('a-write', r.tbl::text, null, null, op || ': ' || sqlstate);
      end;
    end loop;
  end loop;
end
$$;
reset role;
select is_empty($$select tbl, outcome from seen where who = 'a-write' and outcome !~ ': refused$'$$,
  '(d) signed in, every insert / update / delete / truncate on every table is refused for lack of privilege');
select is((select count(*)::int from seen where who = 'a-write'), (select count(*)::int * 4 from our_tables where relkind in ('r', 'p')),
  '(d) ... all four tried on every table');

-- Through the api functions: B's rows are not found, not changeable.
create temp table api_tries (what text, outcome text);
grant all on api_tries to authenticated;
set local role authenticated;
do $$
declare
  b_paid text := (select value from fx where key = 'b_paid');
  b_unpaid text := (select value from fx where key = 'b_unpaid');
  b_entry text := (select value from fx where key = 'b_entry');
  b_withdrawal text := (select value from fx where key = 'b_withdrawal');
  t record;
begin
  for t in select * from (values
      ('orders_detail', jsonb_build_object('orderId', b_paid)),
      ('orders_detail (unpaid)', jsonb_build_object('orderId', b_unpaid)),
      ('orders_pay_info', jsonb_build_object('orderId', b_unpaid)),
      ('orders_refund', jsonb_build_object('orderId', b_paid, 'reason', 'x')),
      ('queue_entry', jsonb_build_object('entryId', b_entry)),
      ('queue_exchange_preview', jsonb_build_object('entryId', b_entry)),
      ('queue_draw', jsonb_build_object('entryId', b_entry)),
      ('queue_exchange', jsonb_build_object('entryId', b_entry, 'to', 'points')),
      ('admin_withdrawal_review', jsonb_build_object('withdrawalId', b_withdrawal, 'approve', false, 'reason', 'x')),
      ('admin_refund_review', jsonb_build_object('outRefundNo', 'R' || b_paid, 'approve', true)),
      ('admin_withdrawals', '{}'::jsonb)) as x(fn, p)
  loop
    begin
      execute format('select api.%s($1)', split_part(t.fn, ' ', 1)) using t.p;
      insert into api_tries values (t.fn, 'answered');
    exception when others then
      insert into api_tries values (t.fn, sqlstate);
    end;
  end loop;
  -- Reads that answer for the caller only.
  insert into api_tries values ('orders_payment_of', coalesce(api.orders_payment_of('{"paymentId":"wx-prepay-b"}')::text, 'null'));
  insert into api_tries values ('orders_list', (select count(*)::text from jsonb_array_elements(api.orders_list('{}') -> 'items') i
    where i ->> 'orderId' in (b_paid, b_unpaid)));
  insert into api_tries values ('wallet_withdrawals', (select count(*)::text from jsonb_array_elements(api.wallet_withdrawals('{}') -> 'items') i
    where i ->> 'withdrawalId' = b_withdrawal));
  insert into api_tries values ('inbox_list', (select count(*)::text from jsonb_array_elements(api.inbox_list('{}') -> 'items') i
    where i ->> 'id' = any (string_to_array((select value from fx where key = 'b_inbox'), ','))));
  insert into api_tries values ('wallet_summary', (api.wallet_summary('{}') ->> 'available'));
  -- Marking B's messages read (ids guessed from A's own, which are near).
  perform api.inbox_mark_read(jsonb_build_object('ids', (select jsonb_agg(g::text) from generate_series(1, 200) g)));
end
$$;
reset role;

select results_eq($$select what, outcome from api_tries where what not in ('orders_payment_of', 'orders_list', 'wallet_withdrawals', 'inbox_list', 'wallet_summary') order by what$$,
  $$values ('admin_refund_review', '42501'), ('admin_withdrawal_review', '42501'), ('admin_withdrawals', '42501'),
           ('orders_detail', 'P0002'), ('orders_detail (unpaid)', 'P0002'), ('orders_pay_info', 'P0002'), ('orders_refund', 'P0002'),
           ('queue_draw', 'P0002'), ('queue_entry', 'P0002'), ('queue_exchange', 'P0002'), ('queue_exchange_preview', 'P0002')$$,
  '(c) api functions called by A with B''s order, entry, withdrawal or refund: not found (P0002), or forbidden (42501) for operator actions');
select is((select outcome from api_tries where what = 'orders_payment_of'), 'null', '(c) A cannot resolve B''s WeChat prepay id to an order');
select is((select outcome from api_tries where what = 'orders_list'), '0', '(c) A''s order list has none of B''s orders');
select is((select outcome from api_tries where what = 'wallet_withdrawals'), '0', '(c) A''s withdrawals (read under RLS) have none of B''s');
select is((select outcome from api_tries where what = 'inbox_list'), '0', '(c) A''s inbox (read under RLS) has none of B''s messages');
select is((select outcome::bigint from api_tries where what = 'wallet_summary'),
  ledger.balance('wallet:' || (select value from fx where key = 'a') || ':available'),
  '(c) A''s wallet summary is A''s own balance (4000 after the withdrawal), not B''s');
select is((select count(*)::int from app.inbox where member_id = (select value from fx where key = 'b') and read_at is not null), 0,
  '(c) marking every message id read as A leaves B''s inbox unread');
select is((select digest from b_digest), (
  select md5(string_agg(d, '|' order by d)) from (
    select 'o' || to_jsonb(o)::text as d from app.orders o where member_id = (select value from fx where key = 'b')
    union all select 'l' || to_jsonb(l)::text from app.order_lines l where order_id in (select id from app.orders where member_id = (select value from fx where key = 'b'))
    union all select 'r' || to_jsonb(r)::text from app.refunds r where order_id in (select id from app.orders where member_id = (select value from fx where key = 'b'))
    union all select 'w' || to_jsonb(w)::text from app.withdrawals w where member_id = (select value from fx where key = 'b')
    union all select 'i' || to_jsonb(i)::text from app.inbox i where member_id = (select value from fx where key = 'b')
    union all select 'p' || to_jsonb(p)::text from app.profiles p where member_id = (select value from fx where key = 'b')
    union all select 'm' || to_jsonb(m)::text from app.merchant_applications m where member_id = (select value from fx where key = 'b')
    union all select 'a' || to_jsonb(a)::text from ledger.accounts a where owner_member = (select value from fx where key = 'b')
    union all select 'e' || to_jsonb(e)::text from rebate.entries e where member_id = (select value from fx where key = 'b')
  ) x),
  '(c) after everything A tried, every row of B is exactly as it was');
select isnt((select count(*)::int from app.inbox where member_id = (select value from fx where key = 'a') and read_at is not null), 0,
  '(c) ... while A''s own messages did get marked read (the call worked)');

select * from finish();
rollback;
