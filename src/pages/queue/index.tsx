// 队列: my entries across queues, with what is paid, waiting and estimated.
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { LinkedEntryCard } from '@/components/LinkedEntryCard';
import { QueueDisclaimer } from '@/components/EstimateNote';
import { Tabs } from '@/components/Tabs';
import { Stat } from '@/components/Stat';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import { platform } from '@/services/config';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { go } from '@/routes';
import { useSettings } from '@/stores/settings';
import { TERMS, yuan } from '@/utils/format';

type Filter = 'waiting' | 'finished' | 'all';

export default function QueuePage() {
  const settings = useSettings();
  const [filter, setFilter] = useState<Filter>('waiting');
  const list = usePaged((cursor) => callApi('queue.myEntries', { cursor, status: filter }), [filter], { reloadOnShow: true });
  const summary = list.last?.summary;

  return (
    <View className="page" data-testid="page-queue">
      <View className="hero">
        <View className="hero__label">{settings.name} · {TERMS.pending}（预计按队列顺序返还）</View>
        <View className="hero__value" data-testid="queue-summary-pending">
          {summary ? yuan(summary.pending) : '--'}
        </View>
        <View className="stats mt">
          <Stat value={summary ? summary.waitingCount : '--'} label="排队中" testid="queue-summary-count" />
          <Stat value={summary ? yuan(summary.paid) : '--'} label={TERMS.paid} testid="queue-summary-paid" />
          <Stat value={summary ? yuan(summary.entitlement) : '--'} label={TERMS.totalEntitlement} testid="queue-summary-entitlement" />
        </View>
      </View>
      <View className="card">
        <QueueDisclaimer name={settings.name} />
        {settings.paused && <View className="notice mt-s">队列奖励暂停中：订单照常排队，暂停期间不产生返还</View>}
        {platform === 'weapp' && (
          <View className="btn btn--plain btn--small mt-s" onClick={() => void askSubscribe(SUBSCRIBE_MOMENTS.queue)} data-testid="queue-subscribe">
            订阅返还到账提醒
          </View>
        )}
      </View>
      <View className="mt">
        <Tabs
          items={[
            { key: 'waiting', label: '排队中' },
            { key: 'finished', label: '已结束' },
            { key: 'all', label: '全部' },
          ]}
          value={filter}
          onChange={setFilter}
          testid="queue-tabs"
        />
      </View>
      <StateView
        loading={list.loading}
        error={list.error}
        empty={list.items.length === 0}
        emptyText={filter === 'waiting' ? '暂无排队中的权益，购买参与活动的商品即可排队' : '暂无记录'}
        emptyAction={
          <View className="btn btn--small" onClick={() => go('home')}>
            去逛逛
          </View>
        }
        onRetry={list.reload}
        testid="queue-entries"
      >
        {list.items.map((e) => (
          <LinkedEntryCard key={e.entryId} entry={e} openable />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
        <View className="muted text-center pad">
          <Text>返还到账先冻结，订单完成（售后期结束）后可提现</Text>
        </View>
      </StateView>
    </View>
  );
}
