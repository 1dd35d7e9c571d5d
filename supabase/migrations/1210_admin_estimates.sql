-- Admin actions of SPEC §9: the liability dashboard (what the queues owe,
-- their inflow, projected days to clear, stranded queues, a warning
-- threshold), the compliance check's inputs (the console computes the flags
-- with src/domain/compliance.ts: one place for the rules) and the operator's
-- acknowledgement of flags before a settings change, in the audit log.


/**
 * One queue's liability: outstanding (remaining entitlement of waiting
 * entries), reserve, paid to date, trailing 7-day inflow, the estimate to
 * clear its tail (util.forecast, the rule of the shopper estimates), and how
 * many waiting entries are projected to be filled within 30 / 90 / 300 days
 * at the mean inflow (payout order of the queueOrder in force, reserve first).
 */
create or replace function ops.liability_queue(q rebate.queues, p_warn_days integer) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  s jsonb := rebate.current_settings();
  v_first boolean := s ->> 'queueOrder' = 'completedFirst';
  v_daily bigint[] := rebate.queue_inflow(q.id, now(), 7);
  v_sum numeric := (select coalesce(sum(x), 0) from unnest(v_daily) x);
  v_reserve bigint := ledger.balance('reserve:' || q.key);
  v_paused boolean := coalesce((s ->> 'paused')::boolean, false)
                      or exists (select 1 from rebate.queue_pauses p where p.queue_id = q.id);
  r record;
  v_clear jsonb;
begin
  select count(*) as waiting, coalesce(sum(rem), 0)::bigint as outstanding,
         count(*) filter (where v_sum > 0 and ceil(7 * greatest(cum - v_reserve, 0) / v_sum) <= 30) as d30,
         count(*) filter (where v_sum > 0 and ceil(7 * greatest(cum - v_reserve, 0) / v_sum) <= 90) as d90,
         count(*) filter (where v_sum > 0 and ceil(7 * greatest(cum - v_reserve, 0) / v_sum) <= 300) as d300
  into r
  from (select e.entitlement - e.paid as rem,
               sum(e.entitlement - e.paid) over (order by case when v_first then not e.order_completed end, e.seq) as cum
        from rebate.entries e where e.queue_id = q.id and e.status = 'waiting') w;
  v_clear := util.forecast(r.outstanding - v_reserve, v_daily, util.local_day(now()), null, v_paused);
  return jsonb_build_object(
    'key', q.key,
    'name', app.queue_name(q.key),
    'waitingCount', r.waiting,
    'outstanding', r.outstanding,
    'reserve', v_reserve,
    'paidToDate', (select coalesce(sum(e.paid), 0) from rebate.entries e where e.queue_id = q.id and e.status <> 'cancelled'),
    'inflowDaily', to_jsonb(v_daily),
    'inflowPerDay', (v_clear ->> 'inflowPerDay')::bigint,
    'paused', v_paused,
    'clear', v_clear,
    'within', jsonb_build_object('d30', r.d30, 'd90', r.d90, 'd300', r.d300),
    'stranded', r.outstanding > 0 and (v_sum = 0 or v_paused),
    'warning', r.outstanding > 0 and (v_clear ->> 'days' is null or (v_clear ->> 'days')::int > p_warn_days));
end
$$;

create or replace function ops.liability_warn_days() returns integer
language sql stable
set search_path = ''
as $$ select coalesce((select (value #>> '{}')::int from app.site_content where key = 'liabilityWarnDays'), 300) $$;

/** The liability dashboard: per queue, the total, 30 days of outstanding vs inflow, waiting entries by age. */
create or replace function admin.queues_liability(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_warn integer := ops.liability_warn_days();
  v_queues jsonb;
  v_daily bigint[];
  v_today date := util.local_day(now());
begin
  perform ops.authorize('canViewQueues');
  select coalesce(jsonb_agg(ops.liability_queue(q, v_warn) order by q.id), '[]') into v_queues from rebate.queues q;
  select array_agg(d order by i) into v_daily
  from (select i, sum((x ->> (i - 1))::bigint)::bigint as d
        from generate_series(1, 7) i, jsonb_array_elements(v_queues) q, lateral (select q -> 'inflowDaily' as x) y
        group by i) t;
  return jsonb_build_object(
    'warnDays', v_warn,
    'queues', v_queues,
    'total', jsonb_build_object(
      'waitingCount', (select coalesce(sum((q ->> 'waitingCount')::bigint), 0) from jsonb_array_elements(v_queues) q),
      'outstanding', (select coalesce(sum((q ->> 'outstanding')::bigint), 0) from jsonb_array_elements(v_queues) q),
      'reserve', (select coalesce(sum((q ->> 'reserve')::bigint), 0) from jsonb_array_elements(v_queues) q),
      'paidToDate', (select coalesce(sum((q ->> 'paidToDate')::bigint), 0) from jsonb_array_elements(v_queues) q),
      'inflowDaily', to_jsonb(coalesce(v_daily, array[0, 0, 0, 0, 0, 0, 0]::bigint[])),
      'within', jsonb_build_object(
        'd30', (select coalesce(sum((q #>> '{within,d30}')::bigint), 0) from jsonb_array_elements(v_queues) q),
        'd90', (select coalesce(sum((q #>> '{within,d90}')::bigint), 0) from jsonb_array_elements(v_queues) q),
        'd300', (select coalesce(sum((q #>> '{within,d300}')::bigint), 0) from jsonb_array_elements(v_queues) q)),
      'stranded', (select count(*) from jsonb_array_elements(v_queues) q where (q ->> 'stranded')::boolean),
      'strandedAmount', (select coalesce(sum((q ->> 'outstanding')::bigint), 0) from jsonb_array_elements(v_queues) q where (q ->> 'stranded')::boolean),
      'warnings', (select count(*) from jsonb_array_elements(v_queues) q where (q ->> 'warning')::boolean)),
    -- Outstanding at the end of each of the last 30 local days (entries joined by then, not cancelled, minus what
    -- they had received by then) and the extraction that flowed in that day.
    'history', (
      select jsonb_agg(jsonb_build_object('date', to_char(d, 'YYYY-MM-DD'),
               'outstanding', (select coalesce(sum(e.entitlement), 0) from rebate.entries e
                               where e.status <> 'cancelled' and util.local_day(e.created_at) <= d)
                            - (select coalesce(sum(po.amount), 0) from rebate.payouts po join rebate.entries e on e.id = po.entry_id
                               where e.status <> 'cancelled' and util.local_day(po.created_at) <= d),
               'inflow', (select coalesce(sum(op.amount), 0) from rebate.queue_ops op
                          where op.kind in ('line', 'allocate') and op.amount is not null and not op.paused
                            and op.created_at >= (d::timestamp - interval '8 hours') at time zone 'UTC'
                            and op.created_at < ((d + 1)::timestamp - interval '8 hours') at time zone 'UTC'))
             order by d)
      from generate_series(v_today - 29, v_today, interval '1 day') g, lateral (select g::date as d) x),
    'ages', (
      select jsonb_agg(jsonb_build_object('bucket', b.label, 'count', a.n, 'amount', a.amount) order by b.ord)
      from (values (1, '0-7天', 0, 7), (2, '8-30天', 8, 30), (3, '31-90天', 31, 90), (4, '91-300天', 91, 300), (5, '300天以上', 301, 1000000))
             b(ord, label, lo, hi)
      cross join lateral (select count(*) as n, coalesce(sum(e.entitlement - e.paid), 0)::bigint as amount
                          from rebate.entries e
                          where e.status = 'waiting' and (v_today - util.local_day(e.created_at)) between b.lo and b.hi) a),
    'generatedAt', now());
end
$$;

/** The warning threshold (days to clear a queue's tail), audited. */
create or replace function admin.queues_set_liability_warning(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before integer;
  v_days integer;
begin
  perform ops.authorize('canOperateQueues');
  if coalesce(jsonb_typeof(p -> 'days'), '') <> 'number' or (p ->> 'days') !~ '^[0-9]{1,5}$' or (p ->> 'days')::int not between 1 and 36500 then
    perform app.bad('days', '须为 1 到 36500 之间的整数（天）');
  end if;
  v_days := (p ->> 'days')::int;
  v_before := ops.liability_warn_days();
  insert into app.site_content (key, value) values ('liabilityWarnDays', to_jsonb(v_days))
  on conflict (key) do update set value = excluded.value, updated_at = now();
  perform ops.audit('queues.setLiabilityWarning', 'settings', 'liabilityWarnDays', to_jsonb(v_before), to_jsonb(v_days));
  return jsonb_build_object('days', v_days);
end
$$;

/** Settings and catalogue in the shapes of src/domain/compliance.ts (ComplianceCatalogue). */
create or replace function admin.compliance_inputs(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewSettings');
  return jsonb_build_object(
    'settings', rebate.current_settings(),
    'catalogue', jsonb_build_object(
      'levels', coalesce((select jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', l.id, 'ratio', util.ratio_text(l.ratio),
                            'teamRatio', util.ratio_text(l.team_ratio))) order by l.id) from catalog.levels l), '[]'),
      'products', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'price', x.price, 'cost', x.cost, 'queue', x.queue) order by x.id)
                            from catalog.products x), '[]'),
      'stores', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'commission', util.ratio_text(x.commission), 'queue', x.queue) order by x.id)
                          from catalog.stores x), '[]'),
      'storeProducts', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'store', x.store_id, 'price', x.price, 'cost', x.cost, 'queue', x.queue) order by x.id)
                                 from catalog.store_products x), '[]'),
      'cashiers', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'store', x.store_id, 'queue', x.queue) order by x.id)
                            from catalog.cashiers x), '[]')));
end
$$;

/**
 * The operator saw these compliance flags for this settings patch and goes
 * ahead: one audit entry with their identity (ops.audit), before the save.
 */
create or replace function admin.compliance_acknowledge(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id bigint;
begin
  perform ops.authorize('canEditSettings');
  if coalesce(jsonb_typeof(p -> 'patch'), '') <> 'object' then
    perform app.bad('patch', '须为设置对象');
  end if;
  if coalesce(jsonb_typeof(p -> 'flags'), '') <> 'array' or jsonb_array_length(p -> 'flags') = 0 then
    perform app.bad('flags', '须列出确认的合规提示');
  end if;
  if exists (select 1 from jsonb_array_elements(p -> 'flags') f
             where jsonb_typeof(f) <> 'object' or coalesce(f ->> 'rule', '') = '' or coalesce(f ->> 'subject', '') = ''
                or jsonb_typeof(f -> 'amount') <> 'number') then
    perform app.bad('flags', '每条提示须有 rule、subject 和 amount');
  end if;
  v_id := ops.audit('compliance.acknowledge', 'settings', 'compliance', null,
                    jsonb_build_object('patch', p -> 'patch', 'flags', p -> 'flags'), '操作员已确认合规提示');
  return jsonb_build_object('auditId', v_id::text);
end
$$;

revoke all on function ops.liability_queue(rebate.queues, integer), ops.liability_warn_days() from public;
grant execute on function admin.queues_liability(jsonb), admin.queues_set_liability_warning(jsonb),
  admin.compliance_inputs(jsonb), admin.compliance_acknowledge(jsonb) to operator;
