-- Merchant area: the caller's store's settlement account (0012_settlement.sql)
-- — balance and statement. Withdrawals reuse api.wallet_withdraw
-- ({from: 'merchant'}), its review and the WeChat transfer unchanged.

/**
 * 商家结算: available / frozen / withdrawing of the caller's store and its
 * postings, newest first (cursor = posting id). 403 for non-merchants.
 */
create or replace function api.merchant_account(p jsonb default '{}') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_store text;
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
  v_store := app.my_store(); -- after the fields: a malformed request is named, whoever sends it
  with rows as (
    select en.id, en.amount, en.created_at, t.kind as tkind, t.idempotency_key as tkey,
           case when a.code like '%:frozen' then 'frozen' else 'available' end as balance
    from ledger.accounts a
    join ledger.entries en on en.account_id = a.id
    join ledger.transfers t on t.id = en.transfer_id
    where a.code in ('merchant:' || v_store || ':available', 'merchant:' || v_store || ':frozen')
      and (v_cursor is null or en.id < v_cursor)
    order by en.id desc limit v_limit + 1
  ), shaped as (
    select r.*, case r.tkind
        when 'pay' then 'sale'
        when 'complete' then 'settled'
        when 'refund' then 'refund'
        when 'withdraw' then 'withdraw'
        when 'withdraw-return' then 'withdrawReturn'
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
               when 'sale' then '订单收入·售后期内冻结'
               when 'settled' then case when s.amount > 0 then '订单完成·结算到账' else '订单完成·转出冻结' end
               when 'refund' then '订单退款·冲回'
               when 'withdraw' then '提现'
               when 'withdrawReturn' then '提现退回'
               else '调整' end,
           'orderId', case when s.tkey ~ '^(pay|complete|refund):' then substring(s.tkey from ':(.*)$') end,
           'createdAt', s.created_at) order by s.id desc) filter (where s.rn <= v_limit), '[]'),
         count(*) > v_limit
  into v_items, v_more
  from shaped s;
  return jsonb_build_object(
    'storeId', v_store,
    'available', ledger.balance('merchant:' || v_store || ':available'),
    'frozen', ledger.balance('merchant:' || v_store || ':frozen'),
    'withdrawing', (select coalesce(sum(amount), 0) from app.withdrawals
                    where source_account = 'merchant:' || v_store || ':available' and status in ('reviewing', 'approved', 'paying')),
    'commission', (select util.ratio_text(commission) from catalog.stores where id = v_store),
    'withdrawRule', app.withdraw_rule(),
    'items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'id' end);
end
$$;

revoke all on function api.merchant_account(jsonb) from public, anon, authenticated;
grant execute on function api.merchant_account(jsonb) to authenticated;
