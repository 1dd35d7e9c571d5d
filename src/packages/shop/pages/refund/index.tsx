import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { callApi, errorText, ApiError } from '@/services/api';
import { useSettings } from '@/stores/settings';

const REASONS = ['不想要了', '商品与描述不符', '质量问题', '发货太慢', '其他'];

export default function RefundPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const name = useSettings((s) => s.name);
  const [reason, setReason] = useState(REASONS[0]);
  const [detail, setDetail] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      await callApi('orders.refund', { orderId: id, reason: detail.trim() ? `${reason}：${detail.trim()}` : reason });
      void Taro.showToast({ title: '已提交退款申请', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 800);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : errorText(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <View className="page" data-testid="page-refund">
      {!id ? (
        <View className="state" data-testid="refund-error">订单不存在</View>
      ) : (
        <View>
          <View className="card">
            <View className="section-title">退款原因</View>
            {REASONS.map((r) => (
              <View key={r} className="cell" onClick={() => setReason(r)} data-testid={`refund-reason-${r}`}>
                <Text className="cell__label">{r}</Text>
                <Text className={reason === r ? 'text-primary' : 'muted'}>{reason === r ? '●' : '○'}</Text>
              </View>
            ))}
          </View>
          <View className="card">
            <Textarea className="textarea" placeholder="补充说明（选填）" value={detail} maxlength={200} onInput={(e) => setDetail(e.detail.value)} data-testid="refund-detail" />
          </View>
          <View className="card notice">退款成功后，本单的{name}排队权益将取消，尚未解冻的返还不会到账。</View>
          {error && (
            <View className="card text-primary" data-testid="refund-error">
              {error}
            </View>
          )}
          <View className="pad">
            <View className={`btn btn--block ${submitting ? 'btn--disabled' : ''}`} onClick={submit} data-testid="refund-submit">
              {submitting ? '提交中…' : '提交申请'}
            </View>
          </View>
        </View>
      )}
    </View>
  );
}
