import { View } from '@tarojs/components';

/** percent: a string 0..100 (never a float computed from money). */
export function ProgressBar({ percent, testid }: { percent: string; testid?: string }) {
  return (
    <View className="progress" data-testid={testid} data-percent={percent}>
      <View className="progress__bar" style={{ width: `${percent}%` }} />
    </View>
  );
}
