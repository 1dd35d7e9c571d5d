// Loading / error / data for one screen, with pull-to-refresh and reload on show.
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { errorText } from '@/services/api';

export interface RequestState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (d: T) => void;
}

export interface RequestOptions {
  /** Reload when the page shows again (coming back from another page). */
  reloadOnShow?: boolean;
  /** Skip loading (e.g. a required param is missing). */
  skip?: boolean;
}

export function useRequest<T>(fn: () => Promise<T>, deps: unknown[], options: RequestOptions = {}): RequestState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(!options.skip);
  const seq = useRef(0);
  const first = useRef(true);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const d = await fnRef.current();
      if (mine === seq.current) setData(d);
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (options.skip) return;
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, options.skip]);

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });

  useDidShow(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (options.reloadOnShow && !options.skip) void reload();
  });

  return { data, error, loading, reload, setData };
}
