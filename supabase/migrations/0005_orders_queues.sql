-- Orders, queues, entries and the queue engine (docs/engine-semantics.md,
-- docs/database.md "Journal and processor").
--
-- An order writes its own rows and appends operations to the per-queue
-- journal rebate.queue_ops: `line` (the line's entry joins the queue with
-- the next seq, if it has one, then its extraction is allocated, when it
-- settles on payment), `allocate` (a line settling on completion),
-- `complete` (the order's entries count as completed) and `cancel` (a
-- refund cancels the order's entries; their payouts fund the reserve). rebate.run_queue applies a queue's pending
-- operations in journal order while its caller holds that queue's
-- transaction-level advisory lock, so every mutation of a queue's entries
-- and reserve is serialised and numbered (applied_seq): nothing is
-- overpaid, skipped or reordered, and the whole history can be replayed.
--
-- The payment path is bound by WAL volume under load (measured: every
-- foreign-key check also writes a row-lock record on the referenced row),
-- so rows are written once where possible (an entry is inserted when it
-- joins, with its seq), only indexes that a query needs exist, and foreign
-- keys are declared only towards members (a real outside reference).
-- References between the rows one function call writes together (order →
-- lines → journal → entries → payouts), and towards hot rows (the queue
-- row, a best-selling product), are kept by the functions below, the only
-- writers, and checked by the db tests (no orphans).

create table rebate.queues (
  id bigint generated always as identity primary key,
  key text not null unique check (char_length(key) between 1 and 100),
  -- Changed only by the holder of the queue's advisory lock.
  next_seq bigint not null default 1,
  -- Every entry with a smaller seq is final (not waiting): walks start here,
  -- so they never wade through the index entries of a long-filled head.
  head_seq bigint not null default 1,
  created_at timestamptz not null default now()
);

create table orders.orders (
  id text primary key,
  member_id text not null references members.members (id),
  kind text not null check (kind in ('mall', 'cashier')),
  at timestamptz not null,
  local_day date not null,
  status text not null default 'paid' check (status in ('paid', 'completed', 'refunded')),
  paid bigint not null check (paid >= 0),
  completed_at timestamptz,
  refunded_at timestamptz,
  created_at timestamptz not null default now(),
  constraint orders_status_times check (
    (status = 'paid' and completed_at is null and refunded_at is null)
    or (status = 'completed' and completed_at is not null and refunded_at is null)
    or (status = 'refunded' and refunded_at is not null and completed_at is null))
);
create index orders_member on orders.orders (member_id);

create table orders.lines (
  order_id text not null, -- orders.orders
  line integer not null check (line >= 0),
  kind text not null check (kind in ('product', 'storeProduct', 'cashier')),
  item_id text not null, -- product / store product / cashier id (checked by pay_order)
  store_id text, -- store of a store product or cashier
  paid bigint not null check (paid between 0 and 10000000000),
  deducted bigint not null default 0 check (deducted between 0 and 10000000000),
  random_return text check (random_return in ('cash', 'points')),
  queue_id bigint not null, -- rebate.queues (no FK: hot row)
  extract_ratio numeric(7, 2) not null check (extract_ratio between 0 and 100),
  extraction bigint not null check (extraction between 0 and paid),
  -- settleOn in force at payment; a later settings change does not move it.
  settle_on text not null check (settle_on in ('paid', 'completed')),
  -- The entry this line gets (decided at payment; created when its journal
  -- operation is applied): its ratio and entitlement, and the per-user
  -- limit counters it counts in ('product:p1', 'storeProduct:sp1', 'store:s1').
  member_id text not null, -- the order's member (limits count by member)
  joins boolean not null,
  ratio numeric(7, 2) check (ratio between 0 and 10000),
  entitlement bigint check (entitlement >= 0),
  limit_keys text[],
  local_day date not null,
  primary key (order_id, line),
  constraint lines_entry_plan check (joins = (ratio is not null and entitlement is not null and limit_keys is not null))
);

-- An entry is created when its line's journal operation is applied, with
-- its seq (the next number of its queue); (queue_id, seq) is unique by
-- construction (one applier per queue) and checked by the db tests.
create table rebate.entries (
  id bigint generated always as identity primary key,
  queue_id bigint not null, -- rebate.queues (no FK: hot row)
  seq bigint not null,
  order_id text not null,
  line integer not null,
  member_id text not null, -- the order's member
  base bigint not null check (base >= 0),
  ratio numeric(7, 2) not null check (ratio between 0 and 10000),
  entitlement bigint not null check (entitlement >= 0),
  paid bigint not null default 0,
  status text not null
    check (status in ('waiting', 'done', 'exchanged', 'converted', 'cleared', 'cancelled')),
  -- Copy of "the entry's order is completed", for completedFirst ordering.
  order_completed boolean not null default false,
  created_at timestamptz not null default now(),
  unique (order_id, line), -- orders.lines
  constraint entries_paid_within_entitlement check (paid between 0 and entitlement),
  constraint entries_done_when_full check (status <> 'waiting' or paid < entitlement)
);
-- The queue walks: never scan a queue, only its waiting head.
create index entries_waiting on rebate.entries (queue_id, seq) where status = 'waiting';
create index entries_waiting_completed_first on rebate.entries (queue_id, order_completed desc, seq)
  where status = 'waiting';
create index entries_member on rebate.entries (member_id);

create sequence rebate.queue_ops_applied;

create table rebate.queue_ops (
  id bigint generated always as identity primary key,
  queue_id bigint not null, -- rebate.queues (no FK: hot row)
  kind text not null check (kind in ('line', 'allocate', 'complete', 'cancel')),
  order_id text not null,
  line integer not null,
  -- line / allocate: the line's extraction to allocate (null: a line whose
  -- extraction waits for completion).
  amount bigint check (amount >= 0),
  -- The rules in force when the allocation was triggered.
  paused boolean,
  queue_order text check (queue_order in ('strict', 'completedFirst')),
  empty_funds text check (empty_funds in ('platform', 'reserve')),
  created_at timestamptz not null default now(),
  -- Results, set when processed. applied_seq orders the operations of a
  -- queue as they were applied (journal ids are taken before commit, so
  -- they can differ).
  processed_at timestamptz,
  applied_seq bigint,
  reserve_before bigint,
  reserve_after bigint,
  paid_out bigint,
  to_reserve bigint,
  to_kept bigint,
  -- (order_id, line): orders.lines
  constraint queue_ops_shape check (
    (kind in ('line', 'allocate') and (amount is null or (paused is not null and queue_order is not null
                                                          and empty_funds is not null)))
    and (kind <> 'allocate' or amount is not null)
    or (kind in ('complete', 'cancel') and amount is null)),
  constraint queue_ops_applied check ((processed_at is null) = (applied_seq is null)),
  -- Every fen of an allocation: paid out, left in / added to the reserve, or kept.
  constraint queue_ops_allocation_balances check (
    amount is null or processed_at is null
    or (reserve_before + amount = paid_out + reserve_after + to_kept
        and (to_reserve = 0 or to_kept = 0))),
  constraint queue_ops_cancel_balances check (
    kind <> 'cancel' or processed_at is null or reserve_after = reserve_before + to_reserve)
);
create index queue_ops_pending on rebate.queue_ops (queue_id, id) where processed_at is null;

create table rebate.payouts (
  id bigint generated always as identity primary key,
  op_id bigint not null, -- rebate.queue_ops
  queue_id bigint not null,
  entry_id bigint not null, -- rebate.entries
  amount bigint not null check (amount > 0),
  from_reserve bigint not null check (from_reserve >= 0),
  from_extraction bigint not null check (from_extraction >= 0),
  -- Credited to the frozen wallet (the entry's order was not completed yet).
  frozen boolean not null,
  created_at timestamptz not null default now(),
  check (amount = from_reserve + from_extraction)
);
create index payouts_entry on rebate.payouts (entry_id);

create trigger payouts_append_only before update or delete on rebate.payouts
  for each row execute function ledger.refuse_change();

-- ---------------------------------------------------------------------------
-- Helpers (not callable by clients).

/** Advisory lock class of queue locks: pg_advisory_xact_lock(7101, queue id). */
create or replace function rebate.lock_class() returns integer
language sql immutable
set search_path = ''
as $$ select 7101 $$;

/** The queue of a key, created (with its ledger accounts) on first use. */
create or replace function rebate.ensure_queue(p_key text) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_id bigint;
begin
  select id into v_id from rebate.queues where key = p_key;
  if v_id is not null then
    return v_id;
  end if;
  insert into rebate.queues (key) values (p_key) on conflict (key) do nothing returning id into v_id;
  if v_id is null then
    select id into v_id from rebate.queues where key = p_key;
    return v_id;
  end if;
  perform ledger.open_account('reserve:' || p_key, 'CNY');
  perform ledger.open_account('kept:' || p_key, 'CNY');
  -- Refunds of extractions already paid out: the platform's cost, shown as -balance.
  perform ledger.open_account('absorbed:' || p_key, 'CNY', true);
  return v_id;
end
$$;

/** Inside when from <= t < to for some window (from > to wraps midnight); none = always. */
create or replace function rebate.in_time_windows(p_windows jsonb, p_minute integer) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_windows is null or jsonb_typeof(p_windows) <> 'array' or jsonb_array_length(p_windows) = 0
    or exists (
      select 1
      from jsonb_array_elements(p_windows) w,
           lateral (select split_part(w ->> 'from', ':', 1)::int * 60 + split_part(w ->> 'from', ':', 2)::int as f,
                           split_part(w ->> 'to', ':', 1)::int * 60 + split_part(w ->> 'to', ':', 2)::int as t) x
      where case when x.f <= x.t then x.f <= p_minute and p_minute < x.t
                 else p_minute >= x.f or p_minute < x.t end)
$$;

/** Posts accumulated legs as one transfer (accounts locked once, in id order); nothing when all net to zero. */
create or replace function rebate.post_legs(p_key text, p_kind text, p_legs ledger.leg[]) returns void
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select 1 from unnest(p_legs) l group by l.account having sum(l.amount) <> 0
  ) then
    perform ledger.transfer(p_key, p_kind, p_legs);
  end if;
end
$$;

/**
 * Applies up to p_limit pending operations of one queue, in journal order.
 * The caller holds the queue's advisory lock. Money moves are appended to
 * `legs` (posted by the caller, once per transaction, so account locks are
 * taken in a single ascending pass); `first_op` / `processed` report what
 * was applied.
 */
create or replace function rebate.run_queue(
  p_queue bigint, inout legs ledger.leg[], inout first_op bigint, inout processed integer,
  p_limit integer default null
)
language plpgsql
set search_path = ''
as $$
declare
  v_key text;
  v_next bigint;
  v_next0 bigint;
  v_head bigint;
  v_head0 bigint;
  v_reserve bigint;
  v_reserve0 bigint;
  v_kept bigint := 0;
  op record;
  e record;
  c refcursor;
  v_rest bigint;
  v_need bigint;
  v_fr bigint;
  v_fx bigint;
  v_amt bigint;
  v_paid_out bigint;
  v_to_reserve bigint;
  v_to_kept bigint;
  v_before bigint;
  v_walk_head bigint;
  v_last bigint;
  v_exhausted boolean;
  -- The batch's writes, made set-based once its walk is over: results of
  -- the operations (in application order), payouts (in creation order),
  -- and the money moves (netted per account into `legs`).
  r_id bigint[] := '{}';
  r_seq bigint[] := '{}';
  r_before bigint[] := '{}';
  r_after bigint[] := '{}';
  r_paid_out bigint[] := '{}';
  r_to_reserve bigint[] := '{}';
  r_to_kept bigint[] := '{}';
  p_op bigint[] := '{}';
  p_entry bigint[] := '{}';
  p_amount bigint[] := '{}';
  p_reserve bigint[] := '{}';
  p_extraction bigint[] := '{}';
  p_frozen boolean[] := '{}';
  m_account text[] := '{}';
  m_amount bigint[] := '{}';
begin
  select key, next_seq, head_seq into v_key, v_next, v_head from rebate.queues where id = p_queue;
  v_next0 := v_next;
  v_head0 := v_head;
  -- The reserve as this transaction sees it: posted balance + legs not posted yet.
  v_reserve := ledger.balance('reserve:' || v_key)
    + coalesce((select sum(l.amount) from unnest(legs) l where l.account = 'reserve:' || v_key), 0);
  v_reserve0 := v_reserve;

  for op in
    select o.*, l.joins, l.member_id, l.paid as base, l.ratio, l.entitlement, l.lottery, l.random_return_cfg
    from (select * from rebate.queue_ops where queue_id = p_queue and processed_at is null order by id limit p_limit) o
    left join orders.lines l on o.kind = 'line' and l.order_id = o.order_id and l.line = o.line
    order by o.id
  loop
    v_before := v_reserve;
    v_paid_out := 0;
    v_to_reserve := 0;
    v_to_kept := 0;

    if op.kind = 'line' then
      -- The line's entry joins: the next seq of the queue; nothing to receive = done at once.
      if op.joins then
        insert into rebate.entries (queue_id, seq, order_id, line, member_id, base, ratio, entitlement, status, lottery)
        values (p_queue, v_next, op.order_id, op.line, op.member_id, op.base, op.ratio, op.entitlement,
                case when op.entitlement = 0 then 'done' else 'waiting' end, op.lottery);
        v_next := v_next + 1;
        -- Random return (0007_options): the entry takes its group slot; `points` converts it.
        if op.random_return_cfg is not null then
          legs := rebate.entry_joined(p_queue, v_key, op.order_id, op.line, legs);
        end if;
      end if;

    elsif op.kind = 'complete' then
      -- From now on this order's entries count as completed (completedFirst)
      -- and payouts to them are credited available.
      update rebate.entries set order_completed = true where order_id = op.order_id and queue_id = p_queue;

    elsif op.kind = 'cancel' then
      -- Refund: the entries are cancelled (paid stays as history); what
      -- they received (all frozen: the order never completed) funds the reserve.
      for e in
        update rebate.entries set status = 'cancelled'
        where order_id = op.order_id and queue_id = p_queue and status <> 'cancelled'
        returning member_id, paid
      loop
        if e.paid > 0 then
          m_account := m_account || ('wallet:' || e.member_id || ':frozen');
          m_amount := m_amount || -e.paid;
          v_to_reserve := v_to_reserve + e.paid;
        end if;
      end loop;
      v_reserve := v_reserve + v_to_reserve;
    end if;

    if op.amount is not null then
      -- Allocation of one line's extraction X (docs/engine-semantics.md).
      if op.paused then
        -- Paused: entries still join, the platform keeps the extraction.
        v_to_kept := op.amount;
      else
        v_rest := op.amount;
        v_walk_head := null;
        v_last := null;
        v_exhausted := false;
        if op.queue_order = 'strict' then
          open c for
            select id, seq, order_id, member_id, entitlement, paid, order_completed from rebate.entries
            where queue_id = p_queue and status = 'waiting' and seq >= v_head
            order by seq;
        else
          open c for
            select id, seq, order_id, member_id, entitlement, paid, order_completed from rebate.entries
            where queue_id = p_queue and status = 'waiting' and seq >= v_head
            order by order_completed desc, seq;
        end if;
        loop
          exit when v_reserve + v_rest = 0;
          fetch c into e;
          if not found then
            v_exhausted := true;
            exit;
          end if;
          v_last := e.seq;
          -- An order's extraction never pays its own entries.
          if e.order_id = op.order_id then
            v_walk_head := coalesce(v_walk_head, e.seq);
            continue;
          end if;
          -- Reserve money first, then this extraction.
          v_need := e.entitlement - e.paid;
          v_fr := least(v_reserve, v_need);
          v_fx := least(v_rest, v_need - v_fr);
          v_amt := v_fr + v_fx;
          v_reserve := v_reserve - v_fr;
          v_rest := v_rest - v_fx;
          update rebate.entries
          set paid = paid + v_amt, status = case when paid + v_amt = entitlement then 'done' else status end
          where id = e.id;
          p_op := p_op || op.id;
          p_entry := p_entry || e.id;
          p_amount := p_amount || v_amt;
          p_reserve := p_reserve || v_fr;
          p_extraction := p_extraction || v_fx;
          p_frozen := p_frozen || not e.order_completed;
          m_account := m_account || ('wallet:' || e.member_id || case when e.order_completed then ':available' else ':frozen' end);
          m_amount := m_amount || v_amt;
          v_paid_out := v_paid_out + v_amt;
          if e.paid + v_amt < e.entitlement then
            v_walk_head := coalesce(v_walk_head, e.seq);
          end if;
        end loop;
        close c;
        -- A strict walk visits by seq: everything before the first entry it
        -- left waiting is final, so later walks start there.
        if op.queue_order = 'strict' then
          v_head := greatest(v_head, coalesce(v_walk_head, case when v_exhausted then v_next else v_last + 1 end, v_head));
        end if;
        if op.empty_funds = 'reserve' then
          v_to_reserve := v_rest;
          v_reserve := v_reserve + v_rest;
        else
          v_to_kept := v_rest;
        end if;
      end if;
      v_kept := v_kept + v_to_kept;
      if op.amount > 0 then
        m_account := m_account || ('escrow:order:' || op.order_id);
        m_amount := m_amount || -op.amount;
      end if;
    end if;

    r_id := r_id || op.id;
    r_seq := r_seq || nextval('rebate.queue_ops_applied');
    r_before := r_before || v_before;
    r_after := r_after || v_reserve;
    r_paid_out := r_paid_out || v_paid_out;
    r_to_reserve := r_to_reserve || v_to_reserve;
    r_to_kept := r_to_kept || v_to_kept;
    processed := processed + 1;
    first_op := least(coalesce(first_op, op.id), op.id);
  end loop;

  if cardinality(r_id) = 0 then
    return;
  end if;
  update rebate.queue_ops q
  set processed_at = clock_timestamp(), applied_seq = r.seq, reserve_before = r.before, reserve_after = r.after,
      paid_out = r.paid_out, to_reserve = r.to_reserve, to_kept = r.to_kept
  from unnest(r_id, r_seq, r_before, r_after, r_paid_out, r_to_reserve, r_to_kept)
       as r(id, seq, before, after, paid_out, to_reserve, to_kept)
  where q.id = r.id;
  insert into rebate.payouts (op_id, queue_id, entry_id, amount, from_reserve, from_extraction, frozen)
  select x.op, p_queue, x.entry, x.amount, x.reserve, x.extraction, x.frozen
  from unnest(p_op, p_entry, p_amount, p_reserve, p_extraction, p_frozen) with ordinality
       as x(op, entry, amount, reserve, extraction, frozen, n)
  order by x.n;
  legs := legs || array(
    select row(m.account, 'CNY', sum(m.amount))::ledger.leg
    from unnest(m_account, m_amount) as m(account, amount) group by m.account order by m.account);
  if v_next <> v_next0 or v_head <> v_head0 then
    update rebate.queues set next_seq = v_next, head_seq = v_head where id = p_queue;
  end if;
  if v_reserve <> v_reserve0 then
    legs := legs || row('reserve:' || v_key, 'CNY', v_reserve - v_reserve0)::ledger.leg;
  end if;
  if v_kept <> 0 then
    legs := legs || row('kept:' || v_key, 'CNY', v_kept)::ledger.leg;
  end if;
end
$$;

-- ---------------------------------------------------------------------------
-- Orders. The `order` event is split into the steps of the model's
-- applyOrder (src/domain/engine/orders.ts), one SQL function per step; the
-- table in docs/engine-semantics.md ("The payment path, step by step") maps
-- each TypeScript function to its SQL function.

/**
 * The order event's shape (events.ts parseEvent, orders.ts lineInputs):
 * id, user, at and the lines as {kind, item, paid, deducted, randomReturn,
 * path}, path being the field prefix of the line (`lines[0]`, or '' for a
 * cashier order, which is one line).
 */
create or replace function orders.line_inputs(p jsonb, out id text, out member text, out at timestamptz,
                                              out kind text, out lines jsonb)
language plpgsql
set search_path = ''
as $$
declare
  v_raw jsonb;
  v_path text;
  v_has_product boolean;
  v_kind text;
  v_item text;
  v_paid bigint;
  v_deducted bigint;
  v_choice text;
  i integer;
begin
  perform util.expect_object(p, 'order');
  id := util.expect_id(p -> 'id', 'id');
  member := util.expect_id(p -> 'user', 'user');
  at := util.expect_instant(p -> 'at', 'at');
  lines := '[]';
  if p ? 'lines' then
    if p ? 'cashier' then
      perform util.fail('cashier', 'an order has either lines, or cashier and paid, not both');
    end if;
    perform util.only_keys(p, array['id', 'user', 'at', 'lines'], '');
    perform util.expect_array(p -> 'lines', 'lines', 100);
    if jsonb_array_length(p -> 'lines') = 0 then
      perform util.fail('lines', 'must have at least one line');
    end if;
    for v_raw, i in select value, (ord - 1)::int from jsonb_array_elements(p -> 'lines') with ordinality as t(value, ord) loop
      v_path := util.join('lines', i);
      perform util.expect_object(v_raw, v_path);
      perform util.only_keys(v_raw, array['product', 'storeProduct', 'paid', 'deducted', 'randomReturn'], v_path);
      v_has_product := v_raw ? 'product';
      if v_has_product = (v_raw ? 'storeProduct') then
        perform util.fail(util.join(v_path, case when v_has_product then 'storeProduct' else 'product' end),
                          'a line needs exactly one of product or storeProduct');
      end if;
      v_kind := case when v_has_product then 'product' else 'storeProduct' end;
      v_item := util.expect_id(v_raw -> v_kind, util.join(v_path, v_kind));
      v_paid := util.expect_fen(v_raw -> 'paid', util.join(v_path, 'paid'));
      v_deducted := case when v_raw ? 'deducted' then util.expect_fen(v_raw -> 'deducted', util.join(v_path, 'deducted')) else 0 end;
      v_choice := case when v_raw ? 'randomReturn'
        then util.expect_enum(v_raw -> 'randomReturn', array['cash', 'points'], util.join(v_path, 'randomReturn')) end;
      lines := lines || jsonb_build_object('kind', v_kind, 'item', v_item, 'paid', v_paid,
        'deducted', v_deducted, 'randomReturn', v_choice, 'path', v_path);
    end loop;
    kind := 'mall';
  else
    if not p ? 'cashier' then
      perform util.fail('lines', 'an order needs lines, or cashier and paid');
    end if;
    perform util.only_keys(p, array['id', 'user', 'at', 'cashier', 'paid', 'deducted', 'randomReturn'], '');
    v_item := util.expect_id(p -> 'cashier', 'cashier');
    v_paid := util.expect_fen(p -> 'paid', 'paid');
    v_deducted := case when p ? 'deducted' then util.expect_fen(p -> 'deducted', 'deducted') else 0 end;
    v_choice := case when p ? 'randomReturn'
      then util.expect_enum(p -> 'randomReturn', array['cash', 'points'], 'randomReturn') end;
    lines := jsonb_build_array(jsonb_build_object('kind', 'cashier', 'item', v_item, 'paid', v_paid,
      'deducted', v_deducted, 'randomReturn', v_choice, 'path', ''));
    kind := 'cashier';
  end if;
end
$$;

/** orders.ts requireItem: the line's product / store product / cashier exists (error on `<path>.<kind>`). */
create or replace function orders.require_item(p_input jsonb) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_kind text := p_input ->> 'kind';
  v_item text := p_input ->> 'item';
begin
  if not (case v_kind
      when 'product' then exists (select 1 from catalog.products where id = v_item)
      when 'storeProduct' then exists (select 1 from catalog.store_products where id = v_item)
      else exists (select 1 from catalog.cashiers where id = v_item) end) then
    perform util.fail(util.join(p_input ->> 'path', v_kind), format('unknown %s "%s"',
      case v_kind when 'storeProduct' then 'store product' else v_kind end, v_item));
  end if;
end
$$;

/**
 * orders.ts applyOrder, its checks before planning: a new order id, a known
 * user, then every line's item (requireItem), in the model's order.
 */
create or replace function orders.require_references(p_id text, p_member text, p_lines jsonb) returns void
language plpgsql
set search_path = ''
as $$
declare
  l jsonb;
begin
  if exists (select 1 from orders.orders where id = p_id) then
    perform util.fail('id', format('order "%s" already exists', p_id));
  end if;
  if not exists (select 1 from members.members where id = p_member) then
    perform util.fail('user', format('unknown user "%s"', p_member));
  end if;
  for l in select value from jsonb_array_elements(p_lines) loop
    perform orders.require_item(l);
  end loop;
end
$$;

/** orders.ts applyOrder `data.orders.set`: the order row (a concurrent twin is an error on `id`). Returns Σ paid. */
create or replace function orders.record_order(p_id text, p_member text, p_kind text, p_at timestamptz, p_lines jsonb)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_total bigint;
begin
  select coalesce(sum((value ->> 'paid')::bigint), 0) into v_total from jsonb_array_elements(p_lines);
  insert into orders.orders (id, member_id, kind, at, local_day, paid)
  values (p_id, p_member, p_kind, p_at, util.local_day(p_at), v_total)
  on conflict (id) do nothing;
  if not found then
    perform util.fail('id', format('order "%s" already exists', p_id));
  end if;
  return v_total;
end
$$;

/**
 * orders.ts, the `joins` of a planned line: the switches, the time window,
 * deductionOrders, then the per-user limits (limitSources / count): this
 * user's lines with an entry (not refunded) counting in the same item, this
 * order's earlier lines included, per local day / ever. Lines, not entries:
 * an entry may still be waiting in the journal.
 */
create or replace function orders.line_joins(
  p_member text, p_day date, p_deducted bigint, p_enabled boolean, p_in_window boolean,
  p_cfg jsonb, p_store_cfg jsonb, p_limit_keys text[], s jsonb
) returns boolean
language plpgsql stable
set search_path = ''
as $$
begin
  if not (p_enabled and p_in_window and not (s ->> 'deductionOrders' = 'noJoin' and p_deducted > 0)) then
    return false;
  end if;
  if not (p_cfg ?| array['dailyLimit', 'totalLimit'] or coalesce(p_store_cfg ?| array['dailyLimit', 'totalLimit'], false)) then
    return true;
  end if;
  return not exists (
    select 1
    from unnest(p_limit_keys) with ordinality as k(key, n)
    cross join lateral (
      select case when k.n = 1 then p_cfg else p_store_cfg end as cfg) c
    where (c.cfg ? 'dailyLimit' and (
             select count(*) from orders.orders o join orders.lines x on x.order_id = o.id
             where o.member_id = p_member and o.status <> 'refunded' and x.joins and k.key = any (x.limit_keys)
               and x.local_day = p_day) >= (c.cfg ->> 'dailyLimit')::bigint)
       or (c.cfg ? 'totalLimit' and (
             select count(*) from orders.orders o join orders.lines x on x.order_id = o.id
             where o.member_id = p_member and o.status <> 'refunded' and x.joins and k.key = any (x.limit_keys))
             >= (c.cfg ->> 'totalLimit')::bigint));
end
$$;

/**
 * orders.ts applyOrder, one planned line: its rules (rebate.resolve_line:
 * queue, extraction ratio, entry ratio and lottery), whether it gets an
 * entry (orders.line_joins), written to orders.lines with the settleOn in
 * force. Its queue (and the queue's accounts) exists from here on.
 */
create or replace function orders.plan_line(p_order text, p_line integer, p_input jsonb, p_member text,
                                            p_at timestamptz, s jsonb) returns void
language plpgsql
set search_path = ''
as $$
declare
  r record;
  v_kind text := p_input ->> 'kind';
  v_paid bigint := (p_input ->> 'paid')::bigint;
  v_deducted bigint := (p_input ->> 'deducted')::bigint;
  v_day date := util.local_day(p_at);
  v_queue bigint;
  v_joins boolean;
begin
  select * into r from rebate.resolve_line(v_kind, p_input ->> 'item', p_member, p_at, s);
  if s ->> 'mode' = 'union' then -- 0009_union.sql: no classic entry or extraction; the line joins `union` at completion
    r.queue_key := 'union';
    r.extract_ratio := 0;
    r.enabled := false;
  end if;
  v_queue := rebate.ensure_queue(r.queue_key);
  v_joins := orders.line_joins(p_member, v_day, v_deducted, r.enabled, r.in_window, r.cfg, r.store_cfg, r.limit_keys, s);
  insert into orders.lines (order_id, line, kind, item_id, store_id, paid, deducted, random_return,
                            queue_id, extract_ratio, extraction, settle_on,
                            member_id, joins, ratio, entitlement, limit_keys, local_day, lottery, random_return_cfg)
  values (p_order, p_line, v_kind, p_input ->> 'item', r.store_id, v_paid, v_deducted, p_input ->> 'randomReturn',
          v_queue, r.extract_ratio, util.pct(v_paid, r.extract_ratio),
          case when s ->> 'mode' = 'union' then 'completed' else s ->> 'settleOn' end,
          p_member, v_joins, case when v_joins then r.ratio end, case when v_joins then util.pct(v_paid, r.ratio) end,
          case when v_joins then r.limit_keys end, v_day, case when v_joins then r.lottery end, r.random_return);
end
$$;

/**
 * orders.ts applyOrder, joinQueue then settle (settleOn = "paid"): one
 * journal operation per line, in line order: its entry joins, then
 * (settling on payment) its extraction is allocated. The same result as
 * "all joins, then all allocations": an allocation never pays entries of
 * its own order. The queue processor applies them (rebate.run_queue).
 */
create or replace function orders.journal_lines(p_order text, s jsonb) returns void
language plpgsql -- not sql: PL/pgSQL keeps the statement's plan for the session (this runs on every payment)
set search_path = ''
as $$
begin
  insert into rebate.queue_ops (queue_id, kind, order_id, line, amount, paused, queue_order, empty_funds)
  select l.queue_id, 'line', l.order_id, l.line,
         case when l.settle_on = 'paid' then l.extraction end,
         case when l.settle_on = 'paid' then (s ->> 'paused')::boolean end,
         case when l.settle_on = 'paid' then s ->> 'queueOrder' end,
         case when l.settle_on = 'paid' then s ->> 'emptyQueueFunds' end
  from orders.lines l where l.order_id = p_order and (l.joins or l.settle_on = 'paid') order by l.line;
end
$$;

/**
 * The end of pay_order: for each queue the order touched, in ascending id
 * order, **tries** the queue's lock; holding it, applies that queue's
 * backlog (its own operations and any left by others) as one batch. A queue held by
 * another transaction keeps the operations pending for that holder's
 * successor, the next caller or the sweeper. The payment legs and whatever
 * was applied are posted as one transfer `pay:<order>`. A deadlock /
 * serialisation failure / lock-not-available while applying others'
 * operations never fails the order: it posts only its own legs.
 */
create or replace function orders.post_payment(p_order text, p_pay ledger.leg[]) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_queues bigint[];
  q bigint;
  legs ledger.leg[];
  v_first bigint;
  v_processed integer := 0;
begin
  v_queues := array(select distinct queue_id from orders.lines where order_id = p_order order by 1);
  begin
    legs := p_pay;
    foreach q in array v_queues loop
      if pg_try_advisory_xact_lock(rebate.lock_class(), q::integer) then
        -- One batch: at most 1,000 operations, so no payment carries an unbounded backlog.
        select r.legs, r.first_op, r.processed into legs, v_first, v_processed
        from rebate.run_queue(q, legs, v_first, v_processed, 1000) r;
      end if;
    end loop;
    perform rebate.post_legs('pay:' || p_order, 'pay', legs);
  exception when deadlock_detected or serialization_failure or lock_not_available then
    -- The order stands; its operations stay pending for the next processor.
    perform rebate.post_legs('pay:' || p_order, 'pay', p_pay);
  end;
end
$$;

/**
 * The steps of orders.ts applyOrder up to the money: validates everything
 * (shape, references), writes the order and its planned lines, checks
 * random-return pins, journals the queue operations and computes the
 * distribution rewards. Returns the order id and the payment's legs: the
 * payment (world → the order's escrow, where the extraction waits for its
 * operation) and the rewards (frozen, 0008_distribution.sql).
 */
create or replace function orders.take_order(p jsonb, out order_id text, out legs ledger.leg[])
language plpgsql
set search_path = ''
as $$
declare
  o record;
  s jsonb;
  l record;
  v_total bigint;
begin
  select * into o from orders.line_inputs(p);
  perform orders.require_references(o.id, o.member, o.lines);

  -- Validated; from here on only concurrency and a random-return pin can fail.
  select value into s from rebate.settings where id;
  v_total := orders.record_order(o.id, o.member, o.kind, o.at, o.lines);
  for l in select value as v, (ord - 1)::int as i from jsonb_array_elements(o.lines) with ordinality as t(value, ord) loop
    perform orders.plan_line(o.id, l.i, l.v, o.member, o.at, s);
  end loop;
  -- Random-return pins, in line order (0007_options, planRandomReturn): the last validation.
  if jsonb_path_exists(o.lines, '$[*] ? (@.randomReturn != null)') then
    perform rebate.assign_pinned_slots(o.id);
  end if;
  perform orders.journal_lines(o.id, s);

  legs := '{}';
  if v_total > 0 then
    legs := array[row('world', 'CNY', -v_total)::ledger.leg, row('escrow:order:' || o.id, 'CNY', v_total)::ledger.leg];
  end if;
  legs := legs || distribution.reward_order(o.id, s);
  -- Merchants' shares of store lines, frozen (0012_settlement.sql).
  legs := legs || orders.settlement_paid_legs(o.id);
  order_id := o.id;
end
$$;

/**
 * The `order` event: placed and paid at `at` (orders.take_order), then the
 * payment is posted with whatever the processing of its queues applied in
 * the same transaction (orders.post_payment: try-locks, never waits). One
 * call leaves a single connection's queues fully applied: replay, the
 * what-if simulator, the api's settlement.
 */
create or replace function orders.pay_order(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  t record;
begin
  select * into t from orders.take_order(p);
  perform orders.post_payment(t.order_id, t.legs);
end
$$;

/**
 * The short payment transaction: the same order as pay_order
 * (orders.take_order) and its payment transfer `pay:<order>`, nothing
 * applied. Its queue operations stay pending, the extraction in the order's
 * escrow, until rebate.apply_pending (called by the payer right after this
 * commits) or the sweeper applies them in a batch.
 */
create or replace function orders.record_payment(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  t record;
begin
  select * into t from orders.take_order(p);
  perform rebate.post_legs('pay:' || t.order_id, 'pay', t.legs);
end
$$;

/**
 * The queue processor for one order's queues, run right after its payment
 * committed: for each queue (ascending id) whose lock is free, applies up
 * to p_limit pending operations (everyone's, in journal order) as one
 * batch, posted as one transfer `ops:<first op>`. A busy queue is left to
 * its holder, who is applying a batch already; the next call (or the
 * sweeper, rebate.process_pending) takes what it left. Returns the
 * operations applied.
 */
create or replace function rebate.apply_pending(p_order text, p_limit integer default 1000) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  q bigint;
  legs ledger.leg[] := '{}';
  v_first bigint;
  v_processed integer := 0;
begin
  for q in select distinct queue_id from orders.lines where order_id = p_order order by 1 loop
    -- Nothing pending (the usual case after an inline payment): not even the lock.
    continue when not exists (select 1 from rebate.queue_ops where queue_id = q and processed_at is null);
    if pg_try_advisory_xact_lock(rebate.lock_class(), q::integer) then
      select r.legs, r.first_op, r.processed into legs, v_first, v_processed
      from rebate.run_queue(q, legs, v_first, v_processed, p_limit) r;
    end if;
  end loop;
  if v_processed > 0 then
    perform rebate.post_legs('ops:' || v_first, 'allocate', legs);
  end if;
  return v_processed;
end
$$;

/** Locks the order's queues (blocking, ascending id) and applies their backlog. */
create or replace function rebate.lock_and_run(p_queues bigint[], inout legs ledger.leg[], inout first_op bigint,
                                               inout processed integer)
language plpgsql
set search_path = ''
as $$
declare
  q bigint;
begin
  foreach q in array p_queues loop
    perform pg_advisory_xact_lock(rebate.lock_class(), q::integer);
  end loop;
  foreach q in array p_queues loop
    select r.legs, r.first_op, r.processed into legs, first_op, processed
    from rebate.run_queue(q, legs, first_op, processed) r;
  end loop;
end
$$;

/** The order of a complete/refund: exists, still open, `at` not before the order. */
create or replace function orders.open_order(p_order text, p_at timestamptz) returns orders.orders
language plpgsql
set search_path = ''
as $$
declare
  o orders.orders;
begin
  perform util.expect_id(to_jsonb(p_order), 'order');
  if p_at is null then
    perform util.fail('at', 'must be an ISO 8601 time string');
  end if;
  select * into o from orders.orders where id = p_order for no key update;
  if not found then
    perform util.fail('order', format('unknown order "%s"', p_order));
  end if;
  if o.status <> 'paid' then
    perform util.fail('order', format('order "%s" is already %s', p_order, o.status));
  end if;
  if p_at < o.at then
    perform util.fail('at', 'must not be before the order time');
  end if;
  return o;
end
$$;

/**
 * The `complete` event (after-sales over): the order is completed, lines
 * settling on completion are allocated, everything paid to the order's
 * entries moves from frozen to available, the escrow's remainder is
 * settled (revenue, supplier, merchant: 0012_settlement.sql).
 */
create or replace function orders.complete_order(p_order text, p_at timestamptz) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  o orders.orders;
  s jsonb;
  v_queues bigint[];
  legs ledger.leg[] := '{}';
  v_first bigint;
  v_processed integer := 0;
  v_sum bigint;
begin
  o := orders.open_order(p_order, p_at);
  v_queues := array(select distinct queue_id from orders.lines where order_id = p_order order by 1);
  select r.legs, r.first_op, r.processed into legs, v_first, v_processed
  from rebate.lock_and_run(v_queues, legs, v_first, v_processed) r;

  update orders.orders set status = 'completed', completed_at = p_at where id = p_order;
  -- Journal: the entries count as completed, then lines settling on
  -- completion are allocated, in line order.
  insert into rebate.queue_ops (queue_id, kind, order_id, line)
  select queue_id, 'complete', p_order, min(line) from rebate.entries where order_id = p_order
  group by queue_id order by queue_id;

  select value into s from rebate.settings where id;
  insert into rebate.queue_ops (queue_id, kind, order_id, line, amount, paused, queue_order, empty_funds)
  select queue_id, 'allocate', order_id, line, extraction,
         (s ->> 'paused')::boolean, s ->> 'queueOrder', s ->> 'emptyQueueFunds'
  from orders.lines where order_id = p_order and settle_on = 'completed' order by line;
  select r.legs, r.first_op, r.processed into legs, v_first, v_processed
  from rebate.lock_and_run(v_queues, legs, v_first, v_processed) r;

  -- Payouts to this order's entries credited frozen move to available (with
  -- a single connection that is all of them; concurrently, ones applied
  -- after the status change above were credited available already).
  select coalesce(sum(f.amount), 0) into v_sum
  from rebate.entries e
  cross join lateral (select sum(p.amount) as amount from rebate.payouts p where p.entry_id = e.id and p.frozen) f
  where e.order_id = p_order;
  if v_sum > 0 then
    legs := legs
      || row('wallet:' || o.member_id || ':frozen', 'CNY', -v_sum)::ledger.leg
      || row('wallet:' || o.member_id || ':available', 'CNY', v_sum)::ledger.leg;
  end if;
  -- What the extraction left in escrow goes to revenue, suppliers, merchants (0012_settlement.sql).
  legs := legs || orders.settlement_completed_legs(p_order);
  legs := rebate.order_completed(p_order, legs); -- 0007_options: frozen love released, member stats, upgrades
  legs := legs || distribution.release_order(p_order, p_at); -- 0008_distribution.sql
  legs := legs || rebate.union_order_completed(p_order, p_at); -- 0009_union.sql: union entries, profit, acceleration
  perform rebate.post_legs('complete:' || p_order, 'complete', legs);
end
$$;

/**
 * The `refund` event (before completion): entries cancelled, their payouts
 * move from the owner's frozen wallet to their queue's reserve; extractions
 * already paid out are absorbed by the platform; the shopper gets back what
 * was paid.
 */
create or replace function orders.refund_order(p_order text, p_at timestamptz) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  o orders.orders;
  v_queues bigint[];
  legs ledger.leg[] := '{}';
  v_first bigint;
  v_processed integer := 0;
  v_allocated bigint;
begin
  o := orders.open_order(p_order, p_at);
  v_queues := array(select distinct queue_id from orders.lines where order_id = p_order order by 1);
  select r.legs, r.first_op, r.processed into legs, v_first, v_processed
  from rebate.lock_and_run(v_queues, legs, v_first, v_processed) r;

  update orders.orders set status = 'refunded', refunded_at = p_at where id = p_order;
  -- Journal: cancel the order's entries in each of their queues.
  insert into rebate.queue_ops (queue_id, kind, order_id, line)
  select queue_id, 'cancel', p_order, min(line) from rebate.entries where order_id = p_order
  group by queue_id order by queue_id;
  select r.legs, r.first_op, r.processed into legs, v_first, v_processed
  from rebate.lock_and_run(v_queues, legs, v_first, v_processed) r;

  -- Extractions already allocated (kept, reserved or paid out: every line
  -- settling on payment, its journal applied above) are absorbed.
  legs := legs || array(
    select row('absorbed:' || q.key, 'CNY', -l.extraction)::ledger.leg
    from orders.lines l join rebate.queues q on q.id = l.queue_id
    where l.order_id = p_order and l.settle_on = 'paid' and l.extraction > 0);
  select coalesce(sum(extraction), 0) into v_allocated
  from orders.lines where order_id = p_order and settle_on = 'paid';
  if o.paid > 0 then
    legs := legs
      || row('world', 'CNY', o.paid)::ledger.leg
      || row('escrow:order:' || p_order, 'CNY', -(o.paid - v_allocated))::ledger.leg;
  end if;
  legs := legs || orders.settlement_refunded_legs(p_order); -- 0012_settlement.sql: merchants' frozen shares back
  legs := rebate.order_refunded(p_order, legs); -- 0007_options: exchange / conversion credits taken back
  legs := legs || distribution.cancel_order(p_order); -- 0008_distribution.sql
  perform rebate.post_legs('refund:' || p_order, 'refund', legs);
end
$$;

/** Applies a queue's whole backlog now (blocking on its lock). Returns the operations applied. */
create or replace function rebate.process_queue(p_key text) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue bigint;
  legs ledger.leg[] := '{}';
  v_first bigint;
  v_processed integer := 0;
begin
  select id into v_queue from rebate.queues where key = p_key;
  if v_queue is null then
    perform util.fail('queue', format('unknown queue "%s"', p_key));
  end if;
  select r.legs, r.first_op, r.processed into legs, v_first, v_processed
  from rebate.lock_and_run(array[v_queue], legs, v_first, v_processed) r;
  if v_processed > 0 then
    perform rebate.post_legs('ops:' || v_first, 'allocate', legs);
  end if;
  return v_processed;
end
$$;

/**
 * The sweeper (every minute, and at the end of tests and benchmarks):
 * applies up to p_limit pending operations of every queue whose lock is
 * free. Returns the operations applied; call again while it returns > 0.
 */
create or replace function rebate.process_pending(p_limit integer default 10000) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  q bigint;
  legs ledger.leg[] := '{}';
  v_first bigint;
  v_processed integer := 0;
begin
  for q in select distinct queue_id from rebate.queue_ops where processed_at is null order by 1 loop
    if pg_try_advisory_xact_lock(rebate.lock_class(), q::integer) then
      select r.legs, r.first_op, r.processed into legs, v_first, v_processed
      from rebate.run_queue(q, legs, v_first, v_processed, p_limit) r;
    end if;
  end loop;
  if v_processed > 0 then
    perform rebate.post_legs('ops:' || v_first, 'allocate', legs);
  end if;
  return v_processed;
end
$$;

-- ---------------------------------------------------------------------------
-- Row level security: members read their own orders and queue entries.

alter table rebate.queues enable row level security;
alter table orders.orders enable row level security;
alter table orders.lines enable row level security;
alter table rebate.entries enable row level security;
alter table rebate.queue_ops enable row level security;
alter table rebate.payouts enable row level security;

create policy "Members can read their own orders" on orders.orders
  for select to authenticated
  using (member_id = (select members.current_member_id()));

create policy "Members can read the lines of their own orders" on orders.lines
  for select to authenticated
  using (order_id in (select o.id from orders.orders o where o.member_id = (select members.current_member_id())));

create policy "Members can read their own queue entries" on rebate.entries
  for select to authenticated
  using (member_id = (select members.current_member_id()));

create policy "Members can read the payouts to their own entries" on rebate.payouts
  for select to authenticated
  using (entry_id in (select e.id from rebate.entries e where e.member_id = (select members.current_member_id())));

revoke all on all tables in schema orders, rebate from public, anon, authenticated;
grant usage on schema orders, rebate to authenticated;
grant select on orders.orders, orders.lines, rebate.entries, rebate.payouts to authenticated;
grant select on all tables in schema orders, rebate to service_role;

revoke all on all functions in schema orders, rebate from public, anon, authenticated;
grant execute on function
  orders.pay_order(jsonb), orders.record_payment(jsonb), rebate.apply_pending(text, integer),
  orders.complete_order(text, timestamptz), orders.refund_order(text, timestamptz),
  rebate.process_queue(text), rebate.process_pending(integer), rebate.update_settings(jsonb, text),
  rebate.current_settings()
  to service_role;
