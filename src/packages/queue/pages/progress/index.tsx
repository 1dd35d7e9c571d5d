// 队列进程: one queue in payout order. Columns follow the operator's display
// toggles; every other member is masked.
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';
import { Avatar } from '@/components/Avatar';
import { ProgressBar } from '@/components/ProgressBar';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import type { DisplaySettings, QueueRow } from '@contract';
import { useSettings } from '@/stores/settings';
import { ENTRY_STATUS_TEXT, maskName, TERMS, yuan } from '@/utils/format';
import './index.scss';

/** Both the server's toggles and ours must allow a column (defence in depth). */
function effectiveDisplay(server: DisplaySettings | undefined, local: DisplaySettings): DisplaySettings {
  if (!server) return local;
  const out = { ...local };
  for (const k of Object.keys(out) as (keyof DisplaySettings)[]) out[k] = local[k] && server[k];
  return out;
}

export function ProgressRow({ row, display }: { row: QueueRow; display: DisplaySettings }) {
  const name = row.member ? (row.mine ? row.member.maskedName : maskName(row.member.maskedName)) : null;
  return (
    <View className={`qrow ${row.mine ? 'qrow--mine' : ''}`} data-testid={`qrow-${row.entryId}`} data-mine={row.mine ? '1' : '0'}>
      <View className="row">
        {display.queueId && row.seq !== undefined && (
          <Text className="qrow__seq" data-testid={`qrow-${row.entryId}-seq`}>
            {row.seq}
          </Text>
        )}
        {display.memberInfo && row.member ? (
          <View className="row flex1">
            <Avatar url={row.member.avatarUrl} name={name ?? '?'} />
            <Text className="flex1 ellipsis" style={{ marginLeft: '8px' }} data-testid={`qrow-${row.entryId}-member`}>
              {name}
              {row.mine && name !== '我' ? '（我）' : ''}
            </Text>
          </View>
        ) : (
          <Text className="flex1">{row.mine ? '我的排队' : '排队用户'}</Text>
        )}
        <Text className={`tag ${row.status === 'waiting' ? 'tag--accent' : 'tag--success'}`}>{ENTRY_STATUS_TEXT[row.status]}</Text>
      </View>
      {display.progress && row.progress !== undefined && (
        <View className="row mt-s">
          <View className="flex1">
            <ProgressBar percent={row.progress} testid={`qrow-${row.entryId}-progress`} />
          </View>
          <Text className="muted" style={{ marginLeft: '8px', width: '48px', textAlign: 'right' }}>
            {row.progress}%
          </Text>
        </View>
      )}
      <View className="row qrow__amounts">
        {display.cumulativeReward && row.paid !== undefined && (
          <Text className="muted" data-testid={`qrow-${row.entryId}-paid`}>
            {TERMS.paid} {yuan(row.paid)}
          </Text>
        )}
        {display.pendingReward && row.entitlement !== undefined && (
          <Text className="muted" data-testid={`qrow-${row.entryId}-entitlement`}>
            {TERMS.entitlement} {yuan(row.entitlement)}
          </Text>
        )}
        {display.pendingAmount && row.pending !== undefined && (
          <Text className="muted" data-testid={`qrow-${row.entryId}-pending`}>
            {TERMS.pending} {yuan(row.pending)}
          </Text>
        )}
      </View>
    </View>
  );
}

export default function QueueProgressPage() {
  const { params } = useRouter();
  const key = params.key ? decodeURIComponent(params.key) : '';
  const local = useSettings((s) => s.display);
  const featureName = useSettings((s) => s.name);
  const list = usePaged((cursor) => callApi('queue.progress', { cursor, queueKey: key }), [key]);
  const display = effectiveDisplay(list.last?.display, local);
  const q = list.last?.queue;

  useEffect(() => {
    const title = q?.name ?? (params.name ? decodeURIComponent(params.name) : '队列进程');
    void Taro.setNavigationBarTitle({ title });
  }, [q?.name, params.name]);

  return (
    <View className="page" data-testid="page-queue-progress">
      {q && (
        <View className="card">
          <View className="title">{q.name}</View>
          <View className="stats mt-s">
            <View className="stat">
              <View className="stat__value" data-testid="progress-waiting">{q.waitingCount}</View>
              <View className="stat__label">排队中</View>
            </View>
            {display.pendingAmount && q.pending !== undefined && (
              <View className="stat">
                <View className="stat__value">{yuan(q.pending)}</View>
                <View className="stat__label">待返总额</View>
              </View>
            )}
          </View>
          <View className="muted mt-s">{featureName}按队列顺序依次返还；其他用户信息已隐藏处理。</View>
        </View>
      )}
      <StateView loading={list.loading} error={!key ? '队列不存在' : list.error} empty={list.items.length === 0} emptyText="队列中暂无排队" onRetry={list.reload} testid="progress">
        <View className="card" style={{ padding: 0 }}>
          {list.items.map((r) => (
            <ProgressRow key={r.entryId} row={r} display={display} />
          ))}
        </View>
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
