// The queue entries an order created, under a 「<lead><feature name>」 title
// (order detail, cashier receipt). Used by subpackages only, so it stays out
// of the main package.
import { Text, View } from '@tarojs/components';
import type { MyEntry } from '@contract';
import { useSettings } from '@/stores/settings';
import { LinkedEntryCard } from './LinkedEntryCard';

export function OrderEntries({ lead, entries }: { lead: string; entries: MyEntry[] }) {
  const name = useSettings((s) => s.name);
  return (
    <View>
      <View className="section-title pad" style={{ paddingBottom: 0 }}>
        <Text>
          {lead}
          {name}
        </Text>
      </View>
      {entries.map((e) => (
        <LinkedEntryCard key={e.entryId} entry={e} />
      ))}
    </View>
  );
}
