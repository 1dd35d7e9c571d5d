-- Queue views: own entries, masked progress, draw and exchange.

/** Waiting entries ahead of an entry in payout order (queueOrder in force), and their remaining entitlement. */
create or replace function app.entry_ahead(e rebate.entries, p_queue_order text, out n bigint, out amount bigint)
language sql stable
security definer
set search_path = ''
as $$
  select count(*), coalesce(sum(o.entitlement - o.paid), 0)::bigint
  from rebate.entries o
  where o.queue_id = e.queue_id and o.status = 'waiting' and o.id <> e.id
    and case when p_queue_order = 'completedFirst'
             then (o.order_completed and not e.order_completed)
                  or (o.order_completed = e.order_completed and o.seq < e.seq)
             else o.seq < e.seq end
$$;

/** MyEntry of the contract. */
create or replace function app.my_entry_json(e rebate.entries) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  s jsonb := rebate.current_settings();
  v_key text;
  v_ahead_n bigint;
  v_ahead_amount bigint;
  v_stats record;
  v_line app.order_lines;
  v_status text := case when e.status = 'pending' then 'waiting' else e.status end;
  v_pending bigint := case when e.status in ('pending', 'waiting') then e.entitlement - e.paid else 0 end;
  x jsonb := to_jsonb(e);
  v_lottery jsonb;
begin
  select key into v_key from rebate.queues where id = e.queue_id;
  select * into v_line from app.order_lines where order_id = e.order_id and line = e.line;
  if e.status = 'waiting' then
    select a.n, a.amount into v_ahead_n, v_ahead_amount from app.entry_ahead(e, s ->> 'queueOrder') a;
  end if;
  -- Always assigned (nulls when not waiting): reading a field of an unassigned record fails even in a branch not taken.
  select * into v_stats from app.queue_stats(v_key) where e.status = 'waiting';
  -- Lottery / exchange state lives in the core's entry row once it has it.
  v_lottery := case when jsonb_typeof(x -> 'lottery') = 'object' then x -> 'lottery' end;
  return jsonb_build_object(
    'entryId', e.id::text,
    'queueKey', v_key,
    'queueName', app.queue_name(v_key),
    'seq', coalesce(e.seq, 0),
    'orderId', e.order_id,
    'lineIndex', e.line,
    'title', coalesce(v_line.title, v_key),
    'image', v_line.image,
    'base', e.base,
    'ratio', util.ratio_text(e.ratio),
    'entitlement', e.entitlement,
    'paid', e.paid,
    'pending', v_pending,
    'status', v_status,
    'joinedAt', e.created_at,
    'position', v_ahead_n + 1,
    'amountAhead', v_ahead_amount,
    'estimate', case when e.status = 'waiting' then app.estimate_json(v_ahead_amount + v_pending - v_stats.reserve, v_stats.inflow_daily) end,
    'canDraw', v_lottery is not null and e.status = 'waiting' and e.paid = 0 and (x ->> 'drawn_ratio') is null
               and to_regproc('rebate.draw') is not null,
    'lottery', app.lottery_view(v_lottery),
    'drawnRatio', x ->> 'drawn_ratio',
    'canExchange', e.status = 'waiting' and v_pending > 0 and to_regproc('rebate.exchange') is not null,
    'exchangedTo', case when x ? 'exchanged_to' and x ->> 'exchanged_to' is not null
                        then jsonb_build_object('to', x ->> 'exchanged_to', 'amount', (x ->> 'exchanged_amount')::bigint) end);
end
$$;

create or replace function api.queue_my_entries(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_status text := coalesce(nullif(p ->> 'status', ''), 'all');
  v_key text := nullif(p ->> 'queueKey', '');
  v_cursor bigint := app.page_cursor(p);
  v_items jsonb;
  v_more boolean;
begin
  with mine as (
    select e.* from rebate.entries e
    where e.member_id = v_me
      and (v_key is null or e.queue_id = (select id from rebate.queues where key = v_key))
      and case v_status when 'waiting' then e.status in ('pending', 'waiting')
                        when 'finished' then e.status not in ('pending', 'waiting')
                        else true end
      and (v_cursor is null or e.id < v_cursor)
    order by e.id desc limit v_limit + 1
  )
  select coalesce(jsonb_agg(app.my_entry_json(e) order by m.id desc) filter (where m.rn <= v_limit), '[]'),
         count(*) > v_limit
  into v_items, v_more
  from (select mine.id, row_number() over (order by mine.id desc) as rn from mine) m
  join rebate.entries e on e.id = m.id;
  return jsonb_build_object(
    'items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'entryId' end,
    'summary', (select jsonb_build_object(
        'waitingCount', count(*) filter (where status in ('pending', 'waiting')),
        -- 总权益 = 已返 + 待返: what an exchange or clearing took out of an entry is no cash right any more.
        'entitlement', coalesce(sum(paid) filter (where status <> 'cancelled'), 0)
                       + coalesce(sum(entitlement - paid) filter (where status in ('pending', 'waiting')), 0),
        'paid', coalesce(sum(paid) filter (where status <> 'cancelled'), 0),
        'pending', coalesce(sum(entitlement - paid) filter (where status in ('pending', 'waiting')), 0))
      from rebate.entries where member_id = v_me));
end
$$;

create or replace function api.queue_entry(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e rebate.entries;
begin
  if coalesce(p ->> 'entryId', '') !~ '^[0-9]{1,18}$' then
    perform app.bad('entryId', '无效的排队记录');
  end if;
  select * into e from rebate.entries where id = (p ->> 'entryId')::bigint and member_id = app.me();
  if not found then
    perform app.not_found('entryId', '排队记录不存在');
  end if;
  return jsonb_build_object('entry', app.my_entry_json(e));
end
$$;

/**
 * The progress list of one queue: waiting entries in payout order, then
 * finished ones newest first; fields hidden by the display toggles are left
 * out; other shoppers appear only masked. Cursor = offset.
 */
create or replace function api.queue_progress(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := members.current_member_id();
  s jsonb := rebate.current_settings();
  d jsonb := s -> 'display';
  v_key text := p ->> 'queueKey';
  v_queue bigint;
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_offset integer := coalesce(app.page_cursor(p, 100000000), 0);
  v_items jsonb;
  v_total bigint;
  v_stats record;
begin
  select id into v_queue from rebate.queues where key = v_key;
  if v_queue is null then
    perform app.not_found('queueKey', '队列不存在');
  end if;
  with rows as (
    select e.*, row_number() over (order by
             case when e.status = 'waiting' then 0 else 1 end,
             case when e.status = 'waiting' and s ->> 'queueOrder' = 'completedFirst' and e.order_completed then 0 else 1 end,
             case when e.status = 'waiting' then e.seq end,
             e.seq desc) as n
    from rebate.entries e
    where e.queue_id = v_queue and e.status not in ('pending', 'cancelled')
  )
  select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
           'entryId', r.id::text,
           'mine', r.member_id is not distinct from v_me,
           'status', r.status,
           'seq', case when (d ->> 'queueId')::boolean then r.seq end,
           'progress', case when (d ->> 'progress')::boolean then
               util.ratio_text(case when r.entitlement = 0 then 100 else round(r.paid * 100.0 / r.entitlement, 2) end) end,
           'paid', case when (d ->> 'cumulativeReward')::boolean then r.paid end,
           'entitlement', case when (d ->> 'pendingReward')::boolean then r.entitlement end,
           'pending', case when (d ->> 'pendingAmount')::boolean then
               case when r.status = 'waiting' then r.entitlement - r.paid else 0 end end,
           'member', case when (d ->> 'memberInfo')::boolean then jsonb_build_object(
               'maskedName', case when r.member_id = v_me then coalesce(nullif(pr.nickname, ''), '我')
                                  else app.mask_name(pr.nickname, r.member_id) end,
               'avatarUrl', pr.avatar_url) end))
           -- jsonb_strip_nulls drops a null avatarUrl too; put it back.
           || case when (d ->> 'memberInfo')::boolean and pr.avatar_url is null
                   then jsonb_build_object('member', jsonb_build_object('maskedName',
                          case when r.member_id = v_me then coalesce(nullif(pr.nickname, ''), '我') else app.mask_name(pr.nickname, r.member_id) end,
                          'avatarUrl', null)) else '{}' end
           order by r.n) filter (where r.n > v_offset and r.n <= v_offset + v_limit), '[]'),
         count(*)
  into v_items, v_total
  from rows r left join app.profiles pr on pr.member_id = r.member_id;
  select * into v_stats from app.queue_stats(v_key);
  return jsonb_build_object(
    'items', v_items,
    'nextCursor', case when v_total > v_offset + v_limit then (v_offset + v_limit)::text end,
    'queue', jsonb_strip_nulls(jsonb_build_object('key', v_key, 'name', app.queue_name(v_key), 'waitingCount', v_stats.waiting_count,
                                'pending', case when (d ->> 'pendingAmount')::boolean then v_stats.amount_waiting end)),
    'display', d);
end
$$;

/** Lottery draw: delegated to the core engine (rebate.draw) once it provides one. */
create or replace function api.queue_draw(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e rebate.entries;
  v_before numeric;
  v_result jsonb;
begin
  if coalesce(p ->> 'entryId', '') !~ '^[0-9]{1,18}$' then
    perform app.bad('entryId', '无效的排队记录');
  end if;
  select * into e from rebate.entries where id = (p ->> 'entryId')::bigint and member_id = app.me();
  if not found then
    perform app.not_found('entryId', '排队记录不存在');
  end if;
  if to_regproc('rebate.draw') is null then
    perform app.conflict('抽奖功能暂未开放', 'not_supported', 'entryId');
  end if;
  v_before := e.ratio;
  execute 'select to_jsonb(rebate.draw($1))' using jsonb_build_object('order', e.order_id, 'line', e.line) into v_result;
  select * into e from rebate.entries where id = e.id;
  perform app.notify(e.member_id, 'lotteryDrawn', '抽奖结果',
    format('抽中比例 %s%%，待返权益 ¥%s（以实际到账为准）', util.ratio_text(e.ratio), to_char(e.entitlement / 100.0, 'FM999999999990.00')),
    '/packages/queue/pages/entry/index?id=' || e.id, 'drawn:' || e.id);
  return jsonb_build_object('entryId', e.id::text, 'previousRatio', util.ratio_text(v_before), 'ratio', util.ratio_text(e.ratio),
    'entitlement', e.entitlement, 'lottery', app.lottery_view(to_jsonb(e) -> 'lottery'));
end
$$;

create or replace function api.queue_exchange_preview(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e rebate.entries;
  s jsonb := rebate.current_settings();
  v_pending bigint;
begin
  if coalesce(p ->> 'entryId', '') !~ '^[0-9]{1,18}$' then
    perform app.bad('entryId', '无效的排队记录');
  end if;
  select * into e from rebate.entries where id = (p ->> 'entryId')::bigint and member_id = app.me();
  if not found then
    perform app.not_found('entryId', '排队记录不存在');
  end if;
  v_pending := case when e.status in ('pending', 'waiting') then e.entitlement - e.paid else 0 end;
  return jsonb_build_object('entryId', e.id::text, 'pending', v_pending,
    'options', (select jsonb_agg(jsonb_build_object('to', t, 'ratio', s #>> array['exchangeRatio', t],
                  'amount', util.pct(v_pending, (s #>> array['exchangeRatio', t])::numeric),
                  'frozen', t = 'love' and coalesce((s ->> 'loveFrozen')::boolean, false)) order by o)
                from unnest(array['points', 'love', 'coupon']) with ordinality as x(t, o)));
end
$$;

/** Exchange: delegated to the core engine (rebate.exchange) once it provides one. */
create or replace function api.queue_exchange(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e rebate.entries;
  v_to text := p ->> 'to';
  v_pending bigint;
begin
  if coalesce(p ->> 'entryId', '') !~ '^[0-9]{1,18}$' then
    perform app.bad('entryId', '无效的排队记录');
  end if;
  if v_to is null or v_to not in ('points', 'love', 'coupon') then
    perform app.bad('to', '须为 points、love 或 coupon');
  end if;
  select * into e from rebate.entries where id = (p ->> 'entryId')::bigint and member_id = app.me();
  if not found then
    perform app.not_found('entryId', '排队记录不存在');
  end if;
  if e.status <> 'waiting' then
    perform app.conflict('只有排队中的记录可以兑换', 'not_exchangeable', 'entryId');
  end if;
  if to_regproc('rebate.exchange') is null then
    perform app.conflict('兑换功能暂未开放', 'not_supported', 'entryId');
  end if;
  v_pending := e.entitlement - e.paid;
  execute 'select rebate.exchange($1)' using jsonb_build_object('order', e.order_id, 'line', e.line, 'to', v_to);
  select * into e from rebate.entries where id = e.id;
  perform app.notify(e.member_id, 'converted', '兑换成功',
    format('排队权益 ¥%s 已兑换', to_char(v_pending / 100.0, 'FM999999999990.00')),
    '/packages/queue/pages/entry/index?id=' || e.id, 'exchanged:' || e.id);
  return jsonb_build_object('entryId', e.id::text, 'to', v_to,
    'amount', util.pct(v_pending, (rebate.current_settings() #>> array['exchangeRatio', v_to])::numeric), 'status', 'exchanged');
end
$$;
