// One row of a money record list (wallet history, merchant sales): what and
// when on the left, the amount on the right. Used by subpackages only.
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

export function RecordCell({ title, sub, amount, positive = false, testid }: { title: ReactNode; sub: ReactNode; amount: ReactNode; positive?: boolean; testid: string }) {
  return (
    <View className="cell" data-testid={testid}>
      <View className="cell__label">
        <View>{title}</View>
        <View className="muted">{sub}</View>
      </View>
      <Text className={positive ? 'text-success strong' : 'strong'}>{amount}</Text>
    </View>
  );
}
