import { View, Text } from '@tarojs/components';

export default function Page() {
  return (
    <View className="page" data-testid="page-category" id="page-category-root">
      <Text data-testid="title-category">category 页面</Text>
    </View>
  );
}
