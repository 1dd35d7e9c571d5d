import { Image, Text, View } from '@tarojs/components';
import type { ProductCard as Product } from '@contract';
import { ratioText } from '@/utils/format';
import { Price } from './Price';

export function ProductCard({ product, onClick }: { product: Product; onClick: () => void }) {
  return (
    <View className="grid__item" onClick={onClick} data-testid={`product-${product.id}`}>
      <View className="product-card">
        {product.image ? (
          <Image className="product-card__image" src={product.image} mode="aspectFill" lazyLoad />
        ) : (
          <View className="product-card__image image-placeholder">暂无图片</View>
        )}
        <View className="product-card__body">
          <View className="product-card__title ellipsis-2">{product.title}</View>
          <View className="row row--between mt-s">
            <Price fen={product.price} />
            <Text className="muted">已售{product.sales}</Text>
          </View>
          {product.queueRatio && (
            <View className="mt-s">
              <Text className="tag tag--accent">排队权益 {ratioText(product.queueRatio)}</Text>
            </View>
          )}
        </View>
      </View>
    </View>
  );
}
