-- Bench-only loader, created in a scratch benchmark database, never in
-- migrations. It pays real orders through orders.pay_order, so every waiting
-- entry, order and ledger posting is exactly what the engine creates.
create schema if not exists bench;

create or replace function bench.load_waiting(n int, users int, product text, price bigint)
returns void
language plpgsql
as $$
declare
  t0 constant timestamptz := '2026-01-01T00:00:00+08:00';
begin
  for i in 1..n loop
    perform orders.pay_order(jsonb_build_object(
      'id', 'bench-w' || i,
      'user', 'bench-u' || (1 + (i - 1) % users),
      'at', to_char((t0 + make_interval(secs => i)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
      'lines', jsonb_build_array(jsonb_build_object('product', product, 'paid', price, 'deducted', 0))));
  end loop;
end
$$;
