import { View, Text } from '@tarojs/components';

export default function Page() {
  return (
    <View className="page" data-testid="page-me" id="page-me-root">
      <Text data-testid="title-me">me 页面</Text>
    </View>
  );
}
