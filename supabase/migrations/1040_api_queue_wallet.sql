-- Queue views (own entries, masked progress), wallet, withdrawals, inbox,
-- merchants, operator reviews and the helpers of the jobs function.

-- Function bodies are checked when called, not here: a later change in the
-- core engine then breaks one api action, not every database build.
set local check_function_bodies = off;

-- ---------------------------------------------------------------- queue

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
    select * into v_stats from app.queue_stats(v_key);
  end if;
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
        'entitlement', coalesce(sum(entitlement) filter (where status <> 'cancelled'), 0),
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

-- ---------------------------------------------------------------- orders (detail)

create or replace function api.orders_detail(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  o app.orders;
  r app.refunds;
begin
  select * into o from app.orders where id = p ->> 'orderId' and member_id = v_me;
  if not found then
    perform app.not_found('orderId', '订单不存在');
  end if;
  select * into r from app.refunds where order_id = o.id;
  return jsonb_build_object('order', app.order_summary(o) || jsonb_build_object(
    'lines', (select jsonb_agg(jsonb_build_object('productId', case when kind = 'cashier' then null else item_id end,
                'title', title, 'image', image, 'price', price, 'quantity', quantity, 'paid', paid) order by line)
              from app.order_lines where order_id = o.id),
    'goodsTotal', o.goods_total,
    'pointsUsed', o.points_used, 'pointsDeduction', o.points_deduction,
    'loveUsed', o.love_used, 'loveDeduction', o.love_deduction,
    'couponDeduction', o.coupon_deduction,
    'paidAt', o.paid_at, 'completedAt', o.completed_at,
    'entries', coalesce((select jsonb_agg(app.my_entry_json(e) order by e.line) from rebate.entries e where e.order_id = o.id), '[]'),
    'canRefund', o.status = 'paid',
    'refund', case when r.out_refund_no is null then null else jsonb_build_object(
        'status', case r.status when 'succeeded' then 'approved' when 'processing' then 'approved'
                                when 'rejected' then 'rejected' when 'failed' then 'rejected' else 'pending' end,
        'reason', r.reason, 'createdAt', r.created_at, 'rejectReason', r.reject_reason) end,
    'canPay', o.status = 'unpaid' and o.expires_at > now(),
    'expiresAt', o.expires_at));
end
$$;

-- ---------------------------------------------------------------- wallet

create or replace function app.withdraw_rule() returns jsonb
language sql stable
security definer
set search_path = ''
as $$ select value from app.site_content where key = 'withdrawRule' $$;

create or replace function api.wallet_summary(p jsonb default '{}') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  return jsonb_build_object(
    'available', ledger.balance('wallet:' || v_me || ':available'),
    'frozen', ledger.balance('wallet:' || v_me || ':frozen'),
    'frozenUnlocks', app.frozen_unlocks(v_me),
    'withdrawing', (select coalesce(sum(amount), 0) from app.withdrawals where member_id = v_me and status in ('reviewing', 'approved', 'paying')),
    'points', ledger.balance('points:' || v_me),
    'love', jsonb_build_object('available', ledger.balance('love:' || v_me), 'frozen', ledger.balance('love:' || v_me || ':frozen')),
    'coupon', ledger.balance('coupons:' || v_me),
    'withdrawRule', app.withdraw_rule());
end
$$;

/** Postings of the caller's two wallet accounts, newest first; cursor = posting id. */
create or replace function api.wallet_history(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_balance text := coalesce(nullif(p ->> 'balance', ''), 'all');
  v_cursor bigint := app.page_cursor(p);
  v_items jsonb;
  v_more boolean;
begin
  with rows as (
    select en.id, en.amount, en.created_at, t.kind as tkind, t.idempotency_key as tkey,
           case when a.code like '%:frozen' then 'frozen' else 'available' end as balance
    from ledger.accounts a
    join ledger.entries en on en.account_id = a.id
    join ledger.transfers t on t.id = en.transfer_id
    where a.code in ('wallet:' || v_me || ':available', 'wallet:' || v_me || ':frozen')
      and (v_balance = 'all' or a.code = 'wallet:' || v_me || ':' || v_balance)
      and (v_cursor is null or en.id < v_cursor)
    order by en.id desc limit v_limit + 1
  ), shaped as (
    select r.*, case r.tkind
        when 'allocate' then 'queuePayout'
        when 'complete' then 'unfreeze'
        when 'refund' then 'refund'
        when 'withdraw' then 'withdraw'
        when 'withdraw-return' then 'withdrawReturn'
        when 'reward' then 'reward'
        else 'adjust' end as kind,
      row_number() over (order by r.id desc) as rn
    from rows r
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id::text,
           'kind', s.kind,
           'amount', abs(s.amount),
           'direction', case when s.amount > 0 then 'in' else 'out' end,
           'balance', s.balance,
           'title', case s.kind
               when 'queuePayout' then '队列返还'
               when 'unfreeze' then case when s.amount > 0 then '订单完成·解冻到账' else '订单完成·转出冻结' end
               when 'refund' then '订单退款·返还扣回'
               when 'withdraw' then '提现'
               when 'withdrawReturn' then '提现退回'
               when 'reward' then '推广奖励'
               else '调整' end,
           'orderId', case when s.tkey ~ '^(complete|refund):' then substring(s.tkey from ':(.*)$') end,
           'createdAt', s.created_at) order by s.id desc) filter (where s.rn <= v_limit), '[]'),
         count(*) > v_limit
  into v_items, v_more
  from shaped s;
  return jsonb_build_object('items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'id' end);
end
$$;

/** 提现: the amount leaves the available wallet at once and waits for review. */
create or replace function api.wallet_withdraw(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  rule jsonb := app.withdraw_rule();
  v_amount bigint;
  v_fee bigint;
  w app.withdrawals;
begin
  if jsonb_typeof(p -> 'amount') <> 'number' or (p ->> 'amount') !~ '^[0-9]{1,11}$' then
    perform app.bad('amount', '金额须为整数（分）');
  end if;
  v_amount := (p ->> 'amount')::bigint;
  if v_amount < (rule ->> 'minAmount')::bigint then
    perform app.bad('amount', format('最低提现 ¥%s', to_char((rule ->> 'minAmount')::bigint / 100.0, 'FM999999990.00')));
  end if;
  if v_amount > (rule ->> 'maxAmount')::bigint then
    perform app.bad('amount', format('单笔最多提现 ¥%s', to_char((rule ->> 'maxAmount')::bigint / 100.0, 'FM999999990.00')));
  end if;
  v_fee := greatest((rule ->> 'minFee')::bigint, util.pct(v_amount, (rule ->> 'feeRatio')::numeric));
  if v_amount - v_fee < 10 then
    perform app.bad('amount', '扣除手续费后到账金额过低');
  end if;
  if ledger.balance('wallet:' || v_me || ':available') < v_amount then
    perform app.bad('amount', '可提现余额不足');
  end if;
  insert into app.withdrawals (id, member_id, amount, fee, net)
  values (app.new_id('W'), v_me, v_amount, v_fee, v_amount - v_fee)
  returning * into w;
  perform ledger.transfer('withdraw:' || w.id, 'withdraw', array[
    row('wallet:' || v_me || ':available', 'CNY', -v_amount)::ledger.leg,
    row('withdrawals:pending', 'CNY', v_amount)::ledger.leg]);
  return jsonb_build_object('withdrawalId', w.id, 'amount', w.amount, 'fee', w.fee, 'net', w.net, 'status', w.status);
end
$$;

/** The caller's withdrawals, read under RLS (security invoker). */
create or replace function api.wallet_withdrawals(p jsonb) returns jsonb
language sql stable
security invoker
set search_path = ''
as $$
  with page as (
    select w.* from app.withdrawals w
    where (p ->> 'cursor') is null or w.id < (p ->> 'cursor')
    order by w.id desc
    limit least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50) + 1
  ), numbered as (select page.*, row_number() over (order by id desc) as rn from page)
  select jsonb_build_object(
    'items', coalesce(jsonb_agg(jsonb_build_object(
        'withdrawalId', n.id, 'amount', n.amount, 'fee', n.fee, 'net', n.net,
        'status', case when n.status in ('approved', 'paying') then 'approved' when n.status = 'failed' then 'rejected' else n.status end,
        'createdAt', n.created_at, 'reason', n.reject_reason,
        -- WeChat's transfer waits for the user to accept it in the mini-program (wx.requestMerchantTransfer).
        'packageInfo', case when n.status = 'paying' then n.package_info end)
      order by n.id desc) filter (where n.rn <= least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50)), '[]'),
    'nextCursor', (select id from numbered where rn = least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50)
                   and exists (select 1 from numbered where rn > least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50))))
  from numbered n
$$;

/** Approved withdrawals to pay by WeChat transfer (jobs). */
create or replace function app.transfers_to_send(p_limit integer default 50)
returns table (id text, openid text, net bigint)
language sql stable
security definer
set search_path = ''
as $$
  select w.id, pr.openid, w.net from app.withdrawals w join app.profiles pr on pr.member_id = w.member_id
  where w.status = 'approved' order by w.reviewed_at, w.id limit p_limit
$$;

create or replace function app.transfer_started(p_id text, p_bill_no text, p_package_info text) returns void
language sql
security definer
set search_path = ''
as $$
  update app.withdrawals set status = 'paying', transfer_bill_no = p_bill_no, package_info = p_package_info
  where id = p_id and status = 'approved'
$$;

/**
 * MCHTRANSFER.BILL.FINISHED: SUCCESS pays the withdrawal out (net to the
 * user, fee to the platform); FAIL / CANCELLED returns the amount to the
 * available wallet. Idempotent by withdrawal status under its row lock.
 */
create or replace function app.confirm_transfer(p_out_bill_no text, p_bill_no text, p_state text, p_amount bigint) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  w app.withdrawals;
begin
  select * into w from app.withdrawals where id = p_out_bill_no for update;
  if not found then
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('unknown_transfer', p_out_bill_no, jsonb_build_object('state', p_state, 'amount', p_amount));
    return 'anomaly:unknown_transfer';
  end if;
  if w.status in ('paid', 'failed', 'rejected') then
    return 'duplicate';
  end if;
  if p_state = 'SUCCESS' then
    if p_amount is distinct from w.net then
      insert into app.payment_anomalies (kind, out_trade_no, detail)
      values ('transfer_amount_mismatch', p_out_bill_no, jsonb_build_object('amount', p_amount, 'expected', w.net));
      return 'anomaly:transfer_amount_mismatch';
    end if;
    perform ledger.transfer('withdraw-paid:' || w.id, 'withdraw-paid', array[
      row('withdrawals:pending', 'CNY', -w.amount)::ledger.leg,
      row('world', 'CNY', w.net)::ledger.leg,
      row('revenue:fees', 'CNY', w.fee)::ledger.leg]);
    update app.withdrawals set status = 'paid', paid_at = now(), transfer_bill_no = coalesce(p_bill_no, transfer_bill_no) where id = w.id;
    perform app.notify(w.member_id, 'withdrawalResult', '提现到账',
      format('提现 ¥%s 已转入微信零钱。', to_char(w.net / 100.0, 'FM999999999990.00')), '/packages/wallet/pages/index/index',
      'withdrawal:' || w.id);
    return 'paid';
  elsif p_state in ('FAIL', 'CANCELLED') then
    perform ledger.transfer('withdraw-return:' || w.id, 'withdraw-return', array[
      row('withdrawals:pending', 'CNY', -w.amount)::ledger.leg,
      row('wallet:' || w.member_id || ':available', 'CNY', w.amount)::ledger.leg]);
    update app.withdrawals set status = 'failed', reject_reason = case p_state when 'CANCELLED' then '转账已撤销' else '转账失败' end
    where id = w.id;
    perform app.notify(w.member_id, 'withdrawalResult', '提现未成功',
      format('提现 ¥%s 未能到账，金额已退回余额。', to_char(w.amount / 100.0, 'FM999999999990.00')), '/packages/wallet/pages/index/index',
      'withdrawal:' || w.id);
    return 'returned';
  end if;
  return 'ignored';
end
$$;

-- ---------------------------------------------------------------- inbox (under RLS)

create or replace function api.inbox_list(p jsonb) returns jsonb
language plpgsql stable
security invoker
set search_path = ''
as $$
declare
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_cursor bigint := app.page_cursor(p);
begin
  return (
    with page as (
      select i.*, row_number() over (order by i.id desc) as rn
      from app.inbox i
      where v_cursor is null or i.id < v_cursor
      order by i.id desc limit v_limit + 1
    )
    select jsonb_build_object(
      'items', coalesce((select jsonb_agg(jsonb_build_object('id', id::text, 'kind', kind, 'title', title, 'body', body,
                  'read', read_at is not null, 'createdAt', created_at, 'link', link) order by id desc)
                from page where rn <= v_limit), '[]'),
      'nextCursor', (select id::text from page where rn = v_limit and exists (select 1 from page where rn > v_limit)),
      'unread', (select count(*) from app.inbox where read_at is null)));
end
$$;

create or replace function api.inbox_mark_read(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  if coalesce((p ->> 'all')::boolean, false) then
    update app.inbox set read_at = now() where member_id = v_me and read_at is null;
  elsif jsonb_typeof(p -> 'ids') = 'array' then
    update app.inbox set read_at = now()
    where member_id = v_me and read_at is null
      and id::text in (select jsonb_array_elements_text(p -> 'ids'));
  else
    perform app.bad('ids', '请指定消息');
  end if;
  return jsonb_build_object('unread', (select count(*) from app.inbox where member_id = v_me and read_at is null));
end
$$;

/** Kinds the user accepted in requestSubscribeMessage: one message each. */
create or replace function api.inbox_subscribed(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  insert into app.subscriptions as s (member_id, kind, credits)
  select v_me, k, 1 from jsonb_array_elements_text(coalesce(p -> 'kinds', '[]')) k
  on conflict (member_id, kind) do update set credits = least(s.credits + 1, 1000), updated_at = now();
  return jsonb_build_object('ok', true);
end
$$;

/** Pending subscribe messages with the recipient's openid (jobs sends them). */
create or replace function app.outbox_pending(p_limit integer default 100)
returns table (id bigint, openid text, kind text, page text, data jsonb)
language sql stable
security definer
set search_path = ''
as $$
  select o.id, pr.openid, o.kind, o.page, o.data
  from app.outbox o join app.profiles pr on pr.member_id = o.member_id
  where o.status = 'pending' and o.attempts < 5
  order by o.id limit p_limit
$$;

create or replace function app.outbox_result(p_id bigint, p_status text, p_error text) returns void
language sql
security definer
set search_path = ''
as $$
  update app.outbox set
    status = case when p_status = 'sent' then 'sent' when p_status = 'skipped' then 'skipped'
                  when attempts + 1 >= 5 then 'failed' else 'pending' end,
    attempts = attempts + 1, last_error = p_error, sent_at = case when p_status = 'sent' then now() end
  where id = p_id
$$;

/**
 * New payouts since the last run become notifications: payout received,
 * and entry done when it filled up. Watermark in app.job_state.
 */
create or replace function app.notify_payouts(p_limit integer default 500) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from bigint;
  v_to bigint;
  r record;
  n integer := 0;
begin
  insert into app.job_state (key, value) values ('payouts', 0) on conflict do nothing;
  select value into v_from from app.job_state where key = 'payouts' for update;
  v_to := v_from;
  for r in
    select po.id, po.amount, po.frozen, e.id as entry_id, e.member_id, e.status, e.entitlement, q.key
    from rebate.payouts po join rebate.entries e on e.id = po.entry_id join rebate.queues q on q.id = e.queue_id
    where po.id > v_from order by po.id limit p_limit
  loop
    perform app.notify(r.member_id, 'payoutReceived', '收到队列返还',
      format('%s 返还 ¥%s%s', app.queue_name(r.key), to_char(r.amount / 100.0, 'FM999999999990.00'),
             case when r.frozen then '（订单完成后可提现）' else '' end),
      '/packages/queue/pages/entry/index?id=' || r.entry_id, 'payout:' || r.id);
    if r.status = 'done' then
      perform app.notify(r.member_id, 'entryDone', '排队权益已返完',
        format('%s 的待返权益 ¥%s 已全部返还。', app.queue_name(r.key), to_char(r.entitlement / 100.0, 'FM999999999990.00')),
        '/packages/queue/pages/entry/index?id=' || r.entry_id, 'done:' || r.entry_id);
    end if;
    v_to := r.id;
    n := n + 1;
  end loop;
  update app.job_state set value = v_to, updated_at = now() where key = 'payouts';
  return n;
end
$$;

-- ---------------------------------------------------------------- merchants

create or replace function api.merchant_apply(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  f text;
  v_recruiter text;
  v_id text;
begin
  foreach f in array array['storeName', 'contactName', 'phone', 'address', 'category', 'licenseNo'] loop
    if jsonb_typeof(p -> f) <> 'string' or trim(p ->> f) = '' or char_length(p ->> f) > 100 then
      perform app.bad(f, '必填，100 字以内');
    end if;
  end loop;
  if (p ->> 'phone') !~ '^[0-9+\- ]{6,20}$' then
    perform app.bad('phone', '请输入有效的联系电话');
  end if;
  if char_length(coalesce(p ->> 'intro', '')) > 500 then
    perform app.bad('intro', '500 字以内');
  end if;
  if exists (select 1 from app.merchant_applications where member_id = v_me and status = 'pending') then
    perform app.conflict('已有审核中的申请', 'already_pending');
  end if;
  if p ->> 'recruiterScene' is not null then
    select member_id into v_recruiter from app.profiles
    where invite_code = substring(p ->> 'recruiterScene' from '^i=([A-Z0-9]{6,10})$') and member_id <> v_me;
  end if;
  v_id := app.new_id('M');
  insert into app.merchant_applications (id, member_id, store_name, contact_name, phone, address, category, license_no, intro, recruiter_member_id)
  values (v_id, v_me, trim(p ->> 'storeName'), trim(p ->> 'contactName'), trim(p ->> 'phone'), trim(p ->> 'address'),
          trim(p ->> 'category'), trim(p ->> 'licenseNo'), coalesce(p ->> 'intro', ''), v_recruiter);
  return jsonb_build_object('applicationId', v_id, 'status', 'pending');
end
$$;

create or replace function api.merchant_status(p jsonb default '{}') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  a app.merchant_applications;
  v_store jsonb;
begin
  select * into a from app.merchant_applications where member_id = v_me order by created_at desc limit 1;
  select jsonb_build_object('id', s.store_id, 'name', s.name, 'commission', util.ratio_text(cs.commission)) into v_store
  from app.stores s join catalog.stores cs on cs.id = s.store_id where s.owner_member_id = v_me order by s.created_at limit 1;
  return jsonb_build_object(
    'status', case when v_store is not null then 'approved' else coalesce(a.status, 'none') end,
    'application', case when a.id is null then null else jsonb_build_object('applicationId', a.id, 'storeName', a.store_name,
        'contactName', a.contact_name, 'phone', a.phone, 'address', a.address, 'category', a.category,
        'licenseNo', a.license_no, 'intro', a.intro, 'createdAt', a.created_at) end,
    'rejectReason', a.reject_reason,
    'store', v_store);
end
$$;

/** The caller's store (raises 403 for non-merchants). */
create or replace function app.my_store() returns text
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v text;
begin
  select store_id into v from app.stores where owner_member_id = app.me() order by created_at limit 1;
  if v is null then
    raise exception using errcode = '42501', message = '仅入驻商家可查看', hint = 'forbidden';
  end if;
  return v;
end
$$;

create or replace function api.merchant_sales(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_store text := app.my_store();
  v_days integer := case p ->> 'range' when 'today' then 1 when '7d' then 7 when '30d' then 30 end;
  v_from date;
begin
  if v_days is null then
    perform app.bad('range', '须为 today、7d 或 30d');
  end if;
  v_from := (now() at time zone 'Asia/Shanghai')::date - (v_days - 1);
  return (
    with sales as (
      select o.id, o.kind, o.payable + o.points_deduction + o.love_deduction + o.coupon_deduction as amount, o.paid_at,
             (o.paid_at at time zone 'Asia/Shanghai')::date as day, o.member_id
      from app.orders o
      where o.store_id = v_store and o.status in ('paid', 'completed', 'refunding')
        and o.paid_at >= (v_from::timestamp at time zone 'Asia/Shanghai')
    )
    select jsonb_build_object(
      'totals', jsonb_build_object('orderCount', (select count(*) from sales), 'amount', (select coalesce(sum(amount), 0) from sales)),
      'daily', (select jsonb_agg(jsonb_build_object('date', to_char(d, 'YYYY-MM-DD'),
                   'orderCount', (select count(*) from sales where day = d),
                   'amount', (select coalesce(sum(amount), 0) from sales where day = d)) order by d)
                from generate_series(v_from, v_from + (v_days - 1), interval '1 day') g(dt), lateral (select g.dt::date as d) x),
      'recent', coalesce((select jsonb_agg(jsonb_build_object('orderId', s.id, 'source', case when s.kind = 'cashier' then 'cashier' else 'online' end,
                   'amount', s.amount, 'paidAt', s.paid_at,
                   'buyerMaskedName', app.mask_name((select nickname from app.profiles where member_id = s.member_id), s.member_id))
                   order by s.paid_at desc)
                from (select * from sales order by paid_at desc limit 20) s), '[]')));
end
$$;

create or replace function api.merchant_cashiers(p jsonb default '{}') returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object('cashierId', c.id, 'name', coalesce(ac.name, c.id)) order by c.id), '[]'))
  from catalog.cashiers c left join app.cashiers ac on ac.cashier_id = c.id
  where c.store_id = app.my_store()
$$;

-- ---------------------------------------------------------------- operators

create or replace function api.admin_withdrawals(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform app.require_operator(array['admin', 'finance']);
  return jsonb_build_object('items', coalesce((
    select jsonb_agg(jsonb_build_object('withdrawalId', w.id, 'memberId', w.member_id, 'amount', w.amount, 'fee', w.fee,
             'net', w.net, 'status', w.status, 'createdAt', w.created_at) order by w.created_at)
    from app.withdrawals w where w.status = coalesce(p ->> 'status', 'reviewing')), '[]'));
end
$$;

create or replace function api.admin_withdrawal_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w app.withdrawals;
begin
  perform app.require_operator(array['admin', 'finance']);
  select * into w from app.withdrawals where id = p ->> 'withdrawalId' for update;
  if not found then
    perform app.not_found('withdrawalId', '提现申请不存在');
  end if;
  if w.status <> 'reviewing' then
    perform app.conflict('该申请已审核', 'already_reviewed', 'withdrawalId');
  end if;
  if jsonb_typeof(p -> 'approve') <> 'boolean' then
    perform app.bad('approve', '须为 true 或 false');
  end if;
  if (p ->> 'approve')::boolean then
    update app.withdrawals set status = 'approved', reviewed_at = now() where id = w.id;
  else
    if coalesce(trim(p ->> 'reason'), '') = '' then
      perform app.bad('reason', '请填写驳回原因');
    end if;
    perform ledger.transfer('withdraw-return:' || w.id, 'withdraw-return', array[
      row('withdrawals:pending', 'CNY', -w.amount)::ledger.leg,
      row('wallet:' || w.member_id || ':available', 'CNY', w.amount)::ledger.leg]);
    update app.withdrawals set status = 'rejected', reviewed_at = now(), reject_reason = trim(p ->> 'reason') where id = w.id;
    perform app.notify(w.member_id, 'withdrawalResult', '提现被驳回',
      format('提现 ¥%s 未通过审核：%s。金额已退回余额。', to_char(w.amount / 100.0, 'FM999999999990.00'), trim(p ->> 'reason')),
      '/packages/wallet/pages/index/index', 'withdrawal:' || w.id);
  end if;
  return jsonb_build_object('withdrawalId', w.id, 'status', (select status from app.withdrawals where id = w.id));
end
$$;

create or replace function api.admin_merchant_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  a app.merchant_applications;
  v_store text;
  v_cashier text;
begin
  perform app.require_operator(array['admin']);
  select * into a from app.merchant_applications where id = p ->> 'applicationId' for update;
  if not found then
    perform app.not_found('applicationId', '申请不存在');
  end if;
  if a.status <> 'pending' then
    perform app.conflict('该申请已审核', 'already_reviewed', 'applicationId');
  end if;
  if jsonb_typeof(p -> 'approve') <> 'boolean' then
    perform app.bad('approve', '须为 true 或 false');
  end if;
  if (p ->> 'approve')::boolean then
    v_store := 's' || lower(app.random_code(10));
    v_cashier := 'c' || lower(app.random_code(10));
    perform catalog.upsert_store(jsonb_strip_nulls(jsonb_build_object('id', v_store,
      'commission', coalesce(p ->> 'commission', '10'), 'recruiter', a.recruiter_member_id)));
    insert into app.stores (store_id, name, address, phone, owner_member_id) values (v_store, a.store_name, a.address, a.phone, a.member_id);
    perform catalog.upsert_cashier(jsonb_build_object('id', v_cashier, 'store', v_store));
    insert into app.cashiers (cashier_id, name) values (v_cashier, '收银台1');
    update app.merchant_applications set status = 'approved', reviewed_at = now(), store_id = v_store where id = a.id;
  else
    update app.merchant_applications set status = 'rejected', reviewed_at = now(), reject_reason = coalesce(p ->> 'reason', '') where id = a.id;
  end if;
  perform app.notify(a.member_id, 'merchantReview', case when (p ->> 'approve')::boolean then '商家入驻已通过' else '商家入驻未通过' end,
    case when (p ->> 'approve')::boolean then format('「%s」已开通，可在商家中心查看收银码。', a.store_name)
         else format('「%s」的入驻申请未通过：%s', a.store_name, coalesce(p ->> 'reason', '')) end,
    '/packages/merchant/pages/index/index', 'merchant:' || a.id);
  return jsonb_build_object('applicationId', a.id, 'status', (select status from app.merchant_applications where id = a.id), 'storeId', v_store);
end
$$;

create or replace function api.admin_refund_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r app.refunds;
begin
  perform app.require_operator(array['admin', 'support']);
  select * into r from app.refunds where out_refund_no = p ->> 'outRefundNo';
  if not found then
    perform app.not_found('outRefundNo', '退款申请不存在');
  end if;
  perform 1 from app.orders where id = r.order_id for update;
  select * into r from app.refunds where out_refund_no = r.out_refund_no for update;
  if r.status <> 'pending' or r.reviewed_at is not null then
    perform app.conflict('该申请已审核', 'already_reviewed', 'outRefundNo');
  end if;
  if jsonb_typeof(p -> 'approve') <> 'boolean' then
    perform app.bad('approve', '须为 true 或 false');
  end if;
  if (p ->> 'approve')::boolean then
    update app.refunds set reviewed_at = now() where out_refund_no = r.out_refund_no;
  else
    update app.refunds set status = 'rejected', reviewed_at = now(), reject_reason = coalesce(p ->> 'reason', '') where out_refund_no = r.out_refund_no;
    update app.orders set status = 'paid' where id = r.order_id and status = 'refunding';
  end if;
  return jsonb_build_object('outRefundNo', r.out_refund_no, 'status', (select status from app.refunds where out_refund_no = r.out_refund_no));
end
$$;
