// Loading / error / empty states every screen shares.
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

export interface StateViewProps {
  loading?: boolean;
  error?: string | null;
  empty?: boolean;
  emptyText?: string;
  /** One character drawn in the icon circle (text, never an emoji: many devices have no emoji font). */
  emptyIcon?: string;
  emptyAction?: ReactNode;
  onRetry?: () => void;
  /** Prefix of the data-testid hooks: `<id>-loading`, `<id>-error`, `<id>-empty`. */
  testid?: string;
  children?: ReactNode;
}

export function StateView({ loading, error, empty, emptyText, emptyIcon, emptyAction, onRetry, testid = 'state', children }: StateViewProps) {
  if (loading) {
    return (
      <View className="state" data-testid={`${testid}-loading`}>
        <View className="spinner" />
        <Text className="state__text">加载中…</Text>
      </View>
    );
  }
  if (error) {
    return (
      <View className="state" data-testid={`${testid}-error`}>
        <Text className="state__icon state__icon--error">!</Text>
        <Text className="state__text">{error}</Text>
        {onRetry && (
          <View className="btn btn--ghost btn--small" onClick={onRetry} data-testid={`${testid}-retry`}>
            重新加载
          </View>
        )}
      </View>
    );
  }
  if (empty) {
    return (
      <View className="state" data-testid={`${testid}-empty`}>
        <Text className="state__icon">{emptyIcon ?? '空'}</Text>
        <Text className="state__text">{emptyText ?? '暂无内容'}</Text>
        {emptyAction}
      </View>
    );
  }
  return <>{children}</>;
}

export function ListFooter({ loadingMore, hasMore, count }: { loadingMore: boolean; hasMore: boolean; count: number }) {
  if (count === 0) return null;
  return (
    <View className="list-footer" data-testid="list-footer">
      {loadingMore ? '加载中…' : hasMore ? '上拉加载更多' : '没有更多了'}
    </View>
  );
}
