// An EntryCard wired to the display settings and the queue screens (抽奖,
// 兑换, 队列进程, and the entry detail when `openable`): the one way screens
// show a shopper's entry.
import type { MyEntry } from '@contract';
import { go } from '@/routes';
import { useSettings } from '@/stores/settings';
import { EntryCard } from './EntryCard';

export function LinkedEntryCard({ entry, openable = false }: { entry: MyEntry; openable?: boolean }) {
  const settings = useSettings();
  return (
    <EntryCard
      entry={entry}
      display={settings.display}
      exchangeButtonName={settings.exchangeButtonName}
      lotteryOn={settings.lotteryOn}
      onOpen={openable ? () => go('queueEntry', { id: entry.entryId }) : undefined}
      onDraw={() => go('queueDraw', { id: entry.entryId })}
      onExchange={() => go('queueExchange', { id: entry.entryId })}
      onProgress={() => go('queueProgress', { key: entry.queueKey, name: entry.queueName })}
    />
  );
}
