// 提现: amount in yuan text → fen (decimal.js); fee shown from the server's rule.
// `?from=merchant` withdraws the caller's store settlement account instead of the wallet.
import { useState } from 'react';
import Decimal from 'decimal.js';
import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText, ApiError } from '@/services/api';
import type { ApiResponse } from '@contract';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { formatYuan } from '@/domain/money';
import { parseYuanInput, ratioText, WITHDRAWAL_STATUS_TEXT, yuan } from '@/utils/format';

type Rule = ApiResponse<'wallet.summary'>['withdrawRule'];

/** Fee estimate for display; the server's figure is the one that counts. */
export function estimateFee(amount: number, rule: Rule): number {
  const fee = new Decimal(amount).mul(rule.feeRatio).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  return Math.min(amount, Math.max(rule.minFee, fee));
}

export function validateWithdraw(amount: number | null, available: number, rule: Rule): string | null {
  if (amount === null || amount <= 0) return '请输入正确的金额';
  if (amount < rule.minAmount) return `最低提现 ${yuan(rule.minAmount)}`;
  if (rule.maxAmount > 0 && amount > rule.maxAmount) return `单笔最多提现 ${yuan(rule.maxAmount)}`;
  if (amount > available) return '超出可提现余额';
  return null;
}

export default function WithdrawPage() {
  const { params } = useRouter();
  const from = params.from === 'merchant' ? 'merchant' : 'wallet';
  const { data, error, loading, reload } = useRequest(
    async (): Promise<{ available: number; withdrawRule: Rule }> =>
      from === 'merchant' ? callApi('merchant.account', { limit: 1 }) : callApi('wallet.summary', {}),
    [from],
  );
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [done, setDone] = useState<ApiResponse<'wallet.withdraw'> | null>(null);
  const amount = parseYuanInput(text);

  const submit = async () => {
    if (!data || busy) return;
    const problem = validateWithdraw(amount, data.available, data.withdrawRule);
    setFieldError(problem);
    if (problem) return;
    const subscribed = askSubscribe(SUBSCRIBE_MOMENTS.withdraw);
    setBusy(true);
    try {
      await subscribed;
      setDone(await callApi('wallet.withdraw', from === 'merchant' ? { amount: amount as number, from } : { amount: amount as number }));
    } catch (e) {
      if (e instanceof ApiError && e.field) setFieldError(e.message);
      else void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page" data-testid="page-withdraw">
      <StateView loading={loading && !data} error={data ? null : error} onRetry={reload} testid="withdraw">
        {done ? (
          <View className="card text-center" data-testid="withdraw-done">
            <View className="done-icon">✓</View>
            <View className="title">提现申请已提交</View>
            <View className="subtitle mt-s">
              提现 {yuan(done.amount)}，手续费 {yuan(done.fee)}，预计到账 {yuan(done.net)}
            </View>
            <View className="muted mt-s">状态：{WITHDRAWAL_STATUS_TEXT[done.status]}，审核结果将通过消息通知你</View>
            <View className="btn btn--block mt" onClick={() => void Taro.navigateBack()} data-testid="withdraw-back">
              完成
            </View>
          </View>
        ) : (
          data && (
            <View>
              <View className="card">
                <View className="muted">提现金额（元）</View>
                <View className="row mt-s">
                  <Text style={{ fontSize: '28px', fontWeight: 700 }}>¥</Text>
                  <Input
                    className="flex1"
                    style={{ fontSize: '28px', fontWeight: 700, height: '48px', marginLeft: '8px' }}
                    type="digit"
                    value={text}
                    placeholder="0.00"
                    onInput={(e) => {
                      setText(e.detail.value);
                      setFieldError(null);
                    }}
                    data-testid="withdraw-amount"
                  />
                </View>
                {fieldError && (
                  <View className="text-primary small mt-s" data-testid="withdraw-error">
                    {fieldError}
                  </View>
                )}
                <View className="row row--between mt-s">
                  <Text className="muted">可提现 {yuan(data.available)}</Text>
                  <Text className="text-primary" onClick={() => setText(formatYuan(data.available))} data-testid="withdraw-all">
                    全部提现
                  </Text>
                </View>
                {amount !== null && amount > 0 && (
                  <View className="muted mt-s" data-testid="withdraw-fee">
                    预计手续费 {yuan(estimateFee(amount, data.withdrawRule))}，以审核结果为准
                  </View>
                )}
              </View>
              <View className="card muted">
                最低提现 {yuan(data.withdrawRule.minAmount)}，手续费 {ratioText(data.withdrawRule.feeRatio)}
                {data.withdrawRule.minFee > 0 ? `（最低 ${yuan(data.withdrawRule.minFee)}）` : ''}；提交后由平台审核，通过后经微信支付转入微信零钱。
              </View>
              <View className="pad">
                <View className={`btn btn--block ${busy ? 'btn--disabled' : ''}`} onClick={submit} data-testid="withdraw-submit">
                  {busy ? '提交中…' : '申请提现'}
                </View>
              </View>
            </View>
          )
        )}
      </StateView>
    </View>
  );
}
