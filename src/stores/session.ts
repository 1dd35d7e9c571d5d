// The signed-in user and the badge counts of the 我的 tab.
import { create } from 'zustand';
import { callApi, errorText, logout as dropSession } from '@/services/api';
import type { ApiResponse, UserProfile } from '@contract';

type Counts = ApiResponse<'user.profile'>['counts'];

interface SessionState {
  user: UserProfile | null;
  counts: Counts;
  loading: boolean;
  error: string | null;
  refresh: () => Promise<void>;
  logout: () => void;
}

const NO_COUNTS: Counts = { unpaidOrders: 0, waitingEntries: 0, unreadMessages: 0 };

export const useSession = create<SessionState>((set) => ({
  user: null,
  counts: NO_COUNTS,
  loading: false,
  error: null,
  refresh: async () => {
    set({ loading: true, error: null });
    try {
      const res = await callApi('user.profile', {});
      set({ user: res.user, counts: res.counts, loading: false });
    } catch (e) {
      set({ error: errorText(e), loading: false });
    }
  },
  logout: () => {
    dropSession();
    set({ user: null, counts: NO_COUNTS });
  },
}));
