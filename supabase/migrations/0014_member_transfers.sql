-- Points and love-value transfers between members (转让, issue 14 item 3).
-- One ledger transfer from the sender's `points:<m>` / `love:<m>` account to
-- the recipient's, keyed by the sender and the client's request id; a daily
-- limit per sender and kind (Shanghai day). Only available love moves
-- (`love:<m>`, never `love:<m>:frozen`). The API wrapper
-- (1320_api_member_transfers.sql) resolves the recipient's code, reads the
-- limit from app.site_content and notifies both sides.

create table members.transfers (
  id bigint generated always as identity primary key,
  -- = the ledger transfer's key: 'member-transfer:<from>:<request id>'.
  idempotency_key text not null unique,
  request_id text not null check (request_id ~ '^[A-Za-z0-9_-]{8,64}$'),
  from_member text not null references members.members (id),
  to_member text not null references members.members (id),
  kind text not null check (kind in ('points', 'love')),
  amount bigint not null check (amount > 0),
  local_day date not null,
  created_at timestamptz not null default now(),
  constraint transfers_not_to_self check (from_member <> to_member)
);
-- The daily limit's sum, and each member's list (sent / received).
create index transfers_from_day on members.transfers (from_member, kind, local_day);
create index transfers_from on members.transfers (from_member, id desc);
create index transfers_to on members.transfers (to_member, id desc);

-- Append-only like the ledger it mirrors.
create trigger transfers_append_only before update or delete on members.transfers
  for each row execute function ledger.refuse_change();
create trigger transfers_no_truncate before truncate on members.transfers
  for each statement execute function ledger.refuse_change();

-- Members read their transfers through api.transfer_list (masked counterparts), never the table.
alter table members.transfers enable row level security;

/**
 * Moves p_amount of p_kind ('points' | 'love') from p_from to p_to.
 * Idempotent by (p_from, p_request): a replay with the same recipient, kind
 * and amount returns the first result (`replayed: true`); a different one is
 * refused on requestId. Locks: the sender's transfer lock (a transaction
 * advisory lock, two-key space, so never a queue lock), then the two ledger
 * accounts inside ledger.transfer (ascending id). Bad input: 22023 naming
 * the field, nothing changed.
 */
create or replace function members.transfer(
  p_from text, p_to text, p_kind text, p_amount bigint, p_request text, p_daily_limit bigint,
  p_at timestamptz default now()
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_key text;
  v_day date := util.local_day(coalesce(p_at, now()));
  v_used bigint;
  v_account text;
  v_currency text;
  t members.transfers;
begin
  if p_from is null or not exists (select 1 from members.members where id = p_from) then
    perform util.fail('from', 'unknown member');
  end if;
  if p_to is null or not exists (select 1 from members.members where id = p_to) then
    perform util.fail('to', 'unknown member');
  end if;
  if p_kind is null or p_kind not in ('points', 'love') then
    perform util.fail('kind', 'must be points or love');
  end if;
  if p_amount is null or p_amount <= 0 then
    perform util.fail('amount', 'must be a positive integer');
  end if;
  if p_request is null or p_request !~ '^[A-Za-z0-9_-]{8,64}$' then
    perform util.fail('requestId', 'must be 8-64 letters, digits, _ or -');
  end if;
  if p_daily_limit is null or p_daily_limit < 0 then
    perform util.fail('dailyLimit', 'must be a non-negative integer');
  end if;

  -- One sender at a time: the replay check and the daily sum below see every earlier transfer of this sender.
  perform pg_advisory_xact_lock(hashtext('members.transfers'), hashtext(p_from));

  v_key := 'member-transfer:' || p_from || ':' || p_request;
  select * into t from members.transfers where idempotency_key = v_key;
  if found then
    if t.to_member <> p_to or t.kind <> p_kind or t.amount <> p_amount then
      perform util.fail('requestId', 'already used for another transfer');
    end if;
    return jsonb_build_object('id', t.id, 'from', t.from_member, 'to', t.to_member, 'kind', t.kind,
      'amount', t.amount, 'createdAt', t.created_at, 'replayed', true);
  end if;

  if p_to = p_from then
    perform util.fail('to', 'cannot transfer to oneself');
  end if;
  select coalesce(sum(amount), 0) into v_used from members.transfers
  where from_member = p_from and kind = p_kind and local_day = v_day;
  if v_used + p_amount > p_daily_limit then
    perform util.fail('amount', format('daily limit %s, %s left today', p_daily_limit, greatest(p_daily_limit - v_used, 0)));
  end if;
  v_account := p_kind || ':';
  v_currency := case p_kind when 'points' then 'POINTS' else 'LOVE' end;
  if ledger.balance(v_account || p_from) < p_amount then
    perform util.fail('amount', 'insufficient balance');
  end if;

  perform ledger.transfer(v_key, 'member-transfer', array[
    row(v_account || p_from, v_currency, -p_amount)::ledger.leg,
    row(v_account || p_to, v_currency, p_amount)::ledger.leg]);
  insert into members.transfers (idempotency_key, request_id, from_member, to_member, kind, amount, local_day, created_at)
  values (v_key, p_request, p_from, p_to, p_kind, p_amount, v_day, coalesce(p_at, now()))
  returning * into t;
  return jsonb_build_object('id', t.id, 'from', t.from_member, 'to', t.to_member, 'kind', t.kind,
    'amount', t.amount, 'createdAt', t.created_at, 'replayed', false);
end
$$;

/** What p_member has sent of p_kind on p_at's Shanghai day (the daily limit's sum). */
create or replace function members.transferred_today(p_member text, p_kind text, p_at timestamptz default now()) returns bigint
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(sum(amount), 0)::bigint from members.transfers
  where from_member = p_member and kind = p_kind and local_day = util.local_day(p_at)
$$;

revoke all on members.transfers from public, anon, authenticated;
grant select on members.transfers to service_role;
revoke all on function members.transfer(text, text, text, bigint, text, bigint, timestamptz),
  members.transferred_today(text, text, timestamptz) from public, anon, authenticated;
grant execute on function members.transfer(text, text, text, bigint, text, bigint, timestamptz),
  members.transferred_today(text, text, timestamptz) to service_role;
