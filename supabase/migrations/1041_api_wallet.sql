-- Wallet: summary, history, withdrawals (the request; paying it is 1042).

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

/**
 * One page of postings of the given ledger accounts, newest first (keyset
 * cursor = posting id): {items, nextCursor}. The wallet history (below) and the
 * merchant statement (1300_api_settlement.sql) differ only in their accounts
 * and p_kinds: transfer kind -> {kind, title, titleOut (when the amount goes
 * out, if it differs)}; an unlisted transfer kind is an 'adjust' / 调整.
 * orderId: the idempotency key's tail when the key starts with one of
 * p_order_keys followed by ':'. Callers check who may see the accounts.
 */
create or replace function app.ledger_statement(p_accounts text[], p_kinds jsonb, p_order_keys text[],
                                                p_cursor bigint, p_limit integer) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_items jsonb;
  v_more boolean;
begin
  with rows as (
    select en.id, en.amount, en.created_at, t.kind as tkind, t.idempotency_key as tkey,
           case when a.code like '%:frozen' then 'frozen' else 'available' end as balance
    from ledger.accounts a
    join ledger.entries en on en.account_id = a.id
    join ledger.transfers t on t.id = en.transfer_id
    where a.code = any (p_accounts)
      and (p_cursor is null or en.id < p_cursor)
    order by en.id desc limit p_limit + 1
  ), shaped as (
    select r.*, coalesce(p_kinds -> r.tkind, '{"kind": "adjust", "title": "调整"}') as k,
      row_number() over (order by r.id desc) as rn
    from rows r
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id::text,
           'kind', s.k ->> 'kind',
           'amount', abs(s.amount),
           'direction', case when s.amount > 0 then 'in' else 'out' end,
           'balance', s.balance,
           'title', case when s.amount > 0 then s.k ->> 'title' else coalesce(s.k ->> 'titleOut', s.k ->> 'title') end,
           'orderId', case when s.tkey ~ ('^(' || array_to_string(p_order_keys, '|') || '):') then substring(s.tkey from ':(.*)$') end,
           'createdAt', s.created_at) order by s.id desc) filter (where s.rn <= p_limit), '[]'),
         count(*) > p_limit
  into v_items, v_more
  from shaped s;
  return jsonb_build_object('items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'id' end);
end
$$;

revoke all on function app.ledger_statement(text[], jsonb, text[], bigint, integer) from public, anon, authenticated;

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
  v_accounts text[] := array['wallet:' || v_me || ':available', 'wallet:' || v_me || ':frozen'];
begin
  return app.ledger_statement(
    array(select c from unnest(v_accounts) c where v_balance = 'all' or c = 'wallet:' || v_me || ':' || v_balance),
    '{"allocate": {"kind": "queuePayout", "title": "队列返还"},
      "complete": {"kind": "unfreeze", "title": "订单完成·解冻到账", "titleOut": "订单完成·转出冻结"},
      "refund": {"kind": "refund", "title": "订单退款·返还扣回"},
      "withdraw": {"kind": "withdraw", "title": "提现"},
      "withdraw-return": {"kind": "withdrawReturn", "title": "提现退回"},
      "reward": {"kind": "reward", "title": "推广奖励"}}',
    array['complete', 'refund'], v_cursor, v_limit);
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
  v_source text; -- null: the caller's wallet
  v_account text;
  w app.withdrawals;
begin
  -- `from`: the caller's wallet (default), or the merchant account of the caller's store (1300_api_settlement.sql).
  if p ? 'from' and (jsonb_typeof(p -> 'from') is distinct from 'string' or p ->> 'from' not in ('wallet', 'merchant')) then
    perform app.bad('from', '须为 wallet 或 merchant');
  end if;
  if p ->> 'from' = 'merchant' then
    v_source := 'merchant:' || app.my_store() || ':available';
  end if;
  v_account := coalesce(v_source, 'wallet:' || v_me || ':available');
  if jsonb_typeof(p -> 'amount') is distinct from 'number' or (p ->> 'amount') !~ '^[0-9]{1,11}$' then
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
  if ledger.balance(v_account) < v_amount then
    perform app.bad('amount', '可提现余额不足');
  end if;
  insert into app.withdrawals (id, member_id, amount, fee, net, source_account)
  values (app.new_id('W'), v_me, v_amount, v_fee, v_amount - v_fee, v_source)
  returning * into w;
  perform ledger.transfer('withdraw:' || w.id, 'withdraw', array[
    row(v_account, 'CNY', -v_amount)::ledger.leg,
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
        'from', case when n.source_account like 'merchant:%' then 'merchant' else 'wallet' end,
        -- WeChat's transfer waits for the user to accept it in the mini-program (wx.requestMerchantTransfer).
        'packageInfo', case when n.status = 'paying' then n.package_info end)
      order by n.id desc) filter (where n.rn <= least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50)), '[]'),
    'nextCursor', (select id from numbered where rn = least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50)
                   and exists (select 1 from numbered where rn > least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50))))
  from numbered n
$$;
