-- 转让: points and love-value transfers between members by member code (the
-- invite code of app.profiles). The money moves in members.transfer
-- (0014_member_transfers.sql); this file resolves the code, reads the daily
-- limit, names bad fields in Chinese and notifies both sides in the inbox.

/**
 * app.site_content 'transferRule' = {"dailyLimit": {"points": N, "love": N}}:
 * what one member may send per kind per Shanghai day. A missing or invalid
 * value falls back to 50000 (¥500 of deductions at 1 unit = 1 fen).
 */
create or replace function app.transfer_rule() returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('dailyLimit', jsonb_build_object(
    'points', case when (r #>> '{dailyLimit,points}') ~ '^[0-9]{1,11}$' then (r #>> '{dailyLimit,points}')::bigint else 50000 end,
    'love', case when (r #>> '{dailyLimit,love}') ~ '^[0-9]{1,11}$' then (r #>> '{dailyLimit,love}')::bigint else 50000 end))
  from (select (select value from app.site_content where key = 'transferRule') as r) s
$$;

insert into app.site_content (key, value) values ('transferRule', '{"dailyLimit": {"points": 50000, "love": 50000}}')
on conflict (key) do nothing;

/** The member a code names (not the caller): 400 on a malformed code, 404 on an unknown one. */
create or replace function app.transfer_recipient(p jsonb, p_me text) returns app.profiles
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_code text;
  pr app.profiles;
begin
  if jsonb_typeof(p -> 'code') is distinct from 'string' then
    perform app.bad('code', '请输入会员码');
  end if;
  v_code := upper(btrim(p ->> 'code'));
  if v_code !~ '^[A-Z0-9]{6,10}$' then
    perform app.bad('code', '会员码为 6–10 位字母或数字');
  end if;
  select * into pr from app.profiles where invite_code = v_code;
  if not found then
    perform app.not_found('code', '没有这个会员码');
  end if;
  if pr.member_id = p_me then
    perform app.bad('code', '不能转让给自己');
  end if;
  return pr;
end
$$;

create or replace function app.transfer_unit(p_kind text) returns text
language sql immutable
set search_path = ''
as $$ select case p_kind when 'points' then '积分' else '爱心值' end $$;

/** Confirmation step: whom a code names, masked. */
create or replace function api.transfer_lookup(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  pr app.profiles := app.transfer_recipient(p, v_me);
begin
  return jsonb_build_object('recipient', jsonb_build_object(
    'code', pr.invite_code, 'maskedName', app.mask_name(pr.nickname, pr.member_id)));
end
$$;

/** 转让: {code, kind: points|love, amount, requestId}. A replayed requestId returns the first result. */
create or replace function api.transfer_send(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  pr app.profiles;
  v_kind text;
  v_amount bigint;
  v_limit bigint;
  v_field text;
  v_msg text;
  r jsonb;
  v_sender text;
  v_recipient text;
begin
  pr := app.transfer_recipient(p, v_me);
  if jsonb_typeof(p -> 'kind') is distinct from 'string' or p ->> 'kind' not in ('points', 'love') then
    perform app.bad('kind', '须为 points 或 love');
  end if;
  v_kind := p ->> 'kind';
  if jsonb_typeof(p -> 'amount') is distinct from 'number' or (p ->> 'amount') !~ '^[1-9][0-9]{0,10}$' then
    perform app.bad('amount', '数量须为正整数');
  end if;
  v_amount := (p ->> 'amount')::bigint;
  if jsonb_typeof(p -> 'requestId') is distinct from 'string' or (p ->> 'requestId') !~ '^[A-Za-z0-9_-]{8,64}$' then
    perform app.bad('requestId', '无效的请求编号');
  end if;
  v_limit := (app.transfer_rule() #>> array['dailyLimit', v_kind])::bigint;
  begin
    r := members.transfer(v_me, pr.member_id, v_kind, v_amount, p ->> 'requestId', v_limit);
  exception when sqlstate '22023' then
    get stacked diagnostics v_field = column_name, v_msg = message_text;
    -- The engine's reasons are English; the member reads Chinese.
    if v_field = 'amount' and v_msg like '%daily limit%' then
      perform app.bad('amount', format('超出每日转让上限 %s %s，今日还可转让 %s', v_limit, app.transfer_unit(v_kind),
        greatest(v_limit - members.transferred_today(v_me, v_kind), 0)));
    elsif v_field = 'amount' and v_msg like '%insufficient%' then
      perform app.bad('amount', app.transfer_unit(v_kind) || '余额不足');
    elsif v_field = 'requestId' then
      perform app.bad('requestId', '请求编号已用于另一笔转让');
    end if;
    raise;
  end;
  select app.mask_name(nickname, member_id) into v_sender from app.profiles where member_id = v_me;
  v_recipient := app.mask_name(pr.nickname, pr.member_id);
  -- Deduplicated by the transfer id: a replay notifies nobody twice.
  perform app.notify(v_me, 'transferSent', '转让成功',
    format('已向 %s 转让 %s %s。', v_recipient, v_amount, app.transfer_unit(v_kind)),
    '/packages/wallet/pages/transfer/index', 'transfer-sent:' || (r ->> 'id'));
  perform app.notify(pr.member_id, 'transferReceived', '收到转让',
    format('%s 向你转让了 %s %s，已到账。', coalesce(v_sender, '会员'), v_amount, app.transfer_unit(v_kind)),
    '/packages/wallet/pages/transfer/index', 'transfer-received:' || (r ->> 'id'));
  return jsonb_build_object(
    'transferId', r ->> 'id',
    'kind', v_kind,
    'amount', v_amount,
    'recipient', jsonb_build_object('code', pr.invite_code, 'maskedName', v_recipient),
    'createdAt', r -> 'createdAt',
    'replayed', (r -> 'replayed')::boolean,
    'balance', ledger.balance(v_kind || ':' || v_me));
end
$$;

/** The caller's transfers, sent and received, newest first (cursor = transfer id), with the rule and today's use. */
create or replace function api.transfer_list(p jsonb default '{}') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_limit integer;
  v_cursor bigint;
  v_items jsonb;
  v_more boolean;
begin
  if p ? 'limit' and (jsonb_typeof(p -> 'limit') is distinct from 'number' or (p ->> 'limit') !~ '^[0-9]{1,2}$'
                      or (p ->> 'limit')::int not between 1 and 50) then
    perform app.bad('limit', '须为 1 到 50 的整数');
  end if;
  v_limit := coalesce((p ->> 'limit')::int, 20);
  v_cursor := app.page_cursor(p);
  with rows as (
    (select t.* from members.transfers t where t.from_member = v_me and (v_cursor is null or t.id < v_cursor)
     order by t.id desc limit v_limit + 1)
    union all
    (select t.* from members.transfers t where t.to_member = v_me and (v_cursor is null or t.id < v_cursor)
     order by t.id desc limit v_limit + 1)
  ), page as (
    select r.*, row_number() over (order by r.id desc) as rn from rows r
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'transferId', g.id::text,
           'direction', case when g.from_member = v_me then 'out' else 'in' end,
           'kind', g.kind,
           'amount', g.amount,
           'counterpart', jsonb_build_object('maskedName', app.mask_name(pr.nickname, pr.member_id)),
           'createdAt', g.created_at) order by g.id desc) filter (where g.rn <= v_limit), '[]'),
         count(*) > v_limit
  into v_items, v_more
  from page g
  left join app.profiles pr on pr.member_id = case when g.from_member = v_me then g.to_member else g.from_member end;
  return jsonb_build_object(
    'items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'transferId' end,
    'myCode', (select invite_code from app.profiles where member_id = v_me),
    'balances', jsonb_build_object('points', ledger.balance('points:' || v_me), 'love', ledger.balance('love:' || v_me)),
    'dailyLimit', app.transfer_rule() -> 'dailyLimit',
    'usedToday', jsonb_build_object('points', members.transferred_today(v_me, 'points'), 'love', members.transferred_today(v_me, 'love')));
end
$$;

revoke all on function app.transfer_rule(), app.transfer_recipient(jsonb, text), app.transfer_unit(text),
  api.transfer_lookup(jsonb), api.transfer_send(jsonb), api.transfer_list(jsonb) from public, anon, authenticated;
grant execute on function api.transfer_lookup(jsonb), api.transfer_send(jsonb), api.transfer_list(jsonb) to authenticated;
grant execute on function app.transfer_rule() to service_role;
