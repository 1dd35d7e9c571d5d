import { View, Text } from '@tarojs/components';

export default function Page() {
  return (
    <View className="page" data-testid="page-queue" id="page-queue-root">
      <Text data-testid="title-queue">queue 页面</Text>
    </View>
  );
}
