import { Image, View } from '@tarojs/components';

export function Avatar({ url, name, large }: { url: string | null | undefined; name: string; large?: boolean }) {
  const cls = large ? 'avatar avatar--l' : 'avatar';
  if (url) return <Image className={cls} src={url} mode="aspectFill" />;
  return <View className={cls}>{Array.from(name || '?')[0]}</View>;
}
