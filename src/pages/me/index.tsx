import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Avatar } from '@/components/Avatar';
import { Cell } from '@/components/Cell';
import { StateView } from '@/components/StateView';
import { go } from '@/routes';
import { useCart } from '@/stores/cart';
import { useSession } from '@/stores/session';
import { useSettings } from '@/stores/settings';
import { MERCHANT_STATUS_TEXT } from '@/utils/format';

export default function MePage() {
  const { user, counts, loading, error, refresh } = useSession();
  const name = useSettings((s) => s.name);
  const cartCount = useCart((s) => s.items.length);
  useDidShow(() => {
    void refresh();
  });

  return (
    <View className="page" data-testid="page-me">
      <View className="hero">
        <StateView loading={loading && !user} error={user ? null : error} onRetry={refresh} testid="me">
          {user && (
            <View className="row">
              <Avatar url={user.avatarUrl} name={user.nickname} large />
              <View className="flex1" style={{ marginLeft: '16px' }}>
                <View className="title" style={{ color: '#fff' }} data-testid="me-nickname">
                  {user.nickname}
                </View>
                {user.levelName && <Text className="tag">{user.levelName}</Text>}
              </View>
            </View>
          )}
        </StateView>
      </View>
      <View className="card">
        <View className="section-title">
          <Text>我的订单</Text>
          <Text className="section-title__extra" onClick={() => go('orders')}>
            全部订单 ›
          </Text>
        </View>
        <View className="stats">
          <View className="stat" onClick={() => go('orders', { status: 'unpaid' })} data-testid="me-unpaid">
            <View className="stat__value">{counts.unpaidOrders}</View>
            <View className="stat__label">待支付</View>
          </View>
          <View className="stat" onClick={() => go('queue')} data-testid="me-waiting">
            <View className="stat__value">{counts.waitingEntries}</View>
            <View className="stat__label">排队中</View>
          </View>
          <View className="stat" onClick={() => go('cart')} data-testid="me-cart">
            <View className="stat__value">{cartCount}</View>
            <View className="stat__label">购物车</View>
          </View>
        </View>
      </View>
      <View className="cell-group">
        <Cell label="我的钱包" arrow onClick={() => go('wallet')} testid="me-wallet" />
        <Cell label={`${name}`} arrow onClick={() => go('queue')} />
        <Cell
          label="消息通知"
          arrow
          onClick={() => go('inbox')}
          testid="me-inbox"
          extra={counts.unreadMessages > 0 ? <View className="badge">{counts.unreadMessages}</View> : undefined}
        />
      </View>
      <View className="cell-group">
        <Cell label="邀请好友" arrow onClick={() => go('invite')} testid="me-invite" />
        <Cell label="我的团队" arrow onClick={() => go('team')} />
        <Cell label="推广奖励" arrow onClick={() => go('rewards')} />
      </View>
      <View className="cell-group">
        <Cell
          label="商家入驻"
          value={user ? MERCHANT_STATUS_TEXT[user.merchantStatus] : undefined}
          arrow
          onClick={() => go('merchant')}
          testid="me-merchant"
        />
      </View>
    </View>
  );
}
