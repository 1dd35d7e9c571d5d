// The model engine: the whole queue rebate rule set in memory, pure and
// synchronous (docs/engine-semantics.md). The replay runner, the what-if
// simulator and the property tests drive it; the SQL engine must agree with
// it byte for byte on every replay.
import type { ReplayEvent } from '../events';
import { seededU48, type RandomSource } from '../random';
import { DEFAULT_SETTINGS } from '../settings';
import type { ReplayState } from '../state';
import { applyCashier, applyLevel, applyProduct, applyStore, applyStoreProduct, applyUser } from './catalogue';
import { emptyDistribution, rewardStates } from './distribution';
import type { Allocation, ModelData, Totals } from './model';
import { applySettings, applyTick, observeClock } from './jobs';
import { applyDraw, applyExchange, loveTotal } from './options';
import { applyComplete, applyOrder, applyRefund } from './orders';
import { refuseUnsupported } from './unsupported';
import { emptyUnion, UNION_QUEUE } from './union';

export type * from './model';

export interface ModelEngineOptions {
  /** Keep the allocation log (payouts, in order) for invariant checks. Default true. */
  log?: boolean;
  /**
   * Source of random bits for lottery draws and random-return groups.
   * Default: seeded from SHA-256 of the choice's label, as replay and the
   * what-if simulator require; production passes `cryptoU48`.
   */
  random?: RandomSource;
}

export class ModelEngine {
  /** Read-only view for checks and reports; only `apply` changes it. */
  readonly data: ModelData;

  constructor(options: ModelEngineOptions = {}) {
    this.data = {
      settings: structuredCloneSettings(),
      levels: new Map(),
      products: new Map(),
      stores: new Map(),
      storeProducts: new Map(),
      cashiers: new Map(),
      users: new Map(),
      orders: new Map(),
      queues: new Map(),
      wallets: new Map(),
      limits: new Map(),
      totals: { extracted: 0, refundedToReserves: 0, kept: 0, absorbed: 0 },
      allocations: options.log === false ? null : [],
      distribution: emptyDistribution(),
      points: new Map(),
      love: new Map(),
      coupons: new Map(),
      merchants: new Map(),
      suppliers: new Map(),
      members: new Map(),
      union: emptyUnion(),
      clockMs: null,
      clearingMarkMs: null,
      random: options.random ?? seededU48,
    };
  }

  /** Applies one validated event. A ValidationError leaves the engine unchanged. */
  apply(event: ReplayEvent): void {
    refuseUnsupported(event);
    this.dispatch(event);
    observeClock(this.data, event);
  }

  private dispatch(event: ReplayEvent): void {
    const data = this.data;
    switch (event.type) {
      case 'settings':
        return applySettings(data, event.patch);
      case 'level':
        return applyLevel(data, event);
      case 'product':
        return applyProduct(data, event);
      case 'store':
        return applyStore(data, event);
      case 'storeProduct':
        return applyStoreProduct(data, event);
      case 'cashier':
        return applyCashier(data, event);
      case 'user':
        return applyUser(data, event);
      case 'order':
        return applyOrder(data, event);
      case 'complete':
        return applyComplete(data, event);
      case 'refund':
        return applyRefund(data, event);
      case 'draw':
        return applyDraw(data, event);
      case 'exchange':
        return applyExchange(data, event);
      case 'tick':
        return applyTick(data, event);
      default:
        throw new Error(`unhandled event type ${(event as ReplayEvent).type}`);
    }
  }

  get allocations(): readonly Allocation[] {
    return this.data.allocations ?? [];
  }

  get totals(): Readonly<Totals> {
    return this.data.totals;
  }

  /** The replay output (SPEC §10); print it with printState. */
  state(): ReplayState {
    const { data } = this;
    const entries: ReplayState['entries'] = [];
    const reserves: Record<string, number> = {};
    for (const queue of data.queues.values()) {
      // Union-mode lines record the key `union`; the union queue has a pool, not a reserve.
      if (queue.key !== UNION_QUEUE) reserves[queue.key] = queue.reserve;
      for (const e of queue.entries) {
        entries.push({
          base: e.base,
          entitlement: e.entitlement,
          line: e.line,
          order: e.order.id,
          paid: e.paid,
          queue: e.queue,
          ratio: e.ratio,
          seq: e.seq,
          status: e.status,
          user: e.user,
        });
      }
    }
    for (const e of data.union.entries) {
      entries.push({
        base: e.base,
        entitlement: e.quota,
        line: e.line,
        order: e.order,
        paid: e.paid,
        queue: UNION_QUEUE,
        ratio: e.ratio,
        seq: e.seq,
        status: e.status,
        user: e.user,
      });
    }
    const wallets: ReplayState['wallets'] = {};
    const points: Record<string, number> = {};
    const love: Record<string, number> = {};
    const coupons: Record<string, number> = {};
    for (const id of data.users.keys()) {
      const w = data.wallets.get(id) ?? { available: 0, frozen: 0 };
      wallets[id] = { available: w.available, frozen: w.frozen };
      points[id] = data.points.get(id) ?? 0;
      love[id] = loveTotal(data, id);
      coupons[id] = data.coupons.get(id) ?? 0;
    }
    const merchants: ReplayState['merchants'] = {};
    for (const [id, m] of data.merchants) merchants[id] = { available: m.available, frozen: m.frozen };
    const suppliers: ReplayState['suppliers'] = {};
    for (const [id, amount] of data.suppliers) suppliers[id] = amount;
    return {
      entries,
      merchants,
      suppliers,
      wallets,
      points,
      love,
      coupons,
      reserves,
      platform: { absorbed: data.totals.absorbed, kept: data.totals.kept },
      rewards: rewardStates(data),
      union: { pool: data.union.pool },
    };
  }
}

function structuredCloneSettings() {
  // Settings are replaced, never mutated in place, but start from a private copy anyway.
  return JSON.parse(JSON.stringify(DEFAULT_SETTINGS)) as typeof DEFAULT_SETTINGS;
}
