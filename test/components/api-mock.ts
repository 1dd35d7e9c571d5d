// Stand-in for src/services/api used by screen tests: `callApi` answers from
// per-test handlers; ApiError/errorText behave like the real module.
import type { ApiAction, ApiRequest, ApiResponse } from '@contract';
import { ApiError } from '@/services/api-error';

export { ApiError };

type Handler<A extends ApiAction> = ApiResponse<A> | ApiError | ((params: ApiRequest<A>) => ApiResponse<A> | Promise<ApiResponse<A>>) | 'pending';
export type Handlers = { [A in ApiAction]?: Handler<A> };

let handlers: Handlers = {};

export const callApi = jest.fn(async (action: ApiAction, params: unknown) => {
  const h = handlers[action] as unknown;
  if (h === undefined) throw new ApiError(`未模拟的接口 ${action}`, 500);
  if (h === 'pending') return new Promise(() => {});
  if (h instanceof ApiError) throw h;
  if (typeof h === 'function') return (h as (p: unknown) => unknown)(params);
  return h;
});

export function setHandlers(next: Handlers): void {
  handlers = next;
  callApi.mockClear();
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return '出错了，请稍后再试';
}

export const ensureSession = jest.fn(async () => ({}));
export const login = jest.fn(async () => ({}));
export const logout = jest.fn();
export const setPendingInvite = jest.fn();
export const messageForStatus = (s: number) => `status ${s}`;

/** Calls of one action, in order. */
export function callsOf(action: ApiAction): unknown[] {
  return callApi.mock.calls.filter((c) => c[0] === action).map((c) => c[1]);
}
