// Who is signed in, for components: the stored session (services/session.ts)
// as a React hook, plus the permission map for that operator's role.
import { useMemo, useSyncExternalStore } from 'react';
import { accessFor, type Access } from './access';
import { onSessionChange, readSession, type OperatorSession } from './services/session';

let cached: OperatorSession | null = readSession();
let cachedRaw = JSON.stringify(cached);

function snapshot(): OperatorSession | null {
  const next = readSession();
  const raw = JSON.stringify(next);
  if (raw !== cachedRaw) {
    cached = next;
    cachedRaw = raw;
  }
  return cached;
}

function subscribe(cb: () => void): () => void {
  const off = onSessionChange(cb);
  window.addEventListener('storage', cb);
  return () => {
    off();
    window.removeEventListener('storage', cb);
  };
}

export function useSession(): OperatorSession | null {
  return useSyncExternalStore(subscribe, snapshot);
}

export function useAccess(): Access {
  const session = useSession();
  const role = session?.operator.role;
  return useMemo(() => accessFor(role), [role]);
}
