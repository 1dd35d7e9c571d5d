-- Honest payout estimates (SPEC §9, §5): util.forecast is src/domain/forecast.ts
-- in SQL (same JSON, same days and dates, exact numeric arithmetic), and
-- rebate.queue_inflow gives a queue's trailing daily inflow to feed it.
-- Generic on purpose: any "amount waiting on an inflow series" (a classic
-- queue entry, a union entry and the pool's daily inflow) calls the same rule.

/** Smallest k in [p_lo, p_hi] where the bound is reached (false then true); null if none. */
create or replace function util.forecast_first_day(p_lo integer, p_hi integer, p_optimistic boolean,
                                                    s numeric, n numeric, a numeric, v numeric)
returns integer
language plpgsql immutable
set search_path = ''
as $$
declare
  lo integer := p_lo;
  hi integer := p_hi;
  mid integer;
  -- z² = 2.56 (z = 1.6), FORECAST_Z2 in src/domain/forecast.ts.
  z2n constant numeric := 256;
  z2d constant numeric := 100;
begin
  if not util.forecast_reached(hi, p_optimistic, s, n, a, v, z2n, z2d) then
    return null;
  end if;
  while lo < hi loop
    mid := (lo + hi) / 2;
    if util.forecast_reached(mid, p_optimistic, s, n, a, v, z2n, z2d) then hi := mid; else lo := mid + 1; end if;
  end loop;
  return lo;
end
$$;

/** Has inflow over k days reached a (optimistic: mean + z·spread; else mean − z·spread)? */
create or replace function util.forecast_reached(k integer, p_optimistic boolean, s numeric, n numeric, a numeric,
                                                 v numeric, z2n numeric, z2d numeric)
returns boolean
language sql immutable
set search_path = ''
as $$
  select case when p_optimistic then d >= 0 or d * d * (n - 1) * z2d <= z2n * v * k * (n + k)
              else d >= 0 and d * d * (n - 1) * z2d >= z2n * v * k * (n + k) end
  from (select s * k - n * a as d) x
$$;

/**
 * The estimate for `p_amount` fen still to flow in, from `p_daily` (inflow
 * per day of the trailing window, fen, at least 2 days), counted from the
 * local date `p_today`; `p_not_before` = earliest payable date (minWaitDays),
 * `p_paused` = nothing reaches entries now. The Forecast JSON of
 * src/domain/forecast.ts: status, inflowPerDay, days, daysLow, daysHigh,
 * date, dateFrom, dateTo, basis, method.
 */
create or replace function util.forecast(p_amount bigint, p_daily bigint[], p_today date,
                                         p_not_before date default null, p_paused boolean default false)
returns jsonb
language plpgsql immutable
set search_path = ''
as $$
declare
  n numeric := coalesce(cardinality(p_daily), 0);
  s numeric;
  q numeric;
  v numeric;
  a numeric := greatest(coalesce(p_amount, 0), 0);
  v_mean bigint;
  v_days integer;
  v_low integer;
  v_high integer;
  v_basis text;
  v_empty jsonb := jsonb_build_object('days', null, 'daysLow', null, 'daysHigh', null, 'date', null,
                                      'dateFrom', null, 'dateTo', null, 'method', 'trailing7d');
begin
  if n < 2 then
    raise exception using errcode = '22023', column = 'daily', message = 'daily: needs at least 2 days';
  end if;
  if p_paused then
    return v_empty || jsonb_build_object('status', 'paused', 'inflowPerDay', null,
      'basis', '队列奖励暂停中，暂停期间不产生返还，暂无法估算');
  end if;
  select coalesce(sum(x), 0), coalesce(sum(x::numeric * x), 0) into s, q from unnest(p_daily) x;
  v_mean := floor((2 * s + n) / (2 * n));
  if s = 0 then
    return v_empty || jsonb_build_object('status', 'noInflow', 'inflowPerDay', 0,
      'basis', format('近%s日队列无流入，暂无法估算', n));
  end if;
  v_basis := format('按近%s日日均流入 ¥%s 估算，仅供参考', n, to_char(v_mean / 100.0, 'FM999999999990.00'));
  if a = 0 then
    return jsonb_build_object('status', 'estimate', 'inflowPerDay', v_mean, 'days', 0, 'daysLow', 0, 'daysHigh', 0,
      'date', greatest(p_today, p_not_before), 'dateFrom', greatest(p_today, p_not_before),
      'dateTo', greatest(p_today, p_not_before), 'basis', v_basis, 'method', 'trailing7d');
  end if;
  v := n * q - s * s;
  v_days := ceil(n * a / s);
  v_low := coalesce(util.forecast_first_day(1, v_days, true, s, n, a, v), v_days);
  v_high := util.forecast_first_day(v_days, greatest(v_days, 3650), false, s, n, a, v);
  -- greatest() ignores nulls: a missing p_not_before leaves the date as is.
  return jsonb_build_object('status', 'estimate', 'inflowPerDay', v_mean, 'days', v_days,
    'daysLow', v_low, 'daysHigh', v_high,
    'date', to_char(greatest(p_today + v_days, p_not_before), 'YYYY-MM-DD'),
    'dateFrom', to_char(greatest(p_today + v_low - 1, p_not_before), 'YYYY-MM-DD'),
    'dateTo', case when v_high is not null then to_char(greatest(p_today + v_high, p_not_before), 'YYYY-MM-DD') end,
    'basis', v_basis, 'method', 'trailing7d');
end
$$;

-- Trailing inflow is read by time over the whole journal; a BRIN index on
-- created_at costs nothing on the payment path (appends only extend the
-- last, unsummarised range) and lets the read skip all but the last days.
create index if not exists queue_ops_created_brin on rebate.queue_ops using brin (created_at);

/**
 * Extraction offered to queue `p_queue` in each of the `p_days` 24-hour
 * slices ending at `p_now` (slice 1 = the last 24 h): the amounts of its
 * `line` (settling on payment) and `allocate` (on completion) journal
 * operations that were not paused. What entries can be paid from.
 */
create or replace function rebate.queue_inflow(p_queue bigint, p_now timestamptz default now(), p_days integer default 7)
returns bigint[]
language sql stable
security definer
set search_path = ''
as $$
  select array_agg(coalesce(d.amount, 0) order by g.i)
  from generate_series(1, p_days) g(i)
  left join (
    select floor(extract(epoch from (p_now - op.created_at)) / 86400)::integer + 1 as i, sum(op.amount)::bigint as amount
    from rebate.queue_ops op
    where op.queue_id = p_queue and op.kind in ('line', 'allocate') and op.amount is not null and not op.paused
      and op.created_at > p_now - make_interval(days => p_days) and op.created_at <= p_now
    group by 1) d on d.i = g.i
$$;

revoke all on function rebate.queue_inflow(bigint, timestamptz, integer) from public;
grant execute on function rebate.queue_inflow(bigint, timestamptz, integer) to service_role;
