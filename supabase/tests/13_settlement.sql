-- Settlement of every source (0012_settlement.sql): the line shares the
-- trigger records, the legs of payment / completion / refund (merchant
-- frozen → available, supplier credited, revenue, escrow emptied), the
-- extraction + commission check on every catalogue and settings change
-- (22023 naming the field, nothing changed), accounts opened, privileges.
begin;
select plan(33);

create function pg_temp.fingerprint() returns text language sql as $$
  select md5(concat_ws('|',
    (select string_agg(concat_ws(',', id, commission, queue), ';' order by id) from catalog.stores),
    (select string_agg(concat_ws(',', id, queue), ';' order by id) from catalog.store_products),
    (select string_agg(concat_ws(',', id, queue), ';' order by id) from catalog.cashiers),
    (select string_agg(concat_ws(',', id, source, supplier_id), ';' order by id) from catalog.products),
    (select value::text from rebate.settings where id),
    (select string_agg(concat_ws(',', code, balance), ';' order by id) from ledger.accounts)))
$$;
create function pg_temp.field_of(p_sql text) returns text language plpgsql as $$
begin
  execute p_sql;
  return 'accepted';
exception when sqlstate '22023' then
  return (regexp_match(sqlerrm, '^([^:]+):'))[1] || ' / ' || sqlerrm;
end
$$;

select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['A', 'B']) u;
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":6000}');
select catalog.upsert_product('{"id":"p2","price":10000,"source":"supplier","cost":7000,"supplier":"sup1"}');
select catalog.upsert_product('{"id":"p3","price":5000,"source":"supplier","cost":4000}');
select catalog.upsert_store('{"id":"s1","commission":"15","queue":{"extractRatio":"20"}}');
select catalog.upsert_store_product('{"id":"sp1","store":"s1","price":8000,"cost":0}');
select catalog.upsert_cashier('{"id":"c1","store":"s1"}');

-- Accounts opened with the catalogue.
select ok(exists (select 1 from ledger.accounts where code = 'merchant:s1:available')
      and exists (select 1 from ledger.accounts where code = 'merchant:s1:frozen'), 'a store opens its merchant accounts');
select ok(exists (select 1 from ledger.accounts where code = 'supplier:sup1:available')
      and exists (select 1 from ledger.accounts where code = 'supplier:p3:available'), 'a supplier product opens its supplier''s account (default: the product id)');
select ok(not exists (select 1 from ledger.accounts where code like 'supplier:p1%'), 'a self-operated product has no supplier');
select ok((select allow_negative from ledger.accounts where code = 'revenue:mall'), 'revenue:mall may go negative');

-- Payment: the trigger fixes each line's shares; the merchant is credited frozen.
select orders.pay_order('{"id":"o1","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":10000},{"product":"p2","paid":10000},{"storeProduct":"sp1","paid":8000}]}');
select is((select string_agg(concat_ws(' ', line, extraction, commission, merchant, coalesce(supplier_id, '-'), supply), ', ' order by line) from orders.lines where order_id = 'o1'),
  '0 1000 0 0 - 0, 1 1000 0 0 sup1 7000, 2 1600 1200 5200 - 0', 'line shares: self, supplier (cost), store product (20% extraction, 15% commission)');
select is(ledger.balance('merchant:s1:frozen'), 5200::bigint, 'the merchant''s share is frozen at payment');
select is(ledger.balance('escrow:order:o1'), 28000 - 3600 - 5200::bigint, 'the escrow keeps paid − extraction − the merchant''s share');
select is((select count(*)::int from ledger.transfers where idempotency_key like '%o1%'), 1, 'one transfer for the payment, merchant leg included');
select orders.pay_order('{"id":"o2","user":"B","at":"2026-01-01T11:00:00+08:00","cashier":"c1","paid":3333}');
select is((select concat_ws(' ', extraction, commission, merchant) from orders.lines where order_id = 'o2'), '333 500 2500', 'cashier: commission round(499.95) = 500');
select orders.pay_order('{"id":"o3","user":"B","at":"2026-01-01T12:00:00+08:00","lines":[{"product":"p3","paid":1000,"deducted":4000}]}');

-- Completion: revenue, supplier, merchant available; escrow empty.
select lives_ok($$select orders.complete_order('o1', '2026-01-08T10:00:00+08:00')$$, 'o1 completes');
select is(ledger.balance('merchant:s1:frozen'), 2500::bigint, 'completion releases the merchant''s frozen share (o2''s, still open, stays)');
select is(ledger.balance('merchant:s1:available'), 5200::bigint, '… to available');
select is(ledger.balance('supplier:sup1:available'), 7000::bigint, 'the supplier is credited the supply price at completion');
select is(ledger.balance('revenue:store:s1'), 1200::bigint, 'the platform''s commission is store revenue');
select is(ledger.balance('revenue:mall'), 9000 + 2000::bigint, 'mall revenue: self paid − extraction, supplier paid − extraction − supply');
select is(ledger.balance('escrow:order:o1'), 0::bigint, 'the escrow is empty after completion');
select is((select count(*)::int from ledger.transfers where idempotency_key = 'complete:o1'), 1, 'completion is one transfer');
select lives_ok($$select orders.complete_order('o3', '2026-01-08T12:00:00+08:00')$$, 'o3 (paid 1000, supply 4000) completes');
select is(ledger.balance('revenue:mall'), 11000 + (1000 - 100 - 4000)::bigint, 'the mall bears a supply price above what the line left');
select is(ledger.balance('supplier:p3:available'), 4000::bigint, 'the supplier is paid in full');

-- Refund: the merchant's frozen share goes back to the shopper.
select lives_ok($$select orders.refund_order('o2', '2026-01-02T11:00:00+08:00')$$, 'o2 refunds');
select is(ledger.balance('merchant:s1:frozen'), 0::bigint, 'refund takes the merchant''s frozen share back');
select is(ledger.balance('escrow:order:o2'), 0::bigint, 'the refund empties the escrow');
select is((select -sum(e.amount) from ledger.entries e join ledger.transfers t on t.id = e.transfer_id
           join ledger.accounts a on a.id = e.account_id where t.idempotency_key = 'refund:o2' and a.code = 'world'), -3333::numeric,
  'the shopper gets back everything paid');

-- Extraction + commission > 100%: refused, field named, nothing changed.
select catalog.upsert_store('{"id":"s2","commission":"5","queue":{"extractRatio":"90"}}');
create temp table before_refusals as select pg_temp.fingerprint() as f;
select is(pg_temp.field_of($$select catalog.upsert_store('{"id":"s3","commission":"10","queue":{"extractRatio":"90.01"}}')$$),
  'commission / commission: extraction + commission must not exceed 100%', 'a store over 100% is refused on commission');
select is(pg_temp.field_of($$select catalog.upsert_store('{"id":"s1","commission":"80.01","queue":{"extractRatio":"20"}}')$$),
  'commission / commission: extraction + commission must not exceed 100%', 'a commission raise over 100% is refused');
select is(pg_temp.field_of($$select catalog.upsert_store_product('{"id":"sp2","store":"s2","price":1,"cost":0,"queue":{"extractRatio":"95.5"}}')$$),
  'queue.extractRatio / queue.extractRatio: extraction + commission must not exceed 100%', 'a store product over 100% is refused');
select is(pg_temp.field_of($$select catalog.upsert_cashier('{"id":"c2","store":"s1","queue":{"extractRatio":"85.01"}}')$$),
  'queue.extractRatio / queue.extractRatio: extraction + commission must not exceed 100%', 'a cashier over 100% is refused');
select is(pg_temp.field_of($$select rebate.update_settings('{"extractRatio":"85.5"}', 'test')$$),
  'extractRatio / extractRatio: extraction + commission must not exceed 100%', 'a base extraction the stores use is refused');
select is(pg_temp.field_of($$select catalog.upsert_product('{"id":"p9","price":1,"source":"self","cost":0,"supplier":"x"}')$$),
  'supplier / supplier: only a supplier product has a supplier', 'a supplier on a self-operated product is refused');
select is(pg_temp.fingerprint(), (select f from before_refusals), 'the refusals changed nothing');
select is(pg_temp.field_of($$select catalog.upsert_cashier('{"id":"c2","store":"s1","queue":{"extractRatio":"85"}}')$$), 'accepted', 'exactly 100% is accepted');

-- Privileges: the settlement helpers are nobody's to call.
select ok(not has_function_privilege('authenticated', 'orders.settlement_completed_legs(text)', 'execute')
      and not has_function_privilege('anon', 'orders.settlement_paid_legs(text)', 'execute'), 'clients cannot call the settlement helpers');

select * from finish();
rollback;
