-- WeChat sign-in, profiles, masking, notifications and the promoter views.

/** Raises "not signed in / not a member" (42501) unless the caller is a member; returns the member id. */
create or replace function app.me() returns text
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v text := members.current_member_id();
begin
  if v is null then
    raise exception using errcode = '42501', message = '请先登录', hint = 'unauthenticated';
  end if;
  return v;
end
$$;

/** Operator functions call this first; raises 42501 for everyone else. */
create or replace function app.require_operator(p_roles text[] default array['admin', 'finance', 'support'])
returns text
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v text := app.me();
begin
  if not exists (select 1 from app.operators where member_id = v and role = any (p_roles)) then
    raise exception using errcode = '42501', message = '需要平台管理员权限', hint = 'forbidden';
  end if;
  return v;
end
$$;

/** How another member appears to a shopper: "张*", "李**四", "微信用户**3". */
create or replace function app.mask_name(p_nickname text, p_member_id text) returns text
language sql immutable
set search_path = ''
as $$
  -- First character + "**" whatever the length: the mask reveals neither the
  -- length nor the last character (鲍*, 卡*尔 did).
  select case
    when coalesce(p_nickname, '') = '' then '微信用户**' || right(p_member_id, 1)
    else left(p_nickname, 1) || '**'
  end
$$;

/** Bad input from a member: errcode 22023, the field in COLUMN (like util.fail), a Chinese message. */
create or replace function app.bad(p_field text, p_message text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using errcode = '22023', message = p_field || ': ' || p_message, column = p_field;
end
$$;

/** A request that does not fit the current state (409): e.g. paying a closed order. */
create or replace function app.conflict(p_message text, p_code text default 'conflict', p_field text default null) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using errcode = '55000', message = coalesce(p_field || ': ', '') || p_message,
    column = coalesce(p_field, ''), hint = p_code;
end
$$;

create or replace function app.not_found(p_field text, p_message text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0002', message = p_field || ': ' || p_message, column = p_field, hint = 'not_found';
end
$$;

/**
 * A page cursor that is a whole number (an id or an offset, as our own
 * nextCursor values are): null when absent or empty; anything else, or a
 * number above p_max, is bad input on `cursor` (never a cast error).
 */
create or replace function app.page_cursor(p jsonb, p_max bigint default 999999999999999999) returns bigint
language plpgsql immutable
set search_path = ''
as $$
declare
  v bigint;
begin
  if p -> 'cursor' is null or jsonb_typeof(p -> 'cursor') = 'null' or p ->> 'cursor' = '' then
    return null;
  end if;
  if jsonb_typeof(p -> 'cursor') = 'string' and (p ->> 'cursor') ~ '^[0-9]{1,18}$' then
    v := (p ->> 'cursor')::bigint;
  end if;
  if v is null or v > p_max then
    -- Inline, not app.bad: invoker functions (inbox_list) call this as the member.
    raise exception using errcode = '22023', message = 'cursor: 无效的游标', column = 'cursor';
  end if;
  return v;
end
$$;

/** Random [A-Z0-9] string (invite codes, ids). */
create or replace function app.random_code(p_length integer) returns text
language sql volatile
set search_path = ''
as $$
  select string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::int, 1), '')
  from generate_series(1, p_length)
$$;

/**
 * An inbox message (always) and, when the member accepted that kind of
 * subscribe message, one WeChat subscribe message in the outbox. The
 * dedupe key makes it idempotent: the same event never notifies twice.
 */
create or replace function app.notify(
  p_member text, p_kind text, p_title text, p_body text, p_link text, p_dedupe text, p_data jsonb default null
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inbox bigint;
begin
  insert into app.inbox (member_id, kind, title, body, link, dedupe_key, data)
  values (p_member, p_kind, p_title, p_body, p_link, p_dedupe, p_data)
  on conflict (dedupe_key) do nothing
  returning id into v_inbox;
  if v_inbox is null then
    return;
  end if;
  update app.subscriptions set credits = credits - 1, updated_at = now()
  where member_id = p_member and kind = p_kind and credits > 0;
  if found then
    insert into app.outbox (inbox_id, member_id, kind, page, data)
    values (v_inbox, p_member, p_kind, p_link,
            jsonb_build_object('title', p_title, 'body', p_body, 'at', now()));
  end if;
end
$$;

/** Binds p_member under the owner of an invite scene "i=<code>". Returns the reason code. */
create or replace function app.bind_referrer(p_member text, p_scene text) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_code text;
  v_referrer text;
  v_bound text;
begin
  v_code := substring(coalesce(p_scene, '') from '^i=([A-Z0-9]{6,10})$');
  if v_code is null then
    return 'invalid';
  end if;
  select member_id into v_referrer from app.profiles where invite_code = v_code;
  if v_referrer is null then
    return 'invalid';
  end if;
  select referrer_id into v_bound from members.members where id = p_member;
  if v_bound is not null then
    return 'alreadyBound';
  end if;
  if v_referrer = p_member then
    return 'self';
  end if;
  -- A referrer binds only when the member registers (wechat-login carrying
  -- the invite scene, docs/engine-semantics.md): never afterwards, which
  -- also rules out cycles.
  return 'registered';
end
$$;

/**
 * wechat-login: the member of an openid, created on first sight (auth user,
 * member with ledger accounts, profile with an invite code). An invite scene
 * binds the referrer of a new member. Serialised per openid.
 */
create or replace function app.login_wechat(p_openid text, p_unionid text, p_platform text, p_invite_scene text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_profile app.profiles;
  v_user uuid;
  v_member text;
  v_new boolean := false;
  v_bind text;
  v_inviter text;
begin
  if coalesce(p_openid, '') = '' or char_length(p_openid) > 64 then
    perform app.bad('openid', '无效的 openid');
  end if;
  if p_platform not in ('weapp', 'h5') then
    perform app.bad('platform', '须为 weapp 或 h5');
  end if;
  perform pg_advisory_xact_lock(hashtextextended('login:' || p_openid, 0));
  select * into v_profile from app.profiles where openid = p_openid for update;
  if found then
    update app.profiles
    set last_login_at = now(), unionid = coalesce(p_unionid, unionid), platform = p_platform
    where member_id = v_profile.member_id;
    v_user := v_profile.auth_user_id;
    v_member := v_profile.member_id;
  else
    v_new := true;
    v_user := gen_random_uuid();
    insert into auth.users (id, raw_app_meta_data)
    values (v_user, jsonb_build_object('provider', 'wechat', 'providers', jsonb_build_array('wechat')));
    v_member := 'u' || replace(left(v_user::text, 13), '-', '');
    -- A referrer binds only at registration (0008_distribution): the invite's inviter, if the scene is one.
    select pr.member_id into v_inviter from app.profiles pr
    where pr.invite_code = substring(coalesce(p_invite_scene, '') from '^i=([A-Z0-9]{6,10})$');
    perform members.upsert_member(jsonb_strip_nulls(jsonb_build_object('id', v_member, 'referrer', v_inviter)));
    update members.members set auth_user_id = v_user where id = v_member;
    loop
      begin
        insert into app.profiles (member_id, auth_user_id, openid, unionid, invite_code, platform)
        values (v_member, v_user, p_openid, p_unionid, app.random_code(8), p_platform);
        exit;
      exception when unique_violation then
        -- An invite code collision (1 in 32^8): draw again.
        if exists (select 1 from app.profiles where member_id = v_member) then exit; end if;
      end;
    end loop;
    if p_invite_scene is not null then
      v_bind := case when v_inviter is not null then 'bound' else 'invalid' end;
    end if;
    perform app.notify(v_member, 'system', '欢迎加入', '欢迎来到排队返利商城。消费即可排队，返利进度随时可查（以实际到账为准）。',
                       null, 'welcome:' || v_member);
  end if;
  return jsonb_build_object('userId', v_user, 'memberId', v_member, 'isNew', v_new, 'bind', v_bind);
end
$$;

/** UserProfile of the contract (own data only). */
create or replace function app.user_profile_json(p_member text) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', m.id,
    'nickname', coalesce(nullif(p.nickname, ''), '微信用户'),
    'avatarUrl', p.avatar_url,
    'level', m.level_id,
    'levelName', m.level_id,
    'hasReferrer', m.referrer_id is not null,
    'isPromoter', exists (select 1 from members.members d where d.referrer_id = m.id),
    'merchantStatus', coalesce(
      (select case when exists (select 1 from app.stores s where s.owner_member_id = m.id) then 'approved' end),
      (select a.status from app.merchant_applications a where a.member_id = m.id order by a.created_at desc limit 1),
      'none'))
  from members.members m left join app.profiles p on p.member_id = m.id
  where m.id = p_member
$$;

create or replace function api.user_profile(p jsonb default '{}') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  return jsonb_build_object(
    'user', app.user_profile_json(v_me),
    'counts', jsonb_build_object(
      'unpaidOrders', (select count(*) from app.orders where member_id = v_me and status = 'unpaid'),
      'waitingEntries', (select count(*) from rebate.entries where member_id = v_me and status in ('pending', 'waiting')),
      'unreadMessages', (select count(*) from app.inbox where member_id = v_me and read_at is null)));
end
$$;

/** Nickname / avatar from the mini-program's profile form. */
/** A URL the app may display or open: http(s), a host, no spaces or control characters, at most 500 characters. */
create or replace function app.is_web_url(p_url text) returns boolean
language sql immutable
set search_path = ''
as $$ select coalesce(char_length(p_url) <= 500 and p_url ~* '^https?://[^/?#[:space:][:cntrl:]]+([/?#][^[:space:][:cntrl:]]*)?$', false) $$;

create or replace function api.user_update(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  if p ? 'nickname' and (jsonb_typeof(p -> 'nickname') is distinct from 'string' or char_length(trim(p ->> 'nickname')) > 32) then
    perform app.bad('nickname', '昵称不能超过 32 个字');
  end if;
  -- Shown to other members: a web address (http/https) or nothing, never javascript:, data: and the like.
  if p ? 'avatarUrl' and jsonb_typeof(p -> 'avatarUrl') <> 'null'
     and (jsonb_typeof(p -> 'avatarUrl') is distinct from 'string' or not app.is_web_url(p ->> 'avatarUrl')) then
    perform app.bad('avatarUrl', '头像地址须为 http(s) 网址');
  end if;
  update app.profiles
  set nickname = coalesce(trim(p ->> 'nickname'), nickname),
      avatar_url = case when p ? 'avatarUrl' then p ->> 'avatarUrl' else avatar_url end
  where member_id = v_me;
  return app.user_profile_json(v_me);
end
$$;

-- ---------------------------------------------------------------- promoter

create or replace function api.promoter_invite(p jsonb default '{}') returns jsonb
language sql stable
security definer
set search_path = ''
as $$ select jsonb_build_object('scene', 'i=' || invite_code, 'code', invite_code) from app.profiles where member_id = app.me() $$;

create or replace function api.promoter_bind(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_reason text;
  v_ref text;
  v_name text;
begin
  if jsonb_typeof(p -> 'scene') is distinct from 'string' then
    perform app.bad('scene', '邀请码无效');
  end if;
  v_reason := app.bind_referrer(v_me, p ->> 'scene');
  select m.referrer_id into v_ref from members.members m where m.id = v_me;
  if v_ref is not null then
    select app.mask_name(nickname, member_id) into v_name from app.profiles where member_id = v_ref;
  end if;
  return jsonb_build_object(
    'bound', v_reason = 'bound',
    'referrer', case when v_ref is null then null else jsonb_build_object('maskedName', coalesce(v_name, app.mask_name('', v_ref))) end,
    'reason', v_reason);
end
$$;

/** Direct or indirect team members, masked, newest first; cursor = "<joined epoch micros>:<member id>". */
create or replace function api.promoter_team(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_tier text := p ->> 'tier';
  v_cursor text := nullif(p ->> 'cursor', '');
  v_items jsonb;
  v_next text;
begin
  if v_tier is null or v_tier not in ('direct', 'indirect') then
    perform app.bad('tier', '须为 direct 或 indirect');
  end if;
  -- Our own nextCursor: "<joined epoch micros>:<member id>".
  if v_cursor is not null and (jsonb_typeof(p -> 'cursor') is distinct from 'string' or v_cursor !~ '^[0-9]{1,17}:[A-Za-z0-9_.:-]{1,64}$') then
    perform app.bad('cursor', '无效的游标');
  end if;
  with team as (
    select m.id, m.created_at
    from members.members m
    where (v_tier = 'direct' and m.referrer_id = v_me)
       or (v_tier = 'indirect' and m.referrer_id in (select d.id from members.members d where d.referrer_id = v_me))
  ), page as (
    select t.* from team t
    where v_cursor is null
       or (t.created_at, t.id) < (to_timestamp(split_part(v_cursor, ':', 1)::numeric / 1e6), substr(v_cursor, strpos(v_cursor, ':') + 1))
    order by t.created_at desc, t.id desc
    limit v_limit + 1
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'maskedName', app.mask_name(pr.nickname, pg.id),
           'avatarUrl', pr.avatar_url,
           'joinedAt', pg.created_at,
           'orderCount', (select count(*) from orders.orders o where o.member_id = pg.id and o.status = 'completed'))
           order by pg.created_at desc, pg.id desc) filter (where pg.rn <= v_limit), '[]'),
         max(case when pg.rn = v_limit then (extract(epoch from pg.created_at) * 1e6)::bigint || ':' || pg.id end)
           filter (where (select count(*) from page) > v_limit)
  into v_items, v_next
  from (select page.*, row_number() over (order by created_at desc, id desc) as rn from page) pg
  left join app.profiles pr on pr.member_id = pg.id;
  return jsonb_build_object(
    'items', v_items,
    'nextCursor', v_next,
    'counts', jsonb_build_object(
      'direct', (select count(*) from members.members where referrer_id = v_me),
      'indirect', (select count(*) from members.members where referrer_id in (select id from members.members where referrer_id = v_me))));
end
$$;

/**
 * Distribution rewards of the caller (SPEC §6), newest first, from
 * distribution.my_rewards (0008_distribution.sql); cursor = the last item's id.
 */
create or replace function api.promoter_rewards(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_cursor bigint := app.page_cursor(p);
  v_items jsonb;
  v_more boolean;
begin
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id::text, 'kind', r.kind, 'amount', r.amount, 'status', r.status, 'orderId', r.order_id,
           'fromMaskedName', case when r.buyer_id is null then ''
                                  else app.mask_name((select pr.nickname from app.profiles pr where pr.member_id = r.buyer_id), r.buyer_id) end,
           'createdAt', r.created_at) order by r.id desc) filter (where r.rn <= v_limit), '[]'),
         count(*) > v_limit
  into v_items, v_more
  from (select x.*, row_number() over (order by x.id desc) as rn
        from distribution.my_rewards(v_limit + 1, v_cursor) x) r;
  return jsonb_build_object(
    'items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'id' end,
    'totals', (select jsonb_build_object('frozen', t.frozen, 'available', t.available, 'cancelled', t.cancelled)
               from distribution.my_reward_totals() t));
end
$$;
