import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Avatar } from '@/components/Avatar';
import { Stat } from '@/components/Stat';
import { ListFooter, StateView } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { dateOnly, maskName } from '@/utils/format';

type Tier = 'direct' | 'indirect';

export default function TeamPage() {
  const [tier, setTier] = useState<Tier>('direct');
  const list = usePaged((cursor) => callApi('promoter.team', { cursor, tier }), [tier]);
  const counts = list.last?.counts;
  return (
    <View className="page" data-testid="page-team">
      <View className="hero" style={{ paddingBottom: '24px' }}>
        <View className="stats">
          <Stat value={counts ? counts.direct : '--'} label="直推" testid="team-direct" />
          <Stat value={counts ? counts.indirect : '--'} label="间推" testid="team-indirect" />
        </View>
      </View>
      <Tabs
        items={[
          { key: 'direct', label: '直推成员' },
          { key: 'indirect', label: '间推成员' },
        ]}
        value={tier}
        onChange={setTier}
        testid="team-tabs"
      />
      <StateView
        loading={list.loading}
        error={list.error}
        empty={list.items.length === 0}
        emptyText="还没有成员，邀请好友加入吧"
        emptyAction={
          <View className="btn btn--small" onClick={() => go('invite')}>
            去邀请
          </View>
        }
        onRetry={list.reload}
        testid="team"
      >
        <View className="cell-group">
          {list.items.map((m, i) => (
            <View key={`${m.maskedName}-${m.joinedAt}-${i}`} className="cell" data-testid={`team-member-${i}`}>
              <Avatar url={m.avatarUrl} name={maskName(m.maskedName)} />
              <View className="cell__label" style={{ marginLeft: '12px' }}>
                <View>{maskName(m.maskedName)}</View>
                <View className="muted">{dateOnly(m.joinedAt)} 加入</View>
              </View>
              <Text className="muted">已完成 {m.orderCount} 单</Text>
            </View>
          ))}
        </View>
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
