// Operator sign-in / sign-out.
import { call } from './client';
import { clearSession, saveSession, type OperatorSession } from './session';

export async function signIn(account: string, password: string): Promise<OperatorSession> {
  const res = await call('auth.signIn', { account, password });
  const session: OperatorSession = { token: res.token, expiresAt: res.expiresAt, operator: res.operator };
  saveSession(session);
  return session;
}

export const me = () => call('auth.me', {});

export async function signOut(): Promise<void> {
  try {
    await call('auth.signOut', {});
  } catch {
    // The session ends locally whatever the server says.
  } finally {
    clearSession();
  }
}
