// Product detail with the queue rebate this purchase would earn.
import { useState } from 'react';
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Price } from '@/components/Price';
import { QueuePreviewCard } from '@/components/QueuePreviewCard';
import { QueueDisclaimer } from '@/components/EstimateNote';
import { StateView } from '@/components/StateView';
import { UnionDisclaimer, UnionPreviewCard, useUnionOverview } from '@/components/Union';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { useCart } from '@/stores/cart';
import { useSettings } from '@/stores/settings';
import './index.scss';

export default function ProductPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const name = useSettings((s) => s.name);
  const union = useSettings((s) => s.mode) === 'union';
  const overview = useUnionOverview(union);
  const add = useCart((s) => s.add);
  const cartCount = useCart((s) => s.items.reduce((n, i) => n + i.quantity, 0));
  const [qty, setQty] = useState(1);
  const { data, error, loading, reload } = useRequest(() => callApi('catalog.product', { productId: id }), [id], { skip: !id });
  const p = data?.product;

  const toCart = () => {
    if (!p) return;
    add({ productId: p.id, title: p.title, image: p.image, price: p.price, queueRatio: p.queueRatio }, qty);
    void Taro.showToast({ title: '已加入购物车', icon: 'success' });
  };
  const buyNow = () => {
    if (!p) return;
    go('checkout', { productId: p.id, qty });
  };

  return (
    <View className="page page--with-bar" data-testid="page-product">
      <StateView loading={loading && !data} error={!id ? '商品不存在' : data ? null : error} onRetry={reload} testid="product">
        {p && (
          <View>
            <Swiper className="product__gallery" indicatorDots={p.images.length > 1} circular>
              {(p.images.length ? p.images : [p.image]).map((src, i) => (
                <SwiperItem key={`${src}-${i}`}>
                  {src ? <Image className="product__image" src={src} mode="aspectFill" /> : <View className="product__image image-placeholder">暂无图片</View>}
                </SwiperItem>
              ))}
            </Swiper>
            <View className="card card--flat">
              <View className="row row--between">
                <View>
                  <Price fen={p.price} size="l" testid="product-price" />
                  {p.marketPrice !== null && p.marketPrice > p.price && (
                    <Text style={{ marginLeft: '8px' }}>
                      <Price fen={p.marketPrice} strike />
                    </Text>
                  )}
                </View>
                <Text className="muted">已售 {p.sales}</Text>
              </View>
              <View className="title mt-s" data-testid="product-title">
                {p.title}
              </View>
              {p.store && <View className="muted mt-s">门店：{p.store.name}</View>}
            </View>
            {union ? (
              <>
                <UnionPreviewCard paid={p.price * qty} overview={overview.data} testid="product-union" />
                <View className="card">
                  <UnionDisclaimer />
                </View>
              </>
            ) : (
              <QueuePreviewCard preview={data.queue} name={name} />
            )}
            {!union && data.queue?.enabled && (
              <View className="card">
                <QueueDisclaimer name={name} />
              </View>
            )}
            <View className="card">
              <View className="row row--between">
                <Text>购买数量</Text>
                <View className="row">
                  <View className="product__step" onClick={() => setQty(Math.max(1, qty - 1))} data-testid="product-qty-minus">
                    −
                  </View>
                  <Text className="product__qty" data-testid="product-qty">
                    {qty}
                  </Text>
                  <View className="product__step" onClick={() => setQty(Math.min(Math.max(1, p.stock), qty + 1))} data-testid="product-qty-plus">
                    +
                  </View>
                </View>
              </View>
              <View className="muted mt-s">库存 {p.stock}</View>
            </View>
            {p.description && (
              <View className="card">
                <View className="section-title">商品详情</View>
                <Text className="subtitle" style={{ whiteSpace: 'pre-wrap' }}>
                  {p.description}
                </Text>
              </View>
            )}
            <View className="action-bar">
              <View className="product__cart" onClick={() => go('cart')} data-testid="product-go-cart">
                <Text className="small">购物车{cartCount > 0 ? `(${cartCount})` : ''}</Text>
              </View>
              <View className={`btn btn--ghost flex1 ${p.stock <= 0 ? 'btn--disabled' : ''}`} onClick={p.stock > 0 ? toCart : undefined} data-testid="product-add-cart">
                加入购物车
              </View>
              <View className={`btn flex1 ${p.stock <= 0 ? 'btn--disabled' : ''}`} onClick={p.stock > 0 ? buyNow : undefined} data-testid="product-buy">
                {p.stock > 0 ? '立即购买' : '已售罄'}
              </View>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
