-- The payment path (0005_orders_queues, 0007_options): the one line resolver
-- (rebate.resolve_line), the short payment transaction
-- (orders.record_payment) and the after-commit processor
-- (rebate.apply_pending, app.apply_paid_order). Expected values are worked
-- out by hand from the rules (price 10000, default ratio 100, extraction 10).
begin;
select plan(31);

select catalog.upsert_level('{"id":"vip","ratio":"200"}');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000}');
select catalog.upsert_product('{"id":"p2","price":10000,"source":"self","cost":5000}');
select catalog.upsert_product('{"id":"pw","price":10000,"source":"self","cost":5000,
  "queue":{"timeWindows":[{"from":"09:00","to":"10:00"}],"dailyLimit":1}}');
select catalog.upsert_product('{"id":"pt","price":10000,"source":"self","cost":5000,
  "queue":{"cumulativeTiers":[{"days":30,"minSpend":10000,"ratio":"150"}],"extractRatio":"20"}}');
select catalog.upsert_store('{"id":"s1","commission":"10","queue":{"defaultRatio":"80","extractRatio":"30"}}');
select catalog.upsert_store_product('{"id":"sp1","store":"s1","price":1000,"cost":0}');
select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['A', 'C', 'D']) u;
select members.upsert_member('{"id":"B","level":"vip"}');

create function pg_temp.rules(p_kind text, p_item text, p_member text, p_at text default '2026-01-01T09:30:00+08:00')
returns text language sql as $$
  select concat_ws(' ', r.queue_key, util.ratio_text(r.extract_ratio), util.ratio_text(r.ratio), r.lottery::text, r.enabled, r.in_window,
                   r.limit_keys::text, r.store_id)
  from rebate.resolve_line(p_kind, p_item, p_member, p_at::timestamptz) r
$$;
create function pg_temp.order_json(p_id text, p_user text, p_product text, p_at text default '2026-01-01T09:30:00+08:00')
returns jsonb language sql as $$
  select jsonb_build_object('id', p_id, 'user', p_user, 'at', p_at,
    'lines', jsonb_build_array(jsonb_build_object('product', p_product, 'paid', 10000)))
$$;
create function pg_temp.entry(p_order text) returns text language sql as $$
  select concat_ws(' ', seq, entitlement, paid, status) from rebate.entries where order_id = p_order and line = 0
$$;
create function pg_temp.pending(p_order text) returns bigint language sql as $$
  select count(*) from rebate.queue_ops where order_id = p_order and processed_at is null
$$;

-- rebate.resolve_line: one answer for payment and every preview.
select is(pg_temp.rules('product', 'p1', 'A'), 'product:p1 10 100 t t {product:p1}',
  'a product: its queue, the base extraction and default ratio, no lottery, joins, its limit counter');
select is(pg_temp.rules('product', 'p1', 'B'), 'product:p1 10 200 t t {product:p1}',
  'a member with a level: the level''s own ratio (base member-level)');
select is(pg_temp.rules('product', 'p1', null), 'product:p1 10 100 t t {product:p1}',
  'nobody signed in: no member-level source applies');
select is(pg_temp.rules('storeProduct', 'sp1', 'A'), 'store:s1 30 80 t t {storeProduct:sp1,store:s1} s1',
  'a store product: the store''s queue, extraction and ratio; it counts in its own and its store''s limits');
select is(pg_temp.rules('product', 'pw', 'A', '2026-01-01T10:30:00+08:00'), 'product:pw 10 100 t f {product:pw}',
  'outside the item''s time window (Asia/Shanghai)');
select is(pg_temp.rules('product', 'pw', 'A', '2026-01-01T09:59:00+08:00'), 'product:pw 10 100 t t {product:pw}',
  'inside it (from <= t < to)');
select is((select count(*) from rebate.resolve_line('product', 'nope', 'A', now())), 0::bigint,
  'an unknown item resolves to nothing');
select is((select count(*) from rebate.resolve_line('voucher', 'p1', 'A', now())), 0::bigint,
  'an unknown kind resolves to nothing');
do $$ begin perform rebate.update_settings('{"mallQueue":true,"enabled":false}', 'test'); end $$;
select is(pg_temp.rules('product', 'p1', 'A'), 'mall 10 100 f t {product:p1}',
  'the switches in force: the mall queue, the plugin off');
do $$ begin perform rebate.update_settings('{"mallQueue":false,"enabled":true}', 'test'); end $$;

-- Cumulative tiers over the member's completed spend, as payment sees it.
select is(pg_temp.rules('product', 'pt', 'D'), 'product:pt 20 100 t t {product:pt}', 'no completed spend: no tier');
select orders.pay_order(pg_temp.order_json('t1', 'D', 'p1', '2026-01-01T08:00:00+08:00'));
select orders.complete_order('t1', '2026-01-01T08:30:00+08:00');
select is(pg_temp.rules('product', 'pt', 'D'), 'product:pt 20 150 t t {product:pt}',
  '10000 completed in the window: the tier ratio');
select orders.pay_order(pg_temp.order_json('t2', 'D', 'pt'));
select is((select ratio::text || ' ' || entitlement from orders.lines where order_id = 't2'), '150.00 15000',
  'payment gives what the resolver said');

-- Limits (orders.line_joins): pw allows one entry a day.
select orders.pay_order(pg_temp.order_json('w1', 'A', 'pw', '2026-01-02T09:10:00+08:00'));
select orders.pay_order(pg_temp.order_json('w2', 'A', 'pw', '2026-01-02T09:20:00+08:00'));
select orders.pay_order(pg_temp.order_json('w3', 'A', 'pw', '2026-01-03T09:20:00+08:00'));
select orders.pay_order(pg_temp.order_json('w4', 'A', 'pw', '2026-01-03T11:00:00+08:00'));
select is((select string_agg(order_id || '=' || joins, ' ' order by order_id) from orders.lines where order_id like 'w%'),
  'w1=true w2=false w3=true w4=false', 'daily limit reached, next day joins again; outside the window no entry');
select is((select count(*) from rebate.queue_ops where order_id = 'w4' and kind = 'line'), 1::bigint,
  'a line without an entry still journals its extraction');

-- orders.record_payment: the order, its lines, its journal and its payment; nothing applied.
select lives_ok($$select orders.record_payment(pg_temp.order_json('r1', 'C', 'p2'))$$, 'the short payment transaction');
select is(pg_temp.pending('r1'), 1::bigint, 'its operation is pending');
select is(pg_temp.entry('r1'), null, 'no entry before the processor');
select is(ledger.balance('escrow:order:r1'), 10000::bigint, 'the extraction waits in the order''s escrow');
select is((select count(*) from ledger.transfers where idempotency_key = 'pay:r1'), 1::bigint, 'the payment is posted');
select throws_ok($$select orders.record_payment(pg_temp.order_json('r1', 'C', 'p2'))$$, '22023', 'id: order "r1" already exists',
  'the same order twice is refused');

-- rebate.apply_pending: the processor for the order's queues.
select is(rebate.apply_pending('r1'), 1, 'applies the pending operation');
select is(pg_temp.entry('r1'), '1 10000 0 waiting', 'the entry joined with its seq');
select is(ledger.balance('escrow:order:r1'), 9000::bigint, 'the extraction left the escrow (kept: nobody else waits)');
select is(ledger.balance('kept:product:p2'), 1000::bigint, 'and the platform kept it');
select is(rebate.apply_pending('r1'), 0, 'nothing left to apply');

-- A batch: three payments, then one processor call applies all three in journal order.
select orders.record_payment(pg_temp.order_json('r' || i, 'D', 'p2', '2026-01-01T09:3' || i || ':00+08:00')) from generate_series(2, 4) i;
select is((select count(*) from rebate.queue_ops where processed_at is null and order_id in ('r2', 'r3', 'r4')), 3::bigint,
  'three pending operations');
select is(rebate.apply_pending('r2'), 3, 'one call applies the queue''s whole backlog, whoever wrote it');
select is((select string_agg(order_id || ':' || seq, ' ' order by seq) from rebate.entries where order_id in ('r2', 'r3', 'r4')),
  'r2:2 r3:3 r4:4', 'in journal order');
select is(pg_temp.entry('r1'), '1 10000 3000 waiting', 'each extraction paid the head: 3 × 1000');
select is((select count(*) from ledger.transfers t where t.kind = 'allocate'
           and t.idempotency_key = 'ops:' || (select min(id) from rebate.queue_ops where order_id = 'r2')), 1::bigint,
  'the batch is one transfer ops:<first op>');
select is(app.apply_paid_order('no-such-trade'), 0, 'app.apply_paid_order: an unknown payment applies nothing');

select * from finish();
rollback;
