import { useState } from 'react';
import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { RecordCell } from '@/components/RecordCell';
import { ListFooter, StateView } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { usePaged } from '@/hooks/usePaged';
import { callApi } from '@/services/api';
import type { WalletHistoryItem } from '@contract';
import { dateTime, WALLET_KIND_TEXT, WITHDRAWAL_STATUS_TEXT, yuan } from '@/utils/format';

type Tab = 'all' | 'frozen' | 'withdrawals';

const TABS: { key: Tab; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'frozen', label: '冻结' },
  { key: 'withdrawals', label: '提现记录' },
];

interface Row {
  id: string;
  title: string;
  sub: string;
  amount: string;
  positive: boolean;
}

function historyRow(i: WalletHistoryItem): Row {
  return {
    id: i.id,
    title: i.title || WALLET_KIND_TEXT[i.kind],
    sub: `${dateTime(i.createdAt)} · ${i.balance === 'frozen' ? '冻结' : '可用'}`,
    amount: `${i.direction === 'in' ? '+' : '-'}${yuan(i.amount)}`,
    positive: i.direction === 'in',
  };
}

export default function HistoryPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<Tab>(params.tab === 'withdrawals' ? 'withdrawals' : 'all');
  const list = usePaged(async (cursor) => {
    if (tab === 'withdrawals') {
      const p = await callApi('wallet.withdrawals', { cursor });
      return {
        nextCursor: p.nextCursor,
        items: p.items.map((w) => ({
          id: w.withdrawalId,
          title: `提现 · ${WITHDRAWAL_STATUS_TEXT[w.status]}`,
          sub: `${dateTime(w.createdAt)} · 手续费 ${yuan(w.fee)} · 到账 ${yuan(w.net)}${w.reason ? ` · ${w.reason}` : ''}`,
          amount: `-${yuan(w.amount)}`,
          positive: false,
        })),
      };
    }
    const p = await callApi('wallet.history', { cursor, balance: tab });
    return { nextCursor: p.nextCursor, items: p.items.map(historyRow) };
  }, [tab]);

  return (
    <View className="page" data-testid="page-wallet-history">
      <Tabs items={TABS} value={tab} onChange={setTab} testid="history-tabs" />
      <StateView loading={list.loading} error={list.error} empty={list.items.length === 0} emptyText="暂无记录" onRetry={list.reload} testid="history">
        <View className="cell-group">
          {list.items.map((r) => (
            <RecordCell key={r.id} testid={`history-${r.id}`} title={r.title} sub={r.sub} amount={r.amount} positive={r.positive} />
          ))}
        </View>
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </StateView>
    </View>
  );
}
