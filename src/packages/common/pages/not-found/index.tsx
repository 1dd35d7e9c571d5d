// 页面不存在: where an unknown path (an old link, a mistyped QR page) lands,
// instead of the previous page staying on screen with the new URL.
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { go } from '@/routes';

export default function NotFoundPage() {
  const { params } = useRouter();
  return (
    <View className="page" data-testid="page-not-found">
      <View className="state">
        <Text className="state__icon">?</Text>
        <Text className="state__text">页面不存在或已下线</Text>
        {params.path && (
          <Text className="muted small" data-testid="not-found-path">
            {decodeURIComponent(params.path)}
          </Text>
        )}
        <View className="btn btn--small mt" onClick={() => go('home')} data-testid="not-found-home">
          返回首页
        </View>
      </View>
    </View>
  );
}
