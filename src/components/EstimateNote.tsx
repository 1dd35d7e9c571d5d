// Every estimate carries its label: 预计 … 仅供参考. Never a promise.
import { Text, View } from '@tarojs/components';
import type { Estimate } from '@contract';
import { estimateText } from '@/utils/format';

export function EstimateNote({ estimate, testid = 'estimate' }: { estimate: Estimate | null | undefined; testid?: string }) {
  const text = estimateText(estimate);
  const dated = text.startsWith('预计');
  return (
    <View className="estimate" data-testid={testid}>
      {dated && <Text className="estimate__label">预计</Text>}
      <Text data-testid={`${testid}-text`}>{text.replace(/^预计\s*/, '')}</Text>
      {estimate?.basis && estimate.status === 'estimate' ? (
        <Text className="muted" data-testid={`${testid}-basis`}>
          （{estimate.basis}，不构成返还承诺）
        </Text>
      ) : (
        <Text className="muted">（仅供参考，不构成返还承诺）</Text>
      )}
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
