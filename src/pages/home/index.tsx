import { View, Text } from '@tarojs/components';

export default function Page() {
  return (
    <View className="page" data-testid="page-home" id="page-home-root">
      <Text data-testid="title-home">home 页面</Text>
    </View>
  );
}
