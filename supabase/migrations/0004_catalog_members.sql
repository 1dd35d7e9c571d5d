-- Catalogue (levels, products, stores, store products, cashiers) and
-- members. Upserts take the replay event's shape minus `type`: an event
-- creates the item or replaces it whole (docs/engine-semantics.md).

create table catalog.levels (
  id text primary key,
  ratio numeric(7, 2) check (ratio between 0 and 10000),
  team_ratio numeric(7, 2) check (team_ratio between 0 and 10000),
  shareholder boolean,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table members.members (
  id text primary key,
  auth_user_id uuid unique references auth.users (id) on delete set null,
  level_id text references catalog.levels (id),
  -- Bound once, never changed (members.upsert_member refuses it).
  referrer_id text references members.members (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint members_no_self_referral check (referrer_id is distinct from id)
);
create index members_referrer on members.members (referrer_id) where referrer_id is not null;

alter table ledger.accounts
  add constraint accounts_owner_member_fkey foreign key (owner_member) references members.members (id);

-- `queue` holds the validated {Q} config of the replay event (ratios as
-- strings, exactly as given).
create table catalog.products (
  id text primary key,
  price bigint not null check (price between 0 and 10000000000),
  source text not null check (source in ('self', 'supplier')),
  cost bigint not null check (cost between 0 and 10000000000),
  -- Supplier credited the cost of a supplier product (null: the product id; 0012_settlement.sql).
  supplier_id text check (supplier_id is null or source = 'supplier'),
  queue jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table catalog.stores (
  id text primary key,
  commission numeric(7, 2) not null check (commission between 0 and 10000),
  recruiter_id text references members.members (id),
  queue jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table catalog.store_products (
  id text primary key,
  store_id text not null references catalog.stores (id),
  price bigint not null check (price between 0 and 10000000000),
  cost bigint not null check (cost between 0 and 10000000000),
  queue jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index store_products_store on catalog.store_products (store_id);

create table catalog.cashiers (
  id text primary key,
  store_id text not null references catalog.stores (id),
  queue jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cashiers_store on catalog.cashiers (store_id);

-- ---------------------------------------------------------------------------
-- {Q} validation (src/domain/events.ts parseQueueConfig) and the features
-- not implemented yet (src/domain/engine/unsupported.ts).

create or replace function catalog.validate_queue_config(p_queue jsonb, p_kind text, p_field text default 'queue')
returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_allowed text[] := array['enabled', 'extractRatio', 'memberLevelRatios', 'cumulativeTiers', 'lottery',
                            'timeWindows', 'dailyLimit', 'totalLimit', 'minWaitDays'];
  r record;
  v_path text;
  v_from text;
  v_to text;
  v_on boolean;
begin
  if p_queue is null then
    return '{}';
  end if;
  perform util.expect_object(p_queue, p_field);
  v_allowed := v_allowed || case p_kind
    when 'product' then array['independentRatio']
    when 'store' then array['defaultRatio', 'randomReturn']
    when 'storeProduct' then array['defaultRatio']
    else array['defaultRatio', 'randomReturn'] end;
  perform util.only_keys(p_queue, v_allowed, p_field);
  if p_queue ? 'enabled' then perform util.expect_boolean(p_queue -> 'enabled', util.join(p_field, 'enabled')); end if;
  if p_queue ? 'extractRatio' then
    perform util.expect_extract_ratio(p_queue -> 'extractRatio', util.join(p_field, 'extractRatio'));
  end if;
  if p_queue ? 'independentRatio' then
    perform util.expect_ratio(p_queue -> 'independentRatio', util.join(p_field, 'independentRatio'));
  end if;
  if p_queue ? 'defaultRatio' then
    perform util.expect_ratio(p_queue -> 'defaultRatio', util.join(p_field, 'defaultRatio'));
  end if;
  if p_queue ? 'memberLevelRatios' then
    perform util.validate_level_ratios(p_queue -> 'memberLevelRatios', util.join(p_field, 'memberLevelRatios'));
  end if;
  if p_queue ? 'cumulativeTiers' then
    perform util.validate_tiers(p_queue -> 'cumulativeTiers', util.join(p_field, 'cumulativeTiers'));
  end if;
  if p_queue ? 'lottery' then
    perform util.validate_lottery(p_queue -> 'lottery', util.join(p_field, 'lottery'));
  end if;
  if p_queue ? 'timeWindows' then
    perform util.expect_array(p_queue -> 'timeWindows', util.join(p_field, 'timeWindows'), 24);
    for r in select value, ord - 1 as i from jsonb_array_elements(p_queue -> 'timeWindows') with ordinality as t(value, ord) loop
      v_path := util.join(util.join(p_field, 'timeWindows'), r.i::int);
      perform util.expect_object(r.value, v_path);
      perform util.only_keys(r.value, array['from', 'to'], v_path);
      v_from := util.expect_clock(r.value -> 'from', util.join(v_path, 'from'));
      v_to := util.expect_clock(r.value -> 'to', util.join(v_path, 'to'));
      if v_from = v_to then
        perform util.fail(util.join(v_path, 'to'), 'must differ from from');
      end if;
    end loop;
  end if;
  if p_queue ? 'dailyLimit' then perform util.expect_count(p_queue -> 'dailyLimit', util.join(p_field, 'dailyLimit'), 1000000); end if;
  if p_queue ? 'totalLimit' then perform util.expect_count(p_queue -> 'totalLimit', util.join(p_field, 'totalLimit'), 1000000); end if;
  if p_queue ? 'randomReturn' then
    v_path := util.join(p_field, 'randomReturn');
    perform util.expect_object(p_queue -> 'randomReturn', v_path);
    perform util.only_keys(p_queue -> 'randomReturn', array['on', 'cashCount', 'pointsCount'], v_path);
    v_on := util.expect_boolean(p_queue #> '{randomReturn,on}', util.join(v_path, 'on'));
    if util.expect_count(p_queue #> '{randomReturn,cashCount}', util.join(v_path, 'cashCount'), 1000)
       + util.expect_count(p_queue #> '{randomReturn,pointsCount}', util.join(v_path, 'pointsCount'), 1000) < 1
       and v_on then
      perform util.fail(util.join(v_path, 'cashCount'), 'cashCount + pointsCount must be at least 1');
    end if;
  end if;
  if p_queue ? 'minWaitDays' then perform util.expect_count(p_queue -> 'minWaitDays', util.join(p_field, 'minWaitDays'), 3660); end if;

  return p_queue;
end
$$;

-- ---------------------------------------------------------------------------

create or replace function catalog.upsert_level(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_team numeric;
  v_shareholder boolean;
  v_ratio numeric;
  v_rank integer;
  v_upgrade jsonb;
begin
  perform util.expect_object(p, 'level');
  perform util.only_keys(p, array['id', 'ratio', 'teamRatio', 'shareholder', 'rank', 'upgrade'], '');
  v_id := util.expect_id(p -> 'id', 'id');
  if p ? 'ratio' then v_ratio := util.expect_ratio(p -> 'ratio', 'ratio'); end if;
  if p ? 'teamRatio' then v_team := util.expect_ratio(p -> 'teamRatio', 'teamRatio'); end if;
  if p ? 'shareholder' then v_shareholder := util.expect_boolean(p -> 'shareholder', 'shareholder'); end if;
  -- rank and upgrade conditions (0007_options).
  if p ? 'rank' then v_rank := util.expect_count(p -> 'rank', 'rank', 1000000); end if;
  if p ? 'upgrade' then v_upgrade := members.validate_upgrade(p -> 'upgrade', 'upgrade'); end if;
  insert into catalog.levels (id, ratio, team_ratio, shareholder, rank, upgrade)
  values (v_id, v_ratio, v_team, v_shareholder, v_rank, v_upgrade)
  on conflict (id) do update
    set ratio = excluded.ratio, team_ratio = excluded.team_ratio, shareholder = excluded.shareholder,
        rank = excluded.rank, upgrade = excluded.upgrade, updated_at = now();
end
$$;

create or replace function catalog.upsert_product(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_price bigint;
  v_source text;
  v_cost bigint;
  v_supplier text;
  v_queue jsonb;
begin
  perform util.expect_object(p, 'product');
  perform util.only_keys(p, array['id', 'price', 'source', 'cost', 'supplier', 'queue'], '');
  v_id := util.expect_id(p -> 'id', 'id');
  v_price := util.expect_fen(p -> 'price', 'price');
  v_source := util.expect_enum(p -> 'source', array['self', 'supplier'], 'source');
  v_cost := util.expect_fen(p -> 'cost', 'cost');
  if p ? 'supplier' then
    v_supplier := util.expect_id(p -> 'supplier', 'supplier');
    if v_source <> 'supplier' then
      perform util.fail('supplier', 'only a supplier product has a supplier');
    end if;
  end if;
  v_queue := catalog.validate_queue_config(p -> 'queue', 'product');
  -- supplier_id: 0012_settlement.sql.
  insert into catalog.products (id, price, source, cost, queue, supplier_id)
  values (v_id, v_price, v_source, v_cost, v_queue, v_supplier)
  on conflict (id) do update
    set price = excluded.price, source = excluded.source, cost = excluded.cost, queue = excluded.queue,
        supplier_id = excluded.supplier_id, updated_at = now();
end
$$;

create or replace function catalog.upsert_store(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_commission numeric;
  v_recruiter text;
  v_queue jsonb;
begin
  perform util.expect_object(p, 'store');
  perform util.only_keys(p, array['id', 'commission', 'recruiter', 'queue'], '');
  v_id := util.expect_id(p -> 'id', 'id');
  v_commission := util.expect_ratio(p -> 'commission', 'commission');
  if p ? 'recruiter' then v_recruiter := util.expect_id(p -> 'recruiter', 'recruiter'); end if;
  v_queue := catalog.validate_queue_config(p -> 'queue', 'store');
  if v_recruiter is not null and not exists (select 1 from members.members where id = v_recruiter) then
    perform util.fail('recruiter', format('unknown user "%s"', v_recruiter));
  end if;
  insert into catalog.stores (id, commission, recruiter_id, queue)
  values (v_id, v_commission, v_recruiter, v_queue)
  on conflict (id) do update
    set commission = excluded.commission, recruiter_id = excluded.recruiter_id, queue = excluded.queue,
        updated_at = now();
end
$$;

-- Revenue accounts: the mall's now, a store's when it is created.
select ledger.open_account('revenue:mall', 'CNY');

create or replace function catalog.open_store_accounts() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform ledger.open_account('revenue:store:' || new.id, 'CNY');
  return new;
end
$$;
create trigger stores_open_accounts after insert on catalog.stores
  for each row execute function catalog.open_store_accounts();

create or replace function catalog.upsert_store_product(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_store text;
  v_price bigint;
  v_cost bigint;
  v_queue jsonb;
begin
  perform util.expect_object(p, 'storeProduct');
  perform util.only_keys(p, array['id', 'store', 'price', 'cost', 'queue'], '');
  v_id := util.expect_id(p -> 'id', 'id');
  v_store := util.expect_id(p -> 'store', 'store');
  v_price := util.expect_fen(p -> 'price', 'price');
  v_cost := util.expect_fen(p -> 'cost', 'cost');
  v_queue := catalog.validate_queue_config(p -> 'queue', 'storeProduct');
  if not exists (select 1 from catalog.stores where id = v_store) then
    perform util.fail('store', format('unknown store "%s"', v_store));
  end if;
  insert into catalog.store_products (id, store_id, price, cost, queue)
  values (v_id, v_store, v_price, v_cost, v_queue)
  on conflict (id) do update
    set store_id = excluded.store_id, price = excluded.price, cost = excluded.cost, queue = excluded.queue,
        updated_at = now();
end
$$;

create or replace function catalog.upsert_cashier(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_store text;
  v_queue jsonb;
begin
  perform util.expect_object(p, 'cashier');
  perform util.only_keys(p, array['id', 'store', 'queue'], '');
  v_id := util.expect_id(p -> 'id', 'id');
  v_store := util.expect_id(p -> 'store', 'store');
  v_queue := catalog.validate_queue_config(p -> 'queue', 'cashier');
  if not exists (select 1 from catalog.stores where id = v_store) then
    perform util.fail('store', format('unknown store "%s"', v_store));
  end if;
  insert into catalog.cashiers (id, store_id, queue)
  values (v_id, v_store, v_queue)
  on conflict (id) do update
    set store_id = excluded.store_id, queue = excluded.queue, updated_at = now();
end
$$;

/**
 * The `user` event: creates or replaces a member. The referrer binds once:
 * re-sending the same one is fine, another one is refused; no
 * self-referral, no cycle. Opens the member's ledger accounts.
 */
create or replace function members.upsert_member(p jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_level text;
  v_referrer text;
  v_bound text;
  v_exists boolean;
  v_cycle boolean;
begin
  perform util.expect_object(p, 'user');
  perform util.only_keys(p, array['id', 'level', 'referrer'], '');
  v_id := util.expect_id(p -> 'id', 'id');
  if p ? 'level' then v_level := util.expect_id(p -> 'level', 'level'); end if;
  if p ? 'referrer' then v_referrer := util.expect_id(p -> 'referrer', 'referrer'); end if;

  if v_level is not null and not exists (select 1 from catalog.levels where id = v_level) then
    perform util.fail('level', format('unknown level "%s"', v_level));
  end if;
  -- Lock the member row (if any) so two binds cannot race.
  select true, referrer_id into v_exists, v_bound from members.members where id = v_id for update;
  if v_referrer is not null and v_referrer is distinct from v_bound then
    if v_bound is not null then
      perform util.fail('referrer', format('already bound to "%s" and cannot change', v_bound));
    end if;
    if v_referrer = v_id then
      perform util.fail('referrer', 'a user cannot refer themself');
    end if;
    -- A referrer binds only at registration (distribution upline lists).
    if v_exists then
      perform util.fail('referrer', format('"%s" is already registered without a referrer; a referrer binds only at registration', v_id));
    end if;
    if not exists (select 1 from members.members where id = v_referrer) then
      perform util.fail('referrer', format('unknown user "%s"', v_referrer));
    end if;
    with recursive up(id, depth) as (
      select referrer_id, 1 from members.members where id = v_referrer
      union all
      select m.referrer_id, up.depth + 1 from members.members m join up on m.id = up.id
      where up.id is not null and up.depth < 100000
    )
    select exists (select 1 from up where id = v_id) into v_cycle;
    if v_cycle then
      perform util.fail('referrer', format('"%s" is already below "%s" (a cycle)', v_referrer, v_id));
    end if;
  end if;

  insert into members.members (id, level_id, referrer_id)
  values (v_id, v_level, coalesce(v_referrer, v_bound))
  on conflict (id) do update
    set level_id = excluded.level_id, referrer_id = excluded.referrer_id, updated_at = now();

  if v_exists is null and v_referrer is not null then
    perform distribution.bind_upline(v_id, v_referrer); -- 0008_distribution.sql
  end if;
  if v_exists is null then
    perform ledger.open_account('wallet:' || v_id || ':available', 'CNY', false, true, v_id);
    perform ledger.open_account('wallet:' || v_id || ':frozen', 'CNY', false, true, v_id);
    perform ledger.open_account('points:' || v_id, 'POINTS', false, true, v_id);
    perform ledger.open_account('love:' || v_id, 'LOVE', false, true, v_id);
    perform ledger.open_account('coupons:' || v_id, 'COUPON', false, true, v_id);
  end if;
end
$$;

/** The member of the signed-in user (auth.uid()), for RLS policies. */
create or replace function members.current_member_id() returns text
language sql stable
security definer
set search_path = ''
as $$ select id from members.members where auth_user_id = auth.uid() $$;

-- ---------------------------------------------------------------------------
-- Row level security: clients read only their own member row; everything
-- else goes through functions.

alter table catalog.levels enable row level security;
alter table catalog.products enable row level security;
alter table catalog.stores enable row level security;
alter table catalog.store_products enable row level security;
alter table catalog.cashiers enable row level security;
alter table members.members enable row level security;

create policy "Members can read their own member row" on members.members
  for select to authenticated
  using (id = (select members.current_member_id()));

create policy "Members can read their own wallet accounts" on ledger.accounts
  for select to authenticated
  using (owner_member is not null and owner_member = (select members.current_member_id()));

create policy "Members can read the postings of their own accounts" on ledger.entries
  for select to authenticated
  using (account_id in (
    select a.id from ledger.accounts a
    where a.owner_member is not null and a.owner_member = (select members.current_member_id())));

revoke all on all tables in schema catalog, members from public, anon, authenticated;
grant usage on schema members, ledger to authenticated;
grant select on members.members to authenticated;
grant select on ledger.accounts, ledger.entries to authenticated;
grant select on all tables in schema catalog, members to service_role;

revoke all on all functions in schema catalog, members from public, anon, authenticated;
grant execute on function members.current_member_id() to authenticated, service_role;
grant execute on function
  catalog.upsert_level(jsonb), catalog.upsert_product(jsonb), catalog.upsert_store(jsonb),
  catalog.upsert_store_product(jsonb), catalog.upsert_cashier(jsonb), members.upsert_member(jsonb)
  to service_role;
