-- Admin actions of the union queue mode (工会排队, console page /union): the
-- pool summary, the pool history per run day, one run's report and the
-- waiting queue head. Reads only: every figure comes from the engine's reads
-- of 0009 (rebate.union_pool_balance, union_pool_history, union_run_report,
-- union_estimate) or straight from its rows, never recomputed. Days are
-- local days (Asia/Shanghai, util.local_day).

/** An optional local day 'YYYY-MM-DD' (null when absent or JSON null). */
create or replace function ops.opt_day(p jsonb, p_key text) returns date
language plpgsql immutable
set search_path = ''
as $$
begin
  if not ops.has(p, p_key) then
    return null;
  end if;
  if jsonb_typeof(p -> p_key) <> 'string' or (p ->> p_key) !~ '^\d{4}-\d{2}-\d{2}$' then
    perform app.bad(p_key, '须为日期 YYYY-MM-DD');
  end if;
  begin
    return (p ->> p_key)::date;
  exception when others then
    perform app.bad(p_key, '须为日期 YYYY-MM-DD');
  end;
end
$$;

/** A run day's row as the console shows it (carry = the pool after the run). */
create or replace function ops.union_run_json(p_day date, p_net_profit bigint, p_inflow bigint, p_pool_before bigint,
                                              p_paid_count bigint, p_paid_amount bigint, p_pool_after bigint, p_tick_at timestamptz)
returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('day', p_day, 'netProfit', p_net_profit, 'inflow', p_inflow, 'poolBefore', p_pool_before,
    'paidCount', p_paid_count, 'paidAmount', p_paid_amount, 'carry', p_pool_after, 'tickAt', p_tick_at)
$$;

/**
 * Pool now, inflow of yesterday's run day and of the 7 run days up to
 * yesterday (today's run, when it has run, is in lastRun), waiting entries,
 * quota outstanding, entries still locked by minWaitDays, the mode and the
 * union settings.
 */
create or replace function admin.union_summary(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  s jsonb;
  v_today date := util.local_day(now());
begin
  perform ops.authorize('canViewQueues');
  perform util.only_keys(coalesce(p, '{}'), '{}', '');
  s := rebate.current_settings();
  return jsonb_build_object(
    'mode', s ->> 'mode',
    'settings', jsonb_build_object('unionQuotaRatio', s ->> 'unionQuotaRatio', 'unionPoolRatio', s ->> 'unionPoolRatio',
                                   'unionDailyAt', s ->> 'unionDailyAt',
                                   'accelerationRatio', s #>> '{distribution,accelerationRatio}'),
    'balance', rebate.union_pool_balance(),
    'inflowYesterday', coalesce((select h.inflow from rebate.union_pool_history(v_today - 1, v_today - 1) h), 0),
    'inflow7Days', coalesce((select sum(h.inflow) from rebate.union_pool_history(v_today - 7, v_today - 1) h), 0),
    'waitingCount', (select count(*) from rebate.union_entries where status = 'waiting'),
    'outstanding', (select coalesce(sum(quota - paid), 0) from rebate.union_entries where status = 'waiting'),
    'lockedCount', (select count(*) from rebate.union_entries where status = 'waiting' and payable_day > v_today),
    'lastRun', (select ops.union_run_json(h.day, h.net_profit, h.inflow, h.pool_before, h.paid_count, h.paid_amount, h.pool_after, h.tick_at) from rebate.union_pool_history() h order by h.day desc limit 1),
    'today', v_today);
end
$$;

/** The run days in [from, to] (default: the last 90 days up to today), oldest first. */
create or replace function admin.union_history(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_to date;
  v_from date;
begin
  perform ops.authorize('canViewQueues');
  perform util.only_keys(coalesce(p, '{}'), '{from,to}', '');
  v_to := coalesce(ops.opt_day(p, 'to'), util.local_day(now()));
  v_from := coalesce(ops.opt_day(p, 'from'), v_to - 89);
  if v_from > v_to then
    perform app.bad('from', '开始日期不能晚于结束日期');
  end if;
  if v_to - v_from > 3660 then
    perform app.bad('from', '最多查询 3660 天');
  end if;
  return jsonb_build_object('from', v_from, 'to', v_to,
    'items', coalesce((select jsonb_agg(ops.union_run_json(h.day, h.net_profit, h.inflow, h.pool_before, h.paid_count, h.paid_amount, h.pool_after, h.tick_at) order by h.day) from rebate.union_pool_history(v_from, v_to) h), '[]'));
end
$$;

/**
 * One run day's report (rebate.union_run_report; null when that day has not
 * run) and the entries it paid in seq order: the amount the run paid each
 * is its quota less what accelerations had paid into it before (the run
 * pays the remaining quota in full; nothing pays a done entry afterwards).
 */
create or replace function admin.union_run_report(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_day date;
begin
  perform ops.authorize('canViewQueues');
  perform util.only_keys(coalesce(p, '{}'), '{day}', '');
  v_day := ops.opt_day(p, 'day');
  if v_day is null then
    perform app.bad('day', '请选择日期');
  end if;
  return jsonb_build_object(
    'report', rebate.union_run_report(v_day),
    'entries', coalesce((
      select jsonb_agg(jsonb_build_object('seq', e.seq, 'memberId', e.member_id, 'memberName', ops.member_name(e.member_id),
               'orderId', e.order_id, 'line', e.line, 'quota', e.quota,
               'accelerated', coalesce(a.amount, 0), 'amount', e.quota - coalesce(a.amount, 0))
             order by e.seq)
      from rebate.union_entries e
      left join lateral (select sum(x.amount)::bigint as amount from rebate.union_accelerations x where x.entry_id = e.id) a on true
      where e.paid_day = v_day), '[]'));
end
$$;

/**
 * The waiting union queue from its head, a page at a time: place (1 = the
 * head), quota, paid, the first run day that may pay it (minWaitDays; later
 * than today = locked, it keeps its place) and rebate.union_estimate's
 * quota ahead and forecast.
 */
create or replace function admin.union_queue(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_today date := util.local_day(now());
begin
  perform ops.authorize('canViewQueues');
  perform util.only_keys(coalesce(p, '{}'), '{page,pageSize}', '');
  pg := ops.page(p);
  return jsonb_build_object(
    'items', coalesce((
      select jsonb_agg(jsonb_build_object('place', w.place, 'seq', w.seq, 'memberId', w.member_id,
               'memberName', ops.member_name(w.member_id), 'orderId', w.order_id, 'line', w.line, 'quota', w.quota,
               'paid', w.paid, 'payableDay', w.payable_day, 'locked', w.payable_day > v_today,
               'ahead', (est ->> 'ahead')::bigint, 'estimate', est -> 'forecast')
             order by w.place)
      from (select e.*, row_number() over (order by e.seq) as place
            from rebate.union_entries e where e.status = 'waiting'
            order by e.seq limit pg.lim offset pg.off) w
      cross join lateral rebate.union_estimate(w.seq) est), '[]'),
    'total', (select count(*) from rebate.union_entries where status = 'waiting'));
end
$$;
