// 16 connections pay, complete and refund 2,400 orders at once, mostly on
// one hot queue (half of them through orders.pay_order, half through the
// deferred path: orders.record_payment, then rebate.apply_pending); then the
// sweeper; then the invariants, checked by replaying
// the queue journal (rebate.queue_ops in applied order) against a small
// reference walk and by reconciling every ledger balance:
// - every allocation is exactly what the queue rule gives at that point of
//   the journal (queue order, reserve first, same order skipped, frozen vs
//   available), so no entry is paid beyond its entitlement or out of turn;
// - every fen extracted is paid to an entry, held in a reserve or kept;
// - no negative balance, postings sum to zero per transfer and currency;
// - wallets, reserves, kept, absorbed, escrows and revenue equal the sums
//   implied by entries, payouts and orders;
// - every line's payment lands in exactly one place (extraction, commission,
//   merchant, supplier, revenue); merchants' and suppliers' accounts equal
//   the shares of their paid / completed lines.
import { connect, createTestDatabase, type Sql, type TestDatabase } from '../../scripts/db/database';

jest.setTimeout(600_000);

const CLIENTS = 16;
const ORDERS_PER_CLIENT = 150;
const USERS = 40;
const START = Date.parse('2026-03-01T00:00:00+08:00');

/** Deterministic pseudo-random numbers (mulberry32), one stream per client. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function iso(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

const RETRYABLE = new Set(['40P01', '40001', '55P03']);

async function withRetry(fn: () => Promise<unknown>, stats: { retries: number }): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fn();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!RETRYABLE.has(code) || attempt > 20) throw error;
      stats.retries++;
    }
  }
}

interface Workload {
  settings: Record<string, unknown>;
}

async function setUp(sql: Sql, settings: Record<string, unknown>): Promise<void> {
  await sql`select rebate.update_settings(${sql.json(settings as never)}, 'test')`;
  await sql`select catalog.upsert_product(${sql.json({ id: 'hot', price: 10000, source: 'self', cost: 5000 })})`;
  await sql`select catalog.upsert_product(${sql.json({ id: 'p2', price: 5000, source: 'supplier', cost: 3000, supplier: 'acme', queue: { independentRatio: '130', extractRatio: '30' } })})`;
  await sql`select catalog.upsert_product(${sql.json({ id: 'p3', price: 8000, source: 'self', cost: 3000, queue: { independentRatio: '50' } })})`;
  await sql`select catalog.upsert_store(${sql.json({ id: 's1', commission: '10', queue: { defaultRatio: '110', extractRatio: '20' } })})`;
  await sql`select catalog.upsert_store_product(${sql.json({ id: 'sp1', store: 's1', price: 3000, cost: 1000 })})`;
  await sql`select catalog.upsert_cashier(${sql.json({ id: 'c1', store: 's1' })})`;
  for (let u = 1; u <= USERS; u++) await sql`select members.upsert_member(${sql.json({ id: `u${u}` })})`;
}

async function runClients(url: string, seed: number): Promise<{ orders: number; completes: number; refunds: number; retries: number }> {
  const conns = Array.from({ length: CLIENTS }, () => connect(url));
  const stats = { orders: 0, completes: 0, refunds: 0, retries: 0 };
  let clock = 0;
  try {
    await Promise.all(
      conns.map(async (sql, c) => {
        const random = rng(seed * 1000 + c);
        const open: { id: string; atMs: number }[] = [];
        for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
          const id = `o${c}-${i}`;
          const user = `u${1 + Math.floor(random() * USERS)}`;
          const atMs = START + ++clock * 1000;
          const paid = () => 100 + Math.floor(random() * 20000);
          const r = random();
          const order =
            r < 0.7
              ? { id, user, at: iso(atMs), lines: [{ product: 'hot', paid: paid() }] }
              : r < 0.8
                ? { id, user, at: iso(atMs), lines: [{ product: 'hot', paid: paid() }, { product: 'p2', paid: paid() }, { storeProduct: 'sp1', paid: paid() }] }
                : r < 0.9
                  ? { id, user, at: iso(atMs), cashier: 'c1', paid: paid() }
                  : { id, user, at: iso(atMs), lines: [{ product: 'p3', paid: paid() }, { product: 'hot', paid: paid() }] };
          if (c % 2 === 0) {
            await withRetry(() => sql`select orders.pay_order(${sql.json(order as never)})`, stats);
          } else {
            // The deferred path: the short payment transaction, then the processor once it committed.
            await withRetry(() => sql`select orders.record_payment(${sql.json(order as never)})`, stats);
            await withRetry(() => sql`select rebate.apply_pending(${id})`, stats);
          }
          stats.orders++;
          open.push({ id, atMs });
          const next = random();
          if (open.length > 3 && next < 0.4) {
            const [o] = open.splice(Math.floor(random() * open.length), 1);
            const fn = next < 0.3 ? 'complete' : 'refund';
            const at = iso(o.atMs + 86_400_000);
            await withRetry(
              () => (fn === 'complete' ? sql`select orders.complete_order(${o.id}, ${at}::timestamptz)` : sql`select orders.refund_order(${o.id}, ${at}::timestamptz)`),
              stats,
            );
            if (fn === 'complete') stats.completes++;
            else stats.refunds++;
          }
        }
      }),
    );
  } finally {
    await Promise.all(conns.map((s) => s.end({ timeout: 5 })));
  }
  return stats;
}

type Row = Record<string, any>;
const n = (v: unknown) => Number(v);

interface SimEntry {
  id: number;
  queue: number;
  order: string;
  member: string;
  entitlement: number;
  seq: number | null;
  paid: number;
  status: string;
  completed: boolean;
}

/** Replays the journal of every queue against the reference walk; returns the problems found. */
async function checkJournal(sql: Sql): Promise<string[]> {
  const problems: string[] = [];
  const fail = (msg: string) => {
    if (problems.length < 20) problems.push(msg);
  };
  const entries = await sql<Row[]>`select * from rebate.entries order by id`;
  const ops = await sql<Row[]>`select * from rebate.queue_ops order by applied_seq`;
  const payouts = await sql<Row[]>`select * from rebate.payouts order by id`;
  const queues = await sql<Row[]>`select q.id, q.key, q.next_seq, ledger.balance('reserve:' || q.key) as reserve,
    ledger.balance('kept:' || q.key) as kept from rebate.queues q`;

  const sim = new Map<number, SimEntry>();
  const entryOfLine = new Map<string, number>();
  for (const e of entries) {
    sim.set(n(e.id), { id: n(e.id), queue: n(e.queue_id), order: e.order_id, member: e.member_id, entitlement: n(e.entitlement), seq: null, paid: 0, status: 'pending', completed: false });
    entryOfLine.set(`${e.order_id}|${e.line}`, n(e.id));
  }
  const joinedLines = new Set(
    (await sql<Row[]>`select order_id, line from orders.lines where joins`).map((l) => `${l.order_id}|${l.line}`),
  );
  const payoutsByOp = new Map<number, Row[]>();
  for (const p of payouts) {
    const list = payoutsByOp.get(n(p.op_id)) ?? [];
    list.push(p);
    payoutsByOp.set(n(p.op_id), list);
  }
  const queueState = new Map<number, { nextSeq: number; reserve: number; kept: number }>();
  for (const q of queues) queueState.set(n(q.id), { nextSeq: 1, reserve: 0, kept: 0 });
  const byQueue = (q: number) => [...sim.values()].filter((e) => e.queue === q);
  const creditFrozen = new Map<string, number>(); // per order: frozen payouts to its entries

  for (const op of ops) {
    if (op.processed_at === null) {
      fail(`op ${op.id} still pending`);
      continue;
    }
    const q = queueState.get(n(op.queue_id))!;
    const mine = byQueue(n(op.queue_id));
    if (op.kind === 'line') {
      const key = `${op.order_id}|${op.line}`;
      const id = entryOfLine.get(key);
      if (joinedLines.has(key) !== (id !== undefined)) fail(`line ${key}: entry planned ${joinedLines.has(key)}, created ${id !== undefined}`);
      if (id !== undefined) {
        const e = sim.get(id)!;
        if (e.queue !== n(op.queue_id)) fail(`entry ${id} joined queue ${e.queue}, its line's operation is in ${op.queue_id}`);
        e.seq = q.nextSeq++;
        e.status = e.entitlement === 0 ? 'done' : 'waiting';
      }
    } else if (op.kind === 'complete') {
      for (const e of mine) if (e.order === op.order_id) e.completed = true;
    } else if (op.kind === 'cancel') {
      let moved = 0;
      for (const e of mine) {
        if (e.order !== op.order_id || e.status === 'cancelled') continue;
        e.status = 'cancelled';
        moved += e.paid;
      }
      if (n(op.reserve_before) !== q.reserve || n(op.to_reserve) !== moved) fail(`cancel op ${op.id}: reserve ${op.reserve_before}/${op.to_reserve}, expected ${q.reserve}/${moved}`);
      q.reserve += moved;
    }
    if (op.amount !== null) {
      const x = n(op.amount);
      const expected: { entry: number; amount: number; fromReserve: number; fromExtraction: number; frozen: boolean }[] = [];
      if (n(op.reserve_before) !== q.reserve) fail(`allocate op ${op.id}: reserve before ${op.reserve_before}, expected ${q.reserve}`);
      let toKept = 0;
      if (op.paused) {
        toKept = x;
      } else {
        const eligible = mine
          .filter((e) => e.status === 'waiting' && e.paid < e.entitlement && e.order !== op.order_id)
          .sort((a, b) => (op.queue_order === 'completedFirst' ? Number(b.completed) - Number(a.completed) : 0) || a.seq! - b.seq!);
        let reserve = q.reserve;
        let rest = x;
        for (const e of eligible) {
          if (reserve + rest === 0) break;
          const need = e.entitlement - e.paid;
          const fromReserve = Math.min(reserve, need);
          const fromExtraction = Math.min(rest, need - fromReserve);
          reserve -= fromReserve;
          rest -= fromExtraction;
          e.paid += fromReserve + fromExtraction;
          if (e.paid === e.entitlement) e.status = 'done';
          expected.push({ entry: e.id, amount: fromReserve + fromExtraction, fromReserve, fromExtraction, frozen: !e.completed });
        }
        q.reserve = reserve;
        if (op.empty_funds === 'reserve') q.reserve += rest;
        else toKept = rest;
      }
      q.kept += toKept;
      const actual = (payoutsByOp.get(n(op.id)) ?? []).map((p) => ({
        entry: n(p.entry_id),
        amount: n(p.amount),
        fromReserve: n(p.from_reserve),
        fromExtraction: n(p.from_extraction),
        frozen: p.frozen as boolean,
      }));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        fail(`allocate op ${op.id} (${op.queue_order}) paid ${JSON.stringify(actual)}, the queue rule gives ${JSON.stringify(expected)}`);
      }
      if (n(op.reserve_after) !== q.reserve || n(op.to_kept) !== toKept) fail(`allocate op ${op.id}: after ${op.reserve_after}/${op.to_kept}, expected ${q.reserve}/${toKept}`);
      for (const p of expected) {
        if (!p.frozen) continue;
        const order = sim.get(p.entry)!.order;
        creditFrozen.set(order, (creditFrozen.get(order) ?? 0) + p.amount);
      }
    }
  }

  for (const e of entries) {
    const s = sim.get(n(e.id))!;
    if (s.seq !== n(e.seq) || s.paid !== n(e.paid) || s.status !== e.status || s.completed !== e.order_completed) {
      fail(`entry ${e.id}: ${e.seq}/${e.paid}/${e.status}/${e.order_completed}, journal gives ${s.seq}/${s.paid}/${s.status}/${s.completed}`);
    }
    if (n(e.paid) > n(e.entitlement)) fail(`entry ${e.id} paid beyond its entitlement`);
  }
  for (const q of queues) {
    const s = queueState.get(n(q.id))!;
    if (s.reserve !== n(q.reserve)) fail(`queue ${q.key}: reserve ${q.reserve}, journal gives ${s.reserve}`);
    if (s.kept !== n(q.kept)) fail(`queue ${q.key}: kept ${q.kept}, journal gives ${s.kept}`);
    if (s.nextSeq !== n(q.next_seq)) fail(`queue ${q.key}: next seq ${q.next_seq}, journal gives ${s.nextSeq}`);
  }
  return problems;
}

/** Ledger-wide reconciliation; returns the problems found. */
async function checkLedger(sql: Sql): Promise<string[]> {
  const problems: string[] = [];
  const rows = async (label: string, query: Promise<Row[]>) => {
    const r = await query;
    if (r.length) problems.push(`${label}: ${JSON.stringify(r.slice(0, 5))}`);
  };
  await rows('transfers not summing to zero', sql`
    select e.transfer_id, a.currency, sum(e.amount) from ledger.entries e join ledger.accounts a on a.id = e.account_id
    group by 1, 2 having sum(e.amount) <> 0`);
  await rows('negative balances', sql`select code, balance from ledger.accounts where not allow_negative and balance < 0`);
  await rows('balances differing from their postings', sql`
    select a.code, a.balance, coalesce(sum(e.amount), 0) as posted from ledger.accounts a
    left join ledger.entries e on e.account_id = a.id where a.tracks_balance
    group by a.id having a.balance <> coalesce(sum(e.amount), 0)`);
  await rows('wallets differing from payouts', sql`
    with expected as (
      select m.id,
        coalesce(sum(p.amount) filter (where o.status = 'paid' and p.frozen), 0) as frozen,
        coalesce(sum(p.amount) filter (where not p.frozen or (p.frozen and o.status = 'completed')), 0) as available
      from members.members m
      left join rebate.entries e on e.member_id = m.id
      left join orders.orders o on o.id = e.order_id
      left join rebate.payouts p on p.entry_id = e.id
      group by m.id)
    select x.id, x.frozen, x.available, ledger.balance('wallet:' || x.id || ':frozen') as f,
           ledger.balance('wallet:' || x.id || ':available') as a
    from expected x
    where x.frozen <> ledger.balance('wallet:' || x.id || ':frozen')
       or x.available <> ledger.balance('wallet:' || x.id || ':available')`);
  await rows('entries paid differing from their payouts', sql`
    select e.id, e.paid, coalesce(sum(p.amount), 0) from rebate.entries e left join rebate.payouts p on p.entry_id = e.id
    group by e.id having e.paid <> coalesce(sum(p.amount), 0)`);
  await rows('escrows differing from orders', sql`
    select o.id, o.status, ledger.balance('escrow:order:' || o.id) as escrow,
           o.paid - coalesce((select sum(amount) from rebate.queue_ops op where op.order_id = o.id and op.amount is not null), 0) as open_amount
    from orders.orders o
    where ledger.balance('escrow:order:' || o.id) <> case when o.status = 'paid'
      then o.paid - coalesce((select sum(amount) from rebate.queue_ops op where op.order_id = o.id and op.amount is not null), 0)
        - (select sum(l.merchant) from orders.lines l where l.order_id = o.id)
      else 0 end`);
  // Settlement (0012): every fen of every line lands in exactly one place.
  await rows('lines whose shares do not add up to what was paid', sql`
    select l.order_id, l.line, l.kind, l.paid, l.extraction, l.commission, l.merchant, l.supply from orders.lines l
    join catalog.products p on l.kind = 'product' and p.id = l.item_id
    where l.commission <> 0 or l.merchant <> 0 or l.supply <> case when p.source = 'supplier' then p.cost else 0 end
    union all
    select l.order_id, l.line, l.kind, l.paid, l.extraction, l.commission, l.merchant, l.supply from orders.lines l
    join catalog.stores st on st.id = l.store_id
    where l.kind <> 'product' and (l.supply <> 0 or l.supplier_id is not null
      or l.commission <> least(round(l.paid * st.commission / 100), l.paid - l.extraction)
      or l.extraction + l.commission + l.merchant <> l.paid)`);
  await rows('merchants differing from their store lines', sql`
    select st.id, ledger.balance('merchant:' || st.id || ':frozen') as frozen, ledger.balance('merchant:' || st.id || ':available') as available
    from catalog.stores st
    where ledger.balance('merchant:' || st.id || ':frozen') <> coalesce((select sum(l.merchant) from orders.lines l
            join orders.orders o on o.id = l.order_id where l.store_id = st.id and o.status = 'paid'), 0)
       or ledger.balance('merchant:' || st.id || ':available') <> coalesce((select sum(l.merchant) from orders.lines l
            join orders.orders o on o.id = l.order_id where l.store_id = st.id and o.status = 'completed'), 0)
       or ledger.balance('revenue:store:' || st.id) <> coalesce((select sum(l.commission) from orders.lines l
            join orders.orders o on o.id = l.order_id where l.store_id = st.id and o.status = 'completed'), 0)`);
  await rows('suppliers differing from completed supplier lines', sql`
    select a.code, a.balance from ledger.accounts a
    where a.code like 'supplier:%' and a.balance <> coalesce((select sum(l.supply) from orders.lines l
      join orders.orders o on o.id = l.order_id where o.status = 'completed' and 'supplier:' || l.supplier_id || ':available' = a.code), 0)`);
  await rows('extraction not accounted for', sql`
    select q.key,
      sum(op.amount) as extracted,
      (select coalesce(sum(p.from_extraction), 0) from rebate.payouts p where p.queue_id = q.id) as to_entries,
      sum(op.to_reserve) as to_reserve, sum(op.to_kept) as kept
    from rebate.queues q join rebate.queue_ops op on op.queue_id = q.id and op.amount is not null
    group by q.id
    having sum(op.amount) <> (select coalesce(sum(p.from_extraction), 0) from rebate.payouts p where p.queue_id = q.id)
      + sum(op.to_reserve) + sum(op.to_kept)`);
  await rows('reserves not explained', sql`
    select q.key, ledger.balance('reserve:' || q.key) as reserve
    from rebate.queues q
    where ledger.balance('reserve:' || q.key) <>
      coalesce((select sum(op.to_reserve) from rebate.queue_ops op where op.queue_id = q.id), 0)
      - coalesce((select sum(p.from_reserve) from rebate.payouts p where p.queue_id = q.id), 0)`);
  await rows('absorbed not equal to refunded extractions', sql`
    select q.key from rebate.queues q
    where -ledger.balance('absorbed:' || q.key) <> coalesce((
      select sum(op.amount) from rebate.queue_ops op join orders.orders o on o.id = op.order_id
      where op.queue_id = q.id and op.amount is not null and o.status = 'refunded'), 0)`);
  await rows('revenue not equal to completed sales less extraction and supply prices', sql`
    select (select balance from ledger.accounts where code = 'revenue:mall') as mall,
      (select coalesce(sum(l.paid - l.extraction - l.supply), 0) from orders.lines l join orders.orders o on o.id = l.order_id
       where o.status = 'completed' and l.kind = 'product') as expected
    where (select balance from ledger.accounts where code = 'revenue:mall') <>
      (select coalesce(sum(l.paid - l.extraction - l.supply), 0) from orders.lines l join orders.orders o on o.id = l.order_id
       where o.status = 'completed' and l.kind = 'product')`);
  await rows('world not the mirror of everything else', sql`
    select (select coalesce(sum(e.amount), 0) from ledger.entries e join ledger.accounts a on a.id = e.account_id where a.code = 'world') as world,
      (select coalesce(sum(balance), 0) from ledger.accounts where currency = 'CNY' and tracks_balance) as others
    where (select coalesce(sum(e.amount), 0) from ledger.entries e join ledger.accounts a on a.id = e.account_id where a.code = 'world')
      <> -(select coalesce(sum(balance), 0) from ledger.accounts where currency = 'CNY' and tracks_balance)`);
  await rows('lines whose entry never joined', sql`
    select l.order_id, l.line from orders.lines l
    where l.joins and not exists (select 1 from rebate.entries e where e.order_id = l.order_id and e.line = l.line)`);
  // References kept by the engine functions instead of foreign keys (0005).
  await rows('orphan rows', sql`
    select 'line without order' as what, l.order_id as id from orders.lines l
      where not exists (select 1 from orders.orders o where o.id = l.order_id)
    union all select 'entry without line', e.id::text from rebate.entries e
      where not exists (select 1 from orders.lines l where l.order_id = e.order_id and l.line = e.line)
    union all select 'entry of another member', e.id::text from rebate.entries e
      join orders.orders o on o.id = e.order_id where o.member_id <> e.member_id
    union all select 'operation without line', op.id::text from rebate.queue_ops op
      where not exists (select 1 from orders.lines l where l.order_id = op.order_id and l.line = op.line)
    union all select 'payout without operation or entry', p.id::text from rebate.payouts p
      where not exists (select 1 from rebate.queue_ops op where op.id = p.op_id)
         or not exists (select 1 from rebate.entries e where e.id = p.entry_id and e.queue_id = p.queue_id)
    union all select 'posting without transfer', e.id::text from ledger.entries e
      where not exists (select 1 from ledger.transfers t where t.id = e.transfer_id)
         or not exists (select 1 from ledger.accounts a where a.id = e.account_id)`);
  await rows('seq numbers repeated in a queue', sql`
    select queue_id, seq from rebate.entries group by 1, 2 having count(*) > 1`);
  return problems;
}

const WORKLOADS: [string, Workload][] = [
  ['strict, settle on payment, leftovers to the platform', { settings: {} }],
  ['completedFirst, leftovers to the reserve', { settings: { queueOrder: 'completedFirst', emptyQueueFunds: 'reserve' } }],
];

describe.each(WORKLOADS)('%s', (_name, workload) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('concurrency');
  });
  afterAll(async () => {
    await db?.drop();
  });

  test(`${CLIENTS} clients, ${CLIENTS * ORDERS_PER_CLIENT} orders, then the sweeper: every invariant holds`, async () => {
    await setUp(db.sql, workload.settings);
    const seed = workload.settings.queueOrder ? 2 : 1;
    const stats = await runClients(db.url, seed);
    expect(stats.orders).toBe(CLIENTS * ORDERS_PER_CLIENT);

    // Operations left behind by busy queues: applied by the sweeper.
    const pendingBefore = n((await db.sql`select count(*) as c from rebate.queue_ops where processed_at is null`)[0].c);
    let swept = 0;
    for (;;) {
      const [{ n: done }] = await db.sql<{ n: number }[]>`select rebate.process_pending() as n`;
      if (done === 0) break;
      swept += done;
    }
    expect(swept).toBe(pendingBefore);
    // The concurrent path ran: operations were applied by another
    // transaction than their own, in an order other than their ids.
    const [{ c: reordered }] = await db.sql<{ c: string }[]>`
      select count(*) as c from (
        select id, applied_seq, lag(id) over (partition by queue_id order by applied_seq) as prev from rebate.queue_ops) t
      where prev > id`;
    expect(pendingBefore + n(reordered)).toBeGreaterThan(0);

    const problems = [...(await checkJournal(db.sql)), ...(await checkLedger(db.sql))];
    expect(problems).toEqual([]);

    const [{ payouts }] = await db.sql<{ payouts: string }[]>`select count(*) as payouts from rebate.payouts`;
    expect(n(payouts)).toBeGreaterThan(1000);
    // The settlement checks above had money to check: the merchant and the supplier were credited.
    const [{ merchant, supplier }] = await db.sql<{ merchant: string; supplier: string }[]>`
      select ledger.balance('merchant:s1:frozen') + ledger.balance('merchant:s1:available') as merchant,
             ledger.balance('supplier:acme:available') as supplier`;
    expect(n(merchant)).toBeGreaterThan(0);
    expect(n(supplier)).toBeGreaterThan(0);
    console.log(`${_name}: ${JSON.stringify({ ...stats, pendingBefore, reordered: n(reordered), payouts: n(payouts) })}`);
  });
});
