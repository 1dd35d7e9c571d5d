-- Double-entry ledger (pgledger style). Accounts carry a running balance and
-- a version; a transfer is a set of signed legs summing to zero per
-- currency; entries are its postings with the balance before and after.
-- Transfers and entries are append-only: a correction is a new transfer.

create type ledger.leg as (account text, currency text, amount bigint);

create table ledger.accounts (
  id bigint generated always as identity primary key,
  code text not null unique check (char_length(code) between 1 and 200),
  currency text not null check (currency in ('CNY', 'POINTS', 'LOVE', 'COUPON')),
  balance bigint not null default 0,
  version bigint not null default 0,
  allow_negative boolean not null default false,
  -- false for hot external accounts (world): no running balance, no row
  -- lock, entries carry null balances; its balance is minus the sum of all
  -- other accounts of the currency.
  tracks_balance boolean not null default true,
  owner_member text, -- references members.members (added there)
  created_at timestamptz not null default now(),
  constraint accounts_balance_not_negative check (allow_negative or balance >= 0),
  constraint accounts_untracked_balance_is_zero check (tracks_balance or (balance = 0 and version = 0))
);
create index accounts_owner_member on ledger.accounts (owner_member) where owner_member is not null;

create table ledger.transfers (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique check (char_length(idempotency_key) between 1 and 200),
  kind text not null check (char_length(kind) between 1 and 40),
  created_at timestamptz not null default now()
);

-- No foreign keys on purpose: a key-share lock on the world account row
-- would serialise every payment through multixacts, and every check writes
-- a row-lock record to the WAL. ledger.transfer is the only writer: it
-- resolves account ids from ledger.accounts and writes the transfer first.
create table ledger.entries (
  id bigint generated always as identity primary key,
  transfer_id bigint not null, -- ledger.transfers
  account_id bigint not null,
  amount bigint not null check (amount <> 0),
  previous_balance bigint,
  current_balance bigint,
  account_version bigint,
  created_at timestamptz not null default now(),
  constraint entries_balances_consistent check (
    (previous_balance is null and current_balance is null and account_version is null)
    or current_balance = previous_balance + amount
  )
);
create index entries_account on ledger.entries (account_id, id);
create index entries_transfer on ledger.entries (transfer_id);

-- ---------------------------------------------------------------------------
-- Immutability: postings are never updated or deleted.

create or replace function ledger.refuse_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '55000',
    message = format('ledger.%s is append-only: %s refused (post a correcting transfer instead)', tg_table_name, lower(tg_op));
end
$$;

create trigger transfers_append_only before update or delete on ledger.transfers
  for each row execute function ledger.refuse_change();
create trigger transfers_no_truncate before truncate on ledger.transfers
  for each statement execute function ledger.refuse_change();
create trigger entries_append_only before update or delete on ledger.entries
  for each row execute function ledger.refuse_change();
create trigger entries_no_truncate before truncate on ledger.entries
  for each statement execute function ledger.refuse_change();
create trigger accounts_no_delete before delete on ledger.accounts
  for each row execute function ledger.refuse_change();
create trigger accounts_no_truncate before truncate on ledger.accounts
  for each statement execute function ledger.refuse_change();

-- Balances change only inside ledger.transfer (which sets ledger.posting
-- for the duration of its own update), so they always equal the entries.
create or replace function ledger.guard_account() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if (new.balance <> 0 or new.version <> 0) and coalesce(current_setting('ledger.posting', true), '') <> 'on' then
      raise exception using errcode = '55000', message = 'ledger.accounts: a new account starts at balance 0';
    end if;
    return new;
  end if;
  if (new.code, new.currency, new.tracks_balance) is distinct from (old.code, old.currency, old.tracks_balance) then
    raise exception using errcode = '55000', message = 'ledger.accounts: code, currency and tracks_balance never change';
  end if;
  if (new.balance, new.version) is distinct from (old.balance, old.version)
     and coalesce(current_setting('ledger.posting', true), '') <> 'on' then
    raise exception using errcode = '55000', message = 'ledger.accounts: balances change only through ledger.transfer';
  end if;
  return new;
end
$$;

create trigger accounts_guard before insert or update on ledger.accounts
  for each row execute function ledger.guard_account();

-- ---------------------------------------------------------------------------

/** Opens an account with non-default flags; a no-op when it exists. */
create or replace function ledger.open_account(
  p_code text, p_currency text, p_allow_negative boolean default false,
  p_tracks_balance boolean default true, p_owner_member text default null
) returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id bigint;
begin
  select id into v_id from ledger.accounts where code = p_code;
  if v_id is null then
    insert into ledger.accounts (code, currency, allow_negative, tracks_balance, owner_member)
    values (p_code, p_currency, p_allow_negative, p_tracks_balance, p_owner_member)
    on conflict (code) do nothing
    returning id into v_id;
    if v_id is null then
      select id into v_id from ledger.accounts where code = p_code;
    end if;
  end if;
  return v_id;
end
$$;

/**
 * Posts one transfer: legs (account code, currency, signed amount) summing
 * to zero per currency. Accounts are created on first use. Tracked accounts
 * are updated (and so locked) in ascending id order, so concurrent transfers
 * never deadlock on each other; untracked ones (world) are not locked at all.
 * A repeated key is a no-op returning the existing transfer's id. Legs on
 * the same account are netted; zero legs post nothing. Few statements: this
 * is on every payment's path.
 */
create or replace function ledger.transfer(p_key text, p_kind text, p_legs ledger.leg[]) returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id bigint;
  v_bad_leg integer;
  v_unbalanced text;
  r record;
  v_balance bigint;
  v_version bigint;
  v_ids bigint[] := '{}';
  v_amounts bigint[] := '{}';
  v_before bigint[] := '{}';
  v_after bigint[] := '{}';
  v_versions bigint[] := '{}';
  v_fresh text[];
begin
  if p_key is null or p_key = '' then
    perform util.fail('key', 'must not be empty');
  end if;
  if p_kind is null or p_kind = '' then
    perform util.fail('kind', 'must not be empty');
  end if;
  if p_legs is null or cardinality(p_legs) = 0 then
    perform util.fail('legs', 'must not be empty');
  end if;

  select
    (select (l.ord - 1)::integer
     from unnest(p_legs) with ordinality as l(account, currency, amount, ord)
     where l.account is null or l.account = '' or l.amount is null
        or l.currency is null or l.currency not in ('CNY', 'POINTS', 'LOVE', 'COUPON')
     order by l.ord limit 1),
    (select format('%s legs sum to %s, not 0', c.currency, c.total)
     from (select l.currency, sum(l.amount) as total from unnest(p_legs) as l group by l.currency) c
     where c.total <> 0 order by c.currency limit 1)
  into v_bad_leg, v_unbalanced;
  if v_bad_leg is not null then
    perform util.fail(util.join('legs', v_bad_leg),
      'needs an account code, a currency (CNY, POINTS, LOVE, COUPON) and an amount');
  end if;
  if v_unbalanced is not null then
    perform util.fail('legs', v_unbalanced);
  end if;

  insert into ledger.transfers (idempotency_key, kind) values (p_key, p_kind)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is null then
    -- Posted before (or concurrently) under the same key.
    select id into v_id from ledger.transfers where idempotency_key = p_key;
    return v_id;
  end if;

  -- Accounts used for the first time are created holding their first
  -- posting (one row write instead of an insert and an update). Lookups go
  -- through lateral LIMIT 1 subqueries: always an index probe per leg,
  -- never a join plan that scans the (large) accounts table.
  perform set_config('ledger.posting', 'on', true);
  with fresh as (
    insert into ledger.accounts (code, currency, balance, version)
    select l.account, min(l.currency), sum(l.amount)::bigint, case when sum(l.amount) <> 0 then 1 else 0 end
    from unnest(p_legs) as l
    left join lateral (select 1 as hit from ledger.accounts a where a.code = l.account limit 1) x on true
    where x.hit is null
    group by l.account
    order by l.account
    on conflict (code) do nothing
    returning code
  )
  select coalesce(array_agg(code), '{}') into v_fresh from fresh;

  -- Ascending account id: each UPDATE locks its row, so every transfer
  -- takes its locks in the same order and none deadlocks on another.
  for r in
    select n.account, n.currency as leg_currency, n.amount, a.id, a.currency, a.tracks_balance
    from (select l.account, l.currency, sum(l.amount)::bigint as amount
          from unnest(p_legs) as l group by l.account, l.currency) n
    cross join lateral (
      select id, currency, tracks_balance from ledger.accounts a where a.code = n.account limit 1) a
    order by a.id
  loop
    if r.currency <> r.leg_currency then
      perform util.fail('legs', format('account %s holds %s, not %s', r.account, r.currency, r.leg_currency));
    end if;
    continue when r.amount = 0;
    if r.account = any (v_fresh) then
      v_ids := v_ids || r.id;
      v_amounts := v_amounts || r.amount;
      v_before := v_before || 0::bigint;
      v_after := v_after || r.amount;
      v_versions := v_versions || 1::bigint;
    elsif r.tracks_balance then
      update ledger.accounts
      set balance = balance + r.amount, version = version + 1
      where id = r.id and (allow_negative or balance + r.amount >= 0)
      returning balance, version into v_balance, v_version;
      if not found then
        raise exception using
          errcode = '23514',
          message = format('ledger: account %s would go negative (balance %s, change %s)',
                           r.account, (select balance from ledger.accounts where id = r.id), r.amount),
          constraint = 'accounts_balance_not_negative';
      end if;
      v_ids := v_ids || r.id;
      v_amounts := v_amounts || r.amount;
      v_before := v_before || (v_balance - r.amount);
      v_after := v_after || v_balance;
      v_versions := v_versions || v_version;
    else
      v_ids := v_ids || r.id;
      v_amounts := v_amounts || r.amount;
      v_before := v_before || null::bigint;
      v_after := v_after || null::bigint;
      v_versions := v_versions || null::bigint;
    end if;
  end loop;
  perform set_config('ledger.posting', '', true);

  insert into ledger.entries (transfer_id, account_id, amount, previous_balance, current_balance, account_version)
  select v_id, x.id, x.amount, x.before, x.after, x.version
  from unnest(v_ids, v_amounts, v_before, v_after, v_versions) as x(id, amount, before, after, version);

  return v_id;
end
$$;

/** Balance of an account by code; 0 when it does not exist yet. */
create or replace function ledger.balance(p_code text) returns bigint
language sql stable
security definer
set search_path = ''
as $$ select coalesce((select balance from ledger.accounts where code = p_code), 0) $$;

-- The outside world (shoppers' payment channel, refunds): hot, untracked.
select ledger.open_account('world', 'CNY', true, false);
select ledger.open_account('world:POINTS', 'POINTS', true, false);
select ledger.open_account('world:LOVE', 'LOVE', true, false);
select ledger.open_account('world:COUPON', 'COUPON', true, false);

alter table ledger.accounts enable row level security;
alter table ledger.transfers enable row level security;
alter table ledger.entries enable row level security;

revoke all on all tables in schema ledger from public, anon, authenticated;
revoke all on all functions in schema ledger from public, anon, authenticated;
grant select on all tables in schema ledger to service_role;
grant execute on function ledger.balance(text) to service_role;
