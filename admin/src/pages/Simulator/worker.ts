// The what-if simulator in the browser: the same model engine as
// `npm run simulate` (compareSettings over src/domain), off the UI thread.
import { parseEvent } from '@/domain/events';
import type { SettingsPatch } from '@/domain/settings';
import { compareSettings } from '@/domain/simulate';
import { syntheticStream, type SyntheticSpec } from '@/domain/synthetic';

export interface SimulateRequest {
  spec: SyntheticSpec;
  patch: SettingsPatch;
}

self.onmessage = (e: MessageEvent<SimulateRequest>) => {
  try {
    const events = [...syntheticStream(e.data.spec)].map((raw) => parseEvent(raw));
    const result = compareSettings(events, e.data.patch);
    (self as unknown as Worker).postMessage({ ok: true, result });
  } catch (err) {
    const field = (err as { field?: string }).field;
    (self as unknown as Worker).postMessage({ ok: false, message: field ? `${field}: ${(err as { reason: string }).reason}` : (err as Error).message });
  }
};
