-- Orders through the queue engine: SPEC §11 examples 1 and 2, completion,
-- refund (reserve, absorbed), bad input (22023, nothing changes).
begin;
select plan(44);

-- A fingerprint of everything an order can touch.
create function pg_temp.fingerprint() returns text language sql as $$
  select md5(concat_ws('|',
    (select string_agg(concat_ws(',', id, transfer_id, account_id, amount), ';' order by id) from ledger.entries),
    (select string_agg(concat_ws(',', code, balance, version), ';' order by id) from ledger.accounts),
    (select string_agg(concat_ws(',', id, status, paid), ';' order by id) from orders.orders),
    (select string_agg(concat_ws(',', order_id, line, queue_id, extraction), ';' order by order_id, line) from orders.lines),
    (select string_agg(concat_ws(',', id, seq, paid, status, order_completed), ';' order by id) from rebate.entries),
    (select string_agg(concat_ws(',', id, processed_at), ';' order by id) from rebate.queue_ops),
    (select string_agg(concat_ws(',', key, next_seq), ';' order by id) from rebate.queues)))
$$;
create function pg_temp.entry(p_order text) returns text language sql as $$
  select concat_ws(' ', seq, entitlement, paid, status) from rebate.entries where order_id = p_order and line = 0
$$;
create function pg_temp.buy(p_id text, p_user text, p_product text, p_paid bigint, p_minute int default 0) returns void
language sql as $$
  select orders.pay_order(jsonb_build_object('id', p_id, 'user', p_user,
    'at', '2026-01-01T10:' || lpad(p_minute::text, 2, '0') || ':00+08:00',
    'lines', jsonb_build_array(jsonb_build_object('product', p_product, 'paid', p_paid))))
$$;

-- SPEC §11 example 1: price 10000, ratio 100, extraction 10, settle on paid, strict.
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000}');
select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['A', 'B', 'C', 'D', 'U1', 'U2']) u;
select lives_ok($$select pg_temp.buy('o1', 'A', 'p1', 10000, 1)$$, 'A buys p1');
select pg_temp.buy('o2', 'B', 'p1', 10000, 2);
select pg_temp.buy('o3', 'C', 'p1', 10000, 3);
select pg_temp.buy('o4', 'D', 'p1', 10000, 4);
select is(pg_temp.entry('o1'), '1 10000 3000 waiting', 'example 1: A is owed 10000 and has been paid 3000');
select is(pg_temp.entry('o2'), '2 10000 0 waiting', 'example 1: B paid 0');
select is(pg_temp.entry('o3'), '3 10000 0 waiting', 'example 1: C paid 0');
select is(pg_temp.entry('o4'), '4 10000 0 waiting', 'example 1: D paid 0');
select is(ledger.balance('wallet:A:frozen'), 3000::bigint, 'payouts are frozen until the order completes');
select is(ledger.balance('kept:product:p1'), 1000::bigint, 'o1''s extraction found no other entry: the platform kept it');
select is(ledger.balance('escrow:order:o1'), 9000::bigint, 'the order''s escrow holds what extraction left');
select is((select count(*) from rebate.queue_ops where processed_at is null), 0::bigint,
  'with one connection every journal operation is applied at once');
select is((select count(*) from rebate.payouts p join rebate.entries e on e.id = p.entry_id where e.order_id = 'o1'), 3::bigint,
  'one payout per allocation that reached A');
select ok((select bool_and(reserve_before + amount = paid_out + reserve_after + to_kept) from rebate.queue_ops where amount is not null),
  'every allocation accounts for its funds');

-- Completion: frozen → available, escrow → revenue.
select lives_ok($$select orders.complete_order('o1', '2026-01-08T10:00:00+08:00')$$, 'o1 completes');
select is(ledger.balance('wallet:A:frozen'), 0::bigint, 'A''s frozen payouts left frozen');
select is(ledger.balance('wallet:A:available'), 3000::bigint, 'and became available');
select is(ledger.balance('escrow:order:o1'), 0::bigint, 'the escrow is empty after completion');
select is(ledger.balance('revenue:mall'), 9000::bigint, 'the rest is the mall''s revenue');
select pg_temp.buy('o5', 'D', 'p1', 10000, 5);
select is(pg_temp.entry('o1'), '1 10000 4000 waiting', 'a later payout to a completed order''s entry');
select is(ledger.balance('wallet:A:available'), 4000::bigint, 'goes straight to available');

-- Refund: entries cancelled, payouts to the reserve, extraction absorbed.
select lives_ok($$select orders.refund_order('o2', '2026-01-02T10:00:00+08:00')$$, 'o2 is refunded');
select is(pg_temp.entry('o2'), '2 10000 0 cancelled', 'its entry is cancelled');
select is(ledger.balance('absorbed:product:p1'), -1000::bigint, 'its extraction, already paid out, is absorbed');
select is(ledger.balance('escrow:order:o2'), 0::bigint, 'its escrow went back to the shopper');
select pg_temp.buy('o6', 'U1', 'p1', 10000, 6);
select is(pg_temp.entry('o1'), '1 10000 5000 waiting', 'later extractions skip the cancelled entry');
select lives_ok($$select orders.refund_order('o3', '2026-01-02T10:00:00+08:00')$$, 'o3 is refunded');
select is(ledger.balance('reserve:product:p1'), 0::bigint, 'an entry refunded with nothing paid leaves no reserve');

-- A refunded entry that had received money funds the reserve, paid out first.
select pg_temp.buy('o7', 'U2', 'p1', 100000, 7);
select is(pg_temp.entry('o1'), '1 10000 10000 done', 'a large extraction fills A');
select is(pg_temp.entry('o4'), '4 10000 5000 waiting', 'and pays the next entry in seq order');
select lives_ok($$select orders.refund_order('o4', '2026-01-02T10:00:00+08:00')$$, 'o4, holding 5000, is refunded');
select is(ledger.balance('wallet:D:frozen'), 0::bigint, 'its payouts leave the frozen wallet');
select is(ledger.balance('reserve:product:p1'), 5000::bigint, 'and fund the queue''s reserve');
select pg_temp.buy('o8', 'A', 'p1', 1000, 8);
select is(pg_temp.entry('o5'), '5 10000 5100 waiting', 'the next allocation pays reserve first, then its extraction');
select is(ledger.balance('reserve:product:p1'), 0::bigint, 'the reserve is spent');

-- Bad input: 22023 naming the field, and nothing changes.
create temp table before as select pg_temp.fingerprint() as f;
select throws_ok($$select pg_temp.buy('o9', 'A', 'p1', -1)$$, '22023', 'lines[0].paid: must not be negative', 'negative paid');
select throws_ok($$select orders.pay_order('{"id":"o9","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":1.5}]}')$$,
  '22023', 'lines[0].paid: must be a whole number of fen', 'fractional paid');
select throws_ok($$select pg_temp.buy('o9', 'A', 'nope', 100)$$, '22023', 'lines[0].product: unknown product "nope"', 'unknown product');
select throws_ok($$select pg_temp.buy('o9', 'nobody', 'p1', 100)$$, '22023', 'user: unknown user "nobody"', 'unknown user');
select throws_ok($$select pg_temp.buy('o1', 'A', 'p1', 100)$$, '22023', 'id: order "o1" already exists', 'duplicate order id');
select throws_ok($$select orders.pay_order('{"id":"o9","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[],"x":1}')$$,
  '22023', 'x: unknown field', 'unknown fields');
select throws_ok($$select orders.pay_order('{"id":"o9","user":"A","at":"2026-01-01 10:00","cashier":"c1","paid":1}')$$,
  '22023', 'at: must be an ISO 8601 time with an offset, e.g. 2026-01-01T10:00:00+08:00', 'times need an offset');
select throws_ok($$select orders.complete_order('o1', '2026-02-01T00:00:00+08:00')$$, '22023',
  'order: order "o1" is already completed', 'completing twice');
select throws_ok($$select orders.refund_order('o5', '2025-01-01T00:00:00+08:00')$$, '22023',
  'at: must not be before the order time', 'a refund before the order');
select is(pg_temp.fingerprint(), (select f from before), 'refused calls changed nothing');

-- SPEC §11 example 2: price 16800, ratio 130, extraction 65.
select catalog.upsert_product('{"id":"p2","price":16800,"source":"self","cost":9000,"queue":{"independentRatio":"130","extractRatio":"65"}}');
select pg_temp.buy('e2-1', 'U1', 'p2', 16800, 10);
select pg_temp.buy('e2-2', 'U2', 'p2', 16800, 11);
select is(pg_temp.entry('e2-1'), '1 21840 10920 waiting', 'example 2: U1 owed 21840, paid 10920 (10920 remaining)');
select is(pg_temp.entry('e2-2'), '2 21840 0 waiting', 'example 2: U2 paid 0');

select * from finish();
rollback;
