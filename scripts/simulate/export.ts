// The last N days of real orders as a replay stream (SPEC §10 events), for
// the what-if simulator: today's settings, the catalogue and members as they
// are now, then the window's orders, completions and refunds in time order.
// The queues start empty: entries of orders before the window are not in it.
// Draws and exchanges are not exported (seeded in the model, chosen by
// shoppers in production).
import { normalizeRatio } from '../../src/domain/money';
import type { Sql } from '../db/database';

type Event = Record<string, unknown> & { type: string };

const DAY_MS = 86_400_000;
const iso = (d: Date | string) => new Date(d).toISOString();
const fen = (x: unknown) => Number(x);
const ratio = (x: unknown) => (x === null || x === undefined ? undefined : normalizeRatio(String(x)));

/** Drops undefined and null optional fields. */
function compact(o: Event): Event {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Event;
}

export async function exportStream(sql: Sql, days: number, nowMs = Date.now()): Promise<Event[]> {
  const from = new Date(nowMs - days * DAY_MS);
  const out: Event[] = [];
  const [{ s }] = await sql`select rebate.current_settings() as s`;
  out.push({ type: 'settings', ...(s as object) });
  for (const l of await sql`select id, ratio, team_ratio, shareholder, rank, upgrade from catalog.levels order by def_index nulls last, id`) {
    out.push(compact({ type: 'level', id: l.id, ratio: ratio(l.ratio), teamRatio: ratio(l.team_ratio), shareholder: l.shareholder, rank: l.rank, upgrade: l.upgrade }));
  }
  for (const p of await sql`select id, price, source, cost, queue from catalog.products order by id`) {
    out.push({ type: 'product', id: p.id, price: fen(p.price), source: p.source, cost: fen(p.cost), queue: p.queue });
  }
  // Referrers first: by depth in the referral tree, then registration.
  for (const m of await sql`
    with recursive tree as (
      select id, 0 as depth from members.members where referrer_id is null
      union all
      select m.id, t.depth + 1 from members.members m join tree t on m.referrer_id = t.id)
    select m.id, m.level_id, m.referrer_id from members.members m join tree t on t.id = m.id
    order by t.depth, m.created_at, m.id`) {
    out.push(compact({ type: 'user', id: m.id, level: m.level_id, referrer: m.referrer_id }));
  }
  for (const st of await sql`select id, commission, recruiter_id, queue from catalog.stores order by id`) {
    out.push(compact({ type: 'store', id: st.id, commission: ratio(st.commission), recruiter: st.recruiter_id, queue: st.queue }));
  }
  for (const sp of await sql`select id, store_id, price, cost, queue from catalog.store_products order by id`) {
    out.push({ type: 'storeProduct', id: sp.id, store: sp.store_id, price: fen(sp.price), cost: fen(sp.cost), queue: sp.queue });
  }
  for (const c of await sql`select id, store_id, queue from catalog.cashiers order by id`) {
    out.push({ type: 'cashier', id: c.id, store: c.store_id, queue: c.queue });
  }

  const timed: { atMs: number; n: number; event: Event }[] = [];
  let n = 0;
  const orders = await sql`
    select o.id, o.member_id, o.kind, o.at, o.completed_at, o.refunded_at,
           jsonb_agg(jsonb_build_object('kind', l.kind, 'item', l.item_id, 'paid', l.paid, 'deducted', l.deducted,
                                        'randomReturn', l.random_return) order by l.line) as lines
    from orders.orders o join orders.lines l on l.order_id = o.id
    where o.at >= ${from}
    group by o.id order by o.at, o.id`;
  for (const o of orders) {
    const lines = o.lines as { kind: string; item: string; paid: number; deducted: number; randomReturn: string | null }[];
    const at = new Date(o.at);
    const event: Event =
      o.kind === 'cashier'
        ? compact({ type: 'order', id: o.id, user: o.member_id, at: iso(at), cashier: lines[0].item, paid: fen(lines[0].paid),
            deducted: fen(lines[0].deducted) || undefined, randomReturn: lines[0].randomReturn })
        : { type: 'order', id: o.id, user: o.member_id, at: iso(at),
            lines: lines.map((l) => compact({ type: 'line', [l.kind]: l.item, paid: fen(l.paid), deducted: fen(l.deducted) || undefined, randomReturn: l.randomReturn })).map(({ type: _t, ...rest }) => rest) };
    timed.push({ atMs: at.getTime(), n: n++, event });
    if (o.completed_at) timed.push({ atMs: new Date(o.completed_at).getTime(), n: n++, event: { type: 'complete', order: o.id, at: iso(o.completed_at) } });
    if (o.refunded_at) timed.push({ atMs: new Date(o.refunded_at).getTime(), n: n++, event: { type: 'refund', order: o.id, at: iso(o.refunded_at) } });
  }
  timed.sort((a, b) => a.atMs - b.atMs || a.n - b.n);
  for (const t of timed) out.push(t.event);
  return out;
}
