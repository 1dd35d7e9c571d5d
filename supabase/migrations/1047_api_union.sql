-- Union queue mode (工会排队) for the mini-program (api actions union.*,
-- _shared/api-contract.ts): the pool's figures, the caller's union entries
-- with their place, quota ahead and estimate (rebate.union_estimate: the
-- shared forecast), one entry. Grants in 1090_api_grants.sql.

/** One union entry as the app shows it (the caller's own). */
create or replace function app.union_entry_json(e rebate.union_entries) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'seq', e.seq::text, 'orderId', e.order_id, 'line', e.line, 'base', e.base, 'ratio', util.ratio_text(e.ratio),
    'quota', e.quota, 'paid', e.paid, 'pending', e.quota - e.paid, 'status', e.status,
    -- Place among the waiting entries (1 = next in line); quota still owed ahead of it.
    'place', case when e.status = 'waiting'
                  then (select count(*) + 1 from rebate.union_entries x where x.status = 'waiting' and x.seq < e.seq) end,
    'quotaAhead', case when e.status = 'waiting'
                       then (select coalesce(sum(x.quota - x.paid), 0) from rebate.union_entries x
                             where x.status = 'waiting' and x.seq < e.seq) end,
    'completedDate', e.completed_day, 'payableDate', e.payable_day, 'paidDate', e.paid_day,
    'accelerated', (select coalesce(sum(a.amount), 0) from rebate.union_accelerations a where a.entry_id = e.id),
    'estimate', case when e.status = 'waiting' then rebate.union_estimate(e.seq) -> 'forecast' end)
$$;

/**
 * union.overview (public): the platform's mode, the quota ratio, the pool
 * now, yesterday's and the last 7 days' inflow (by run day, Asia/Shanghai),
 * how many entries wait and the quota they are owed.
 */
create or replace function api.union_overview(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  s jsonb := rebate.current_settings();
  v_today date := util.local_day(now());
begin
  return jsonb_build_object(
    'mode', s ->> 'mode',
    'quotaRatio', util.ratio_text((s ->> 'unionQuotaRatio')::numeric),
    'poolRatio', util.ratio_text((s ->> 'unionPoolRatio')::numeric),
    'dailyAt', s ->> 'unionDailyAt',
    'accelerationRatio', util.ratio_text((s #>> '{distribution,accelerationRatio}')::numeric),
    'accelerationOn', coalesce((s #>> '{distribution,on}')::boolean, false)
                      and (s #>> '{distribution,accelerationRatio}')::numeric > 0,
    'pool', rebate.union_pool_balance(),
    -- The run of today settles yesterday's completions: "yesterday's inflow" is today's run.
    'yesterdayInflow', coalesce((select inflow from rebate.union_runs where day = v_today), 0),
    'inflow7', coalesce((select sum(inflow) from rebate.union_runs where day > v_today - 7 and day <= v_today), 0),
    'lastRunDate', (select max(day) from rebate.union_runs),
    'waitingCount', (select count(*) from rebate.union_entries where status = 'waiting'),
    'waitingQuota', (select coalesce(sum(quota - paid), 0) from rebate.union_entries where status = 'waiting'));
end
$$;

/** union.myEntries: the caller's union entries, waiting first by seq, then the rest newest first; a summary. */
create or replace function api.union_my_entries(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_status text := coalesce(p ->> 'status', 'all');
begin
  if v_status not in ('waiting', 'finished', 'all') then
    perform app.bad('status', '须为 waiting、finished 或 all');
  end if;
  return jsonb_build_object(
    'items', coalesce((
      select jsonb_agg(app.union_entry_json(e) order by (e.status = 'waiting') desc,
                       case when e.status = 'waiting' then e.seq else -e.seq end)
      from (select * from rebate.union_entries x
            where x.member_id = v_me
              and (v_status = 'all' or (v_status = 'waiting') = (x.status = 'waiting'))
            order by (x.status = 'waiting') desc, case when x.status = 'waiting' then x.seq else -x.seq end
            limit 50) e), '[]'),
    'summary', (select jsonb_build_object(
                  'waitingCount', count(*) filter (where status = 'waiting'),
                  'quota', coalesce(sum(quota), 0), 'paid', coalesce(sum(paid), 0),
                  'pending', coalesce(sum(quota - paid), 0))
                from rebate.union_entries where member_id = v_me));
end
$$;

/** union.entry: one of the caller's union entries by seq. */
create or replace function api.union_entry(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e rebate.union_entries;
begin
  if coalesce(p ->> 'seq', '') !~ '^[0-9]{1,18}$' then
    perform app.bad('seq', '无效的排队记录');
  end if;
  select * into e from rebate.union_entries where seq = (p ->> 'seq')::bigint and member_id = app.me();
  if not found then
    perform app.not_found('seq', '排队记录不存在');
  end if;
  return jsonb_build_object('entry', app.union_entry_json(e));
end
$$;
