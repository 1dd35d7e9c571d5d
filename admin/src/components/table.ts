// ProTable ↔ the admin contract's paging: {current, pageSize, ...filters} →
// {page, pageSize, ...filters} → {data, total, success}. Empty filter values
// are dropped so the server never sees "".
import type { PageReq, PageRes } from '../services/contract';

export function pagedRequest<T, P extends object>(fn: (p: P & PageReq) => Promise<PageRes<T>>, fixed: Partial<P> = {}) {
  return async (params: Record<string, unknown> & { current?: number; pageSize?: number }) => {
    const { current, pageSize, ...rest } = params;
    const filters: Record<string, unknown> = {};
    // Select filters of booleans arrive as 'true' / 'false'.
    for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== null && v !== '') filters[k] = v === 'true' ? true : v === 'false' ? false : v;
    const res = await fn({ ...(filters as P), ...fixed, page: current ?? 1, pageSize: pageSize ?? 20 });
    return { data: res.items, total: res.total, success: true };
  };
}

/** For actions that answer {items} without paging. */
export function listRequest<T>(fn: () => Promise<{ items: T[] }>) {
  return async () => {
    const res = await fn();
    return { data: res.items, total: res.items.length, success: true };
  };
}
