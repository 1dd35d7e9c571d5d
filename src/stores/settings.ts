// Display settings (feature name, exchange button name, toggles): loaded once,
// defaults from the shared settings contract until the server answers.
import { create } from 'zustand';
import { DEFAULT_SETTINGS } from '@/domain/settings';
import { callApi } from '@/services/api';
import type { ApiResponse } from '@contract';

type DisplayInfo = ApiResponse<'settings.display'>;

interface SettingsState extends DisplayInfo {
  loaded: boolean;
  load: (force?: boolean) => Promise<void>;
}

export const DEFAULT_DISPLAY: DisplayInfo = {
  name: DEFAULT_SETTINGS.name,
  exchangeButtonName: DEFAULT_SETTINGS.exchangeButtonName,
  display: { ...DEFAULT_SETTINGS.display },
  mode: DEFAULT_SETTINGS.mode,
  paused: DEFAULT_SETTINGS.paused,
  lotteryOn: DEFAULT_SETTINGS.lottery !== null,
  exchangeRatio: { ...DEFAULT_SETTINGS.exchangeRatio },
  loveFrozen: DEFAULT_SETTINGS.loveFrozen,
};

let inFlight: Promise<void> | null = null;

export const useSettings = create<SettingsState>((set, get) => ({
  ...DEFAULT_DISPLAY,
  loaded: false,
  load: (force = false) => {
    if (get().loaded && !force) return Promise.resolve();
    if (!inFlight) {
      inFlight = callApi('settings.display', {})
        .then((s) => set({ ...s, loaded: true }))
        .catch(() => undefined) // keep defaults; screens still work
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  },
}));
