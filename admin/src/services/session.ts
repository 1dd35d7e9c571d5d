// The operator's session: token + who, in localStorage (one browser profile =
// one operator). Signing out or a 401 clears it and the guard sends the page
// to /login.
import type { OperatorProfile } from './contract';

const KEY = 'qrm.admin.session';

export interface OperatorSession {
  token: string;
  /** Unix seconds. */
  expiresAt: number;
  operator: OperatorProfile;
}

type Listener = (s: OperatorSession | null) => void;
const listeners = new Set<Listener>();

export function readSession(): OperatorSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as OperatorSession;
    if (!s?.token || !s.operator) return null;
    if (typeof s.expiresAt === 'number' && s.expiresAt * 1000 <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: OperatorSession): void {
  localStorage.setItem(KEY, JSON.stringify(s));
  for (const l of listeners) l(s);
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  for (const l of listeners) l(null);
}

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
