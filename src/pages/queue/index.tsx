// 队列: my entries across queues, with what is paid, waiting and estimated.
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { LinkedEntryCard } from '@/components/LinkedEntryCard';
import { QueueDisclaimer } from '@/components/EstimateNote';
import { Tabs } from '@/components/Tabs';
import { Stat } from '@/components/Stat';
import { UNION_NAME, UnionDisclaimer, UnionEntryCard, UnionPoolCard, useUnionOverview } from '@/components/Union';
import { useRequest } from '@/hooks/useRequest';
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
  const mode = useSettings((s) => s.mode);
  return mode === 'union' ? <UnionQueuePage /> : <ClassicQueuePage />;
}

/** 工会排队: the pool, my union entries with quota, place, quota ahead and an estimate. */
function UnionQueuePage() {
  const [filter, setFilter] = useState<Filter>('waiting');
  const overview = useUnionOverview();
  const list = useRequest(() => callApi('union.myEntries', { status: filter }), [filter], { reloadOnShow: true });
  const summary = list.data?.summary;
  const items = list.data?.items ?? [];
  return (
    <View className="page" data-testid="page-queue-union">
      <View className="hero">
        <View className="hero__label">{UNION_NAME} · 待返额度（按排队顺序整笔返还）</View>
        <View className="hero__value" data-testid="union-summary-pending">
          {summary ? yuan(summary.pending) : '--'}
        </View>
        <View className="stats mt">
          <Stat value={summary ? summary.waitingCount : '--'} label="排队中" testid="union-summary-count" />
          <Stat value={summary ? yuan(summary.paid) : '--'} label="已返" testid="union-summary-paid" />
          <Stat value={summary ? yuan(summary.quota) : '--'} label="总额度" testid="union-summary-quota" />
        </View>
      </View>
      <UnionPoolCard overview={overview.data} />
      <View className="card">
        <UnionDisclaimer />
      </View>
      <View className="mt">
        <Tabs
          items={[
            { key: 'waiting', label: '排队中' },
            { key: 'finished', label: '已返完' },
            { key: 'all', label: '全部' },
          ]}
          value={filter}
          onChange={setFilter}
          testid="union-tabs"
        />
      </View>
      <StateView
        loading={list.loading && !list.data}
        error={list.data ? null : list.error}
        empty={items.length === 0}
        emptyText={filter === 'waiting' ? '暂无排队中的额度，订单完成后即加入工会排队' : '暂无记录'}
        onRetry={list.reload}
        testid="union-entries"
      >
        {items.map((e) => (
          <UnionEntryCard key={e.seq} entry={e} onOpen={() => go('unionEntry', { seq: e.seq })} />
        ))}
        <View className="muted text-center pad">
          <Text>返还直接到账可提现；推广加速奖励见「我的 · 推广奖励」</Text>
        </View>
      </StateView>
    </View>
  );
}

function ClassicQueuePage() {
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
