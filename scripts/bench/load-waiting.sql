-- Bench-only loaders, created in a scratch benchmark database, never in
-- migrations. Both leave `n` waiting entries in the `mall` queue, paid by
-- `n` single-line orders of one product while the queue is paused (entries
-- join, the platform keeps each extraction).
--
-- bench.load_waiting_range pays real orders through orders.pay_order: slow (a few
-- ms an order) but the engine itself.
-- bench.bulk_waiting writes, set-based, exactly the rows that loop would
-- write (same ids, seqs, keys, balances, postings), thousands of times
-- faster. scripts/bench/common.ts checks on every run that both produce
-- identical tables for a small n, so a schema change in the engine that this
-- file does not follow fails the benchmark instead of skewing it.
create schema if not exists bench;

create or replace function bench.order_at(i int) returns timestamptz
language sql immutable
as $$ select '2026-01-01T00:00:00+08:00'::timestamptz + make_interval(secs => i) $$;

create or replace function bench.load_waiting_range(first int, last int, users int, product text, price bigint)
returns void
language plpgsql
as $$
begin
  for i in first..last loop
    perform orders.pay_order(jsonb_build_object(
      'id', 'bench-w' || i,
      'user', 'bench-u' || (1 + (i - 1) % users),
      'at', to_char(bench.order_at(i) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
      'lines', jsonb_build_array(jsonb_build_object('product', product, 'paid', price, 'deducted', 0))));
  end loop;
end
$$;

create or replace function bench.bulk_waiting(n int, users int, product text, price bigint)
returns void
language plpgsql
as $$
declare
  s jsonb;
  v_queue bigint;
  v_seq0 bigint;
  v_extract numeric;
  v_ratio numeric;
  v_x bigint; -- extraction of one line
  v_ent bigint; -- entitlement of one entry
  v_reserve bigint;
  v_world bigint;
  v_kept bigint;
  v_kept_balance bigint;
  v_kept_version bigint;
  e0 bigint; -- first ids the loop would have taken from each identity
  op0 bigint;
  t0 bigint;
  a0 bigint;
  le0 bigint;
  ap0 bigint; -- rebate.queue_ops_applied (the order operations were applied in)
  d0 bigint; -- distribution.orders.seq (0008_distribution)
begin
  -- Only the path the loop takes here is mirrored; anything else is refused.
  select value into s from rebate.settings where id;
  if not ((s ->> 'enabled')::boolean and (s ->> 'mallQueue')::boolean and (s ->> 'paused')::boolean
          and s ->> 'settleOn' = 'paid') then
    raise exception 'bench.bulk_waiting needs enabled, mallQueue, paused and settleOn=paid; settings are %', s;
  end if;
  if (select queue from catalog.products where id = product) is distinct from '{}'::jsonb then
    raise exception 'bench.bulk_waiting needs product % with an empty queue config', product;
  end if;
  if (select count(*) from members.members where id in (select 'bench-u' || g from generate_series(1, users) g)) <> users then
    raise exception 'bench.bulk_waiting needs members bench-u1..bench-u%', users;
  end if;
  if (s #>> '{distribution,on}')::boolean then
    raise exception 'bench.bulk_waiting needs distribution off (it writes no rewards)';
  end if;
  if n < 1 or price < 1 then
    raise exception 'bench.bulk_waiting needs n >= 1 and price >= 1';
  end if;

  v_queue := rebate.ensure_queue('mall');
  if exists (select 1 from rebate.queue_ops where queue_id = v_queue and processed_at is null) then
    raise exception 'bench.bulk_waiting needs the mall queue without pending operations';
  end if;
  select next_seq into v_seq0 from rebate.queues where id = v_queue;
  v_extract := (s ->> 'extractRatio')::numeric;
  v_ratio := (s ->> 'defaultRatio')::numeric;
  v_x := util.pct(price, v_extract);
  v_ent := util.pct(price, v_ratio);
  if v_x < 1 then
    raise exception 'bench.bulk_waiting needs an extraction > 0';
  end if;
  v_reserve := ledger.balance('reserve:mall');
  select id into v_world from ledger.accounts where code = 'world';
  select id, balance, version into v_kept, v_kept_balance, v_kept_version from ledger.accounts where code = 'kept:mall';

  e0 := nextval(pg_get_serial_sequence('rebate.entries', 'id'));
  op0 := nextval(pg_get_serial_sequence('rebate.queue_ops', 'id'));
  t0 := nextval(pg_get_serial_sequence('ledger.transfers', 'id'));
  a0 := nextval(pg_get_serial_sequence('ledger.accounts', 'id'));
  le0 := nextval(pg_get_serial_sequence('ledger.entries', 'id'));
  ap0 := nextval('rebate.queue_ops_applied');
  d0 := nextval(pg_get_serial_sequence('distribution.orders', 'seq'));

  create temporary table bench_orders on commit drop as
  select g as i, 'bench-w' || g as id, 'bench-u' || (1 + (g - 1) % users) as member, bench.order_at(g) as at
  from generate_series(1, n) g;

  insert into orders.orders (id, member_id, kind, at, local_day, paid)
  select id, member, 'mall', at, util.local_day(at), price from bench_orders order by i;

  insert into orders.lines (order_id, line, kind, item_id, store_id, paid, deducted, random_return,
                            queue_id, extract_ratio, extraction, settle_on,
                            member_id, joins, ratio, entitlement, limit_keys, local_day)
  select id, 0, 'product', product, null, price, 0, null, v_queue, v_extract, v_x, s ->> 'settleOn',
         member, true, v_ratio, v_ent, array['product:' || product], util.local_day(at)
  from bench_orders order by i;

  -- The journal: one operation per line (its entry joins, then its
  -- extraction is kept: the queue is paused), applied in order.
  insert into rebate.queue_ops (id, queue_id, kind, order_id, line, amount, paused, queue_order,
                                empty_funds, processed_at, applied_seq, reserve_before, reserve_after,
                                paid_out, to_reserve, to_kept)
  overriding system value
  select op0 + i - 1, v_queue, 'line', id, 0, v_x, true, s ->> 'queueOrder', s ->> 'emptyQueueFunds',
         now(), ap0 + i - 1, v_reserve, v_reserve, 0, 0, v_x
  from bench_orders order by i;

  insert into rebate.entries (id, queue_id, seq, order_id, line, member_id, base, ratio, entitlement, paid, status)
  overriding system value
  select e0 + i - 1, v_queue, v_seq0 + i - 1, id, 0, member, price, v_ratio, v_ent, 0,
         case when v_ent = 0 then 'done' else 'waiting' end
  from bench_orders order by i;

  -- Every paid order's distribution base (0008_distribution), recorded even with distribution off.
  insert into distribution.orders (order_id, seq, member_id, at, base, paid)
  overriding system value
  select id, d0 + i - 1, member, at,
         case when s #>> '{distribution,base}' = 'paid' then price
              else greatest(0, price - (select cost from catalog.products where id = product)) end,
         price
  from bench_orders order by i;

  -- Per order one transfer, keyed by the order: the payment (world -> its
  -- escrow) and the processed operations (escrow -> kept), netted.
  insert into ledger.transfers (id, idempotency_key, kind)
  overriding system value
  select t0 + i - 1, 'pay:' || id, 'pay' from bench_orders order by i;

  insert into ledger.accounts (id, code, currency)
  overriding system value
  select a0 + i - 1, 'escrow:order:' || id, 'CNY' from bench_orders order by i;

  -- Postings in the order ledger.transfer writes them (ascending account id:
  -- world, kept:mall, then the order's escrow, created after both).
  insert into ledger.entries (id, transfer_id, account_id, amount, previous_balance, current_balance, account_version)
  overriding system value
  select le0 + 3 * (i - 1) + k,
         t0 + i - 1,
         case k when 0 then v_world when 1 then v_kept else a0 + i - 1 end,
         case k when 0 then -price when 1 then v_x else price - v_x end,
         case k when 0 then null when 1 then v_kept_balance + (i - 1) * v_x else 0 end,
         case k when 0 then null when 1 then v_kept_balance + i * v_x else price - v_x end,
         case k when 0 then null when 1 then v_kept_version + i else 1 end
  from bench_orders cross join (values (0), (1), (2)) as kk(k)
  order by i, k;

  perform set_config('ledger.posting', 'on', true);
  update ledger.accounts set balance = price - v_x, version = 1 where id between a0 and a0 + n - 1;
  update ledger.accounts set balance = v_kept_balance + n * v_x, version = v_kept_version + n where id = v_kept;
  perform set_config('ledger.posting', '', true);
  update rebate.queues set next_seq = v_seq0 + n where id = v_queue;

  perform setval(pg_get_serial_sequence('rebate.entries', 'id'), e0 + n - 1);
  perform setval(pg_get_serial_sequence('rebate.queue_ops', 'id'), op0 + n - 1);
  perform setval(pg_get_serial_sequence('ledger.transfers', 'id'), t0 + n - 1);
  perform setval(pg_get_serial_sequence('ledger.accounts', 'id'), a0 + n - 1);
  perform setval(pg_get_serial_sequence('ledger.entries', 'id'), le0 + 3 * n - 1);
  perform setval('rebate.queue_ops_applied', ap0 + n - 1);
  perform setval(pg_get_serial_sequence('distribution.orders', 'seq'), d0 + n - 1);
end
$$;
