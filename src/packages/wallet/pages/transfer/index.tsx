// 转让: points or love value to another member by member code. Three steps:
// the form, the confirmation (the recipient masked, from transfer.lookup),
// the result. One requestId per confirmation, so a retried tap is a replay
// on the server, never a second transfer.
import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ApiResponse, TransferRecipient } from '@contract';
import { RecordCell } from '@/components/RecordCell';
import { StateView } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText, ApiError } from '@/services/api';
import { normaliseMemberCode, parseTransferAmount, TRANSFER_KIND_TEXT, transferable, validateTransfer, type TransferKind } from '@/domain/transfer';
import { dateTime, units } from '@/utils/format';

type Step = { at: 'form' } | { at: 'confirm'; recipient: TransferRecipient; requestId: string } | { at: 'done'; result: ApiResponse<'transfer.send'> };

function newRequestId(): string {
  return `t${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export default function TransferPage() {
  const { data, error, loading, reload } = useRequest(() => callApi('transfer.list', { limit: 10 }), []);
  const [kind, setKind] = useState<TransferKind>('points');
  const [codeText, setCodeText] = useState('');
  const [amountText, setAmountText] = useState('');
  const [step, setStep] = useState<Step>({ at: 'form' });
  const [fieldError, setFieldError] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const code = normaliseMemberCode(codeText);
  const amount = parseTransferAmount(amountText);
  const unit = TRANSFER_KIND_TEXT[kind];
  const limits = data && { balance: data.balances[kind], dailyLimit: data.dailyLimit[kind], usedToday: data.usedToday[kind] };

  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.field) setFieldError({ field: e.field, message: e.message });
    else void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
  };

  const next = async () => {
    if (!data || !limits || busy) return;
    const problem = validateTransfer({ code, amount, kind }, limits, data.myCode);
    setFieldError(problem);
    if (problem) return;
    setBusy(true);
    try {
      const { recipient } = await callApi('transfer.lookup', { code });
      setStep({ at: 'confirm', recipient, requestId: newRequestId() });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (step.at !== 'confirm' || amount === null || busy) return;
    setBusy(true);
    try {
      const result = await callApi('transfer.send', { code: step.recipient.code, kind, amount, requestId: step.requestId });
      setStep({ at: 'done', result });
      void reload();
    } catch (e) {
      // A refused transfer moved nothing: back to the form with the field named.
      setStep({ at: 'form' });
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setAmountText('');
    setFieldError(null);
    setStep({ at: 'form' });
  };

  return (
    <View className="page" data-testid="page-transfer">
      <StateView loading={loading && !data} error={data ? null : error} onRetry={reload} testid="transfer">
        {data && limits && step.at === 'done' && (
          <View className="card text-center" data-testid="transfer-done">
            <View className="done-icon">✓</View>
            <View className="title">转让成功</View>
            <View className="subtitle mt-s" data-testid="transfer-done-text">
              已向 {step.result.recipient.maskedName} 转让 {units(step.result.amount)} {TRANSFER_KIND_TEXT[step.result.kind]}
            </View>
            <View className="muted mt-s" data-testid="transfer-done-balance">
              剩余 {units(step.result.balance)} {TRANSFER_KIND_TEXT[step.result.kind]}，对方已收到消息通知
            </View>
            <View className="btn btn--block mt" onClick={() => void Taro.navigateBack()} data-testid="transfer-back">
              完成
            </View>
            <View className="btn btn--block btn--ghost mt-s" onClick={again} data-testid="transfer-again">
              再转一笔
            </View>
          </View>
        )}
        {data && limits && step.at === 'confirm' && amount !== null && (
          <View>
            <View className="card" data-testid="transfer-confirm">
              <View className="section-title">请确认转让信息</View>
              <View className="row row--between mt-s">
                <Text className="muted">转给</Text>
                <Text className="strong" data-testid="transfer-recipient">
                  {step.recipient.maskedName}（会员码 {step.recipient.code}）
                </Text>
              </View>
              <View className="row row--between mt-s">
                <Text className="muted">数量</Text>
                <Text className="strong" data-testid="transfer-confirm-amount">
                  {units(amount)} {unit}
                </Text>
              </View>
              <View className="muted mt-s">转让后不可撤回，请核对对方昵称。</View>
            </View>
            <View className="pad">
              <View className={`btn btn--block ${busy ? 'btn--disabled' : ''}`} onClick={confirm} data-testid="transfer-submit">
                {busy ? '转让中…' : '确认转让'}
              </View>
              <View className="btn btn--block btn--ghost mt-s" onClick={() => setStep({ at: 'form' })} data-testid="transfer-edit">
                返回修改
              </View>
            </View>
          </View>
        )}
        {data && limits && step.at === 'form' && (
          <View>
            <Tabs
              items={[
                { key: 'points', label: '积分' },
                { key: 'love', label: '爱心值' },
              ]}
              value={kind}
              onChange={(k) => {
                setKind(k);
                setFieldError(null);
              }}
              testid="transfer-kind"
            />
            <View className="card">
              <View className="muted">对方会员码</View>
              <Input
                className="mt-s"
                value={codeText}
                maxlength={10}
                placeholder="请输入对方的会员码"
                onInput={(e) => {
                  setCodeText(e.detail.value);
                  setFieldError(null);
                }}
                data-testid="transfer-code"
              />
              {fieldError?.field === 'code' && (
                <View className="text-primary small mt-s" data-testid="transfer-code-error">
                  {fieldError.message}
                </View>
              )}
              <View className="muted mt">转让数量（{unit}）</View>
              <Input
                className="mt-s"
                type="number"
                value={amountText}
                placeholder="0"
                onInput={(e) => {
                  setAmountText(e.detail.value);
                  setFieldError(null);
                }}
                data-testid="transfer-amount"
              />
              {fieldError && fieldError.field !== 'code' && (
                <View className="text-primary small mt-s" data-testid="transfer-amount-error">
                  {fieldError.message}
                </View>
              )}
              <View className="row row--between mt-s">
                <Text className="muted" data-testid="transfer-balance">
                  可用 {units(limits.balance)} {unit}，今日还可转让 {units(Math.max(0, limits.dailyLimit - limits.usedToday))}
                </Text>
                <Text className="text-primary" onClick={() => setAmountText(String(transferable(limits)))} data-testid="transfer-all">
                  全部
                </Text>
              </View>
            </View>
            <View className="card muted">
              我的会员码 <Text className="strong" data-testid="transfer-my-code">{data.myCode}</Text>，对方凭此码向你转让。每人每日最多转出 {units(limits.dailyLimit)} {unit}；
              只转可用部分（冻结的爱心值不可转让），到账即可用于下单抵扣。
            </View>
            <View className="pad">
              <View className={`btn btn--block ${busy ? 'btn--disabled' : ''}`} onClick={next} data-testid="transfer-next">
                {busy ? '查询中…' : '下一步'}
              </View>
            </View>
            {data.items.length > 0 && (
              <View className="cell-group" data-testid="transfer-records">
                <View className="section-title pad">转让记录</View>
                {data.items.map((t) => (
                  <RecordCell
                    key={t.transferId}
                    title={`${t.direction === 'out' ? '转给' : '来自'} ${t.counterpart.maskedName}`}
                    sub={dateTime(t.createdAt)}
                    amount={`${t.direction === 'out' ? '-' : '+'}${units(t.amount)} ${TRANSFER_KIND_TEXT[t.kind]}`}
                    positive={t.direction === 'in'}
                    testid={`transfer-record-${t.transferId}`}
                  />
                ))}
              </View>
            )}
          </View>
        )}
      </StateView>
    </View>
  );
}
