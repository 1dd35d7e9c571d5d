// Fingerprints of what money and orders look like in a database, for tests
// that prove a request (or a killed transaction) changed nothing: compare
// the digest before and after.
import type postgres from 'postgres';

/** md5 over every ledger posting, transfer and account balance (with its version). */
export async function ledgerChecksum(sql: postgres.Sql): Promise<string> {
  const [{ sum }] = await sql<{ sum: string }[]>`
    select md5(concat_ws('|',
      (select string_agg(concat_ws(':', id, transfer_id, account_id, amount, previous_balance, current_balance, account_version), ',' order by id)
       from ledger.entries),
      (select string_agg(concat_ws(':', id, idempotency_key, kind), ',' order by id) from ledger.transfers),
      (select string_agg(concat_ws(':', id, code, currency, balance, version), ',' order by id) from ledger.accounts))) as sum`;
  return sum;
}

/**
 * md5 over the rows a request could change besides the ledger: orders and
 * payments (app and core), entries and payouts, withdrawals, refunds,
 * merchant applications, inbox, subscriptions, profiles, listings, anomalies.
 */
export async function stateChecksum(sql: postgres.Sql): Promise<string> {
  const tables = [
    'app.orders', 'app.order_lines', 'app.payments', 'app.refunds', 'app.withdrawals', 'app.payment_anomalies',
    'app.merchant_applications', 'app.inbox', 'app.outbox', 'app.subscriptions', 'app.profiles', 'app.listings',
    'app.stores', 'app.cashiers', 'orders.orders', 'orders.lines', 'rebate.entries', 'rebate.payouts', 'rebate.queue_ops',
    'members.members',
  ];
  const parts = tables.map((t) => `(select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from ${t} x)`);
  const [{ sum }] = await sql.unsafe<{ sum: string }[]>(`select md5(concat_ws('|', ${parts.join(', ')})) as sum`);
  return sum;
}
