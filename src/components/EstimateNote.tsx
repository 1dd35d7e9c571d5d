// Every estimate carries its label: 预计 … 仅供参考. Never a promise.
import { Text, View } from '@tarojs/components';
import type { Estimate } from '@contract';
import { estimateText } from '@/utils/format';

export function EstimateNote({ estimate, testid = 'estimate' }: { estimate: Estimate | null | undefined; testid?: string }) {
  return (
    <View className="estimate" data-testid={testid}>
      <Text className="estimate__label">预计</Text>
      <Text>{estimateText(estimate).replace(/^预计/, '')}</Text>
      <Text className="muted">（仅供参考，不构成返还承诺）</Text>
    </View>
  );
}

/** The standing disclaimer shown wherever a queue rebate is described. */
export function QueueDisclaimer({ name }: { name: string }) {
  return (
    <View className="notice" data-testid="queue-disclaimer">
      {name}按排队顺序，用后续订单提取的金额返还；能否返还、何时返完取决于后续消费，预计时间仅供参考，平台不承诺返还。
    </View>
  );
}
