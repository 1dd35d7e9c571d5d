-- Admin actions: the operator's own session (auth.*) and the base settings
-- of SPEC §8 (settings.*). Settings are validated and merged by the engine's
-- own rebate.update_settings (0003): one rule, one place; its field names
-- are re-raised under `patch.` so the error names the request field.

-- ---------------------------------------------------------------- auth

create or replace function admin.auth_me(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  o ops.operators;
begin
  select * into o from ops.operators where id = ops.authorize('signedIn');
  return jsonb_build_object('operator', ops.profile_json(o));
end
$$;

create or replace function admin.auth_sign_out(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('signedIn');
  update ops.sessions set revoked_at = now() where id = (ops.claims() ->> 'session_id')::uuid and revoked_at is null;
  perform ops.audit('auth.signOut', 'operator', ops.current_operator()::text, null, null);
  return jsonb_build_object('ok', true);
end
$$;

/** The caller's bcrypt hash, for the edge function to compare the old password (auth.changePassword). */
create or replace function ops.my_password_hash() returns text
language sql stable
security definer
set search_path = ''
as $$ select password_hash from ops.operators where id = ops.authorize('signedIn') $$;

/** p = {passwordHash} made by the edge function after it checked the old password. Other sessions end. */
create or replace function admin.auth_change_password(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me uuid := ops.authorize('signedIn');
begin
  if coalesce(p ->> 'passwordHash', '') !~ '^\$2[aby]\$\d\d\$.{53}$' then
    perform util.fail('newPassword', 'must be a bcrypt hash');
  end if;
  update ops.operators set password_hash = p ->> 'passwordHash', updated_at = now() where id = v_me;
  update ops.sessions set revoked_at = now()
   where operator_id = v_me and revoked_at is null and id <> (ops.claims() ->> 'session_id')::uuid;
  perform ops.audit('auth.changePassword', 'operator', v_me::text, null, null);
  return jsonb_build_object('ok', true);
end
$$;

-- ---------------------------------------------------------------- settings

/** The mall settings beside the engine's (app.site_content) as the contract's SiteSettings. */
create or replace function ops.site_settings() returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'withdrawRule', coalesce((select value from app.site_content where key = 'withdrawRule'),
                             '{"minAmount": 100, "maxAmount": 199999, "feeRatio": "0", "minFee": 0}'),
    'orderPayMinutes', coalesce((select (value #>> '{}')::int from app.site_content where key = 'orderPayMinutes'), 30),
    'refundReview', coalesce((select (value #>> '{}')::boolean from app.site_content where key = 'refundReview'), false))
$$;

/** Validates a SiteSettings patch (fields named `site.…`) and returns the merged SiteSettings. */
create or replace function ops.site_after(p_site jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v jsonb := ops.site_settings();
  w jsonb;
begin
  if p_site is null or jsonb_typeof(p_site) = 'null' then
    return v;
  end if;
  perform util.expect_object(p_site, 'site');
  perform util.only_keys(p_site, array['withdrawRule', 'orderPayMinutes', 'refundReview'], 'site');
  if p_site ? 'withdrawRule' then
    w := p_site -> 'withdrawRule';
    perform util.expect_object(w, 'site.withdrawRule');
    perform util.only_keys(w, array['minAmount', 'maxAmount', 'feeRatio', 'minFee'], 'site.withdrawRule');
    w := (v -> 'withdrawRule') || w;
    perform util.expect_fen(w -> 'minAmount', 'site.withdrawRule.minAmount');
    perform util.expect_fen(w -> 'maxAmount', 'site.withdrawRule.maxAmount');
    perform util.expect_ratio(w -> 'feeRatio', 'site.withdrawRule.feeRatio');
    perform util.expect_fen(w -> 'minFee', 'site.withdrawRule.minFee');
    if (w ->> 'minAmount')::bigint < 1 then
      perform util.fail('site.withdrawRule.minAmount', 'must be at least 1');
    end if;
    if (w ->> 'maxAmount')::bigint < (w ->> 'minAmount')::bigint then
      perform util.fail('site.withdrawRule.maxAmount', 'must be at least minAmount');
    end if;
    if (w ->> 'feeRatio')::numeric > 100 then
      perform util.fail('site.withdrawRule.feeRatio', 'must be at most 100');
    end if;
    v := jsonb_set(v, '{withdrawRule}', w);
  end if;
  if p_site ? 'orderPayMinutes' then
    if util.expect_count(p_site -> 'orderPayMinutes', 'site.orderPayMinutes', 1440) < 5 then
      perform util.fail('site.orderPayMinutes', 'must be at least 5');
    end if;
    v := jsonb_set(v, '{orderPayMinutes}', p_site -> 'orderPayMinutes');
  end if;
  if p_site ? 'refundReview' then
    perform util.expect_boolean(p_site -> 'refundReview', 'site.refundReview');
    v := jsonb_set(v, '{refundReview}', p_site -> 'refundReview');
  end if;
  return v;
end
$$;

/** The settings a patch would give (validated and merged exactly as rebate.update_settings does), fields under `patch.`. */
create or replace function ops.settings_after(p_patch jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_col text;
  v_msg text;
begin
  begin
    if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
      perform util.fail('', 'must be an object');
    end if;
    return rebate.settings_after_patch(rebate.current_settings(), p_patch);
  exception when sqlstate '22023' then
    get stacked diagnostics v_col = column_name, v_msg = message_text;
    perform ops.prefixed_field_error('patch', v_col, v_msg);
  end;
end
$$;

create or replace function admin.settings_get(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewSettings');
  return jsonb_build_object('settings', rebate.current_settings(), 'site', ops.site_settings(),
    'defaults', rebate.default_settings(), 'updatedAt', (select updated_at from rebate.settings where id));
end
$$;

create or replace function admin.settings_preview(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_after jsonb;
  v_site jsonb;
begin
  perform ops.authorize('canEditSettings');
  v_after := ops.settings_after(p -> 'patch');
  v_site := ops.site_after(p -> 'site');
  return jsonb_build_object(
    'diff', ops.diff_json(jsonb_build_object('settings', rebate.current_settings(), 'site', ops.site_settings()),
                          jsonb_build_object('settings', v_after, 'site', v_site)),
    'after', v_after, 'siteAfter', v_site);
end
$$;

/**
 * Saves a settings patch through the engine (rebate.update_settings: its
 * audit row in audit.settings_changes carries the operator id as actor)
 * and the site settings, and appends one console audit entry with the
 * before/after of both.
 */
create or replace function admin.settings_update(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me uuid := ops.authorize('canEditSettings');
  v_before jsonb;
  v_after jsonb;
  v_site jsonb;
  v_audit bigint;
  k text;
begin
  perform 1 from rebate.settings where id for update;
  v_before := jsonb_build_object('settings', rebate.current_settings(), 'site', ops.site_settings());
  perform ops.settings_after(p -> 'patch'); -- validation with request field names
  v_site := ops.site_after(p -> 'site');
  if (p -> 'patch') <> '{}' then
    perform rebate.update_settings(p -> 'patch', v_me::text);
  end if;
  for k in select jsonb_object_keys(coalesce(p -> 'site', '{}')) loop
    insert into app.site_content (key, value, updated_at) values (k, v_site -> k, now())
    on conflict (key) do update set value = excluded.value, updated_at = now();
  end loop;
  v_after := jsonb_build_object('settings', rebate.current_settings(), 'site', ops.site_settings());
  v_audit := ops.audit('settings.update', 'settings', null, v_before, v_after);
  return jsonb_build_object('settings', v_after -> 'settings', 'site', v_after -> 'site',
    'diff', ops.diff_json(v_before, v_after), 'auditId', v_audit::text);
end
$$;

/** One-click: queue rebate on for every existing product ({Q}.enabled = true). */
create or replace function admin.settings_enable_all_products(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ids text[];
begin
  perform ops.authorize('canEditSettings');
  with changed as (
    update catalog.products set queue = queue || '{"enabled": true}', updated_at = now()
     where (queue -> 'enabled') is distinct from 'true'::jsonb
    returning id)
  select coalesce(array_agg(id order by id), '{}') into v_ids from changed;
  perform ops.audit('settings.enableAllProducts', 'product', null, null, jsonb_build_object('enabled', v_ids));
  return jsonb_build_object('updated', cardinality(v_ids));
end
$$;
