// 邀请码: weapp shows the server's unlimited mini-program code; h5 draws a QR
// of the share URL on the device.
import { Text, View } from '@tarojs/components';
import Taro, { useShareAppMessage } from '@tarojs/taro';
import { QrImage } from '@/components/QrImage';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { h5PublicUrl, isH5, platform } from '@/services/config';
import { askSubscribe, SUBSCRIBE_MOMENTS } from '@/services/subscribe';
import { go } from '@/routes';

/** The h5 link a scanned invite opens: the configured public URL, else this page's origin. */
export function h5InviteUrl(serverUrl: string, scene: string): string {
  if (serverUrl) return serverUrl;
  const base = h5PublicUrl || (typeof window !== 'undefined' && window.location ? `${window.location.origin}${window.location.pathname}` : '');
  return `${base}#/pages/home/index?scene=${encodeURIComponent(scene)}`;
}

export default function InvitePage() {
  const { data, error, loading, reload } = useRequest(() => callApi('promoter.inviteCode', { platform }), []);
  useShareAppMessage(() => ({
    title: '邀你一起逛排队返利商城',
    path: data ? `/pages/home/index?scene=${encodeURIComponent(data.scene)}` : '/pages/home/index',
  }));
  const copy = () => {
    if (!data) return;
    void Taro.setClipboardData({ data: isH5 ? h5InviteUrl(data.url, data.scene) : data.scene });
  };

  return (
    <View className="page" data-testid="page-invite">
      <StateView loading={loading && !data} error={data ? null : error} onRetry={reload} testid="invite">
        {data && (
          <View>
            <View className="card text-center">
              <View className="title">邀请好友扫码加入</View>
              <View className="muted mt-s">好友首次打开即与你绑定，绑定后不可更改</View>
              <View className="mt">
                <QrImage wxacodeBase64={data.wxacodeBase64} url={isH5 ? h5InviteUrl(data.url, data.scene) : data.url} testid="invite-qr" />
              </View>
              <View className="muted mt-s" data-testid="invite-scene">
                邀请码：{data.scene.replace(/^i=/, '')}
              </View>
              <View className="row mt" style={{ justifyContent: 'center' }}>
                <View className="btn btn--plain btn--small" onClick={copy} data-testid="invite-copy">
                  {isH5 ? '复制邀请链接' : '复制邀请码'}
                </View>
              </View>
              <View className="muted mt-s">{isH5 ? '长按或截图保存二维码' : '长按二维码保存，或点右上角“…”转发给好友'}</View>
            </View>
            <View className="card text-center" data-testid="merchant-invite">
              <View className="title">邀请商家入驻</View>
              <View className="muted mt-s">商家扫码后填写入驻申请，你将作为推荐人与申请一同提交</View>
              <View className="mt">
                <QrImage wxacodeBase64={data.merchantInvite.wxacodeBase64} url={data.merchantInvite.url} testid="merchant-invite-qr" />
              </View>
              <View className="muted mt-s" data-testid="merchant-invite-scene">
                商家邀请码：{data.merchantInvite.scene}
              </View>
            </View>
            <View className="cell-group">
              <View className="cell" onClick={() => go('team')} data-testid="invite-team">
                <Text className="cell__label">我的团队</Text>
                <Text className="cell__arrow">›</Text>
              </View>
              <View
                className="cell"
                onClick={() => {
                  void askSubscribe(SUBSCRIBE_MOMENTS.promoter);
                  go('rewards');
                }}
                data-testid="invite-rewards"
              >
                <Text className="cell__label">推广奖励</Text>
                <Text className="cell__arrow">›</Text>
              </View>
            </View>
            <View className="card notice notice--info">奖励按平台公布的规则计算，只来自好友的真实消费，不因单纯邀请注册计酬。</View>
          </View>
        )}
      </StateView>
    </View>
  );
}
