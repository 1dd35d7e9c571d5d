-- Estimates the shopper sees (SPEC §9): a queue's head and trailing inflow,
-- the Estimate of the contract (util.forecast, 0011_forecast.sql), and when
-- each part of the frozen wallet unlocks.

/**
 * A queue's waiting head, reserve and inflow: waiting entries, their
 * remaining entitlement, the reserve (paid out first at the next
 * allocation) and the extraction offered to it in each of the last 7 days
 * (rebate.queue_inflow: `line` and `allocate` operations, not paused).
 */
create or replace function app.queue_stats(p_key text)
returns table (queue_id bigint, waiting_count bigint, amount_waiting bigint, reserve bigint, inflow_daily bigint[])
language sql stable
security definer
set search_path = ''
as $$
  select q.id,
         (select count(*) from rebate.entries e where e.queue_id = q.id and e.status = 'waiting'),
         (select coalesce(sum(e.entitlement - e.paid), 0) from rebate.entries e where e.queue_id = q.id and e.status = 'waiting')::bigint,
         ledger.balance('reserve:' || q.key),
         rebate.queue_inflow(q.id, now(), 7)
  from rebate.queues q where q.key = p_key
$$;

/**
 * Estimate of the contract: when `p_amount` more fen will have flowed in at
 * the trailing inflow `p_daily`, counted from today (Asia/Shanghai); a
 * paused platform has no estimate. Never a promise: the basis is in words.
 */
create or replace function app.estimate_json(p_amount bigint, p_daily bigint[], p_not_before date default null) returns jsonb
language sql stable
set search_path = ''
as $$
  select util.forecast(p_amount, p_daily, util.local_day(now()), p_not_before,
                       coalesce((rebate.current_settings() ->> 'paused')::boolean, false))
$$;

/**
 * Frozen money of member `p_member` by the local date it unlocks (the end
 * of its order's after-sales period): queue payouts to entries of orders
 * not completed yet, and frozen distribution rewards. Another shopper's
 * order is never named.
 */
create or replace function app.frozen_unlocks(p_member text) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('date', to_char(x.day, 'YYYY-MM-DD'), 'queue', x.queue, 'reward', x.reward,
                                               'amount', x.queue + x.reward) order by x.day nulls last), '[]')
  from (
    select util.local_day(o.complete_due_at) as day,
           coalesce(sum(p.amount) filter (where p.kind = 'queue'), 0)::bigint as queue,
           coalesce(sum(p.amount) filter (where p.kind = 'reward'), 0)::bigint as reward
    from (
      select e.order_id, e.paid as amount, 'queue' as kind
      from rebate.entries e join orders.orders co on co.id = e.order_id
      where e.member_id = p_member and e.paid > 0 and co.status = 'paid'
      union all
      select r.order_id, r.amount, 'reward'
      from distribution.rewards r
      where r.member_id = p_member and r.status = 'frozen'
    ) p
    left join app.orders o on o.id = p.order_id
    group by 1
  ) x
$$;
