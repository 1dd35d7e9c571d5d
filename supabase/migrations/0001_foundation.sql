-- Schemas, default privileges and the input validators every function uses.
--
-- One schema per concern: ledger (money), members, catalog, orders, rebate
-- (queues and settings), audit; util holds pure helpers. Nothing is granted
-- to public/anon/authenticated unless a later statement says so.

create schema if not exists util;
create schema if not exists ledger;
create schema if not exists members;
create schema if not exists catalog;
create schema if not exists orders;
create schema if not exists rebate;
create schema if not exists audit;

revoke all on schema util, ledger, members, catalog, orders, rebate, audit from public;

-- Functions are executable by PUBLIC by default; ours are not.
alter default privileges revoke execute on functions from public;
alter default privileges in schema util, ledger, members, catalog, orders, rebate, audit
  revoke all on tables from public;

grant usage on schema ledger, members, catalog, orders, rebate, audit to service_role;

-- ---------------------------------------------------------------------------
-- Search path: every SECURITY DEFINER function pins `set search_path = ''`
-- and schema-qualifies everything. Internal helpers (not definer, executable
-- by no client) run inside those, so they inherit the empty path; they carry
-- no SET clause, which would cost a GUC save/restore per call and keep SQL
-- helpers such as util.pct from being inlined on the payment path.

-- ---------------------------------------------------------------------------
-- Validation helpers. Errors use errcode 22023 (invalid_parameter_value), the
-- field path in COLUMN and "<field>: <reason>" as the message, worded like
-- src/domain/validate.ts so the API and replay print the same text.

create or replace function util.fail(p_field text, p_reason text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using
    errcode = '22023',
    message = p_field || ': ' || p_reason,
    column = p_field;
end
$$;

/** Field paths: join('lines', 0) = 'lines[0]', join('queue', 'x') = 'queue.x'. */
create or replace function util.join(p_path text, p_key text) returns text
language sql immutable
set search_path = ''
as $$ select case when coalesce(p_path, '') = '' then p_key else p_path || '.' || p_key end $$;

create or replace function util.join(p_path text, p_index integer) returns text
language sql immutable
set search_path = ''
as $$ select coalesce(p_path, '') || '[' || p_index || ']' $$;

create or replace function util.expect_object(p_value jsonb, p_field text) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'object' then
    perform util.fail(p_field, 'must be an object');
  end if;
  return p_value;
end
$$;

/** Refuses keys outside p_allowed, naming the first unknown one. */
create or replace function util.only_keys(p_obj jsonb, p_allowed text[], p_path text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  select k into v_key from jsonb_object_keys(p_obj) as k where k <> all (p_allowed) limit 1;
  if v_key is not null then
    perform util.fail(util.join(p_path, v_key), 'unknown field');
  end if;
end
$$;

create or replace function util.expect_string(p_value jsonb, p_field text, p_max integer default 64) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v text;
begin
  if p_value is null or jsonb_typeof(p_value) <> 'string' then
    perform util.fail(p_field, 'must be a string');
  end if;
  v := p_value #>> '{}';
  if v = '' then
    perform util.fail(p_field, 'must not be empty');
  end if;
  if char_length(v) > p_max then
    perform util.fail(p_field, 'must be at most ' || p_max || ' characters');
  end if;
  return v;
end
$$;

/** Ids are short printable tokens: letters, digits, _ . : - */
create or replace function util.expect_id(p_value jsonb, p_field text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v text := util.expect_string(p_value, p_field, 64);
begin
  if v !~ '^[A-Za-z0-9_.:-]+$' then
    perform util.fail(p_field, 'must contain only letters, digits, _ . : -');
  end if;
  return v;
end
$$;

create or replace function util.expect_boolean(p_value jsonb, p_field text) returns boolean
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'boolean' then
    perform util.fail(p_field, 'must be true or false');
  end if;
  return (p_value #>> '{}')::boolean;
end
$$;

/** An amount in fen: a JSON integer, 0..10_000_000_000 (src/domain/money.ts MAX_FEN). */
create or replace function util.expect_fen(p_value jsonb, p_field text) returns bigint
language plpgsql immutable
set search_path = ''
as $$
declare
  v numeric;
begin
  if p_value is null or jsonb_typeof(p_value) <> 'number' then
    perform util.fail(p_field, 'must be an integer amount in fen');
  end if;
  v := (p_value #>> '{}')::numeric;
  if v <> trunc(v) then
    perform util.fail(p_field, 'must be a whole number of fen');
  end if;
  if v < 0 then
    perform util.fail(p_field, 'must not be negative');
  end if;
  if v > 10000000000 then
    perform util.fail(p_field, 'must be at most 10000000000 fen');
  end if;
  return v::bigint;
end
$$;

create or replace function util.expect_count(p_value jsonb, p_field text, p_max bigint default 1000000) returns bigint
language plpgsql immutable
set search_path = ''
as $$
declare
  v numeric;
begin
  if p_value is null or jsonb_typeof(p_value) <> 'number' then
    perform util.fail(p_field, 'must be a whole number');
  end if;
  v := (p_value #>> '{}')::numeric;
  if v <> trunc(v) then
    perform util.fail(p_field, 'must be a whole number');
  end if;
  if v < 0 then
    perform util.fail(p_field, 'must not be negative');
  end if;
  if v > p_max then
    perform util.fail(p_field, 'must be at most ' || p_max);
  end if;
  return v::bigint;
end
$$;

/** A percentage string, 0..10000 with at most 2 decimals ("12.5"); numbers are a wrong type. */
create or replace function util.is_ratio(p_text text) returns boolean
language sql immutable
set search_path = ''
as $$ select p_text ~ '^\d{1,5}(\.\d{1,2})?$' and p_text::numeric <= 10000 $$;

create or replace function util.expect_ratio(p_value jsonb, p_field text) returns numeric
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'string' then
    perform util.fail(p_field, 'must be a percentage string such as "12.5"');
  end if;
  if not util.is_ratio(p_value #>> '{}') then
    perform util.fail(p_field, 'must be a percentage from 0 to 10000 with at most 2 decimals');
  end if;
  return (p_value #>> '{}')::numeric;
end
$$;

create or replace function util.expect_enum(p_value jsonb, p_allowed text[], p_field text) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'string' or (p_value #>> '{}') <> all (p_allowed) then
    perform util.fail(p_field, 'must be one of ' ||
      (select string_agg('"' || a || '"', ', ' order by o) from unnest(p_allowed) with ordinality as t(a, o)));
  end if;
  return p_value #>> '{}';
end
$$;

create or replace function util.expect_array(p_value jsonb, p_field text, p_max integer default 1000) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'array' then
    perform util.fail(p_field, 'must be an array');
  end if;
  if jsonb_array_length(p_value) > p_max then
    perform util.fail(p_field, 'must have at most ' || p_max || ' items');
  end if;
  return p_value;
end
$$;

/** "HH:MM", 00:00..23:59. */
create or replace function util.expect_clock(p_value jsonb, p_field text) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'string' or (p_value #>> '{}') !~ '^([01]\d|2[0-3]):[0-5]\d$' then
    perform util.fail(p_field, 'must be a time "HH:MM"');
  end if;
  return p_value #>> '{}';
end
$$;

/** An ISO 8601 instant with an explicit offset or Z. */
create or replace function util.expect_instant(p_value jsonb, p_field text) returns timestamptz
language plpgsql stable
set search_path = ''
as $$
declare
  v text;
  m text[];
begin
  if p_value is null or jsonb_typeof(p_value) <> 'string' then
    perform util.fail(p_field, 'must be an ISO 8601 time string');
  end if;
  v := p_value #>> '{}';
  m := regexp_match(v, '^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$');
  if m is null then
    perform util.fail(p_field, 'must be an ISO 8601 time with an offset, e.g. 2026-01-01T10:00:00+08:00');
  end if;
  -- Postgres accepts 24:00 and leap seconds; the domain validator does not.
  if m[4]::int > 23 or m[5]::int > 59 or coalesce(m[6], '0')::int > 59 then
    perform util.fail(p_field, 'is not a valid calendar time');
  end if;
  begin
    return v::timestamptz;
  exception when others then
    perform util.fail(p_field, 'is not a valid calendar time');
  end;
end
$$;

/** Shanghai local date and minute of an instant (fixed UTC+8, no DST since 1991). */
create or replace function util.local_day(p_at timestamptz) returns date
language sql immutable
set search_path = ''
as $$ select (p_at at time zone interval '+08:00')::date $$;

create or replace function util.local_minute(p_at timestamptz) returns integer
language sql immutable
set search_path = ''
as $$
  select (extract(hour from p_at at time zone interval '+08:00') * 60
        + extract(minute from p_at at time zone interval '+08:00'))::integer
$$;

/** amount × ratio%, rounded half up (amounts are never negative). */
create or replace function util.pct(p_amount bigint, p_ratio numeric) returns bigint
language sql immutable
set search_path = ''
as $$ select round(p_amount::numeric * p_ratio / 100)::bigint $$;

/** A ratio as the domain prints it: no trailing zeros ("130.00" → "130"). */
create or replace function util.ratio_text(p_ratio numeric) returns text
language sql immutable
set search_path = ''
as $$ select trim_scale(p_ratio)::text $$;
