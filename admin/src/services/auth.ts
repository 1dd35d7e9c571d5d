// Operator sign-in / sign-out.
import { call } from './client';
import { clearSession, saveSession, type OperatorSession } from './session';

export async function signIn(login: string, password: string): Promise<OperatorSession> {
  const res = await call('auth.signIn', { login, password });
  const session: OperatorSession = { token: res.accessToken, expiresAt: res.expiresAt, operator: res.operator };
  saveSession(session);
  return session;
}

export const me = () => call('auth.me', {});
export const changePassword = (oldPassword: string, newPassword: string) => call('auth.changePassword', { oldPassword, newPassword });

export async function signOut(): Promise<void> {
  try {
    await call('auth.signOut', {});
  } catch {
    // The session ends locally whatever the server says.
  } finally {
    clearSession();
  }
}
