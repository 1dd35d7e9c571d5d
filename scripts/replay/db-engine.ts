// The replay Engine backed by the real Postgres functions: a fresh database
// per engine, one transaction per event, the state read back from the
// tables and the ledger (rebate.replay_state()).
import { normalizeRatio } from '../../src/domain/money';
import type { ReplayEvent } from '../../src/domain/events';
import type { ReplayState } from '../../src/domain/state';
import { ValidationError } from '../../src/domain/validate';
import { createTestDatabase, type Sql } from '../db/database';
import type { Engine } from './engine';

/** Who the settings audit names for replayed changes. */
const REPLAY_ACTOR = 'replay';

type Json = Parameters<Sql['json']>[0];

/** The event's body as the SQL functions take it: no `type`, no derived `atMs`. */
function body(event: ReplayEvent): Json {
  const { type: _type, atMs: _atMs, ...rest } = event as ReplayEvent & { atMs?: number };
  return rest as unknown as Json;
}

/** SQL errors with errcode 22023 carry the field in COLUMN and "<field>: <reason>". */
export function toValidationError(error: unknown): unknown {
  const e = error as { code?: string; column_name?: string; message?: string };
  if (e && e.code === '22023' && typeof e.column_name === 'string' && typeof e.message === 'string') {
    const prefix = `${e.column_name}: `;
    const reason = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    return new ValidationError(e.column_name, reason);
  }
  return error;
}

/**
 * Replay and the what-if simulator draw seeded random bits (lottery draws,
 * random-return permutations): SHA-256 of a label, as the model does.
 */
async function seeded(sql: Sql): Promise<void> {
  await sql`select set_config('rebate.rng', 'seeded', true)`;
}

export async function applyEvent(sql: Sql, event: ReplayEvent): Promise<void> {
  switch (event.type) {
    case 'settings':
      await sql`select rebate.update_settings(${sql.json(event.patch as Json)}, ${REPLAY_ACTOR})`;
      return;
    case 'level':
      await sql`select catalog.upsert_level(${sql.json(body(event))})`;
      return;
    case 'product':
      await sql`select catalog.upsert_product(${sql.json(body(event))})`;
      return;
    case 'store':
      await sql`select catalog.upsert_store(${sql.json(body(event))})`;
      return;
    case 'storeProduct':
      await sql`select catalog.upsert_store_product(${sql.json(body(event))})`;
      return;
    case 'cashier':
      await sql`select catalog.upsert_cashier(${sql.json(body(event))})`;
      return;
    case 'user':
      await sql`select members.upsert_member(${sql.json(body(event))})`;
      return;
    case 'order':
      await seeded(sql);
      await sql`select orders.pay_order(${sql.json(body(event))})`;
      return;
    case 'complete':
      await sql`select orders.complete_order(${event.order}, ${event.at}::timestamptz)`;
      return;
    case 'refund':
      await sql`select orders.refund_order(${event.order}, ${event.at}::timestamptz)`;
      return;
    case 'tick':
      // Every job due up to `at` (clearing, dividends).
      await sql`select rebate.tick(${event.at}::timestamptz)`;
      return;
    case 'draw':
      await seeded(sql);
      await sql`select rebate.draw(${sql.json(body(event))})`;
      return;
    case 'exchange':
      await sql`select rebate.exchange(${sql.json(body(event))})`;
      return;
  }
}

export async function readState(sql: Sql): Promise<ReplayState> {
  const [row] = await sql<{ state: ReplayState }[]>`select rebate.replay_state() as state`;
  const state = row.state;
  return { ...state, entries: state.entries.map((e) => ({ ...e, ratio: normalizeRatio(e.ratio) })) };
}

export async function createDbEngine(): Promise<Engine> {
  const db = await createTestDatabase('replay');
  return {
    async apply(event) {
      try {
        await db.sql.begin((tx) => applyEvent(tx as unknown as Sql, event));
      } catch (error) {
        throw toValidationError(error);
      }
    },
    state: () => readState(db.sql),
    close: () => db.drop(),
  };
}
