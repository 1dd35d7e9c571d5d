// WeChat subscribe messages at the moments that matter. weapp only: the
// templates are fetched ahead (the request must run inside the user's tap),
// h5 is a no-op.
import Taro from '@tarojs/taro';
import type { NotificationKind } from '@contract';
import { callApi } from './api';
import { platform } from './config';

let templates: Partial<Record<NotificationKind, string>> | null = null;

export async function prefetchTemplates(): Promise<void> {
  if (platform !== 'weapp' || templates) return;
  try {
    templates = (await callApi('inbox.templates', {})).templates;
  } catch {
    templates = null;
  }
}

/** Moments: what to ask for where. */
export const SUBSCRIBE_MOMENTS = {
  pay: ['entryJoined', 'payoutReceived', 'entryDone'],
  queue: ['payoutReceived', 'entryDone', 'clearingSoon'],
  withdraw: ['withdrawalResult'],
  promoter: ['rewardCredited'],
  exchange: ['converted', 'payoutReceived'],
} satisfies Record<string, NotificationKind[]>;

/** Call synchronously from a tap handler, before any await. Never throws. */
export function askSubscribe(kinds: NotificationKind[]): Promise<void> {
  if (platform !== 'weapp' || !templates) return Promise.resolve();
  const ids = kinds.map((k) => templates?.[k]).filter((x): x is string => !!x).slice(0, 3);
  if (ids.length === 0) return Promise.resolve();
  return Taro.requestSubscribeMessage({ tmplIds: ids } as unknown as Parameters<typeof Taro.requestSubscribeMessage>[0])
    .then((res) => {
      const r = res as unknown as Record<string, string>;
      const accepted = ids.filter((id) => r[id] === 'accept');
      const rejected = ids.filter((id) => r[id] !== 'accept');
      return callApi('inbox.subscribed', { accepted, rejected }).then(() => undefined);
    })
    .catch(() => undefined);
}
