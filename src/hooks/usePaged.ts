// Cursor-paged lists: first page, pull-to-refresh, load more at the bottom.
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { errorText } from '@/services/api';
import type { Page } from '@contract';

export interface PagedState<T, R> {
  items: T[];
  /** The last response (for totals and summaries beside the page). */
  last: R | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  reload: () => Promise<void>;
  loadMore: () => Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function usePaged<R extends Page<any>>(
  fetchPage: (cursor: string | null) => Promise<R>,
  deps: unknown[],
  options: { reloadOnShow?: boolean } = {},
): PagedState<R['items'][number], R> {
  type T = R['items'][number];
  const [items, setItems] = useState<T[]>([]);
  const [last, setLast] = useState<R | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<string | null>(null);
  const seq = useRef(0);
  const first = useRef(true);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(null);
      if (mine !== seq.current) return;
      cursor.current = page.nextCursor;
      setItems(page.items);
      setLast(page);
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (!cursor.current || loadingMore) return;
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const page = await fetchRef.current(cursor.current);
      if (mine !== seq.current) return;
      cursor.current = page.nextCursor;
      setItems((prev) => [...prev, ...page.items]);
      setLast(page);
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none' });
    } finally {
      setLoadingMore(false);
    }
  }, [loadingMore]);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void loadMore();
  });
  useDidShow(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (options.reloadOnShow) void reload();
  });

  return { items, last, loading, loadingMore, error, hasMore: last?.nextCursor != null, reload, loadMore };
}
