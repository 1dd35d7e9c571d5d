import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ProductCard } from '@/components/ProductCard';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { isH5 } from '@/services/config';
import { scanWithCamera } from '@/services/scan';
import { go, openLink } from '@/routes';
import { useBrowse } from '@/stores/browse';
import { useSettings } from '@/stores/settings';
import './index.scss';

export default function Home() {
  const name = useSettings((s) => s.name);
  const { data, error, loading, reload } = useRequest(() => callApi('catalog.home', {}), []);
  const setCategory = useBrowse((s) => s.setCategory);

  return (
    <View className="page home" data-testid="page-home">
      <View className="home__top">
        <View className="home__search" onClick={() => go('category')} data-testid="home-search">
          <Text className="muted">搜索商品</Text>
        </View>
        {/* 扫一扫: WeChat's scanner in weapp, a code field in h5. */}
        <View className="home__scan" onClick={() => (isH5 ? go('scan') : void scanWithCamera())} data-testid="home-scan">
          <Text>扫一扫</Text>
        </View>
      </View>
      {/* Static: on screen at once, before the catalogue answers (first screen, no layout shift). */}
      <View className="card home__feature" onClick={() => go('queue')} data-testid="home-feature">
        <View className="row row--between">
          <Text className="title">{name}</Text>
          <Text className="muted">我的队列 ›</Text>
        </View>
        <View className="muted mt-s">购买参与活动的商品即按支付顺序排队，后续订单提取部分金额依次返还给排在前面的顾客。返还进度取决于后续消费，不作承诺。</View>
      </View>
      <StateView
        loading={loading && !data}
        error={data ? null : error}
        empty={!!data && data.recommended.length === 0 && data.categories.length === 0}
        emptyText="商品正在上架中，稍后再来看看"
        onRetry={reload}
        testid="home"
      >
        {data && (
          <View>
            {data.banners.length > 0 && (
              <Swiper className="home__banner" autoplay circular indicatorDots indicatorActiveColor="#ffffff">
                {data.banners.map((b) => (
                  <SwiperItem key={b.id} onClick={() => b.link && openLink(b.link)}>
                    <Image className="home__banner-image" src={b.image} mode="aspectFill" />
                    {b.title && <View className="home__banner-title">{b.title}</View>}
                  </SwiperItem>
                ))}
              </Swiper>
            )}
            {data.notice && (
              <View className="card notice" data-testid="home-notice">
                公告：{data.notice}
              </View>
            )}
            {data.categories.length > 0 && (
              <View className="card home__cats">
                {data.categories.slice(0, 8).map((c) => (
                  <View
                    key={c.id}
                    className="home__cat"
                    data-testid={`home-cat-${c.id}`}
                    onClick={() => {
                      setCategory(c.id);
                      void Taro.switchTab({ url: '/pages/category/index' });
                    }}
                  >
                    {c.icon ? <Image className="home__cat-icon" src={c.icon} /> : <View className="home__cat-icon image-placeholder">{Array.from(c.name)[0]}</View>}
                    <Text className="small">{c.name}</Text>
                  </View>
                ))}
              </View>
            )}
            <View className="section-title pad" style={{ paddingBottom: 0 }}>
              <Text>为你推荐</Text>
            </View>
            <View className="grid" data-testid="home-products">
              {data.recommended.map((p) => (
                <ProductCard key={p.id} product={p} onClick={() => go('product', { id: p.id })} />
              ))}
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
