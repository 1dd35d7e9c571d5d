-- Admin actions: every queue with its length, waiting amount, reserve and
-- head; the entries of one queue in payout order; pause / resume one queue;
-- run what is due now (rebate.tick).
--
-- Pausing one queue works like the base setting `paused` for that queue
-- only: an allocation journalled while its queue is paused carries
-- paused = true, so the queue processor keeps its extraction (kept:<queue>)
-- exactly as it does under the global pause (docs/engine-semantics.md).
-- Entries still join. The flag is set on the journal row as it is written
-- (a trigger on rebate.queue_ops), so the processor needs no change and a
-- replay (which never pauses a queue) is unaffected.

create table rebate.queue_pauses (
  queue_id bigint primary key, -- rebate.queues (no FK: hot row)
  paused_at timestamptz not null default now(),
  paused_by uuid references ops.operators (id)
);
alter table rebate.queue_pauses enable row level security;
revoke all on rebate.queue_pauses from public, anon, authenticated;

-- On the payment path: no SET clause (a GUC save/restore per row); everything is schema-qualified.
create or replace function rebate.apply_queue_pause() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from rebate.queue_pauses p where p.queue_id = new.queue_id) then
    new.paused := true;
  end if;
  return new;
end
$$;

-- Only allocations carry the rules in force (paused is not null); a paused
-- base setting already says true.
create trigger queue_ops_queue_pause before insert on rebate.queue_ops
  for each row when (new.paused = false) execute function rebate.apply_queue_pause();

create or replace function ops.queue_json(q rebate.queues) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('key', q.key, 'name', app.queue_name(q.key),
    'waitingCount', (select count(*) from rebate.entries e where e.queue_id = q.id and e.status = 'waiting'),
    'waitingAmount', (select coalesce(sum(e.entitlement - e.paid), 0) from rebate.entries e where e.queue_id = q.id and e.status = 'waiting'),
    'reserve', ops.balance('reserve:' || q.key),
    'head', (select jsonb_build_object('entryId', e.id::text, 'seq', e.seq, 'memberName', ops.member_name(e.member_id),
                                       'entitlement', e.entitlement, 'paid', e.paid)
             from rebate.entries e where e.queue_id = q.id and e.status = 'waiting'
             order by case when rebate.current_settings() ->> 'queueOrder' = 'completedFirst' then not e.order_completed end, e.seq
             limit 1),
    'paused', exists (select 1 from rebate.queue_pauses p where p.queue_id = q.id))
$$;

create or replace function admin.queues_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewQueues');
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.queue_json(q) order by q.id) from rebate.queues q), '[]'),
    'paused', coalesce((rebate.current_settings() ->> 'paused')::boolean, false));
end
$$;

create or replace function admin.queues_entries(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  q rebate.queues;
  v_all boolean := coalesce(p ->> 'status', 'waiting') = 'all';
  v_completed_first boolean := rebate.current_settings() ->> 'queueOrder' = 'completedFirst';
begin
  perform ops.authorize('canViewQueues');
  pg := ops.page(p);
  select * into q from rebate.queues where key = p ->> 'key';
  if not found then perform app.not_found('key', '队列不存在'); end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(ops.entry_json(e) order by o.rn)
                       from (select x.id, row_number() over (order by x.status <> 'waiting',
                                       case when v_completed_first and x.status = 'waiting' then not x.order_completed end, x.seq) as rn
                             from rebate.entries x where x.queue_id = q.id and (v_all or x.status = 'waiting')
                             order by rn limit pg.lim offset pg.off) o
                       join rebate.entries e on e.id = o.id), '[]'),
    'total', (select count(*) from rebate.entries x where x.queue_id = q.id and (v_all or x.status = 'waiting')));
end
$$;

create or replace function admin.queues_set_paused(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me uuid := ops.authorize('canOperateQueues');
  q rebate.queues;
  v_paused boolean;
  v_before boolean;
begin
  v_paused := util.expect_boolean(p -> 'paused', 'paused');
  select * into q from rebate.queues where key = p ->> 'key';
  if not found then perform app.not_found('key', '队列不存在'); end if;
  v_before := exists (select 1 from rebate.queue_pauses where queue_id = q.id);
  if v_paused then
    insert into rebate.queue_pauses (queue_id, paused_by) values (q.id, v_me) on conflict (queue_id) do nothing;
  else
    delete from rebate.queue_pauses where queue_id = q.id;
  end if;
  perform ops.audit('queues.setPaused', 'queue', q.key, jsonb_build_object('paused', v_before), jsonb_build_object('paused', v_paused));
  return jsonb_build_object('key', q.key, 'paused', v_paused);
end
$$;

/** Runs what is due now: clearing on its schedule and distribution dividends (rebate.tick). */
create or replace function admin.queues_run_due(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  perform ops.authorize('canOperateQueues');
  v_result := rebate.tick(now());
  perform ops.audit('queues.runDue', 'queue', null, null, v_result);
  return jsonb_build_object('ran', true, 'at', now(), 'result', v_result);
end
$$;
