import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

export function Cell({ label, value, arrow, onClick, testid, extra }: { label: ReactNode; value?: ReactNode; arrow?: boolean; onClick?: () => void; testid?: string; extra?: ReactNode }) {
  return (
    <View className="cell" onClick={onClick} data-testid={testid}>
      <View className="cell__label">{label}</View>
      {extra}
      {value !== undefined && <View className="cell__value">{value}</View>}
      {arrow && <Text className="cell__arrow">›</Text>}
    </View>
  );
}
