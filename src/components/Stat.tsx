// One figure of a `stats` row: the value over its label.
import type { ReactNode } from 'react';
import { View } from '@tarojs/components';

export function Stat({ value, label, testid, accent }: { value: ReactNode; label: ReactNode; testid?: string; accent?: boolean }) {
  return (
    <View className="stat">
      <View className={accent ? 'stat__value text-accent' : 'stat__value'} data-testid={testid}>
        {value}
      </View>
      <View className="stat__label">{label}</View>
    </View>
  );
}
