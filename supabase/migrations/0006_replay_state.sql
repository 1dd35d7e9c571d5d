-- The replay output (SPEC §10, src/domain/state.ts ReplayState) read from
-- the tables and the ledger, for scripts/replay/db-engine.ts and the
-- what-if simulator. Entries still pending (not yet given a seq) are not
-- shown; callers process the backlog first.

/** Rewards of the replay output; 0008_distribution.sql replaces this stub. */
create or replace function rebate.replay_rewards() returns jsonb
language sql stable
security definer
set search_path = ''
as $$ select '[]'::jsonb $$;

-- plpgsql: its body reads the union tables of 0009_union.sql, resolved when called.
create or replace function rebate.replay_state() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  return (
  with member_accounts as (
    select m.id,
           coalesce(av.balance, 0) as available, coalesce(fr.balance, 0) as frozen,
           coalesce(pt.balance, 0) as points, coalesce(lv.balance, 0) + coalesce(lf.balance, 0) as love, coalesce(cp.balance, 0) as coupons
    from members.members m
    left join ledger.accounts av on av.code = 'wallet:' || m.id || ':available'
    left join ledger.accounts fr on fr.code = 'wallet:' || m.id || ':frozen'
    left join ledger.accounts pt on pt.code = 'points:' || m.id
    left join ledger.accounts lv on lv.code = 'love:' || m.id
    left join ledger.accounts lf on lf.code = 'love:' || m.id || ':frozen' -- loveFrozen (0007_options)
    left join ledger.accounts cp on cp.code = 'coupons:' || m.id
  ),
  queue_accounts as (
    select q.key, coalesce(r.balance, 0) as reserve, coalesce(k.balance, 0) as kept, coalesce(a.balance, 0) as absorbed
    from rebate.queues q
    left join ledger.accounts r on r.code = 'reserve:' || q.key
    left join ledger.accounts k on k.code = 'kept:' || q.key
    left join ledger.accounts a on a.code = 'absorbed:' || q.key
    where q.key <> 'union'
  )
  select jsonb_build_object(
    'entries', coalesce((
      select jsonb_agg(jsonb_build_object(
               'base', e.base, 'entitlement', e.entitlement, 'line', e.line, 'order', e.order_id,
               'paid', e.paid, 'queue', q.key, 'ratio', util.ratio_text(e.ratio), 'seq', e.seq,
               'status', e.status, 'user', e.member_id)
             order by q.key collate "C", e.seq)
      from rebate.entries e join rebate.queues q on q.id = e.queue_id
      where e.seq is not null), '[]') || rebate.replay_union_entries(),
    'wallets', coalesce((select jsonb_object_agg(id, jsonb_build_object('available', available, 'frozen', frozen))
                         from member_accounts), '{}'),
    'points', coalesce((select jsonb_object_agg(id, points) from member_accounts), '{}'),
    'love', coalesce((select jsonb_object_agg(id, love) from member_accounts), '{}'),
    'coupons', coalesce((select jsonb_object_agg(id, coupons) from member_accounts), '{}'),
    'reserves', coalesce((select jsonb_object_agg(key, reserve) from queue_accounts), '{}'),
    -- Settlement (0012_settlement.sql): every store's merchant, every supplier credited or opened.
    'merchants', coalesce((
      select jsonb_object_agg(st.id, jsonb_build_object('available', coalesce(av.balance, 0), 'frozen', coalesce(fr.balance, 0)))
      from catalog.stores st
      left join ledger.accounts av on av.code = 'merchant:' || st.id || ':available'
      left join ledger.accounts fr on fr.code = 'merchant:' || st.id || ':frozen'), '{}'),
    'suppliers', coalesce((
      select jsonb_object_agg(substring(a.code from '^supplier:(.*):available$'), a.balance)
      from ledger.accounts a where a.code like 'supplier:%:available'), '{}'),
    'platform', jsonb_build_object(
      'absorbed', coalesce((select -sum(absorbed) from queue_accounts), 0),
      'kept', coalesce((select sum(kept) from queue_accounts), 0)),
    'rewards', rebate.replay_rewards(),
    'union', jsonb_build_object('pool', rebate.union_pool_balance())));
end
$$;

revoke all on function rebate.replay_state() from public, anon, authenticated;
grant execute on function rebate.replay_state() to service_role;
