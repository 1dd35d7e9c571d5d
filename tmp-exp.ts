import { connect, loadWaiting, orderJson, seedCatalog, analyze, now } from '/work/wt/payment/scripts/bench/common';
import { createTestDatabase } from '/work/wt/payment/scripts/db/database';
const N = Number(process.env.N || 2000);
(async () => {
  const db = await createTestDatabase('exp');
  const ctx = { memo: new Map(), log: (m: string) => console.error(m) };
  try {
    await seedCatalog(db.sql, 1000);
    await loadWaiting(db.sql, 20000, 1000, ctx);
    await analyze(db.sql);
    const holder = connect(db.url);
    const payer = connect(db.url);
    const [{ id }] = await db.sql`select id from rebate.queues where key = 'mall'`;
    const lsn = async () => (await db.sql`select pg_current_wal_insert_lsn()::text as l`)[0].l as string;
    const diff = async (a: string, b: string) => Number((await db.sql`select pg_wal_lsn_diff(${b}::pg_lsn, ${a}::pg_lsn)::bigint as d`)[0].d);
    const pay = async (tag: string, n: number) => {
      const l0 = await lsn(); const t0 = now();
      for (let i = 0; i < n; i++) await payer`select orders.pay_order(${orderJson(`x-${tag}-${i}`, `bench-u${1 + (i % 1000)}`, new Date(Date.parse('2026-06-01T00:00:00+08:00') + i * 10), 10000)}::text::jsonb)`;
      const t1 = now(); const l1 = await lsn();
      console.log(tag, 'ms/order', ((t1 - t0) / n).toFixed(3), 'WAL B/order', ((await diff(l0, l1)) / n).toFixed(0));
    };
    await pay('warm', 200);
    await pay('inline', N);
    // hold the queue lock: payments only
    await holder.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(7101, ${id}::int)`;
      await pay('payonly', N);
    });
    const l0 = await lsn(); const t0 = now();
    const [{ n }] = await db.sql`select rebate.process_pending(100000) as n`;
    const t1 = now(); const l1 = await lsn();
    console.log('process_pending', n, 'ms/op', ((t1 - t0) / n).toFixed(3), 'WAL B/op', ((await diff(l0, l1)) / n).toFixed(0));
    await holder.end(); await payer.end();
  } finally { await db.drop(); }
})();
