-- Production scheduling, run by `npm run release` after `supabase db push`
-- (psql -v functions_url=… -v service_role_key=… -f scripts/deploy/schedule.sql).
-- Idempotent: re-running replaces the jobs and the Vault secret.
--   rebate-tick  pg_cron, every minute: select rebate.tick(now()) in the database
--   api-jobs     pg_cron + pg_net, every minute: POST <functions_url>/jobs with the
--                service-role key read from Vault (never stored in cron.job)
\set ON_ERROR_STOP on
create extension if not exists pg_cron;
create extension if not exists pg_net;

select rebate.schedule_tick() as rebate_tick_scheduled;

select vault.create_secret(:'service_role_key', 'service_role_key', 'jobs: bearer for pg_net')
where not exists (select 1 from vault.secrets where name = 'service_role_key');
select vault.update_secret(id, :'service_role_key') from vault.secrets where name = 'service_role_key';

select cron.schedule('api-jobs', '* * * * *', format($job$
  select net.http_post(
    url := %L,
    headers := jsonb_build_object('Content-Type', 'application/json',
      'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')),
    body := '{}'::jsonb,
    timeout_milliseconds := 55000)
$job$, :'functions_url' || '/jobs')) as api_jobs_scheduled;

select jobname, schedule, active from cron.job where jobname in ('rebate-tick', 'api-jobs') order by jobname;
