// What must hold in a database after any fault, as SQL reads returning the
// offending rows (each list empty when all is well).
import type postgres from 'postgres';

type Sql = postgres.Sql;

/** Ledger: every transfer sums to zero; tracked balances equal their postings and are not negative unless allowed. */
export async function ledgerProblems(sql: Sql): Promise<string[]> {
  const rows = await sql<{ problem: string }[]>`
    select 'transfer ' || t.idempotency_key || ' sums to ' || sum(e.amount) as problem
    from ledger.transfers t join ledger.entries e on e.transfer_id = t.id
    group by t.id having sum(e.amount) <> 0
    union all
    select 'transfer ' || t.idempotency_key || ' has no postings' from ledger.transfers t
    where not exists (select 1 from ledger.entries e where e.transfer_id = t.id)
    union all
    select 'account ' || a.code || ' balance ' || a.balance || ' <> postings ' || coalesce(sum(e.amount), 0)
    from ledger.accounts a left join ledger.entries e on e.account_id = a.id
    where a.tracks_balance group by a.id having a.balance <> coalesce(sum(e.amount), 0)
    union all
    select 'account ' || code || ' negative ' || balance from ledger.accounts where balance < 0 and not allow_negative`;
  return rows.map((r) => r.problem);
}

/**
 * Nothing partial: an app order is paid (or later) exactly when the core has
 * the order, its lines, their journal lines and the payment's ledger
 * transfer, and an entry for each journal line applied (the queue processor
 * may apply them later); an unpaid / closed one has none of them.
 */
export async function partialProblems(sql: Sql): Promise<string[]> {
  const rows = await sql<{ problem: string }[]>`
    with o as (
      select a.id, a.status, a.core_settled,
        (select count(*) from orders.orders c where c.id = a.id) as core,
        (select count(*) from orders.lines l where l.order_id = a.id) as lines,
        (select count(*) from rebate.entries e where e.order_id = a.id) as entries,
        (select count(*) from rebate.queue_ops q where q.order_id = a.id and q.kind = 'line') as line_ops,
        (select count(*) from rebate.queue_ops q where q.order_id = a.id and q.kind = 'line' and q.processed_at is not null) as applied_line_ops,
        (select count(*) from ledger.transfers t where t.idempotency_key = 'pay:' || a.id) as pay_transfers,
        (select count(*) from app.order_lines ol where ol.order_id = a.id) as app_lines
      from app.orders a)
    select 'order ' || id || ' ' || status || ': core ' || core || ', lines ' || lines || '/' || app_lines
           || ', entries ' || entries || ', journal ' || line_ops || ' (' || applied_line_ops || ' applied)' || ', pay transfers ' || pay_transfers as problem
    from o
    where case when status in ('paid', 'completed', 'refunding', 'refunded')
            then core <> 1 or lines <> app_lines or line_ops <> lines or entries <> applied_line_ops or pay_transfers <> 1
            else core <> 0 or lines <> 0 or entries <> 0 or line_ops <> 0 or pay_transfers <> 0 end
    union all
    select 'core order ' || c.id || ' ' || c.status || ' but app order ' || coalesce(a.status, 'missing')
    from orders.orders c left join app.orders a on a.id = c.id
    where a.status is distinct from c.status and not coalesce(a.status = 'refunding' and c.status = 'paid', false)`;
  return rows.map((r) => r.problem);
}

/**
 * The queues: seqs 1..n without gaps or repeats; every journal operation
 * applied once, in one global order (applied_seq); each queue's reserve a
 * chain through its operations (before = the previous after) ending at the
 * reserve account's balance; entry order = the order their lines were applied.
 * With `settled`, every operation must have been applied (no backlog).
 */
export async function queueProblems(sql: Sql, opts: { settled: boolean }): Promise<string[]> {
  const rows = await sql<{ problem: string }[]>`
    select 'queue ' || q.key || ': seqs ' || count(e.*) || ' entries, max ' || coalesce(max(e.seq), 0) || ', distinct ' || count(distinct e.seq) as problem
    from rebate.queues q join rebate.entries e on e.queue_id = q.id
    group by q.id having count(*) <> max(e.seq) or count(distinct e.seq) <> count(*) or min(e.seq) <> 1
    union all
    select 'applied_seq ' || applied_seq || ' used ' || count(*) || ' times' from rebate.queue_ops
    where applied_seq is not null group by applied_seq having count(*) > 1
    union all
    select 'operation ' || order_id || '/' || line || ' ' || kind || ' ' || count(*) || ' times' from rebate.queue_ops
    group by order_id, line, kind having count(*) > 1
    union all
    select 'queue ' || key || ': reserve chain broken at ' || order_id || '/' || line || ' ' || kind || ' (' || reserve_before || ' after ' || prev_after || ')'
    from (
      select q.key, o.order_id, o.line, o.kind, o.reserve_before,
             lag(o.reserve_after) over (partition by o.queue_id order by o.applied_seq) as prev_after
      from rebate.queue_ops o join rebate.queues q on q.id = o.queue_id
      where o.applied_seq is not null and o.reserve_before is not null) c
    where prev_after is not null and prev_after <> reserve_before
    union all
    select 'queue ' || q.key || ': reserve account ' || coalesce(a.balance, 0) || ' <> last journal reserve ' || last.reserve_after
    from rebate.queues q
    join lateral (select reserve_after from rebate.queue_ops o where o.queue_id = q.id and o.applied_seq is not null and o.reserve_after is not null
                  order by o.applied_seq desc limit 1) last on true
    left join ledger.accounts a on a.code = 'reserve:' || q.key
    where coalesce(a.balance, 0) <> last.reserve_after
    union all
    select 'queue ' || q.key || ': entry seq ' || e.seq || ' of ' || e.order_id || ' out of the order its line was applied'
    from rebate.entries e join rebate.queues q on q.id = e.queue_id
    join rebate.queue_ops o on o.order_id = e.order_id and o.line = e.line and o.kind = 'line'
    where o.applied_seq is not null and e.seq <> (
      select count(*) from rebate.entries e2 join rebate.queue_ops o2 on o2.order_id = e2.order_id and o2.line = e2.line and o2.kind = 'line'
      where e2.queue_id = e.queue_id and o2.applied_seq <= o.applied_seq)
    union all
    select 'operation ' || order_id || '/' || line || ' ' || kind || ' not applied' from rebate.queue_ops
    where ${opts.settled} and processed_at is null`;
  return rows.map((r) => r.problem);
}

export async function allProblems(sql: Sql, opts: { settled: boolean }): Promise<string[]> {
  return [...(await ledgerProblems(sql)), ...(await partialProblems(sql)), ...(await queueProblems(sql, opts))];
}
