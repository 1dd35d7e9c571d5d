-- Outbox: subscribe messages the jobs function sends, and payouts turned into notifications.

/** Pending subscribe messages with the recipient's openid (jobs sends them). */
create or replace function app.outbox_pending(p_limit integer default 100)
returns table (id bigint, openid text, kind text, page text, data jsonb)
language sql stable
security definer
set search_path = ''
as $$
  select o.id, pr.openid, o.kind, o.page, o.data
  from app.outbox o join app.profiles pr on pr.member_id = o.member_id
  where o.status = 'pending' and o.attempts < 5
  order by o.id limit p_limit
$$;

create or replace function app.outbox_result(p_id bigint, p_status text, p_error text) returns void
language sql
security definer
set search_path = ''
as $$
  update app.outbox set
    status = case when p_status = 'sent' then 'sent' when p_status = 'skipped' then 'skipped'
                  when attempts + 1 >= 5 then 'failed' else 'pending' end,
    attempts = attempts + 1, last_error = p_error, sent_at = case when p_status = 'sent' then now() end
  where id = p_id
$$;

/**
 * New payouts since the last run become notifications: payout received,
 * and entry done when it filled up. Watermark in app.job_state.
 */
create or replace function app.notify_payouts(p_limit integer default 500) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from bigint;
  v_to bigint;
  r record;
  n integer := 0;
begin
  insert into app.job_state (key, value) values ('payouts', 0) on conflict do nothing;
  select value into v_from from app.job_state where key = 'payouts' for update;
  v_to := v_from;
  for r in
    select po.id, po.amount, po.frozen, e.id as entry_id, e.member_id, e.status, e.entitlement, q.key
    from rebate.payouts po join rebate.entries e on e.id = po.entry_id join rebate.queues q on q.id = e.queue_id
    where po.id > v_from order by po.id limit p_limit
  loop
    perform app.notify(r.member_id, 'payoutReceived', '收到队列返还',
      format('%s 返还 ¥%s%s', app.queue_name(r.key), to_char(r.amount / 100.0, 'FM999999999990.00'),
             case when r.frozen then '（订单完成后可提现）' else '' end),
      '/packages/queue/pages/entry/index?id=' || r.entry_id, 'payout:' || r.id);
    if r.status = 'done' then
      perform app.notify(r.member_id, 'entryDone', '排队权益已返完',
        format('%s 的待返权益 ¥%s 已全部返还。', app.queue_name(r.key), to_char(r.entitlement / 100.0, 'FM999999999990.00')),
        '/packages/queue/pages/entry/index?id=' || r.entry_id, 'done:' || r.entry_id);
    end if;
    v_to := r.id;
    n := n + 1;
  end loop;
  update app.job_state set value = v_to, updated_at = now() where key = 'payouts';
  return n;
end
$$;
