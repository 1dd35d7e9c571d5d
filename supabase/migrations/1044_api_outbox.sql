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

-- ---------------------------------------------------------------------------
-- Clearing notifications (SPEC §3.2 / §7: shoppers are notified before and
-- after). The core's clearing (rebate.run_clearing) knows no inbox, so replay
-- is unchanged: the jobs function calls these after rebate.tick.

/** How long before a clearing occurrence its members are told (a documented constant, docs/api.md). */
create or replace function app.clearing_notice_lead() returns interval
language sql immutable
set search_path = ''
as $$ select interval '24 hours' $$;

/**
 * Clearing coming, as of p_at: when clearing is on and its next occurrence t
 * is within the lead (p_at < t <= p_at + lead, and after the clearing mark),
 * every member with a waiting entry gets one clearingSoon message per t
 * (dedupe key member + t), with how many entries and how much is still
 * unpaid. Later calls before t only look at entries created since (watermark
 * in app.job_state), so a member who joins inside the window is told too.
 * Returns the number of messages sent.
 */
create or replace function app.notify_clearing_soon(p_at timestamptz) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  s jsonb;
  v_t timestamptz;
  v_mark timestamptz;
  v_key bigint;
  v_from bigint;
  v_to bigint;
  n integer;
begin
  select value into s from rebate.settings where id;
  if p_at is null or not coalesce((s #>> '{clearing,on}')::boolean, false) then
    return 0;
  end if;
  -- The latest occurrence up to p_at + lead is the next one when it is after p_at (one schedule rule: rebate.latest_occurrence).
  v_t := rebate.latest_occurrence(s #>> '{clearing,schedule}', p_at + app.clearing_notice_lead());
  select clearing_mark into v_mark from rebate.jobs_state where id;
  if v_t is null or v_t <= p_at or (v_mark is not null and v_t <= v_mark) then
    return 0;
  end if;
  v_key := (extract(epoch from v_t) * 1000)::bigint;
  insert into app.job_state (key, value) values ('clearingSoon:at', 0), ('clearingSoon:entry', 0) on conflict do nothing;
  perform 1 from app.job_state where key in ('clearingSoon:at', 'clearingSoon:entry') order by key for update;
  if (select value from app.job_state where key = 'clearingSoon:at') = v_key then
    v_from := (select value from app.job_state where key = 'clearingSoon:entry');
  else
    v_from := 0;
  end if;
  v_to := coalesce((select max(id) from rebate.entries), 0);
  select count(*) into n from (
    select app.notify(w.member_id, 'clearingSoon', '队列奖励即将清零',
      -- Count and amount first: a subscribe message shows the first 20 characters.
      format('%s 笔排队权益待返 ¥%s，将于 %s 清零作废（已到账的返还不受影响）。', w.entries,
             to_char(w.remaining / 100.0, 'FM999999999990.00'), to_char(v_t at time zone interval '+08:00', 'MM-DD HH24:MI')),
      '/pages/queue/index', 'clearingSoon:' || w.member_id || ':' || v_key,
      jsonb_build_object('at', v_t, 'entries', w.entries, 'amount', w.remaining))
    from (
      select e.member_id, count(*) as entries, sum(e.entitlement - e.paid)::bigint as remaining
      from rebate.entries e
      where e.status = 'waiting'
        and e.member_id in (select f.member_id from rebate.entries f where f.status = 'waiting' and f.id > v_from and f.id <= v_to)
      group by e.member_id
      -- Only members not told yet (the dedupe key would drop the rest anyway).
      having not exists (select 1 from app.inbox i where i.dedupe_key = 'clearingSoon:' || e.member_id || ':' || v_key)
    ) w) sent;
  update app.job_state set value = v_key, updated_at = now() where key = 'clearingSoon:at';
  update app.job_state set value = v_to, updated_at = now() where key = 'clearingSoon:entry';
  return n;
end
$$;

/**
 * Clearing done: the entries a clearing voided (status `cleared`, not noted
 * yet) are noted with the clearing mark they were cleared at, and each member
 * gets one clearingDone message per occurrence with the number of entries and
 * the amount voided (entitlement − paid, fen). Works only when the mark moved
 * since the last call. Returns the number of messages sent.
 */
create or replace function app.notify_clearing_done() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_mark timestamptz;
  v_key bigint;
  n integer;
begin
  -- A share lock on the scheduler row: no clearing commits between reading the mark and the entries it cleared.
  select clearing_mark into v_mark from rebate.jobs_state where id for share;
  if v_mark is null then
    return 0;
  end if;
  v_key := (extract(epoch from v_mark) * 1000)::bigint;
  insert into app.job_state (key, value) values ('clearingDone:at', 0) on conflict do nothing;
  if (select value from app.job_state where key = 'clearingDone:at' for update) = v_key then
    return 0;
  end if;
  insert into app.clearing_voided (entry_id, occurrence, member_id, voided)
  select e.id, v_mark, e.member_id, e.entitlement - e.paid
  from rebate.entries e
  where e.status = 'cleared' and not exists (select 1 from app.clearing_voided c where c.entry_id = e.id);
  select count(*) into n from (
    select app.notify(c.member_id, 'clearingDone', '队列奖励已清零',
      format('%s 笔排队权益待返 ¥%s，已于 %s 清零作废（已到账的返还不受影响）。', count(*),
             to_char(sum(c.voided) / 100.0, 'FM999999999990.00'), to_char(v_mark at time zone interval '+08:00', 'MM-DD HH24:MI')),
      '/pages/queue/index', 'clearingDone:' || c.member_id || ':' || v_key,
      jsonb_build_object('at', v_mark, 'entries', count(*), 'amount', sum(c.voided)::bigint))
    from app.clearing_voided c
    where c.occurrence = v_mark
    group by c.member_id) sent;
  update app.job_state set value = v_key, updated_at = now() where key = 'clearingDone:at';
  return n;
end
$$;
