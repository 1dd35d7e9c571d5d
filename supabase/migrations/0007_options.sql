-- Ratio rules and shopper options (SPEC §3.1–§3.4, §4, §8;
-- docs/engine-semantics.md "Ratio rules and shopper options", "Member levels
-- (upgrade)"), mirroring the model engine (src/domain/engine/ratio.ts,
-- options.ts, members.ts, jobs.ts):
--
-- - the §4 ratio chains at payment (member-level, cumulative tiers, lottery
--   sources, independent / default tails), with the line's queue key and
--   extraction ratio: rebate.resolve_line, the one resolver payment
--   (orders.plan_line) and every preview (app.line_queue) call;
-- - member statistics (own completed spend, team spend kept incrementally up
--   the upline at each completion) and automatic level upgrades;
-- - rebate.draw, rebate.exchange (points / love / coupon ledger accounts;
--   refunds take credits back, completion releases frozen love);
-- - random return: per-queue groups with a stored permutation, assigned by
--   the queue processor under the queue lock (rebate.entry_joined), pinned
--   slots assigned at payment under the same lock (rebate.assign_pinned_slots);
-- - rebate.tick: clearing (platform clock, clearing mark, schedules in
--   Asia/Shanghai), then distribution.run_due; pg_cron runs
--   it every minute where the extension is available.
--
-- Random bits: `rebate.rng = 'seeded'` (a transaction-local setting the
-- replay db engine and the what-if simulator set) hashes a label
-- (SHA-256, first 6 bytes), anything else takes 48 bits of gen_random_uuid().

-- ---------------------------------------------------------------------------
-- Schema

alter table catalog.levels
  add column rank integer check (rank between 0 and 1000000),
  -- {completedSpend, directReferrals, teamSpend}, each optional; null = operator-assigned only.
  add column upgrade jsonb,
  -- Definition order: distinct level ids defined before this one (kept on redefinition).
  add column def_index integer;

update catalog.levels l set def_index = x.n
from (select id, (row_number() over (order by created_at, id) - 1)::int as n from catalog.levels) x
where x.id = l.id;

/** New level ids get the next definition index; an upsert of an existing id keeps its own. */
create or replace function catalog.level_def_index() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.def_index := (select count(*) from catalog.levels);
  return new;
end
$$;
create trigger levels_def_index before insert on catalog.levels
  for each row execute function catalog.level_def_index();

create table members.member_stats (
  member_id text primary key references members.members (id),
  -- Σ paid of the member's completed orders.
  own_spend bigint not null default 0 check (own_spend >= 0),
  -- Σ own_spend of every member below (all depths), increased at each completion.
  team_spend bigint not null default 0 check (team_spend >= 0),
  updated_at timestamptz not null default now()
);

alter table orders.lines
  -- The lottery the entry may be drawn with (a lottery source of §4), copied at payment.
  add column lottery jsonb,
  -- Random return config {cashCount, pointsCount} of the line's queue at payment; null = off.
  add column random_return_cfg jsonb,
  -- Slot assigned at payment (orders with a pinned slot only); else by the processor.
  add column rr_group integer,
  add column rr_slot text check (rr_slot in ('cash', 'points'));

alter table rebate.entries
  add column lottery jsonb,
  add column drawn_ratio numeric(7, 2) check (drawn_ratio between 0 and 10000),
  -- What an exchange or a random-return conversion credited (taken back by a refund).
  add column exchanged_to text check (exchanged_to in ('points', 'love', 'coupon')),
  add column exchanged_amount bigint check (exchanged_amount >= 0),
  -- Love credited frozen (loveFrozen), released at the order's completion.
  add column credit_frozen boolean,
  add column rr_group integer,
  add column rr_slot text check (rr_slot in ('cash', 'points')),
  add constraint entries_credit_shape check ((exchanged_to is null) = (exchanged_amount is null));

/** The open random-return group of a queue (changed only under the queue's lock). */
create table rebate.random_groups (
  queue_id bigint primary key, -- rebate.queues
  groups integer not null check (groups >= 1), -- groups opened so far (= no of the open one)
  cash_count integer not null check (cash_count >= 0),
  points_count integer not null check (points_count >= 0),
  slots text[] not null, -- the drawn permutation
  taken integer not null default 0,
  cash integer not null default 0,
  points integer not null default 0,
  updated_at timestamptz not null default now(),
  check (taken = cash + points and cash <= cash_count and points <= points_count
         and cardinality(slots) = cash_count + points_count)
);

/** Scheduler state: the latest tick and the clearing mark. */
create table rebate.jobs_state (
  id boolean primary key default true check (id),
  last_tick timestamptz,
  clearing_mark timestamptz,
  updated_at timestamptz not null default now()
);
insert into rebate.jobs_state default values;

/** A level's `upgrade`: {completedSpend, directReferrals, teamSpend}, each optional. */
create or replace function members.validate_upgrade(p_value jsonb, p_field text) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
begin
  perform util.expect_object(p_value, p_field);
  perform util.only_keys(p_value, array['completedSpend', 'directReferrals', 'teamSpend'], p_field);
  if p_value ? 'completedSpend' then perform util.expect_fen(p_value -> 'completedSpend', util.join(p_field, 'completedSpend')); end if;
  if p_value ? 'directReferrals' then
    perform util.expect_count(p_value -> 'directReferrals', util.join(p_field, 'directReferrals'), 1000000);
  end if;
  if p_value ? 'teamSpend' then perform util.expect_fen(p_value -> 'teamSpend', util.join(p_field, 'teamSpend')); end if;
  return p_value;
end
$$;

-- ---------------------------------------------------------------------------
-- Random bits (src/domain/random.ts)

/** 48 random bits for a label: seeded (SHA-256 of the label) or from gen_random_uuid(). */
create or replace function rebate.u48(p_label text) returns bigint
language sql volatile
set search_path = ''
as $$
  select case when current_setting('rebate.rng', true) = 'seeded'
    then ('x' || encode(substring(sha256(convert_to(p_label, 'UTF8')) from 1 for 6), 'hex'))::bit(48)::bigint
    else ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12))::bit(48)::bigint end
$$;

/** floor(u48 × n / 2^48), exact. */
create or replace function rebate.pick(p_u48 bigint, p_n bigint) returns bigint
language sql immutable
set search_path = ''
as $$ select div(p_u48::numeric * p_n, 281474976710656)::bigint $$;

/** The drawn ratio of a lottery config (docs "Lottery draw"). */
create or replace function rebate.draw_lottery(p_cfg jsonb, p_u48 bigint) returns numeric
language plpgsql immutable
set search_path = ''
as $$
declare
  v_total bigint;
  v_pick bigint;
  v_sum bigint := 0;
  r record;
  v_min bigint;
begin
  if p_cfg ->> 'kind' = 'fixed' then
    select sum(coalesce((p_cfg -> 'weights' ->> (o - 1)::int)::bigint, 1)) into v_total
    from jsonb_array_elements(p_cfg -> 'ratios') with ordinality as t(v, o);
    v_pick := rebate.pick(p_u48, v_total);
    for r in select v #>> '{}' as ratio, coalesce((p_cfg -> 'weights' ->> (o - 1)::int)::bigint, 1) as w
             from jsonb_array_elements(p_cfg -> 'ratios') with ordinality as t(v, o) order by o loop
      v_sum := v_sum + r.w;
      if v_sum > v_pick then
        return r.ratio::numeric;
      end if;
    end loop;
    raise exception 'draw_lottery: weights do not cover the pick';
  end if;
  v_min := ((p_cfg ->> 'min')::numeric * 100)::bigint;
  return (v_min + rebate.pick(p_u48, ((p_cfg ->> 'max')::numeric * 100)::bigint - v_min + 1))::numeric / 100;
end
$$;

/** A pinned outcome: in the set with a weight > 0, or within the range. */
create or replace function rebate.is_possible_outcome(p_cfg jsonb, p_outcome numeric) returns boolean
language sql immutable
set search_path = ''
as $$
  select case when p_cfg ->> 'kind' = 'range'
    then p_outcome between (p_cfg ->> 'min')::numeric and (p_cfg ->> 'max')::numeric
    else exists (select 1 from jsonb_array_elements(p_cfg -> 'ratios') with ordinality as t(v, o)
                 where (v #>> '{}')::numeric = p_outcome
                   and coalesce((p_cfg -> 'weights' ->> (o - 1)::int)::bigint, 1) > 0) end
$$;

/** cash × c then points × p, shuffled by Fisher–Yates with the labels of the semantics doc. */
create or replace function rebate.shuffle_slots(p_cash integer, p_points integer, p_key text, p_group integer)
returns text[]
language plpgsql volatile
set search_path = ''
as $$
declare
  v text[] := array_fill('cash'::text, array[p_cash]) || array_fill('points'::text, array[p_points]);
  n integer := p_cash + p_points;
  i integer;
  j integer;
  t text;
begin
  for i in reverse n - 1 .. 1 loop
    j := rebate.pick(rebate.u48('random-return:' || p_key || ':' || p_group || ':' || i), i + 1);
    t := v[i + 1];
    v[i + 1] := v[j + 1];
    v[j + 1] := t;
  end loop;
  return v;
end
$$;

-- ---------------------------------------------------------------------------
-- Ratio chains (src/domain/engine/ratio.ts)

/** Σ paid of the member's completed orders placed in [at − days×24h, at), mall (p_store null) or one store. */
create or replace function rebate.window_spend(p_member text, p_store text, p_days integer, p_at timestamptz)
returns bigint
language sql stable
set search_path = ''
as $$
  select coalesce(sum(l.paid), 0)::bigint
  from orders.orders o join orders.lines l on l.order_id = o.id
  where o.member_id = p_member and o.status = 'completed'
    and o.at >= p_at - p_days * interval '24 hours' and o.at < p_at
    and case when p_store is null then l.kind = 'product' else l.kind <> 'product' and l.store_id = p_store end
$$;

/** The highest ratio of the qualifying tiers, or null. */
create or replace function rebate.cumulative_ratio(p_tiers jsonb, p_member text, p_store text, p_at timestamptz)
returns numeric
language sql stable
set search_path = ''
as $$
  select max((t ->> 'ratio')::numeric)
  from jsonb_array_elements(case when jsonb_typeof(p_tiers) = 'array' then p_tiers else '[]' end) t
  where rebate.window_spend(p_member, p_store, (t ->> 'days')::int, p_at) >= (t ->> 'minSpend')::bigint
$$;

/**
 * The rules of one line, the single resolver (src/domain/engine/ratio.ts
 * resolveLine): an item (product / store product / cashier) bought by
 * p_member (null: nobody signed in) at p_at under the settings s gives
 *
 * - queue_key: the queue it joins (the switches in force);
 * - extract_ratio: product → base; store product → store → base; cashier → base;
 * - ratio, lottery: the entry's ratio by the §4 chain of its family (the
 *   member's level, cumulative tiers over the member's completed spend
 *   before p_at, lottery sources, the independent / default tail) and the
 *   lottery it may be drawn with (null: not drawable);
 * - enabled: the plugin and the item's (and its store's) queue switches;
 *   in_window: p_at is inside the item's time windows (a store product
 *   without windows of its own uses its store's);
 * - limit_keys: the per-user limit counters a line of it counts in (a
 *   store's limits count its store-product lines), cfg / store_cfg: the
 *   `{Q}` configs the limits are read from;
 * - random_return: the random-return config of its queue ({cashCount,
 *   pointsCount}, null when off).
 *
 * No row when the item does not exist. Payment (orders.plan_line) and every
 * preview (app.line_queue: product card, product page, cashier page,
 * checkout preview) call this function, so they cannot disagree.
 */
create or replace function rebate.resolve_line(p_kind text, p_item text, p_member text, p_at timestamptz,
                                               s jsonb default null)
returns table (store_id text, cfg jsonb, store_cfg jsonb, queue_key text, extract_ratio numeric, ratio numeric,
               lottery jsonb, enabled boolean, in_window boolean, limit_keys text[], random_return jsonb)
language plpgsql stable
set search_path = ''
as $$
declare
  v_windows jsonb;
  v_rr jsonb;
  v_level text;
  v numeric;
  v_family text;
begin
  s := coalesce(s, (select x.value from rebate.settings x where x.id));
  if p_kind = 'product' then
    select p.queue into cfg from catalog.products p where p.id = p_item;
    if not found then return; end if;
    queue_key := case when (s ->> 'mallQueue')::boolean then 'mall' else 'product:' || p_item end;
    extract_ratio := coalesce(cfg ->> 'extractRatio', s ->> 'extractRatio')::numeric;
    ratio := coalesce(cfg ->> 'independentRatio', s ->> 'defaultRatio')::numeric;
    v_windows := cfg -> 'timeWindows';
    limit_keys := array['product:' || p_item];
  elsif p_kind = 'storeProduct' then
    select sp.queue, sp.store_id, st.queue into cfg, store_id, store_cfg
    from catalog.store_products sp join catalog.stores st on st.id = sp.store_id
    where sp.id = p_item;
    if not found then return; end if;
    queue_key := case when (s ->> 'allStoresQueue')::boolean then 'stores' else 'store:' || store_id end;
    extract_ratio := coalesce(cfg ->> 'extractRatio', store_cfg ->> 'extractRatio', s ->> 'extractRatio')::numeric;
    ratio := coalesce(cfg ->> 'defaultRatio', store_cfg ->> 'defaultRatio', s ->> 'defaultRatio')::numeric;
    -- A store product without windows of its own uses its store's.
    v_windows := case when jsonb_array_length(coalesce(cfg -> 'timeWindows', '[]')) = 0
                      then store_cfg -> 'timeWindows' else cfg -> 'timeWindows' end;
    -- A store's limits count its store-product lines.
    limit_keys := array['storeProduct:' || p_item, 'store:' || store_id];
  elsif p_kind = 'cashier' then
    -- A cashier ignores its store's switches, windows, ratios and limits.
    select c.queue, c.store_id into cfg, store_id from catalog.cashiers c where c.id = p_item;
    if not found then return; end if;
    queue_key := case when (s ->> 'allCashiersQueue')::boolean then 'cashiers' else 'cashier:' || p_item end;
    extract_ratio := coalesce(cfg ->> 'extractRatio', s ->> 'extractRatio')::numeric;
    ratio := coalesce(cfg ->> 'defaultRatio', s ->> 'defaultRatio')::numeric;
    v_windows := cfg -> 'timeWindows';
    limit_keys := array['cashier:' || p_item];
  else
    return;
  end if;
  enabled := (s ->> 'enabled')::boolean
    and coalesce((cfg ->> 'enabled')::boolean, true)
    and coalesce((store_cfg ->> 'enabled')::boolean, true);
  -- No windows (the usual case) is always inside, without a call.
  in_window := coalesce(jsonb_array_length(nullif(v_windows, 'null')), 0) = 0
    or rebate.in_time_windows(v_windows, util.local_minute(p_at));

  -- Random return of the queue: a store's / cashier's own config whenever present, else the base one.
  v_rr := case
    when queue_key like 'store:%' and store_cfg ? 'randomReturn' then store_cfg -> 'randomReturn'
    when queue_key like 'cashier:%' and cfg ? 'randomReturn' then cfg -> 'randomReturn'
    else s -> 'randomReturn' end;
  if (v_rr ->> 'on')::boolean and (v_rr ->> 'cashCount')::int + (v_rr ->> 'pointsCount')::int > 0 then
    random_return := jsonb_build_object('cashCount', (v_rr ->> 'cashCount')::int, 'pointsCount', (v_rr ->> 'pointsCount')::int);
  end if;

  -- §4: the first source that applies; `ratio` holds the chain's tail.
  -- Member-level: item, (store), base (settings map, else the level's own ratio).
  if p_member is not null then
    select m.level_id into v_level from members.members m where m.id = p_member;
  end if;
  if v_level is not null then
    v := (cfg -> 'memberLevelRatios' ->> v_level)::numeric;
    if v is null and p_kind = 'storeProduct' then
      v := (store_cfg -> 'memberLevelRatios' ->> v_level)::numeric;
    end if;
    if v is null then
      v := coalesce((s -> 'memberLevelRatios' ->> v_level)::numeric,
                    (select l.ratio from catalog.levels l where l.id = v_level));
    end if;
    if v is not null then
      ratio := v;
      return next;
      return;
    end if;
  end if;

  -- Cumulative tiers: item, (store), over the member's completed spend of the family.
  v_family := case when p_kind = 'product' then null else store_id end;
  if jsonb_array_length(coalesce(nullif(cfg -> 'cumulativeTiers', 'null'), '[]')) > 0 then
    v := rebate.cumulative_ratio(cfg -> 'cumulativeTiers', p_member, v_family, p_at);
  end if;
  if v is null and p_kind = 'storeProduct'
     and jsonb_array_length(coalesce(nullif(store_cfg -> 'cumulativeTiers', 'null'), '[]')) > 0 then
    v := rebate.cumulative_ratio(store_cfg -> 'cumulativeTiers', p_member, v_family, p_at);
  end if;
  if v is not null then
    ratio := v;
    return next;
    return;
  end if;

  -- Lottery: item, (store), base; the entry starts with the tail.
  lottery := case
    when jsonb_typeof(cfg -> 'lottery') = 'object' then cfg -> 'lottery'
    when p_kind = 'storeProduct' and jsonb_typeof(store_cfg -> 'lottery') = 'object' then store_cfg -> 'lottery'
    when jsonb_typeof(s -> 'lottery') = 'object' then s -> 'lottery' end;
  return next;
end
$$;

-- ---------------------------------------------------------------------------
-- Random return (src/domain/engine/options.ts planRandomReturn / takeSlot)

/**
 * Takes the next slot of the queue's open group (opening a group when none
 * is open, it is full, or the config differs). A pin takes its kind; with
 * p_field set, a pin without a slot of its kind left is an error on p_field,
 * else (the processor) it falls back to the drawn slot. The caller holds the
 * queue's lock.
 */
create or replace function rebate.take_slot(p_queue bigint, p_key text, p_cfg jsonb, p_pin text, p_field text,
                                            out group_no integer, out slot text)
language plpgsql
set search_path = ''
as $$
declare
  g rebate.random_groups;
  v_cash integer := (p_cfg ->> 'cashCount')::int;
  v_points integer := (p_cfg ->> 'pointsCount')::int;
  v_no integer;
begin
  select * into g from rebate.random_groups where queue_id = p_queue for update;
  if not found or g.taken = g.cash_count + g.points_count or g.cash_count <> v_cash or g.points_count <> v_points then
    v_no := coalesce(g.groups, 0) + 1;
    insert into rebate.random_groups (queue_id, groups, cash_count, points_count, slots, taken, cash, points)
    values (p_queue, v_no, v_cash, v_points, rebate.shuffle_slots(v_cash, v_points, p_key, v_no), 0, 0, 0)
    on conflict (queue_id) do update
      set groups = excluded.groups, cash_count = excluded.cash_count, points_count = excluded.points_count,
          slots = excluded.slots, taken = 0, cash = 0, points = 0, updated_at = now()
    returning * into g;
  end if;
  if p_pin is not null and (case p_pin when 'cash' then g.cash_count - g.cash else g.points_count - g.points end) > 0 then
    slot := p_pin;
  else
    if p_pin is not null and p_field is not null then
      perform util.fail(p_field, format('no %s slot left in this random-return group', p_pin));
    end if;
    slot := g.slots[g.taken + 1];
    if (case slot when 'cash' then g.cash_count - g.cash else g.points_count - g.points end) = 0 then
      slot := case slot when 'cash' then 'points' else 'cash' end;
    end if;
  end if;
  update rebate.random_groups
  set taken = taken + 1,
      cash = cash + case when slot = 'cash' then 1 else 0 end,
      points = points + case when slot = 'points' then 1 else 0 end,
      updated_at = now()
  where queue_id = p_queue;
  group_no := g.groups;
end
$$;

/**
 * pay_order, after its lines are written: pins in line order (`points` on a
 * line whose queue has random return off is always an error). For each queue
 * where a joining line carries a pin, the queue is locked, its backlog
 * applied, and the slots of this order's joining lines in it assigned now
 * (in line order), so a pin is checked against the real group and the
 * processor honours it.
 */
create or replace function rebate.assign_pinned_slots(p_order text) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_cashier boolean;
  v_queues bigint[];
  q bigint;
  l record;
  v_field text;
  v_slot record;
begin
  v_queues := array(select distinct queue_id from orders.lines
                    where order_id = p_order and joins and random_return is not null and random_return_cfg is not null
                    order by 1);
  if cardinality(v_queues) = 0
     and not exists (select 1 from orders.lines where order_id = p_order and random_return = 'points') then
    return;
  end if;
  select kind = 'cashier' into v_cashier from orders.orders where id = p_order;
  foreach q in array v_queues loop
    perform rebate.process_queue((select key from rebate.queues where id = q));
  end loop;
  -- In line order, as the model validates them.
  for l in select x.line, x.queue_id, x.joins, x.random_return, x.random_return_cfg, qq.key
           from orders.lines x join rebate.queues qq on qq.id = x.queue_id
           where x.order_id = p_order order by x.line loop
    v_field := case when v_cashier then 'randomReturn' else 'lines[' || l.line || '].randomReturn' end;
    if l.random_return_cfg is null then
      if l.random_return = 'points' then
        perform util.fail(v_field, 'random return is off for this line');
      end if;
      continue;
    end if;
    continue when not l.joins or l.queue_id <> all (v_queues);
    select * into v_slot from rebate.take_slot(l.queue_id, l.key, l.random_return_cfg, l.random_return, v_field);
    update orders.lines set rr_group = v_slot.group_no, rr_slot = v_slot.slot where order_id = p_order and line = l.line;
  end loop;
end
$$;

/**
 * The queue processor, right after a line's entry joined with random return
 * on: the entry takes its slot (assigned at payment, or the next one now); a
 * `points` slot converts it at once, crediting
 * pct(entitlement, exchangeRatio.points) points. Returns the legs to post.
 */
create or replace function rebate.entry_joined(p_queue bigint, p_key text, p_order text, p_line integer,
                                               legs ledger.leg[])
returns ledger.leg[]
language plpgsql
set search_path = ''
as $$
declare
  ln record;
  v_slot record;
  v_amount bigint;
  e record;
begin
  select random_return, random_return_cfg, rr_group, rr_slot into ln
  from orders.lines where order_id = p_order and line = p_line;
  if ln.random_return_cfg is null then
    return legs;
  end if;
  if ln.rr_slot is not null then
    select ln.rr_group as group_no, ln.rr_slot as slot into v_slot;
  else
    select * into v_slot from rebate.take_slot(p_queue, p_key, ln.random_return_cfg, ln.random_return, null);
  end if;
  if v_slot.slot = 'cash' then
    update rebate.entries set rr_group = v_slot.group_no, rr_slot = 'cash' where order_id = p_order and line = p_line;
    return legs;
  end if;
  select id, member_id, entitlement into e from rebate.entries where order_id = p_order and line = p_line;
  v_amount := util.pct(e.entitlement, (select (value #>> '{exchangeRatio,points}')::numeric from rebate.settings where id));
  update rebate.entries
  set rr_group = v_slot.group_no, rr_slot = 'points', status = 'converted',
      exchanged_to = 'points', exchanged_amount = v_amount, credit_frozen = false
  where id = e.id;
  if v_amount > 0 then
    legs := legs || row('world:POINTS', 'POINTS', -v_amount)::ledger.leg
                 || row('points:' || e.member_id, 'POINTS', v_amount)::ledger.leg;
  end if;
  return legs;
end
$$;

-- ---------------------------------------------------------------------------
-- draw, exchange

/** The entry of (order, line) after its queue's backlog is applied (under the queue's lock). */
create or replace function rebate.option_entry(p jsonb, p_keys text[]) returns rebate.entries
language plpgsql
set search_path = ''
as $$
declare
  v_order text;
  v_line bigint;
  v_queue text;
  e rebate.entries;
begin
  perform util.expect_object(p, 'request');
  perform util.only_keys(p, p_keys, '');
  v_order := util.expect_id(p -> 'order', 'order');
  v_line := util.expect_count(p -> 'line', 'line', 1000000);
  if not exists (select 1 from orders.orders where id = v_order) then
    perform util.fail('order', format('unknown order "%s"', v_order));
  end if;
  select q.key into v_queue from orders.lines l join rebate.queues q on q.id = l.queue_id
  where l.order_id = v_order and l.line = v_line and l.joins;
  if v_queue is null then
    perform util.fail('line', format('order "%s" has no entry on line %s', v_order, v_line));
  end if;
  perform rebate.process_queue(v_queue);
  select * into e from rebate.entries where order_id = v_order and line = v_line for update;
  if not found then
    perform util.fail('line', format('order "%s" has no entry on line %s', v_order, v_line));
  end if;
  return e;
end
$$;

/**
 * The `draw` event / the shopper's lottery draw: {order, line, outcome?}.
 * Only a drawable entry that is waiting, never drawn and not paid yet. The
 * drawn ratio replaces the entry's ratio; an entitlement of 0 is done.
 * Returns {ratio, entitlement, status}.
 */
create or replace function rebate.draw(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e rebate.entries;
  v_outcome numeric;
  v_ratio numeric;
  v_entitlement bigint;
  v_status text;
begin
  if p ? 'outcome' then
    v_outcome := util.expect_ratio(p -> 'outcome', 'outcome');
  end if;
  e := rebate.option_entry(p, array['order', 'line', 'outcome']);
  if e.lottery is null then
    perform util.fail('line', 'this entry has no lottery to draw');
  end if;
  if e.drawn_ratio is not null then
    perform util.fail('line', 'this entry was already drawn');
  end if;
  if e.status <> 'waiting' then
    perform util.fail('line', format('this entry is %s, not waiting', e.status));
  end if;
  if e.paid > 0 then
    perform util.fail('line', 'this entry has already received a payout');
  end if;
  if v_outcome is not null then
    if not rebate.is_possible_outcome(e.lottery, v_outcome) then
      perform util.fail('outcome', 'is not a possible outcome of this lottery');
    end if;
    v_ratio := v_outcome;
  else
    v_ratio := rebate.draw_lottery(e.lottery, rebate.u48('draw:' || e.order_id || ':' || e.line));
  end if;
  v_entitlement := util.pct(e.base, v_ratio);
  v_status := case when v_entitlement = 0 then 'done' else 'waiting' end;
  update rebate.entries set ratio = v_ratio, drawn_ratio = v_ratio, entitlement = v_entitlement, status = v_status
  where id = e.id;
  return jsonb_build_object('ratio', util.ratio_text(v_ratio), 'entitlement', v_entitlement, 'status', v_status);
end
$$;

/**
 * The `exchange` event / the shopper's exchange: {order, line, to}. A waiting
 * entry's remainder R becomes pct(R, exchangeRatio[to]) points, love value
 * (frozen under loveFrozen until the order completes) or coupons; the entry
 * is `exchanged`. Returns {to, amount, frozen}.
 */
create or replace function rebate.exchange(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e rebate.entries;
  v_to text;
  s jsonb;
  v_amount bigint;
  v_frozen boolean;
  v_account text;
  v_currency text;
begin
  if p ? 'to' then
    v_to := util.expect_enum(p -> 'to', array['points', 'love', 'coupon'], 'to');
  end if;
  e := rebate.option_entry(p, array['order', 'line', 'to']);
  if v_to is null then
    perform util.fail('to', 'must be one of "points", "love", "coupon"');
  end if;
  if e.status <> 'waiting' then
    perform util.fail('line', format('this entry is %s, not waiting', e.status));
  end if;
  select value into s from rebate.settings where id;
  v_amount := util.pct(e.entitlement - e.paid, (s #>> array['exchangeRatio', v_to])::numeric);
  v_frozen := v_to = 'love' and coalesce((s ->> 'loveFrozen')::boolean, false)
              and (select status from orders.orders where id = e.order_id) <> 'completed';
  update rebate.entries
  set status = 'exchanged', exchanged_to = v_to, exchanged_amount = v_amount, credit_frozen = v_frozen
  where id = e.id;
  v_currency := case v_to when 'points' then 'POINTS' when 'love' then 'LOVE' else 'COUPON' end;
  v_account := case v_to when 'points' then 'points:' when 'love' then 'love:' else 'coupons:' end
               || e.member_id || case when v_frozen then ':frozen' else '' end;
  if v_amount > 0 then
    perform ledger.transfer('exchange:' || e.id, 'exchange',
      array[row('world:' || v_currency, v_currency, -v_amount)::ledger.leg, row(v_account, v_currency, v_amount)::ledger.leg]);
  end if;
  return jsonb_build_object('to', v_to, 'amount', v_amount, 'frozen', v_frozen);
end
$$;

-- ---------------------------------------------------------------------------
-- Completion and refund hooks

/** Own completed spend, team spend up the upline, then the buyer and each upline (nearest first) re-evaluated. */
create or replace function members.record_completion(p_order text) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_member text;
  v_total bigint;
  m record;
begin
  select o.member_id, coalesce(sum(l.paid), 0) into v_member, v_total
  from orders.orders o left join orders.lines l on l.order_id = o.id
  where o.id = p_order group by o.member_id;
  insert into members.member_stats (member_id, own_spend) values (v_member, v_total)
  on conflict (member_id) do update set own_spend = members.member_stats.own_spend + excluded.own_spend, updated_at = now();
  -- The upline, nearest first (a referrer binds once, at registration: no cycles).
  for m in
    with recursive up(id, depth) as (
      select referrer_id, 1 from members.members where id = v_member and referrer_id is not null
      union all
      select mm.referrer_id, up.depth + 1 from members.members mm join up on mm.id = up.id
      where mm.referrer_id is not null and up.depth < 100000
    )
    select id, depth from up order by depth
  loop
    insert into members.member_stats (member_id, team_spend) values (m.id, v_total)
    on conflict (member_id) do update set team_spend = members.member_stats.team_spend + excluded.team_spend, updated_at = now();
  end loop;
  perform members.evaluate_level(v_member);
  for m in
    with recursive up(id, depth) as (
      select referrer_id, 1 from members.members where id = v_member and referrer_id is not null
      union all
      select mm.referrer_id, up.depth + 1 from members.members mm join up on mm.id = up.id
      where mm.referrer_id is not null and up.depth < 100000
    )
    select id, depth from up order by depth
  loop
    perform members.evaluate_level(m.id);
  end loop;
end
$$;

/** Moves the member up (never down) to the highest-ranked level whose every upgrade condition holds. */
create or replace function members.evaluate_level(p_member text) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_current text;
  v_own bigint;
  v_team bigint;
  v_direct bigint;
  v_best text;
begin
  select level_id into v_current from members.members where id = p_member for update;
  select coalesce(max(own_spend), 0), coalesce(max(team_spend), 0) into v_own, v_team
  from members.member_stats where member_id = p_member;
  select count(*) into v_direct from members.members where referrer_id = p_member;
  select l.id into v_best
  from catalog.levels l
  where l.upgrade is not null
    and (not l.upgrade ? 'completedSpend' or v_own >= (l.upgrade ->> 'completedSpend')::bigint)
    and (not l.upgrade ? 'directReferrals' or v_direct >= (l.upgrade ->> 'directReferrals')::bigint)
    and (not l.upgrade ? 'teamSpend' or v_team >= (l.upgrade ->> 'teamSpend')::bigint)
  order by coalesce(l.rank, l.def_index) desc, l.def_index desc
  limit 1;
  if v_best is null or v_best = v_current then
    return;
  end if;
  if v_current is not null and exists (
    select 1 from catalog.levels b, catalog.levels c
    where b.id = v_best and c.id = v_current
      and (coalesce(b.rank, b.def_index), b.def_index) <= (coalesce(c.rank, c.def_index), c.def_index)) then
    return;
  end if;
  update members.members set level_id = v_best, updated_at = now() where id = p_member;
end
$$;

/**
 * complete_order, after its money moved: frozen love of its entries becomes
 * available; then the member statistics and upgrades. Returns the legs.
 */
create or replace function rebate.order_completed(p_order text, legs ledger.leg[]) returns ledger.leg[]
language plpgsql
set search_path = ''
as $$
declare
  v_legs ledger.leg[];
begin
  with released as (
    update rebate.entries set credit_frozen = false
    where order_id = p_order and credit_frozen and exchanged_to = 'love'
    returning member_id, exchanged_amount
  )
  select coalesce(array_agg(x.leg), '{}') into v_legs
  from released r
  cross join lateral (values (row('love:' || r.member_id || ':frozen', 'LOVE', -r.exchanged_amount)::ledger.leg),
                             (row('love:' || r.member_id, 'LOVE', r.exchanged_amount)::ledger.leg)) x(leg)
  where r.exchanged_amount > 0;
  perform members.record_completion(p_order);
  return legs || v_legs;
end
$$;

/**
 * refund_order, after its entries were cancelled: what exchanges and
 * conversions credited is taken back (never below a zero balance: what the
 * shopper already spent stays spent). Returns the legs.
 */
create or replace function rebate.order_refunded(p_order text, legs ledger.leg[]) returns ledger.leg[]
language plpgsql
set search_path = ''
as $$
declare
  v_legs ledger.leg[];
begin
  with credits as (
    select case exchanged_to when 'points' then 'points:' when 'love' then 'love:' else 'coupons:' end
             || member_id || case when credit_frozen then ':frozen' else '' end as account,
           case exchanged_to when 'points' then 'POINTS' when 'love' then 'LOVE' else 'COUPON' end as currency,
           sum(exchanged_amount) as amount
    from rebate.entries
    where order_id = p_order and exchanged_to is not null and exchanged_amount > 0
    group by 1, 2
  ),
  taken as (
    select account, currency, least(amount, ledger.balance(account)) as amount from credits
  )
  select coalesce(array_agg(x.leg), '{}') into v_legs
  from taken t
  cross join lateral (values (row(t.account, t.currency, -t.amount)::ledger.leg),
                             (row('world:' || t.currency, t.currency, t.amount)::ledger.leg)) x(leg)
  where t.amount > 0;
  return legs || v_legs;
end
$$;

-- ---------------------------------------------------------------------------
-- Scheduler: platform clock, clearing, tick (src/domain/engine/jobs.ts)

/** The platform clock: the latest `at` seen (orders, completions, refunds, ticks); null before any. */
create or replace function rebate.platform_clock() returns timestamptz
language sql stable
set search_path = ''
as $$
  select max(t) from (
    select max(at) as t from orders.orders
    union all select max(completed_at) from orders.orders
    union all select max(refunded_at) from orders.orders
    union all select last_tick from rebate.jobs_state where id) x
$$;

/** Clearing turning on sets the clearing mark to the clock (a settings trigger: every path sets it). */
create or replace function rebate.settings_clearing_mark() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not coalesce((old.value #>> '{clearing,on}')::boolean, false)
     and coalesce((new.value #>> '{clearing,on}')::boolean, false) then
    update rebate.jobs_state set clearing_mark = rebate.platform_clock(), updated_at = now() where id;
  end if;
  return new;
end
$$;
create trigger settings_clearing_mark after update on rebate.settings
  for each row execute function rebate.settings_clearing_mark();

/** The latest occurrence of a clearing schedule at or before p_at (Asia/Shanghai), or null. */
create or replace function rebate.latest_occurrence(p_schedule text, p_at timestamptz) returns timestamptz
language plpgsql immutable
set search_path = ''
as $$
declare
  parts text[] := string_to_array(p_schedule, ' ');
  v_local timestamp := p_at at time zone interval '+08:00';
  v_today date := v_local::date;
  v_time time;
  v_day date;
  v_t timestamptz;
  d integer;
begin
  if cardinality(parts) = 1 then
    v_t := p_schedule::timestamptz;
    return case when v_t <= p_at then v_t end;
  end if;
  v_time := parts[cardinality(parts)]::time;
  if parts[1] = 'daily' then
    v_t := (v_today + v_time) at time zone interval '+08:00';
    return case when v_t <= p_at then v_t else ((v_today - 1) + v_time) at time zone interval '+08:00' end;
  end if;
  d := parts[2]::int;
  if parts[1] = 'weekly' then
    v_day := v_today - ((extract(isodow from v_today)::int - d + 7) % 7);
    v_t := (v_day + v_time) at time zone interval '+08:00';
    return case when v_t <= p_at then v_t else ((v_day - 7) + v_time) at time zone interval '+08:00' end;
  end if;
  v_day := date_trunc('month', v_today)::date + (d - 1);
  v_t := (v_day + v_time) at time zone interval '+08:00';
  return case when v_t <= p_at then v_t
              else (((date_trunc('month', v_today) - interval '1 month')::date + (d - 1)) + v_time) at time zone interval '+08:00' end;
end
$$;

/**
 * Clearing (§3.2) as of p_at: if on and the latest schedule occurrence t is
 * after the mark (or there is none), every waiting entry of an order placed
 * at or before t becomes `cleared` (its unpaid remainder is void; paid money
 * stays); the mark becomes t. Every queue's backlog is applied first, under
 * its lock. Returns the number of entries cleared.
 */
create or replace function rebate.run_clearing(p_at timestamptz) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  s jsonb;
  v_t timestamptz;
  v_mark timestamptz;
  v_key text;
  v_count bigint;
begin
  select value into s from rebate.settings where id;
  if not coalesce((s #>> '{clearing,on}')::boolean, false) then
    return 0;
  end if;
  v_t := rebate.latest_occurrence(s #>> '{clearing,schedule}', p_at);
  select clearing_mark into v_mark from rebate.jobs_state where id for update;
  if v_t is null or (v_mark is not null and v_t <= v_mark) then
    return 0;
  end if;
  -- Every queue locked (ascending id) with its backlog applied: no processor pays concurrently.
  for v_key in select key from rebate.queues order by id loop
    perform rebate.process_queue(v_key);
  end loop;
  if exists (select 1 from orders.orders where at > v_t) then
    update rebate.entries e set status = 'cleared'
    from orders.orders o
    where e.status = 'waiting' and o.id = e.order_id and o.at <= v_t;
  else
    -- No order after t (the usual case): every waiting entry, without the join.
    update rebate.entries set status = 'cleared' where status = 'waiting';
  end if;
  get diagnostics v_count = row_count;
  update rebate.jobs_state set clearing_mark = v_t, updated_at = now() where id;
  return v_count;
end
$$;

/**
 * The `tick` event and the every-minute job: runs every job due up to p_at,
 * clearing first, then distribution.run_due(p_at), then the union daily
 * runs (rebate.union_run_due, 0009_union.sql). The
 * platform clock moves to p_at if later. Returns {cleared}.
 */
create or replace function rebate.tick(p_at timestamptz) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cleared bigint;
begin
  if p_at is null then
    perform util.fail('at', 'must be an ISO 8601 time string');
  end if;
  v_cleared := rebate.run_clearing(p_at);
  perform distribution.run_due(p_at);  -- 0008_distribution.sql
  perform rebate.union_run_due(p_at); -- 0009_union.sql: the union queue's daily runs
  update rebate.jobs_state set last_tick = greatest(last_tick, p_at), updated_at = now() where id;
  return jsonb_build_object('cleared', v_cleared);
end
$$;

/**
 * Schedules `select rebate.tick(now())` every minute with pg_cron where it
 * can: the extension is installed in this database, or it is available and
 * this is the database pg_cron runs in (cron.database_name). Returns whether
 * the job is scheduled.
 */
create or replace function rebate.schedule_tick() returns boolean
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from pg_extension where extname = 'pg_cron') then
    if not exists (select 1 from pg_available_extensions where name = 'pg_cron')
       or current_database() <> coalesce(current_setting('cron.database_name', true), 'postgres') then
      return false;
    end if;
    begin
      create extension if not exists pg_cron;
    exception when others then
      return false;
    end;
  end if;
  execute $sql$select cron.schedule('rebate-tick', '* * * * *', 'select rebate.tick(now())')$sql$;
  return true;
end
$$;

do $$
begin
  perform rebate.schedule_tick();
exception when others then
  raise notice 'pg_cron not scheduled: %', sqlerrm;
end
$$;

-- ---------------------------------------------------------------------------
-- Security

alter table members.member_stats enable row level security;
alter table rebate.random_groups enable row level security;
alter table rebate.jobs_state enable row level security;

create policy "Members can read their own member statistics" on members.member_stats
  for select to authenticated
  using (member_id = (select members.current_member_id()));

revoke all on members.member_stats, rebate.random_groups, rebate.jobs_state from public, anon, authenticated;
grant select on members.member_stats to authenticated;
grant select on members.member_stats, rebate.random_groups, rebate.jobs_state to service_role;

revoke all on function
  rebate.u48(text), rebate.pick(bigint, bigint), rebate.draw_lottery(jsonb, bigint),
  rebate.is_possible_outcome(jsonb, numeric), rebate.shuffle_slots(integer, integer, text, integer),
  rebate.window_spend(text, text, integer, timestamptz), rebate.cumulative_ratio(jsonb, text, text, timestamptz),
  rebate.resolve_line(text, text, text, timestamptz, jsonb),
  rebate.take_slot(bigint, text, jsonb, text, text), rebate.assign_pinned_slots(text),
  rebate.entry_joined(bigint, text, text, integer, ledger.leg[]), rebate.option_entry(jsonb, text[]),
  rebate.draw(jsonb), rebate.exchange(jsonb), members.record_completion(text), members.evaluate_level(text),
  rebate.order_completed(text, ledger.leg[]), rebate.order_refunded(text, ledger.leg[]),
  rebate.platform_clock(), rebate.latest_occurrence(text, timestamptz), rebate.run_clearing(timestamptz),
  rebate.tick(timestamptz), rebate.schedule_tick(), members.validate_upgrade(jsonb, text), catalog.level_def_index(), rebate.settings_clearing_mark()
  from public, anon, authenticated;
grant execute on function rebate.draw(jsonb), rebate.exchange(jsonb), rebate.tick(timestamptz) to service_role;
