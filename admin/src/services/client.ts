// The one place that builds requests: POST {action, ...params} to the `admin`
// edge function with the operator's bearer (the anon key when signed out, as
// supabase-js does). 4xx/5xx → AdminError with the server's Chinese message
// and the field it names; 401 clears the session (the guard goes to /login).
import { adminFunctionUrl, apiAnonKey } from '../config';
import type { AdminAction, AdminErrorBody, AdminRequest, AdminResponse } from './contract';
import { clearSession, readSession } from './session';

export class AdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null = null,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

const HAN = /[\u4e00-\u9fff]/;

export function messageForStatus(status: number): string {
  if (status === 0) return '网络连接失败，请检查网络后重试';
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '没有权限进行此操作';
  if (status === 404) return '内容不存在';
  if (status === 409) return '状态已变化，请刷新后重试';
  if (status === 429) return '操作太频繁，请稍后再试';
  if (status === 501) return '该功能后端暂未开放';
  if (status >= 500) return '服务繁忙，请稍后再试';
  return '请求有误，请检查后重试';
}

export async function call<A extends AdminAction>(action: A, params?: AdminRequest<A>): Promise<AdminResponse<A>> {
  const session = readSession();
  let res: Response;
  try {
    res = await fetch(adminFunctionUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        apikey: apiAnonKey,
        Authorization: `Bearer ${session?.token ?? apiAnonKey}`,
      },
      body: JSON.stringify({ action, ...(params ?? {}) }),
    });
  } catch {
    throw new AdminError(messageForStatus(0), 0);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = (body as Partial<AdminErrorBody> | null)?.error;
    if (res.status === 401 && action !== 'auth.signIn') clearSession();
    const message = e?.message && HAN.test(e.message) ? e.message : messageForStatus(res.status);
    throw new AdminError(message, res.status, e?.field ?? null, e?.code);
  }
  return body as AdminResponse<A>;
}
