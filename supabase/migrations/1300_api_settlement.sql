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
  v_page jsonb;
begin
  if p ? 'limit' and (jsonb_typeof(p -> 'limit') is distinct from 'number' or (p ->> 'limit') !~ '^[0-9]{1,2}$'
                      or (p ->> 'limit')::int not between 1 and 50) then
    perform app.bad('limit', '须为 1 到 50 的整数');
  end if;
  v_limit := coalesce((p ->> 'limit')::int, 20);
  v_cursor := app.page_cursor(p);
  v_store := app.my_store(); -- after the fields: a malformed request is named, whoever sends it
  v_page := app.ledger_statement(
    array['merchant:' || v_store || ':available', 'merchant:' || v_store || ':frozen'],
    '{"pay": {"kind": "sale", "title": "订单收入·售后期内冻结"},
      "complete": {"kind": "settled", "title": "订单完成·结算到账", "titleOut": "订单完成·转出冻结"},
      "refund": {"kind": "refund", "title": "订单退款·冲回"},
      "withdraw": {"kind": "withdraw", "title": "提现"},
      "withdraw-return": {"kind": "withdrawReturn", "title": "提现退回"}}',
    array['pay', 'complete', 'refund'], v_cursor, v_limit);
  return jsonb_build_object(
    'storeId', v_store,
    'available', ledger.balance('merchant:' || v_store || ':available'),
    'frozen', ledger.balance('merchant:' || v_store || ':frozen'),
    'withdrawing', (select coalesce(sum(amount), 0) from app.withdrawals
                    where source_account = 'merchant:' || v_store || ':available' and status in ('reviewing', 'approved', 'paying')),
    'commission', (select util.ratio_text(commission) from catalog.stores where id = v_store),
    'withdrawRule', app.withdraw_rule(),
    'items', v_page -> 'items',
    'nextCursor', v_page -> 'nextCursor');
end
$$;

revoke all on function api.merchant_account(jsonb) from public, anon, authenticated;
grant execute on function api.merchant_account(jsonb) to authenticated;
