-- Union queue mode (工会排队; SPEC §5, docs/engine-semantics.md "Union queue
-- mode"), mirroring src/domain/engine/union.ts exactly:
--
-- - rebate.union_entries: the one platform-wide queue `union`, joined when an
--   order line completes, quota = pct(paid, unionQuotaRatio).
-- - rebate.union_lines: every completed union-mode line's profit by source and
--   net profit (after the order's rewards and acceleration), counted once by
--   the daily run of a later day.
-- - rebate.union_runs: one row per run day (pool history, run report);
--   the cursor is max(day).
-- - Money: completion moves the lines' net profit from the seller's revenue
--   to `union:profit` (and an acceleration to the referrer's available
--   wallet); the daily run moves it on: pct(N, unionPoolRatio) to
--   `union:pool`, the rest to `union:kept` (the platform's share), then the
--   pool pays whole entries into the owners' available wallets. One transfer
--   per run day, keyed `union-run:<day>`.
--
-- Locking: rebate.union_state's row (for update) serialises completions
-- (seq numbers, accelerations) and daily runs; then entry rows; ledger last.
--
-- Hooks in the core (one line each): rebate.update_settings →
-- rebate.check_mode_change; orders.pay_order → union-mode lines record queue
-- `union`, no entry, no extraction, settle on completion;
-- orders.complete_order → rebate.union_order_completed; rebate.tick →
-- rebate.union_run_due; rebate.replay_state reads the entries and the pool.

create table rebate.union_state (
  id boolean primary key default true check (id),
  next_seq bigint not null default 1 check (next_seq >= 1),
  updated_at timestamptz not null default now()
);
insert into rebate.union_state default values;

create table rebate.union_entries (
  id bigint generated always as identity primary key,
  seq bigint not null unique,
  order_id text not null, -- orders.lines (written by the same call)
  line integer not null,
  member_id text not null, -- the order's member
  base bigint not null check (base >= 0),
  -- unionQuotaRatio at completion.
  ratio numeric(7, 2) not null check (ratio between 0 and 10000),
  quota bigint not null check (quota >= 0),
  paid bigint not null default 0,
  status text not null check (status in ('waiting', 'done')),
  completed_day date not null,
  -- First run day that may pay it: completed_day + max(1, minWaitDays).
  payable_day date not null,
  -- The run day that paid it in full (null: waiting, or acceleration filled it).
  paid_day date,
  created_at timestamptz not null default now(),
  unique (order_id, line),
  constraint union_entries_paid_within_quota check (paid between 0 and quota),
  constraint union_entries_done_when_full check ((status = 'done') = (paid = quota)),
  check (payable_day > completed_day)
);
-- The daily walk reads only the waiting rows, in seq order, from the index.
create index union_entries_waiting on rebate.union_entries (seq) include (payable_day, quota, paid, member_id)
  where status = 'waiting';
-- Acceleration: a member's oldest waiting entry; members read their own.
create index union_entries_member on rebate.union_entries (member_id, seq);

create table rebate.union_lines (
  order_id text not null, -- orders.lines
  line integer not null,
  member_id text not null,
  -- Local day (Asia/Shanghai) of the completion.
  local_day date not null,
  profit bigint not null check (profit >= 0),
  -- profit minus this line's share of the order's rewards and acceleration.
  net bigint not null check (net between 0 and profit),
  -- The run that counted it.
  settled_day date,
  primary key (order_id, line)
);
create index union_lines_unsettled on rebate.union_lines (local_day) where settled_day is null;
create index union_lines_day on rebate.union_lines (local_day);

create table rebate.union_accelerations (
  order_id text primary key, -- the referee's completed order
  member_id text not null, -- the referrer
  entry_id bigint not null, -- rebate.union_entries
  amount bigint not null check (amount > 0),
  created_at timestamptz not null default now()
);

create table rebate.union_runs (
  day date primary key,
  -- The tick that ran it (a missed day is caught up by a later tick).
  tick_at timestamptz not null,
  net_profit bigint not null check (net_profit >= 0),
  inflow bigint not null check (inflow >= 0),
  pool_before bigint not null check (pool_before >= 0),
  paid_count bigint not null check (paid_count >= 0),
  paid_amount bigint not null check (paid_amount >= 0),
  pool_after bigint not null check (pool_after >= 0),
  -- Seq of the first entry the pool could not cover (null: none waiting and payable).
  stopped_at_seq bigint,
  created_at timestamptz not null default now(),
  constraint union_runs_balance check (pool_before + inflow = paid_amount + pool_after)
);

create trigger union_runs_append_only before update or delete on rebate.union_runs
  for each row execute function ledger.refuse_change();
create trigger union_accelerations_append_only before update or delete on rebate.union_accelerations
  for each row execute function ledger.refuse_change();

select ledger.open_account('union:pool', 'CNY');
select ledger.open_account('union:profit', 'CNY');
select ledger.open_account('union:kept', 'CNY');

-- ---------------------------------------------------------------------------
-- Settings

/** Called by rebate.update_settings: the mode is chosen at setup; changing it once any order exists is refused. */
create or replace function rebate.check_mode_change(p_current jsonb, p_patch jsonb) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if p_patch ? 'mode' and p_patch ->> 'mode' is distinct from p_current ->> 'mode'
     and exists (select 1 from orders.orders) then
    perform util.fail('mode', 'cannot be changed once an order exists (union and classic queues are separate systems, chosen at setup)');
  end if;
end
$$;

-- ---------------------------------------------------------------------------
-- Completion

/**
 * Profit of one line by source, as settled (0012_settlement.sql): self-operated
 * paid − cost (the catalogue now); supplier paid − the supply price fixed at
 * payment; store product and cashier the platform's commission fixed at
 * payment. Never below 0. plpgsql: the settlement columns of orders.lines
 * come with 0012, resolved when called.
 */
create or replace function rebate.union_line_profit(l orders.lines) returns bigint
language plpgsql stable
set search_path = ''
as $$
begin
  if l.kind <> 'product' then
    return l.commission;
  end if;
  return greatest(0, l.paid - case when l.supplier_id is not null then l.supply
                                   else (select p.cost from catalog.products p where p.id = l.item_id) end);
end
$$;

/**
 * Called by orders.complete_order (in its transaction, after the rewards were
 * released): in union mode every line records its profit and net profit,
 * eligible lines join the union queue in line order, and the buyer's direct
 * referrer may be accelerated. Returns the ledger legs (revenue → union:profit,
 * revenue → the referrer's available wallet) for the completion's transfer.
 */
create or replace function rebate.union_order_completed(p_order text, p_at timestamptz) returns ledger.leg[]
language plpgsql
set search_path = ''
as $$
declare
  s jsonb;
  v_member text;
  v_day date := util.local_day(p_at);
  v_rewards bigint;
  v_order_net bigint;
  v_next bigint;
  v_joined bigint;
  v_ref text;
  v_target rebate.union_entries;
  v_base bigint;
  v_acc bigint := 0;
  legs ledger.leg[];
begin
  select value into s from rebate.settings where id;
  if s ->> 'mode' <> 'union' then
    return '{}';
  end if;
  select member_id into v_member from orders.orders where id = p_order;
  select next_seq into v_next from rebate.union_state where id for update;

  -- The order's rewards (created at payment, released just before) are
  -- taken from its lines' profits in line order (see the net profit below).
  select coalesce(sum(amount), 0) into v_rewards
  from distribution.rewards where order_id = p_order and kind <> 'acceleration' and status <> 'cancelled';
  select greatest(0, coalesce(sum(rebate.union_line_profit(l)), 0) - v_rewards)
  into v_order_net from orders.lines l where l.order_id = p_order;

  -- Entries of the eligible lines, in line order.
  insert into rebate.union_entries (seq, order_id, line, member_id, base, ratio, quota, paid, status,
                                    completed_day, payable_day)
  select v_next + row_number() over (order by c.line) - 1, p_order, c.line, v_member, c.paid,
         (s ->> 'unionQuotaRatio')::numeric, q.quota, 0, case when q.quota = 0 then 'done' else 'waiting' end,
         v_day, v_day + greatest(1, coalesce(w.days, 0))
  from orders.lines c
  left join catalog.products pr on c.kind = 'product' and pr.id = c.item_id
  left join catalog.store_products sp on c.kind = 'storeProduct' and sp.id = c.item_id
  left join catalog.cashiers ca on c.kind = 'cashier' and ca.id = c.item_id
  left join catalog.stores st on st.id = c.store_id
  cross join lateral (select util.pct(c.paid, (s ->> 'unionQuotaRatio')::numeric) as quota) q
  cross join lateral (select case c.kind
           when 'product' then (pr.queue ->> 'minWaitDays')::int
           when 'storeProduct' then coalesce((sp.queue ->> 'minWaitDays')::int, (st.queue ->> 'minWaitDays')::int)
           else coalesce((ca.queue ->> 'minWaitDays')::int, (st.queue ->> 'minWaitDays')::int) end as days) w
  where (s ->> 'enabled')::boolean
    and case c.kind
          when 'product' then coalesce((pr.queue ->> 'enabled')::boolean, true)
          when 'storeProduct' then coalesce((sp.queue ->> 'enabled')::boolean, true)
                               and coalesce((st.queue ->> 'enabled')::boolean, true)
          else coalesce((ca.queue ->> 'enabled')::boolean, true) end
    and c.order_id = p_order;
  get diagnostics v_joined = row_count;
  if v_joined > 0 then
    update rebate.union_state set next_seq = v_next + v_joined, updated_at = now() where id;
  end if;

  -- Acceleration: pct(B, accelerationRatio) ≤ the order's net profit ≤ the
  -- remaining quota of the referrer's oldest waiting entry, paid at once.
  if (s #>> '{distribution,on}')::boolean and (s #>> '{distribution,accelerationRatio}')::numeric > 0 then
    select referrer_id into v_ref from members.members where id = v_member;
    if v_ref is not null then
      select * into v_target from rebate.union_entries
      where member_id = v_ref and status = 'waiting' order by seq limit 1 for update;
      if found then
        select base into v_base from distribution.orders where order_id = p_order;
        v_acc := least(util.pct(coalesce(v_base, 0), (s #>> '{distribution,accelerationRatio}')::numeric),
                       v_order_net, v_target.quota - v_target.paid);
      end if;
    end if;
  end if;
  if v_acc > 0 then
    update rebate.union_entries
    set paid = paid + v_acc, status = case when paid + v_acc = quota then 'done' else 'waiting' end
    where id = v_target.id;
    insert into distribution.rewards (order_id, member_id, kind, amount, status)
    values (p_order, v_ref, 'acceleration', v_acc, 'available');
    insert into rebate.union_accelerations (order_id, member_id, entry_id, amount)
    values (p_order, v_ref, v_target.id, v_acc);
  end if;

  -- Net profit per line: the rewards, then the acceleration, taken from the
  -- lines in line order, each line never below 0.
  with profits as (
    select l.line, l.kind, l.store_id, p.profit, sum(p.profit) over (order by l.line) as cum
    from orders.lines l
    cross join lateral (select rebate.union_line_profit(l) as profit) p
    where l.order_id = p_order
  ),
  net0 as (
    select *, sum(n0) over (order by line) as cum0
    from (select line, kind, store_id, profit, profit - least(profit, greatest(0, v_rewards - (cum - profit))) as n0
          from profits) x
  ),
  lines as (
    insert into rebate.union_lines (order_id, line, member_id, local_day, profit, net)
    select p_order, line, v_member, v_day, profit, n0 - least(n0, greatest(0, v_acc - (cum0 - n0))) from net0
    returning line
  )
  select coalesce(array_agg(row(case when kind = 'product' then 'revenue:mall' else 'revenue:store:' || store_id end,
                                'CNY', -n0)::ledger.leg), '{}')
  into legs from net0 where n0 > 0;
  if v_order_net - v_acc > 0 then
    legs := legs || row('union:profit', 'CNY', v_order_net - v_acc)::ledger.leg;
  end if;
  if v_acc > 0 then
    legs := legs || row('wallet:' || v_ref || ':available', 'CNY', v_acc)::ledger.leg;
  end if;
  return legs;
end
$$;

-- ---------------------------------------------------------------------------
-- The daily run

/**
 * The settlement of run day p_day: every unsettled line completed before
 * p_day adds its net profit N; pool += pct(N, unionPoolRatio) (the rest of N
 * is the platform's); then one statement walks the waiting entries payable
 * by p_day in seq order with a running sum of their remaining quota: the
 * entries whose running sum the pool covers are a strict prefix (the first
 * one not covered stops the walk; locked entries are not in the walk and
 * keep their place), paid in full by one set-based UPDATE of that prefix.
 * One ledger transfer, keyed by the day.
 * The caller holds rebate.union_state's row lock.
 */
create or replace function rebate.union_run_day(p_day date, p_settings jsonb, p_tick timestamptz)
returns rebate.union_runs
language plpgsql
set search_path = ''
as $$
declare
  v_net bigint;
  v_inflow bigint;
  v_before bigint;
  v_pool bigint;
  v_count bigint;
  v_amount bigint;
  v_stopped bigint;
  v_last bigint;
  legs ledger.leg[];
  r rebate.union_runs;
begin
  with settled as (
    update rebate.union_lines set settled_day = p_day
    where settled_day is null and local_day < p_day
    returning net)
  select coalesce(sum(net), 0) into v_net from settled;
  v_inflow := util.pct(v_net, (p_settings ->> 'unionPoolRatio')::numeric);
  select balance into v_before from ledger.accounts where code = 'union:pool';
  v_pool := v_before + v_inflow;

  -- The walk: one pass over the payable waiting entries in seq order with a
  -- running sum of their remaining quota; the paid set is the prefix the
  -- pool covers (running sums only grow), up to seq v_last.
  select max(w.seq) filter (where w.running <= v_pool), count(*) filter (where w.running <= v_pool),
         coalesce(sum(w.due) filter (where w.running <= v_pool), 0), min(w.seq) filter (where w.running > v_pool)
  into v_last, v_count, v_amount, v_stopped
  from (select e.seq, e.quota - e.paid as due,
               sum(e.quota - e.paid) over (order by e.seq rows between unbounded preceding and current row) as running
        from rebate.union_entries e
        where e.status = 'waiting' and e.payable_day <= p_day) w;
  legs := '{}';
  if v_count > 0 then
    -- Payouts per member, then the prefix paid in full (the same rows: payable, waiting, seq <= v_last).
    select array_agg(row('wallet:' || m.member_id || ':available', 'CNY', m.amount)::ledger.leg)
    into legs
    from (select e.member_id, sum(e.quota - e.paid)::bigint as amount
          from rebate.union_entries e
          where e.status = 'waiting' and e.payable_day <= p_day and e.seq <= v_last
          group by e.member_id) m;
    update rebate.union_entries set paid = quota, status = 'done', paid_day = p_day
    where status = 'waiting' and payable_day <= p_day and seq <= v_last;
  end if;

  legs := legs
    || row('union:profit', 'CNY', -v_net)::ledger.leg
    || row('union:kept', 'CNY', v_net - v_inflow)::ledger.leg
    || row('union:pool', 'CNY', v_inflow - v_amount)::ledger.leg;
  perform rebate.post_legs('union-run:' || p_day, 'union-run', legs);

  insert into rebate.union_runs (day, tick_at, net_profit, inflow, pool_before, paid_count, paid_amount, pool_after,
                                 stopped_at_seq)
  values (p_day, p_tick, v_net, v_inflow, v_before, v_count, v_amount, v_pool - v_amount, v_stopped)
  returning * into r;
  return r;
end
$$;

/**
 * The union job of rebate.tick(p_at): runs, in order, every run day whose
 * unionDailyAt (Asia/Shanghai) is at or before p_at and that has not run
 * yet; the first run day is the day after the earliest completed line.
 * Idempotent: a day runs once (union_runs' primary key, the transfer key).
 * Returns the number of days run.
 */
create or replace function rebate.union_run_due(p_at timestamptz) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  s jsonb;
  v_day date;
  v_count integer := 0;
begin
  if p_at is null then
    perform util.fail('at', 'must be an ISO 8601 time string');
  end if;
  perform 1 from rebate.union_state where id for update;
  select value into s from rebate.settings where id;
  select max(day) + 1 into v_day from rebate.union_runs;
  if v_day is null then
    select min(local_day) + 1 into v_day from rebate.union_lines where settled_day is null;
  end if;
  if v_day is null then
    return 0;
  end if;
  while ((v_day + (s ->> 'unionDailyAt')::time) at time zone interval '+08:00') <= p_at loop
    perform rebate.union_run_day(v_day, s, p_at);
    v_day := v_day + 1;
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

-- ---------------------------------------------------------------------------
-- Reads (operator console and the replay output)

/** The union pool's balance now (fen). */
create or replace function rebate.union_pool_balance() returns bigint
language sql stable
security definer
set search_path = ''
as $$ select coalesce((select balance from ledger.accounts where code = 'union:pool'), 0) $$;

/** Pool history: one row per run day in [p_from, p_to] (null = open end), oldest first. */
create or replace function rebate.union_pool_history(p_from date default null, p_to date default null)
returns table (day date, net_profit bigint, inflow bigint, pool_before bigint, paid_count bigint,
               paid_amount bigint, pool_after bigint, tick_at timestamptz)
language sql stable
security definer
set search_path = ''
as $$
  select day, net_profit, inflow, pool_before, paid_count, paid_amount, pool_after, tick_at
  from rebate.union_runs
  where (p_from is null or day >= p_from) and (p_to is null or day <= p_to)
  order by day
$$;

/**
 * The report of one run day (null when it has not run): its figures, the
 * seq range it paid, the seq it stopped at (the head the pool did not cover)
 * and what still waits behind it.
 */
create or replace function rebate.union_run_report(p_day date) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'day', r.day, 'tickAt', r.tick_at, 'netProfit', r.net_profit, 'inflow', r.inflow,
    'poolBefore', r.pool_before, 'paidCount', r.paid_count, 'paidAmount', r.paid_amount,
    'carry', r.pool_after, 'stoppedAtSeq', r.stopped_at_seq,
    'firstPaidSeq', (select min(seq) from rebate.union_entries where paid_day = r.day),
    'lastPaidSeq', (select max(seq) from rebate.union_entries where paid_day = r.day),
    'linesCounted', (select count(*) from rebate.union_lines where settled_day = r.day))
  from rebate.union_runs r where r.day = p_day
$$;

/**
 * The estimate of a union entry (an estimate, never a promise;
 * src/domain/engine/union.ts estimateUnionEntry): quota ahead (waiting
 * entries with a smaller seq, locked ones included), own remaining, the
 * pool, the inflow of the run days D − 6 … D (D = the last run day; 0 for a
 * day without a run), and the shared forecast (util.forecast, 0011) of
 * ahead + own − pool counted from D, not before the payable day; forecast
 * null before the first run or for an entry not waiting; null for an
 * unknown seq.
 */
create or replace function rebate.union_estimate(p_seq bigint) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e rebate.union_entries;
  v_ahead bigint;
  v_last date;
  v_pool bigint := rebate.union_pool_balance();
  v_daily bigint[];
begin
  select * into e from rebate.union_entries where seq = p_seq;
  if not found then
    return null;
  end if;
  select coalesce(sum(quota - paid), 0) into v_ahead
  from rebate.union_entries where status = 'waiting' and seq < p_seq;
  select max(day) into v_last from rebate.union_runs;
  v_daily := array(
    select coalesce((select r.inflow from rebate.union_runs r where r.day = v_last - k), 0)
    from generate_series(6, 0, -1) as k);
  return jsonb_build_object(
    'seq', e.seq, 'ahead', v_ahead, 'own', e.quota - e.paid, 'pool', v_pool, 'daily', to_jsonb(v_daily),
    'lastRunDay', v_last,
    'forecast', case when e.status = 'waiting' and v_last is not null
                     then util.forecast(v_ahead + e.quota - e.paid - v_pool, v_daily, v_last, e.payable_day) end);
end
$$;

/** Union entries of the replay output (rebate.replay_state). */
create or replace function rebate.replay_union_entries() returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'base', base, 'entitlement', quota, 'line', line, 'order', order_id, 'paid', paid,
           'queue', 'union', 'ratio', util.ratio_text(ratio), 'seq', seq, 'status', status, 'user', member_id)
         order by seq), '[]')
  from rebate.union_entries
$$;

-- ---------------------------------------------------------------------------
-- Row level security and privileges

alter table rebate.union_state enable row level security;
alter table rebate.union_entries enable row level security;
alter table rebate.union_lines enable row level security;
alter table rebate.union_accelerations enable row level security;
alter table rebate.union_runs enable row level security;

create policy "Members can read their own union entries" on rebate.union_entries
  for select to authenticated
  using (member_id = (select members.current_member_id()));

revoke all on rebate.union_state, rebate.union_entries, rebate.union_lines, rebate.union_accelerations,
  rebate.union_runs from public, anon, authenticated;
grant select on rebate.union_entries to authenticated;
grant select on rebate.union_state, rebate.union_entries, rebate.union_lines, rebate.union_accelerations,
  rebate.union_runs to service_role;

revoke all on function rebate.check_mode_change(jsonb, jsonb), rebate.union_line_profit(orders.lines),
  rebate.union_order_completed(text, timestamptz), rebate.union_run_day(date, jsonb, timestamptz),
  rebate.union_run_due(timestamptz), rebate.union_pool_balance(), rebate.union_pool_history(date, date),
  rebate.union_run_report(date), rebate.union_estimate(bigint), rebate.replay_union_entries()
  from public, anon, authenticated;
grant execute on function rebate.union_run_due(timestamptz), rebate.union_pool_balance(),
  rebate.union_pool_history(date, date), rebate.union_run_report(date), rebate.union_estimate(bigint) to service_role;
