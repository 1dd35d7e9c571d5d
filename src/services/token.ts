// Session token storage (Taro storage: wx storage in weapp, localStorage in h5).
import Taro from '@tarojs/taro';
import type { UserProfile, WechatLoginResponse } from '@contract';

const KEY = 'qrm.session';

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt: number;
  user: UserProfile;
}

let cached: StoredSession | null | undefined;

export function readSession(): StoredSession | null {
  if (cached !== undefined) return cached;
  try {
    const raw = Taro.getStorageSync(KEY) as StoredSession | '' | undefined;
    cached = raw && typeof raw === 'object' && raw.accessToken ? raw : null;
  } catch {
    cached = null;
  }
  return cached;
}

export function saveSession(res: WechatLoginResponse): StoredSession {
  const s: StoredSession = {
    accessToken: res.session.access_token,
    refreshToken: res.session.refresh_token,
    expiresAt: res.session.expires_at,
    user: res.user,
  };
  cached = s;
  Taro.setStorageSync(KEY, s);
  return s;
}

export function clearSession(): void {
  cached = null;
  Taro.removeStorageSync(KEY);
}

/** A token still valid for at least a minute, or null. */
export function getAccessToken(): string | null {
  const s = readSession();
  if (!s) return null;
  return s.expiresAt - 60 > Date.now() / 1000 ? s.accessToken : null;
}
