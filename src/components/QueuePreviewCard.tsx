// What this purchase would put in the queue: ratio, entitlement, queue
// length, amount ahead and an estimate clearly labelled as one.
import { Text, View } from '@tarojs/components';
import type { QueuePreview } from '@contract';
import { ratioText, yuan } from '@/utils/format';
import { EstimateNote } from './EstimateNote';

export function QueuePreviewCard({ preview, name, baseLabel }: { preview: QueuePreview | null; name: string; baseLabel?: string }) {
  if (!preview || !preview.enabled) {
    return (
      <View className="card" data-testid="queue-preview-off">
        <Text className="muted">本商品暂不参与{name}</Text>
      </View>
    );
  }
  return (
    <View className="card" data-testid="queue-preview">
      <View className="section-title">
        <Text>{name}</Text>
        <Text className="tag tag--accent">权益比例 {ratioText(preview.ratio)}</Text>
      </View>
      <View className="row row--between">
        <Text className="subtitle">{baseLabel ? `${baseLabel} 可获待返权益` : '按实付计算可获待返权益'}</Text>
        <Text className="text-accent strong" data-testid="queue-preview-entitlement">
          {yuan(preview.entitlement)}
        </Text>
      </View>
      <View className="stats mt">
        <View className="stat">
          <View className="stat__value" data-testid="queue-preview-waiting">{preview.waitingCount}</View>
          <View className="stat__label">排队人数</View>
        </View>
        <View className="stat">
          <View className="stat__value" data-testid="queue-preview-ahead">{yuan(preview.amountAhead)}</View>
          <View className="stat__label">前方待返总额</View>
        </View>
        <View className="stat">
          <View className="stat__value">{ratioText(preview.extractRatio)}</View>
          <View className="stat__label">后续订单提取</View>
        </View>
      </View>
      <View className="mt-s">
        <EstimateNote estimate={preview.estimate} testid="queue-preview-estimate" />
      </View>
      {preview.lottery && <View className="muted mt-s">支付后、获得返还前可参与一次抽奖，抽中比例将替换当前比例</View>}
      {preview.paused && <View className="notice mt-s">当前队列奖励已暂停：订单照常排队，暂停期间不产生返还</View>}
      <View className="muted mt-s">待返权益不是现金余额；只有后续订单提取的金额按队列顺序到账，实际以到账为准。</View>
    </View>
  );
}
