import { useEffect, useState } from 'react';
import { Input, ScrollView, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { ProductCard } from '@/components/ProductCard';
import { ListFooter, StateView } from '@/components/StateView';
import { usePaged } from '@/hooks/usePaged';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { go } from '@/routes';
import { useBrowse } from '@/stores/browse';
import './index.scss';

export default function CategoryPage() {
  const browse = useBrowse();
  const [categoryId, setCategoryId] = useState<string | null>(browse.categoryId);
  const [keyword, setKeyword] = useState(browse.keyword);
  const [draft, setDraft] = useState(browse.keyword);
  const cats = useRequest(() => callApi('catalog.categories', {}), []);

  // A category picked on the home tab arrives through the browse store.
  useDidShow(() => {
    const s = useBrowse.getState();
    if (s.categoryId) {
      setCategoryId(s.categoryId);
      setKeyword('');
      setDraft('');
      s.setCategory(null);
    }
  });

  const top = (cats.data?.categories ?? []).filter((c) => c.parentId === null);
  useEffect(() => {
    if (!categoryId && !keyword && top.length > 0) setCategoryId(top[0].id);
  }, [top.length]); // eslint-disable-line react-hooks/exhaustive-deps

  const list = usePaged(
    (cursor) =>
      callApi('catalog.products', {
        cursor,
        ...(keyword ? { keyword } : {}),
        ...(categoryId && !keyword ? { categoryId } : {}),
      }),
    [categoryId, keyword],
  );

  return (
    <View className="page category" data-testid="page-category">
      <View className="category__search">
        <Input
          className="category__input"
          placeholder="搜索商品"
          value={draft}
          confirmType="search"
          onInput={(e) => setDraft(e.detail.value)}
          onConfirm={() => setKeyword(draft.trim())}
          data-testid="category-search"
        />
        <View className="btn btn--small" onClick={() => setKeyword(draft.trim())} data-testid="category-search-btn">
          搜索
        </View>
      </View>
      <StateView loading={cats.loading && !cats.data} error={cats.data ? null : cats.error} onRetry={cats.reload} testid="categories">
        <View className="category__body">
          <ScrollView scrollY className="category__side" data-testid="category-side">
            {top.map((c) => (
              <View
                key={c.id}
                className={`category__side-item ${c.id === categoryId && !keyword ? 'category__side-item--active' : ''}`}
                onClick={() => {
                  setKeyword('');
                  setDraft('');
                  setCategoryId(c.id);
                }}
                data-testid={`category-${c.id}`}
              >
                <Text>{c.name}</Text>
              </View>
            ))}
          </ScrollView>
          <View className="category__main">
            {keyword && <View className="muted pad">“{keyword}”的搜索结果</View>}
            <StateView
              loading={list.loading}
              error={list.error}
              empty={list.items.length === 0}
              emptyText={keyword ? '没有找到相关商品' : '该分类暂无商品'}
              onRetry={list.reload}
              testid="category-products"
            >
              <View className="grid">
                {list.items.map((p) => (
                  <ProductCard key={p.id} product={p} onClick={() => go('product', { id: p.id })} />
                ))}
              </View>
              <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
            </StateView>
          </View>
        </View>
      </StateView>
    </View>
  );
}
