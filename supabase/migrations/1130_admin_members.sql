-- Admin actions: members (search, detail with orders, entries, wallet,
-- referrer and team; set a member's level) and the level editor (member
-- levels and promoter levels are one table, catalog.levels: `ratio` is the
-- member-level reward ratio, `teamRatio` the promoter level's team ratio,
-- `shareholder` the dividend flag). Levels are written through the engine's
-- catalog.upsert_level; their display names live in app.level_names.

create table app.level_names (
  level_id text primary key references catalog.levels (id),
  name text not null check (char_length(name) between 1 and 20)
);
alter table app.level_names enable row level security;
-- Read through the console's functions only (the shop shows level ids for now).
revoke all on app.level_names from public, anon, authenticated;

create or replace function ops.balance(p_code text) returns bigint
language sql stable
set search_path = ''
as $$ select coalesce((select balance from ledger.accounts where code = p_code), 0) $$;

create or replace function ops.member_name(p_member text) returns text
language sql stable
set search_path = ''
as $$ select coalesce(nullif((select nickname from app.profiles where member_id = p_member), ''), '会员' || p_member) $$;

create or replace function ops.member_row(p_member text) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', m.id, 'nickname', coalesce(pr.nickname, ''), 'avatarUrl', pr.avatar_url,
    'levelId', m.level_id, 'levelName', coalesce((select n.name from app.level_names n where n.level_id = m.level_id), m.level_id),
    'referrerId', m.referrer_id,
    'isShareholder', coalesce((select lv.shareholder from catalog.levels lv where lv.id = m.level_id), false),
    'isMerchant', exists (select 1 from app.stores s where s.owner_member_id = m.id),
    'joinedAt', m.created_at,
    'orderCount', (select count(*) from app.orders o where o.member_id = m.id and o.status in ('paid', 'completed', 'refunding')),
    'available', ops.balance('wallet:' || m.id || ':available'),
    'frozen', ops.balance('wallet:' || m.id || ':frozen'))
  from members.members m left join app.profiles pr on pr.member_id = m.id
  where m.id = p_member
$$;

create or replace function admin.members_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_kw text := ops.opt_text(p, 'keyword');
  v_items jsonb;
  v_total bigint;
begin
  perform ops.authorize('canViewMembers');
  pg := ops.page(p);
  with f as (
    select m.id, m.created_at from members.members m left join app.profiles pr on pr.member_id = m.id
    where (v_kw is null or m.id = v_kw or pr.nickname ilike '%' || v_kw || '%' or pr.invite_code = upper(v_kw))
      and (ops.opt_text(p, 'levelId') is null or m.level_id = p ->> 'levelId')
      and (ops.opt_text(p, 'referrerId') is null or m.referrer_id = p ->> 'referrerId'))
  select (select count(*) from f),
         coalesce((select jsonb_agg(ops.member_row(x.id) order by x.created_at desc, x.id)
                   from (select * from f order by created_at desc, id limit pg.lim offset pg.off) x), '[]')
  into v_total, v_items;
  return jsonb_build_object('items', v_items, 'total', v_total);
end
$$;

create or replace function ops.entry_json(e rebate.entries) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('entryId', e.id::text, 'queueKey', q.key, 'seq', e.seq, 'orderId', e.order_id, 'line', e.line,
    'memberId', e.member_id, 'memberName', ops.member_name(e.member_id), 'base', e.base, 'ratio', util.ratio_text(e.ratio),
    'entitlement', e.entitlement, 'paid', e.paid, 'status', e.status, 'orderCompleted', e.order_completed, 'joinedAt', e.created_at)
  from rebate.queues q where q.id = e.queue_id
$$;

create or replace function ops.order_row(o app.orders) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', o.id, 'kind', o.kind, 'status', o.status, 'memberId', o.member_id,
    'memberName', ops.member_name(o.member_id), 'storeId', o.store_id,
    'title', coalesce(case when o.kind = 'cashier' then (select s.name from app.stores s where s.store_id = o.store_id) end,
                      (select l.title from app.order_lines l where l.order_id = o.id order by l.line limit 1), o.id),
    'goodsTotal', o.goods_total, 'payable', o.payable, 'createdAt', o.created_at, 'paidAt', o.paid_at)
$$;

create or replace function admin.members_detail(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_id text := p ->> 'id';
  m members.members;
begin
  perform ops.authorize('canViewMembers');
  select * into m from members.members where id = v_id;
  if not found then perform app.not_found('id', '会员不存在'); end if;
  return jsonb_build_object(
    'member', ops.member_row(m.id),
    'wallet', jsonb_build_object(
      'available', ops.balance('wallet:' || m.id || ':available'), 'frozen', ops.balance('wallet:' || m.id || ':frozen'),
      'withdrawing', (select coalesce(sum(w.amount), 0) from app.withdrawals w
                      where w.member_id = m.id and w.status in ('reviewing', 'approved', 'paying')),
      'points', ops.balance('points:' || m.id), 'love', ops.balance('love:' || m.id), 'coupon', ops.balance('coupons:' || m.id)),
    'referrer', case when m.referrer_id is not null then jsonb_build_object('id', m.referrer_id, 'nickname', ops.member_name(m.referrer_id)) end,
    'team', jsonb_build_object(
      'direct', (select count(*) from members.members d where d.referrer_id = m.id),
      'indirect', (select count(*) from members.members d join members.members i on i.referrer_id = d.id where d.referrer_id = m.id),
      'directMembers', coalesce((select jsonb_agg(jsonb_build_object('id', d.id, 'nickname', ops.member_name(d.id), 'joinedAt', d.created_at)
                                                  order by d.created_at desc)
                                 from (select * from members.members d where d.referrer_id = m.id order by d.created_at desc limit 50) d), '[]'),
      -- The second level: referees of the direct referees (upline[2] in distribution.uplines), with who brought them.
      'indirectMembers', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'nickname', ops.member_name(i.id), 'joinedAt', i.created_at,
                                                                       'referrerId', i.referrer_id, 'referrerNickname', ops.member_name(i.referrer_id))
                                                    order by i.created_at desc, i.id)
                                   from (select i.* from members.members d join members.members i on i.referrer_id = d.id
                                         where d.referrer_id = m.id order by i.created_at desc, i.id limit 50) i), '[]')),
    'orders', coalesce((select jsonb_agg(ops.order_row(o) order by o.created_at desc)
                        from (select * from app.orders o where o.member_id = m.id order by o.created_at desc limit 20) o), '[]'),
    'entries', coalesce((select jsonb_agg(ops.entry_json(e) order by e.id desc)
                         from (select * from rebate.entries e where e.member_id = m.id order by e.id desc limit 50) e), '[]'));
end
$$;

create or replace function admin.members_set_level(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before jsonb;
  v_level text;
begin
  perform ops.authorize('canEditMembers');
  perform 1 from members.members where id = p ->> 'id' for update;
  if not found then perform app.not_found('id', '会员不存在'); end if;
  v_level := ops.expect_ref(p -> 'levelId', 'levelId', 'catalog.levels');
  v_before := ops.member_row(p ->> 'id');
  update members.members set level_id = v_level, updated_at = now() where id = p ->> 'id';
  perform ops.audit('members.setLevel', 'member', p ->> 'id', jsonb_build_object('levelId', v_before -> 'levelId'),
                    jsonb_build_object('levelId', v_level));
  return jsonb_build_object('member', ops.member_row(p ->> 'id'));
end
$$;

create or replace function ops.level_json(lv catalog.levels) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', lv.id, 'name', coalesce((select n.name from app.level_names n where n.level_id = lv.id), lv.id),
    'ratio', util.ratio_text(lv.ratio), 'teamRatio', util.ratio_text(lv.team_ratio), 'shareholder', coalesce(lv.shareholder, false),
    'rank', lv.rank, 'memberCount', (select count(*) from members.members m where m.level_id = lv.id))
$$;

create or replace function admin.members_levels(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewMembers');
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.level_json(lv) order by lv.def_index, lv.id) from catalog.levels lv), '[]'));
end
$$;

/** Creates or updates a level through catalog.upsert_level (keeping its upgrade conditions) and its name. */
create or replace function admin.members_level_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  old catalog.levels;
  v_before jsonb;
  v_name text;
  lv catalog.levels;
begin
  perform ops.authorize('canEditMembers');
  v_id := util.expect_id(p -> 'id', 'id');
  v_name := trim(util.expect_string(p -> 'name', 'name', 20));
  select * into old from catalog.levels where id = v_id for update;
  if found then v_before := ops.level_json(old); end if;
  perform catalog.upsert_level(jsonb_strip_nulls(jsonb_build_object(
    'id', v_id,
    'ratio', case when p ? 'ratio' then p -> 'ratio' else to_jsonb(util.ratio_text(old.ratio)) end,
    'teamRatio', case when p ? 'teamRatio' then p -> 'teamRatio' else to_jsonb(util.ratio_text(old.team_ratio)) end,
    'shareholder', case when p ? 'shareholder' then p -> 'shareholder' else to_jsonb(old.shareholder) end,
    'rank', case when p ? 'rank' then p -> 'rank' else to_jsonb(old.rank) end,
    'upgrade', old.upgrade)));
  insert into app.level_names (level_id, name) values (v_id, v_name)
  on conflict (level_id) do update set name = excluded.name;
  select * into lv from catalog.levels where id = v_id;
  perform ops.audit('members.levelSave', 'level', v_id, v_before, ops.level_json(lv));
  return jsonb_build_object('level', ops.level_json(lv));
end
$$;
