-- Distribution rewards (SPEC §6; docs/engine-semantics.md "Distribution
-- rewards"), mirroring src/domain/engine/distribution.ts exactly:
--
-- - distribution.uplines: every member bound to a referrer keeps its upline
--   list (referrer first, nearest first), fixed at registration (a referrer
--   binds only then), so an order's walk is one indexed read, never a tree scan.
-- - distribution.orders: every paid order's base B (paid or profit, with the
--   `distribution.base` in force at payment) and cash paid; completion time
--   for dividend windows.
-- - distribution.rewards: one row per (order, user, kind); created frozen at
--   payment, available at completion, cancelled by a refund; dividends are
--   created available. Money: the platform's distribution expense account
--   (allow_negative) funds the receivers' wallets, in the same transfer as
--   the order event's other money.
-- - distribution.dividend_periods: settled dividend windows (the cursor is
--   the end of the last one), settled by distribution.run_due(p_at).
--
-- Hooks in the core (small calls): members.upsert_member → bind_upline;
-- orders.pay_order → reward_order; orders.complete_order → release_order;
-- orders.refund_order → cancel_order; rebate.replay_state → replay_rewards;
-- rebate.tick → run_due.

create schema if not exists distribution;
revoke all on schema distribution from public;
grant usage on schema distribution to service_role, authenticated;
alter default privileges in schema distribution revoke all on tables from public;

-- ---------------------------------------------------------------------------
-- Tables

create table distribution.uplines (
  member_id text primary key references members.members (id),
  -- [referrer] ++ upline(referrer), nearest first; never changes.
  upline text[] not null check (cardinality(upline) >= 1),
  created_at timestamptz not null default now()
);

-- Written by reward_order inside orders.pay_order (no foreign key: the
-- order row is written by the same call; the db tests check for orphans).
create table distribution.orders (
  order_id text primary key, -- orders.orders
  -- Payment order: the first order ever paid starts the dividend periods.
  seq bigint generated always as identity unique,
  member_id text not null, -- the buyer
  at timestamptz not null,
  -- B: Σ line bases under the `distribution.base` in force at payment.
  base bigint not null check (base >= 0),
  -- Σ cash paid on the lines (weights of a weighted dividend).
  paid bigint not null check (paid >= 0),
  completed_at timestamptz
);
create index orders_completed_at on distribution.orders (completed_at) where completed_at is not null;

create table distribution.rewards (
  id bigint generated always as identity primary key,
  -- The paying order's id (orders.orders), or `dividend:<period label>`.
  order_id text not null check (char_length(order_id) between 1 and 100),
  -- The receiver (members.members; no foreign key: a popular upline is a hot
  -- row, and every check would key-share lock it; receivers are checked when
  -- they bind or are named recruiter).
  member_id text not null,
  kind text not null check (kind in ('direct', 'indirect', 'levelDiff', 'sameLevel', 'dividend', 'recruit', 'acceleration')),
  amount bigint not null check (amount > 0),
  status text not null check (status in ('frozen', 'available', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (order_id, member_id, kind),
  constraint rewards_dividends_available check (kind <> 'dividend' or status = 'available')
);
create index rewards_member on distribution.rewards (member_id, id);

create table distribution.dividend_periods (
  -- `2026-01` (month) or `2026-W05` (ISO week); labels never repeat.
  label text primary key,
  -- The settled window [starts_at, ends_at): starts at the cursor.
  starts_at timestamptz not null,
  ends_at timestamptz not null unique,
  revenue bigint not null default 0 check (revenue >= 0),
  amount bigint not null default 0 check (amount >= 0),
  settled_at timestamptz not null default now(),
  check (starts_at < ends_at)
);

create trigger dividend_periods_append_only before update or delete on distribution.dividend_periods
  for each row execute function ledger.refuse_change();

-- The platform's distribution expense: funds every reward (negative balance
-- = paid out net of cancellations).
select ledger.open_account('distribution:expense', 'CNY', true);

-- ---------------------------------------------------------------------------
-- Referral: upline lists

/**
 * Called by members.upsert_member when a new member registers with a
 * referrer (already checked to exist): stores [referrer] ++ upline(referrer).
 */
create or replace function distribution.bind_upline(p_member text, p_referrer text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into distribution.uplines (member_id, upline)
  values (p_member, array[p_referrer] || coalesce((select upline from distribution.uplines where member_id = p_referrer), '{}'));
end
$$;

/** The upline list of a member, nearest first ('{}' without a referrer). */
create or replace function distribution.upline_of(p_member text) returns text[]
language sql stable
security definer
set search_path = ''
as $$ select coalesce((select upline from distribution.uplines where member_id = p_member), '{}') $$;

-- ---------------------------------------------------------------------------
-- Per-order rewards

/**
 * Called by orders.pay_order once the order's lines are written, with the
 * settings in force: records the order's base and, when distribution is on,
 * creates its rewards (direct, indirect, level difference in walk order,
 * same level, recruit per store) cut to what is left of pct(B, cap), zero
 * pieces dropped, one reward per (user, kind). Returns the ledger legs
 * (expense → receivers' frozen wallets) for the caller's transfer.
 */
create or replace function distribution.reward_order(p_order text, p_settings jsonb) returns ledger.leg[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  d jsonb := p_settings -> 'distribution';
  v_buyer text;
  v_at timestamptz;
  v_base bigint;
  v_paid bigint;
  v_upline text[];
  v_users text[] := '{}';
  v_kinds text[] := '{}';
  v_amounts bigint[] := '{}';
  v_same_user text;
  v_same_amount bigint;
  v_h numeric := 0;
  v_left bigint;
  v_amt bigint;
  v_total bigint := 0;
  legs ledger.leg[] := '{}';
  r record;
  i integer;
begin
  select member_id, at into v_buyer, v_at from orders.orders where id = p_order;
  -- Line bases, rounded per line (never below 0), with the product's cost
  -- and the store's commission at payment.
  select coalesce(sum(b.base), 0), coalesce(sum(b.paid), 0) into v_base, v_paid
  from (
    select l.paid,
           case when d ->> 'base' = 'paid' then l.paid
                when l.kind = 'product' then greatest(0, l.paid - p.cost)
                else util.pct(l.paid, st.commission) end as base
    from orders.lines l
    left join catalog.products p on l.kind = 'product' and p.id = l.item_id
    left join catalog.stores st on l.kind <> 'product' and st.id = l.store_id
    where l.order_id = p_order
  ) b;
  insert into distribution.orders (order_id, member_id, at, base, paid) values (p_order, v_buyer, v_at, v_base, v_paid);
  if not (d ->> 'on')::boolean or v_base = 0 then
    return legs;
  end if;

  -- The pieces, in cap order.
  select upline into v_upline from distribution.uplines where member_id = v_buyer;
  v_upline := coalesce(v_upline, '{}');
  if cardinality(v_upline) >= 1 then
    v_users := v_users || v_upline[1];
    v_kinds := v_kinds || 'direct'::text;
    v_amounts := v_amounts || util.pct(v_base, (d ->> 'directRatio')::numeric);
  end if;
  if cardinality(v_upline) >= 2 then
    v_users := v_users || v_upline[2];
    v_kinds := v_kinds || 'indirect'::text;
    v_amounts := v_amounts || util.pct(v_base, (d ->> 'indirectRatio')::numeric);
  end if;
  if (d ->> 'levelDifference')::boolean and cardinality(v_upline) > 0 then
    -- The walk: each upline's team ratio (no level / none = 0), nearest first.
    for r in
      select u.id, coalesce(lv.team_ratio, 0) as t
      from unnest(v_upline) with ordinality as u(id, ord)
      join members.members m on m.id = u.id
      left join catalog.levels lv on lv.id = m.level_id
      order by u.ord
    loop
      if r.t > v_h then
        v_users := v_users || r.id;
        v_kinds := v_kinds || 'levelDiff'::text;
        v_amounts := v_amounts || util.pct(v_base, r.t - v_h);
        v_h := r.t;
      elsif v_same_user is null and (d ->> 'sameLevelRatio')::numeric > 0 and v_h > 0 and r.t = v_h then
        v_same_user := r.id;
        v_same_amount := util.pct(v_base, (d ->> 'sameLevelRatio')::numeric);
      end if;
    end loop;
    if v_same_user is not null then
      v_users := v_users || v_same_user;
      v_kinds := v_kinds || 'sameLevel'::text;
      v_amounts := v_amounts || v_same_amount;
    end if;
  end if;
  if (d ->> 'recruitRatio')::numeric > 0 then
    -- Per store of the order (in the order of its first line), to its recruiter at payment.
    for r in
      select st.recruiter_id, util.pct(x.base::bigint, (d ->> 'recruitRatio')::numeric) as amount
      from (
        select l.store_id, min(l.line) as first_line,
               sum(case when d ->> 'base' = 'paid' then l.paid else util.pct(l.paid, s2.commission) end) as base
        from orders.lines l join catalog.stores s2 on s2.id = l.store_id
        where l.order_id = p_order and l.store_id is not null
        group by l.store_id
      ) x
      join catalog.stores st on st.id = x.store_id
      where st.recruiter_id is not null
      order by x.first_line
    loop
      v_users := v_users || r.recruiter_id;
      v_kinds := v_kinds || 'recruit'::text;
      v_amounts := v_amounts || r.amount;
    end loop;
  end if;

  -- The cap: each piece cut to what is left; zero pieces dropped; the same
  -- (user, kind) summed into one reward.
  v_left := util.pct(v_base, (d ->> 'cap')::numeric);
  for i in 1 .. coalesce(cardinality(v_users), 0) loop
    v_amt := least(v_amounts[i], v_left);
    continue when v_amt <= 0;
    v_left := v_left - v_amt;
    v_total := v_total + v_amt;
    insert into distribution.rewards (order_id, member_id, kind, amount, status)
    values (p_order, v_users[i], v_kinds[i], v_amt, 'frozen')
    on conflict (order_id, member_id, kind) do update set amount = distribution.rewards.amount + excluded.amount;
    legs := legs || row('wallet:' || v_users[i] || ':frozen', 'CNY', v_amt)::ledger.leg;
  end loop;
  if v_total > 0 then
    legs := legs || row('distribution:expense', 'CNY', -v_total)::ledger.leg;
  end if;
  return legs;
end
$$;

/**
 * Called by orders.complete_order: the order's rewards become available
 * (frozen → available wallet legs returned) and the order counts towards the
 * dividend window containing p_at.
 */
create or replace function distribution.release_order(p_order text, p_at timestamptz) returns ledger.leg[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  legs ledger.leg[];
begin
  update distribution.orders set completed_at = p_at where order_id = p_order;
  with released as (
    update distribution.rewards set status = 'available', updated_at = now()
    where order_id = p_order and status = 'frozen'
    returning member_id, amount
  )
  select coalesce(array_agg(x.leg), '{}') into legs
  from released r
  cross join lateral (values (row('wallet:' || r.member_id || ':frozen', 'CNY', -r.amount)::ledger.leg),
                             (row('wallet:' || r.member_id || ':available', 'CNY', r.amount)::ledger.leg)) x(leg);
  return legs;
end
$$;

/**
 * Called by orders.refund_order: the order's rewards are cancelled (amount
 * kept as history); the money goes from the frozen wallets back to the
 * expense account.
 */
create or replace function distribution.cancel_order(p_order text) returns ledger.leg[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  legs ledger.leg[];
  v_total bigint;
begin
  with cancelled as (
    update distribution.rewards set status = 'cancelled', updated_at = now()
    where order_id = p_order and status = 'frozen'
    returning member_id, amount
  )
  select coalesce(array_agg(row('wallet:' || member_id || ':frozen', 'CNY', -amount)::ledger.leg), '{}'),
         coalesce(sum(amount), 0)
  into legs, v_total
  from cancelled;
  if v_total > 0 then
    legs := legs || row('distribution:expense', 'CNY', v_total)::ledger.leg;
  end if;
  return legs;
end
$$;

-- ---------------------------------------------------------------------------
-- Dividends

/**
 * The calendar month or ISO week (Monday 00:00 to Monday 00:00) of
 * Asia/Shanghai (fixed UTC+8) containing p_at: its start, end and label
 * (`2026-01`, `2026-W05`: ISO week-year and week).
 */
create or replace function distribution.period_of(p_kind text, p_at timestamptz,
  out starts_at timestamptz, out ends_at timestamptz, out label text)
language sql stable
security definer
set search_path = ''
as $$
  select (x.s at time zone interval '+08:00'),
         (x.e at time zone interval '+08:00'),
         case when p_kind = 'monthly' then to_char(x.s, 'YYYY-MM') else to_char(x.s, 'IYYY-"W"IW') end
  from (select date_trunc(case when p_kind = 'monthly' then 'month' else 'week' end, p_at at time zone interval '+08:00') as s) t
  cross join lateral (select t.s, t.s + case when p_kind = 'monthly' then interval '1 month' else interval '7 days' end as e) x
$$;

/**
 * Settles one window [p_from, p_end) labelled p_label with the settings in
 * force: D = pct(revenue, dividendRatio) split among the shareholders
 * (equal, or weighted by the window's completed cash of their downline and
 * themselves) by largest remainder (ties to the smaller id), credited
 * available at once. Nothing is paid when distribution is off, the ratio
 * is 0 or there is no shareholder; the window is settled all the same.
 */
create or replace function distribution.settle_period(p_label text, p_from timestamptz, p_end timestamptz, p_settings jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  d jsonb := p_settings -> 'distribution';
  v_revenue bigint;
  v_total bigint;
  v_paid bigint := 0;
  legs ledger.leg[] := '{}';
  r record;
begin
  select coalesce(sum(base), 0) into v_revenue
  from distribution.orders where completed_at >= p_from and completed_at < p_end;
  if (d ->> 'on')::boolean and (d ->> 'dividendRatio')::numeric > 0 then
    v_total := util.pct(v_revenue, (d ->> 'dividendRatio')::numeric);
  else
    v_total := 0;
  end if;

  if v_total > 0 then
    for r in
      with holders as (
        select m.id from members.members m join catalog.levels lv on lv.id = m.level_id
        where lv.shareholder
      ),
      spend as (
        -- Cash of the window's completed orders, to the buyer and every upline.
        select x.id, sum(o.paid)::numeric as w
        from distribution.orders o
        left join distribution.uplines u on u.member_id = o.member_id
        cross join lateral unnest(array[o.member_id] || coalesce(u.upline, '{}')) as x(id)
        where o.completed_at >= p_from and o.completed_at < p_end
          and d ->> 'dividendSplit' = 'weighted'
        group by x.id
      ),
      weights as (
        select h.id, coalesce(s.w, 0) as w from holders h left join spend s on s.id = h.id
      ),
      used as (
        -- No weight at all: equal split.
        select id, case when (select max(w) from weights) > 0 then w else 1 end as w from weights
      ),
      parts as (
        select id, div(v_total * w, sum(w) over ()) as share, mod(v_total * w, sum(w) over ()) as rem from used
      ),
      ranked as (
        select id, share,
               row_number() over (order by rem desc, id collate "C") as rk,
               v_total - sum(share) over () as left_over
        from parts
      )
      select id, (share + case when rk <= left_over then 1 else 0 end)::bigint as amount
      from ranked
      order by id collate "C"
    loop
      continue when r.amount = 0;
      insert into distribution.rewards (order_id, member_id, kind, amount, status)
      values ('dividend:' || p_label, r.id, 'dividend', r.amount, 'available');
      legs := legs || row('wallet:' || r.id || ':available', 'CNY', r.amount)::ledger.leg;
      v_paid := v_paid + r.amount;
    end loop;
  end if;
  if v_paid > 0 then
    legs := legs || row('distribution:expense', 'CNY', -v_paid)::ledger.leg;
    perform ledger.transfer('dividend:' || p_label, 'dividend', legs);
  end if;
  insert into distribution.dividend_periods (label, starts_at, ends_at, revenue, amount)
  values (p_label, p_from, p_end, v_revenue, v_paid);
end
$$;

/**
 * The dividend job (rebate.tick at p_at): settles, in order, every period
 * of the `dividendPeriod` in force that ended at or before p_at, from the
 * period of the first order ever paid, each once. Returns the number of
 * windows settled. Serialised by a transaction advisory lock.
 */
create or replace function distribution.run_due(p_at timestamptz) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  s jsonb;
  v_kind text;
  v_first timestamptz;
  v_cursor timestamptz;
  v_count integer := 0;
  p record;
begin
  if p_at is null then
    perform util.fail('at', 'must be an ISO 8601 time string');
  end if;
  perform pg_advisory_xact_lock(7102, 0);
  select at into v_first from distribution.orders order by seq limit 1;
  if v_first is null then
    return 0;
  end if;
  select value into s from rebate.settings where id;
  v_kind := s #>> '{distribution,dividendPeriod}';
  select max(ends_at) into v_cursor from distribution.dividend_periods;
  if v_cursor is null then
    v_cursor := (distribution.period_of(v_kind, v_first)).starts_at;
  end if;
  loop
    select * into p from distribution.period_of(v_kind, v_cursor);
    exit when p.ends_at > p_at;
    perform distribution.settle_period(p.label, v_cursor, p.ends_at, s);
    v_cursor := p.ends_at;
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

-- ---------------------------------------------------------------------------
-- Reads

/** Rewards for the replay output (rebate.replay_state). */
create or replace function rebate.replay_rewards() returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('amount', amount, 'kind', kind, 'order', order_id,
                                               'status', status, 'user', member_id)
                            order by order_id collate "C", member_id collate "C", kind collate "C"), '[]')
  from distribution.rewards
$$;

/**
 * The signed-in member's rewards (auth.uid() → member), newest first:
 * keyset page before p_before (a reward id), at most p_limit (1..100).
 */
create or replace function distribution.my_rewards(p_limit integer default 20, p_before bigint default null)
returns table (id bigint, kind text, amount bigint, status text, order_id text, buyer_id text, created_at timestamptz)
language sql stable
security definer
set search_path = ''
as $$
  select r.id, r.kind, r.amount, r.status, r.order_id, o.member_id, r.created_at
  from distribution.rewards r
  left join distribution.orders o on o.order_id = r.order_id
  where r.member_id = members.current_member_id()
    and (p_before is null or r.id < p_before)
  order by r.id desc
  limit least(greatest(coalesce(p_limit, 20), 1), 100)
$$;

/** Totals of the signed-in member's rewards by status. */
create or replace function distribution.my_reward_totals(out frozen bigint, out available bigint, out cancelled bigint)
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(sum(amount) filter (where status = 'frozen'), 0)::bigint,
         coalesce(sum(amount) filter (where status = 'available'), 0)::bigint,
         coalesce(sum(amount) filter (where status = 'cancelled'), 0)::bigint
  from distribution.rewards where member_id = members.current_member_id()
$$;

-- ---------------------------------------------------------------------------
-- Row level security and privileges

alter table distribution.uplines enable row level security;
alter table distribution.orders enable row level security;
alter table distribution.rewards enable row level security;
alter table distribution.dividend_periods enable row level security;

create policy "Members can read their own rewards" on distribution.rewards
  for select to authenticated
  using (member_id = (select members.current_member_id()));

create policy "Members can read their own upline" on distribution.uplines
  for select to authenticated
  using (member_id = (select members.current_member_id()));

revoke all on all tables in schema distribution from public, anon, authenticated;
grant select on distribution.rewards, distribution.uplines to authenticated;
grant select on all tables in schema distribution to service_role;

revoke all on all functions in schema distribution from public, anon, authenticated;
revoke all on function rebate.replay_rewards() from public, anon, authenticated;
grant execute on function distribution.my_rewards(integer, bigint), distribution.my_reward_totals() to authenticated;
grant execute on function distribution.run_due(timestamptz), distribution.upline_of(text),
  distribution.my_rewards(integer, bigint), distribution.my_reward_totals(), rebate.replay_rewards()
  to service_role;
