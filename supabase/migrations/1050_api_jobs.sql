-- Helpers of the jobs function and the notify handlers.

/**
 * A lease so that overlapping jobs runs (every minute, possibly slow) do not
 * work the same queue twice: true when this caller holds it now.
 */
create or replace function app.jobs_lease(p_holder text, p_seconds integer default 120) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now bigint := extract(epoch from clock_timestamp())::bigint;
begin
  insert into app.job_state (key, value) values ('lease', 0) on conflict do nothing;
  update app.job_state set value = v_now + p_seconds, updated_at = now()
  where key = 'lease' and value < v_now;
  if found then
    insert into app.job_state (key, value) values ('lease-holder:' || p_holder, v_now) on conflict (key) do update set value = excluded.value;
  end if;
  return found;
end
$$;

create or replace function app.jobs_release() returns void
language sql
security definer
set search_path = ''
as $$ update app.job_state set value = 0, updated_at = now() where key = 'lease' $$;

create or replace function app.record_anomaly(p_kind text, p_out_trade_no text, p_transaction_id text, p_detail jsonb) returns void
language sql
security definer
set search_path = ''
as $$
  insert into app.payment_anomalies (kind, out_trade_no, transaction_id, detail)
  values (p_kind, p_out_trade_no, p_transaction_id, coalesce(p_detail, '{}'))
$$;

revoke all on function app.jobs_lease(text, integer), app.jobs_release(), app.record_anomaly(text, text, text, jsonb) from public, anon, authenticated;
grant execute on function app.jobs_lease(text, integer), app.jobs_release(), app.record_anomaly(text, text, text, jsonb) to service_role;
