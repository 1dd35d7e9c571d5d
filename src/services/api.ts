// The typed API client: every screen talks to the server through `callApi`
// (the `api` edge function) and `login` (the `wechat-login` function).
import Taro from '@tarojs/taro';
import { FunctionsFetchError, FunctionsHttpError, FunctionsRelayError } from '@supabase/functions-js';
import type { ApiAction, ApiRequest, ApiResponse, ApiErrorBody, WechatLoginRequest, WechatLoginResponse } from '@contract';
import { PUBLIC_ACTIONS } from '@contract';
import { ApiError } from './api-error';
import { platform } from './config';
import { invokeFunction } from './supabase';
import { clearSession, getAccessToken, readSession, saveSession, type StoredSession } from './token';

export { ApiError };

const HAN = /[\u4e00-\u9fff]/;

/** Chinese fallback when the server's message is missing or not Chinese. */
export function messageForStatus(status: number): string {
  if (status === 0) return '网络连接失败，请检查网络后重试';
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '没有权限进行此操作';
  if (status === 404) return '内容不存在或已下架';
  if (status === 409) return '状态已变化，请刷新后重试';
  if (status === 429) return '操作太频繁，请稍后再试';
  if (status >= 500) return '服务繁忙，请稍后再试';
  return '请求有误，请检查后重试';
}

async function toApiError(error: unknown): Promise<ApiError> {
  if (error instanceof ApiError) return error;
  if (error instanceof FunctionsHttpError) {
    const res = error.context as { status?: number; json?: () => Promise<unknown> };
    const status = res.status ?? 500;
    let body: Partial<ApiErrorBody> | null = null;
    try {
      body = (await res.json?.()) as Partial<ApiErrorBody>;
    } catch {
      body = null;
    }
    const e = body?.error;
    const message = e?.message && HAN.test(e.message) ? e.message : messageForStatus(status);
    return new ApiError(message, status, e?.field ?? null, e?.code);
  }
  if (error instanceof FunctionsRelayError || error instanceof FunctionsFetchError) {
    return new ApiError(messageForStatus(0), 0);
  }
  return new ApiError(messageForStatus(0), 0);
}

async function invoke<T>(fn: string, body: object): Promise<T> {
  let result: { data: unknown; error: unknown };
  try {
    result = await invokeFunction(fn, body);
  } catch (e) {
    throw await toApiError(e);
  }
  if (result.error) throw await toApiError(result.error);
  return result.data as T;
}

// ------------------------------------------------------------------ session

const DEV_USER_KEY = 'qrm.devUser';

/** h5 dev login: a stable sandbox name per browser, or `?devUser=` to pick one (tests). */
export function devUserName(): string {
  let fromUrl: string | null = null;
  try {
    if (typeof window !== 'undefined' && window.location) {
      const m = /[?&]devUser=([^&#]+)/.exec(window.location.href);
      fromUrl = m ? decodeURIComponent(m[1]) : null;
    }
  } catch {
    fromUrl = null;
  }
  if (fromUrl) {
    const prev = Taro.getStorageSync(DEV_USER_KEY) as string;
    if (prev !== fromUrl) clearSession();
    Taro.setStorageSync(DEV_USER_KEY, fromUrl);
    return fromUrl;
  }
  let name = Taro.getStorageSync(DEV_USER_KEY) as string;
  if (!name) {
    name = `h5-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    Taro.setStorageSync(DEV_USER_KEY, name);
  }
  return name;
}

let pendingInvite: string | null = null;

/** The invite scene the app was opened with; sent at login, or bound right away when signed in. */
export function setPendingInvite(scene: string | null): void {
  pendingInvite = scene;
}

let loginInFlight: Promise<StoredSession> | null = null;

export function login(): Promise<StoredSession> {
  if (!loginInFlight) {
    loginInFlight = (async () => {
      const code = platform === 'weapp' ? (await Taro.login()).code : `sandbox:${devUserName()}`;
      const body: WechatLoginRequest = { code, platform };
      if (pendingInvite) body.inviteScene = pendingInvite;
      const res = await invoke<WechatLoginResponse>('wechat-login', body);
      pendingInvite = null;
      return saveSession(res);
    })().finally(() => {
      loginInFlight = null;
    });
  }
  return loginInFlight;
}

/** A valid session, logging in when there is none or it expired. */
export async function ensureSession(): Promise<StoredSession> {
  if (platform === 'h5') devUserName(); // a ?devUser= switch drops the old session
  const s = readSession();
  if (s && getAccessToken()) return s;
  return login();
}

export function logout(): void {
  clearSession();
}

// ---------------------------------------------------------------- the call

/**
 * Calls one action of the `api` function. Signs in first unless the action
 * is public; on a 401 signs in again once and retries.
 */
export async function callApi<A extends ApiAction>(action: A, params: ApiRequest<A>): Promise<ApiResponse<A>> {
  const isPublic = PUBLIC_ACTIONS.includes(action);
  if (!isPublic || readSession()) {
    try {
      await ensureSession();
    } catch (e) {
      if (!isPublic) throw await toApiError(e);
    }
  }
  try {
    return await invoke<ApiResponse<A>>('api', { action, ...params });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      clearSession();
      await login();
      return invoke<ApiResponse<A>>('api', { action, ...params });
    }
    throw e;
  }
}

/** Chinese text of any error, for toasts and error states. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e && typeof e === 'object' && 'errMsg' in e) {
    const msg = String((e as { errMsg: string }).errMsg);
    if (msg.includes('cancel')) return '已取消';
  }
  return '出错了，请稍后再试';
}
