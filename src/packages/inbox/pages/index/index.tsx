// 消息: in-app inbox; opening a message marks it read and follows its link.
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { callApi, errorText } from '@/services/api';
import type { InboxMessage } from '@contract';
import { platform } from '@/services/config';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { openLink } from '@/routes';
import { dateTime, inboxBody, NOTIFICATION_KIND_TEXT } from '@/utils/format';

export default function InboxPage() {
  const list = usePaged((cursor) => callApi('inbox.list', { cursor }), []);
  const [read, setRead] = useState<Record<string, boolean>>({});
  const [unread, setUnread] = useState<number | null>(null);
  const unreadCount = unread ?? list.last?.unread ?? 0;

  const open = (m: InboxMessage) => {
    if (!m.read && !read[m.id]) {
      setRead((r) => ({ ...r, [m.id]: true }));
      void callApi('inbox.markRead', { ids: [m.id] })
        .then((r) => setUnread(r.unread))
        .catch(() => undefined);
    }
    if (m.link) openLink(m.link);
  };
  const readAll = async () => {
    try {
      const r = await callApi('inbox.markRead', { all: true });
      setUnread(r.unread);
      setRead(Object.fromEntries(list.items.map((m) => [m.id, true])));
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none' });
    }
  };

  return (
    <View className="page" data-testid="page-inbox">
      <View className="row row--between pad">
        <Text className="muted" data-testid="inbox-unread">
          {unreadCount > 0 ? `${unreadCount} 条未读` : '全部已读'}
        </Text>
        <View className="row">
          {platform === 'weapp' && (
            <Text className="text-primary" style={{ marginRight: '16px' }} onClick={() => void askSubscribe([...SUBSCRIBE_MOMENTS.queue, ...SUBSCRIBE_MOMENTS.withdraw].slice(0, 3))} data-testid="inbox-subscribe">
              订阅提醒
            </Text>
          )}
          {unreadCount > 0 && (
            <Text className="text-primary" onClick={readAll} data-testid="inbox-read-all">
              全部已读
            </Text>
          )}
        </View>
      </View>
      <StateView loading={list.loading} error={list.error} empty={list.items.length === 0} emptyText="暂无消息" onRetry={list.reload} testid="inbox">
        {list.items.map((m) => {
          const isRead = m.read || read[m.id];
          return (
            <View key={m.id} className="card" onClick={() => open(m)} data-testid={`msg-${m.id}`} data-read={isRead ? '1' : '0'}>
              <View className="row row--between">
                <View className="row flex1">
                  {!isRead && <View className="dot" style={{ marginRight: '8px' }} />}
                  <Text className={`tag ${m.kind.startsWith('clearing') ? 'tag--accent' : 'tag--info'}`} style={{ marginRight: '8px' }} data-testid={`msg-${m.id}-kind`}>
                    {NOTIFICATION_KIND_TEXT[m.kind] ?? '消息'}
                  </Text>
                  <Text className="title ellipsis" data-testid={`msg-${m.id}-title`}>{m.title}</Text>
                </View>
                <Text className="muted">{dateTime(m.createdAt)}</Text>
              </View>
              <View className="subtitle mt-s" data-testid={`msg-${m.id}-body`}>{inboxBody(m)}</View>
              {m.link && <View className="muted mt-s">查看详情 ›</View>}
            </View>
          );
        })}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
