-- Base settings of the queue rebate plugin (SPEC §8): one row of jsonb with
-- the shape of src/domain/settings.ts (`Settings`), validated here exactly as
-- validateSettingsPatch / mergeSettings do, every change audited.

-- ---------------------------------------------------------------------------
-- Validators shared by settings and per-item queue configs.

create or replace function util.validate_level_ratios(p_value jsonb, p_field text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  r record;
begin
  perform util.expect_object(p_value, p_field);
  for r in select key, value from jsonb_each(p_value) loop
    perform util.expect_ratio(r.value, util.join(p_field, r.key));
  end loop;
end
$$;

create or replace function util.validate_tiers(p_value jsonb, p_field text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  r record;
  v_path text;
begin
  perform util.expect_array(p_value, p_field, 50);
  for r in select value, ord - 1 as i from jsonb_array_elements(p_value) with ordinality as t(value, ord) loop
    v_path := util.join(p_field, r.i::int);
    perform util.expect_object(r.value, v_path);
    perform util.only_keys(r.value, array['days', 'minSpend', 'ratio'], v_path);
    if util.expect_count(r.value -> 'days', util.join(v_path, 'days'), 3660) < 1 then
      perform util.fail(util.join(v_path, 'days'), 'must be at least 1');
    end if;
    perform util.expect_count(r.value -> 'minSpend', util.join(v_path, 'minSpend'), 10000000000);
    perform util.expect_ratio(r.value -> 'ratio', util.join(v_path, 'ratio'));
  end loop;
end
$$;

create or replace function util.validate_lottery(p_value jsonb, p_field text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  v_kind text;
  v_ratios jsonb;
  v_weights jsonb;
  v_count integer;
  r record;
begin
  if p_value is not null and jsonb_typeof(p_value) = 'null' then
    return;
  end if;
  perform util.expect_object(p_value, p_field);
  v_kind := util.expect_enum(p_value -> 'kind', array['fixed', 'range'], util.join(p_field, 'kind'));
  if v_kind = 'fixed' then
    perform util.only_keys(p_value, array['kind', 'ratios', 'weights'], p_field);
    v_ratios := util.expect_array(p_value -> 'ratios', util.join(p_field, 'ratios'), 100);
    for r in select value, ord - 1 as i from jsonb_array_elements(v_ratios) with ordinality as t(value, ord) loop
      perform util.expect_ratio(r.value, util.join(util.join(p_field, 'ratios'), r.i::int));
    end loop;
    v_count := jsonb_array_length(v_ratios);
    if v_count = 0 then
      perform util.fail(util.join(p_field, 'ratios'), 'must not be empty');
    end if;
    if (select count(distinct (value #>> '{}')::numeric) from jsonb_array_elements(v_ratios)) <> v_count then
      perform util.fail(util.join(p_field, 'ratios'), 'must not repeat a ratio');
    end if;
    if not p_value ? 'weights' then
      return;
    end if;
    v_weights := util.expect_array(p_value -> 'weights', util.join(p_field, 'weights'), 100);
    for r in select value, ord - 1 as i from jsonb_array_elements(v_weights) with ordinality as t(value, ord) loop
      perform util.expect_count(r.value, util.join(util.join(p_field, 'weights'), r.i::int), 1000000);
    end loop;
    if jsonb_array_length(v_weights) <> v_count then
      perform util.fail(util.join(p_field, 'weights'), 'must have one weight per ratio');
    end if;
    if not exists (select 1 from jsonb_array_elements(v_weights) w where (w #>> '{}')::numeric <> 0) then
      perform util.fail(util.join(p_field, 'weights'), 'must not all be 0');
    end if;
    return;
  end if;
  perform util.only_keys(p_value, array['kind', 'min', 'max'], p_field);
  if util.expect_ratio(p_value -> 'min', util.join(p_field, 'min'))
     > util.expect_ratio(p_value -> 'max', util.join(p_field, 'max')) then
    perform util.fail(util.join(p_field, 'max'), 'must not be below min');
  end if;
end
$$;

/** "daily HH:MM" | "weekly D HH:MM" | "monthly D HH:MM" (D ≤ 28) | an ISO time. */
create or replace function util.validate_schedule(p_value jsonb, p_field text) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  s text := util.expect_string(p_value, p_field, 40);
begin
  if s ~ '^daily ([01]\d|2[0-3]):[0-5]\d$'
     or s ~ '^weekly [1-7] ([01]\d|2[0-3]):[0-5]\d$'
     or s ~ '^monthly ([1-9]|1\d|2[0-8]) ([01]\d|2[0-3]):[0-5]\d$' then
    return;
  end if;
  if s ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$' then
    begin
      perform s::timestamptz;
      return;
    exception when others then
      null;
    end;
  end if;
  perform util.fail(p_field, 'must be "daily HH:MM", "weekly D HH:MM", "monthly D HH:MM" or an ISO time');
end
$$;

/** An extraction ratio: a ratio of at most 100 (an order never gives more than it paid). */
create or replace function util.expect_extract_ratio(p_value jsonb, p_field text) returns numeric
language plpgsql immutable
set search_path = ''
as $$
declare
  v numeric := util.expect_ratio(p_value, p_field);
begin
  if v > 100 then
    perform util.fail(p_field, 'must be at most 100');
  end if;
  return v;
end
$$;

-- ---------------------------------------------------------------------------

/** DEFAULT_SETTINGS of src/domain/settings.ts (a db test keeps them equal). */
create or replace function rebate.default_settings() returns jsonb
language sql immutable
set search_path = ''
as $$
  select $json${
    "mode": "classic",
    "enabled": true,
    "newProductsDefaultOn": true,
    "deductionOrders": "join",
    "settleOn": "paid",
    "queueOrder": "strict",
    "name": "排队返利",
    "exchangeButtonName": "兑换",
    "extractRatio": "10",
    "defaultRatio": "100",
    "memberLevelRatios": {},
    "lottery": null,
    "exchangeRatio": {"points": "100", "love": "100", "coupon": "100"},
    "loveFrozen": false,
    "mallQueue": false,
    "allStoresQueue": false,
    "allCashiersQueue": false,
    "randomReturn": {"on": false, "cashCount": 1, "pointsCount": 0},
    "clearing": {"on": false, "schedule": "daily 00:00"},
    "paused": false,
    "display": {"queueId": true, "progress": true, "cumulativeReward": true,
                "pendingReward": true, "memberInfo": true, "pendingAmount": true},
    "emptyQueueFunds": "platform",
    "afterSalesDays": 7,
    "unionQuotaRatio": "110",
    "unionPoolRatio": "60",
    "unionDailyAt": "00:05",
    "distribution": {"on": false, "base": "paid", "directRatio": "0", "indirectRatio": "0",
                     "levelDifference": false, "sameLevelRatio": "0", "dividendRatio": "0",
                     "dividendPeriod": "monthly", "dividendSplit": "equal", "recruitRatio": "0",
                     "accelerationRatio": "0", "cap": "100"}
  }$json$::jsonb
$$;

create table rebate.settings (
  id boolean primary key default true check (id),
  value jsonb not null,
  updated_at timestamptz not null default now()
);
insert into rebate.settings (value) values (rebate.default_settings());

create table audit.settings_changes (
  id bigint generated always as identity primary key,
  actor text not null check (char_length(actor) between 1 and 200),
  at timestamptz not null default now(),
  before jsonb not null,
  after jsonb not null,
  patch jsonb not null
);

create trigger settings_changes_append_only before update or delete on audit.settings_changes
  for each row execute function ledger.refuse_change();
create trigger settings_changes_no_truncate before truncate on audit.settings_changes
  for each statement execute function ledger.refuse_change();

/** Checks one value of a settings patch: p_field is its full path. */
create or replace function rebate.validate_setting(p_key text, p_sub text, p_value jsonb, p_field text) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  case coalesce(p_key || '.' || p_sub, p_key)
    when 'mode' then perform util.expect_enum(p_value, array['classic', 'union'], p_field);
    when 'enabled' then perform util.expect_boolean(p_value, p_field);
    when 'newProductsDefaultOn' then perform util.expect_boolean(p_value, p_field);
    when 'deductionOrders' then perform util.expect_enum(p_value, array['join', 'noJoin'], p_field);
    when 'settleOn' then perform util.expect_enum(p_value, array['paid', 'completed'], p_field);
    when 'queueOrder' then perform util.expect_enum(p_value, array['strict', 'completedFirst'], p_field);
    when 'name' then perform util.expect_string(p_value, p_field, 20);
    when 'exchangeButtonName' then perform util.expect_string(p_value, p_field, 10);
    when 'extractRatio' then perform util.expect_extract_ratio(p_value, p_field);
    when 'defaultRatio' then perform util.expect_ratio(p_value, p_field);
    when 'memberLevelRatios' then perform util.validate_level_ratios(p_value, p_field);
    when 'lottery' then perform util.validate_lottery(p_value, p_field);
    when 'loveFrozen' then perform util.expect_boolean(p_value, p_field);
    when 'mallQueue' then perform util.expect_boolean(p_value, p_field);
    when 'allStoresQueue' then perform util.expect_boolean(p_value, p_field);
    when 'allCashiersQueue' then perform util.expect_boolean(p_value, p_field);
    when 'paused' then perform util.expect_boolean(p_value, p_field);
    when 'emptyQueueFunds' then perform util.expect_enum(p_value, array['platform', 'reserve'], p_field);
    when 'afterSalesDays' then perform util.expect_count(p_value, p_field, 365);
    when 'unionQuotaRatio' then perform util.expect_ratio(p_value, p_field);
    when 'unionPoolRatio' then perform util.expect_ratio(p_value, p_field);
    when 'unionDailyAt' then perform util.expect_clock(p_value, p_field);
    when 'exchangeRatio.points', 'exchangeRatio.love', 'exchangeRatio.coupon' then
      perform util.expect_ratio(p_value, p_field);
    when 'randomReturn.on' then perform util.expect_boolean(p_value, p_field);
    when 'randomReturn.cashCount', 'randomReturn.pointsCount' then perform util.expect_count(p_value, p_field, 1000);
    when 'clearing.on' then perform util.expect_boolean(p_value, p_field);
    when 'clearing.schedule' then perform util.validate_schedule(p_value, p_field);
    when 'display.queueId', 'display.progress', 'display.cumulativeReward', 'display.pendingReward',
         'display.memberInfo', 'display.pendingAmount' then
      perform util.expect_boolean(p_value, p_field);
    when 'distribution.on', 'distribution.levelDifference' then perform util.expect_boolean(p_value, p_field);
    when 'distribution.base' then perform util.expect_enum(p_value, array['paid', 'profit'], p_field);
    when 'distribution.directRatio', 'distribution.indirectRatio', 'distribution.sameLevelRatio',
         'distribution.dividendRatio', 'distribution.recruitRatio', 'distribution.accelerationRatio',
         'distribution.cap' then
      perform util.expect_ratio(p_value, p_field);
    when 'distribution.dividendPeriod' then perform util.expect_enum(p_value, array['monthly', 'weekly'], p_field);
    when 'distribution.dividendSplit' then perform util.expect_enum(p_value, array['equal', 'weighted'], p_field);
    else perform util.fail(p_field, 'unknown field');
  end case;
end
$$;

/** The nested settings objects: merged key by key. */
create or replace function rebate.nested_setting_keys() returns text[]
language sql immutable
set search_path = ''
as $$ select array['exchangeRatio', 'randomReturn', 'clearing', 'display', 'distribution'] $$;

/** validateSettingsPatch: names the first bad field (22023). */
create or replace function rebate.validate_settings_patch(p_patch jsonb) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  r record;
  s record;
begin
  perform util.expect_object(p_patch, 'settings');
  for r in select key, value from jsonb_each(p_patch) loop
    if r.key = any (rebate.nested_setting_keys()) then
      perform util.expect_object(r.value, r.key);
      for s in select key, value from jsonb_each(r.value) loop
        perform rebate.validate_setting(r.key, s.key, s.value, util.join(r.key, s.key));
      end loop;
    else
      perform rebate.validate_setting(r.key, null, r.value, r.key);
    end if;
  end loop;
end
$$;

/**
 * Features the engines do not implement yet are refused, as the model does
 * (src/domain/engine/unsupported.ts), rather than silently ignored.
 */
create or replace function rebate.refuse_unsupported_settings(p_patch jsonb) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  -- Nothing is refused at the moment (union mode arrived in 0009_union.sql);
  -- the hook stays for the next feature.
  null;
end
$$;

/** mergeSettings: nested objects merge key by key, everything else replaces. */
create or replace function rebate.merge_settings(p_current jsonb, p_patch jsonb) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
declare
  v jsonb;
begin
  select coalesce(jsonb_object_agg(k, case
           when k = any (rebate.nested_setting_keys()) and jsonb_typeof(p_patch -> k) = 'object'
                and jsonb_typeof(p_current -> k) = 'object'
             then (p_current -> k) || (p_patch -> k)
           when p_patch ? k then p_patch -> k
           else p_current -> k end), '{}')
  into v
  from (select jsonb_object_keys(p_current) union select jsonb_object_keys(p_patch)) as keys(k);
  if (v #>> '{randomReturn,on}')::boolean
     and (v #>> '{randomReturn,cashCount}')::int + (v #>> '{randomReturn,pointsCount}')::int < 1 then
    perform util.fail('randomReturn.cashCount', 'cashCount + pointsCount must be at least 1');
  end if;
  return v;
end
$$;

create or replace function rebate.current_settings() returns jsonb
language sql stable
security definer
set search_path = ''
as $$ select value from rebate.settings where id $$;

/** The `settings` event: validate, merge, store, audit. Returns the new settings. */
/**
 * The settings a patch gives over p_current, every rule of a settings change
 * checked here once (field validation, unsupported options, the mode chosen
 * at setup): rebate.update_settings saves it, the console previews it.
 */
create or replace function rebate.settings_after_patch(p_current jsonb, p_patch jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  perform rebate.validate_settings_patch(p_patch);
  perform rebate.refuse_unsupported_settings(p_patch);
  perform rebate.check_mode_change(p_current, p_patch); -- 0009_union.sql: the mode is chosen at setup
  return rebate.merge_settings(p_current, p_patch);
end
$$;

create or replace function rebate.update_settings(p_patch jsonb, p_actor text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before jsonb;
  v_after jsonb;
begin
  if p_actor is null or char_length(p_actor) not between 1 and 200 then
    perform util.fail('actor', 'must be a non-empty name of at most 200 characters');
  end if;
  select value into v_before from rebate.settings where id for update;
  v_after := rebate.settings_after_patch(v_before, p_patch);
  update rebate.settings set value = v_after, updated_at = now() where id;
  insert into audit.settings_changes (actor, before, after, patch) values (p_actor, v_before, v_after, p_patch);
  return v_after;
end
$$;

alter table rebate.settings enable row level security;
alter table audit.settings_changes enable row level security;
revoke all on rebate.settings, audit.settings_changes from public, anon, authenticated;
grant select on rebate.settings, audit.settings_changes to service_role;
revoke all on function rebate.update_settings(jsonb, text), rebate.current_settings(), rebate.settings_after_patch(jsonb, jsonb) from public, anon, authenticated;
grant execute on function rebate.update_settings(jsonb, text), rebate.current_settings() to service_role;
