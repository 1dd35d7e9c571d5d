// Union queue mode (工会排队, SPEC §5): the pool's figures, what an order
// would join with, one entry. Every date is an estimate and says so; the
// copy never promises a return.
import { Text, View } from '@tarojs/components';
import type { UnionEntry, UnionOverview } from '@contract';
import { useRequest } from '@/hooks/useRequest';
import { callApi } from '@/services/api';
import { pct } from '@/domain/money';
import { progressPercent, ratioText, yuan } from '@/utils/format';
import { EstimateNote } from './EstimateNote';
import { ProgressBar } from './ProgressBar';
import { Stat } from './Stat';

export const UNION_NAME = '工会排队';

/** The pool and the union settings (public); null until loaded, or when `enabled` is false (classic mode). */
export function useUnionOverview(enabled = true) {
  return useRequest(() => callApi('union.overview', {}), [enabled], { skip: !enabled });
}

/** The standing disclaimer of the union queue. */
export function UnionDisclaimer() {
  return (
    <View className="notice" data-testid="union-disclaimer">
      {UNION_NAME}：平台每天把前一日订单净利润的一部分放入工会返利池，按排队顺序整笔返还额度；能否返还、何时返完取决于每日利润，预计时间仅供参考，平台不承诺返还。
    </View>
  );
}

/** Pool now, yesterday's and the 7-day inflow, who waits. */
export function UnionPoolCard({ overview }: { overview: UnionOverview | null | undefined }) {
  return (
    <View className="card" data-testid="union-pool">
      <View className="section-title">工会返利池</View>
      <View className="stats">
        <Stat value={overview ? yuan(overview.pool) : '--'} label="池内结余" testid="union-pool-balance" />
        <Stat value={overview ? yuan(overview.yesterdayInflow) : '--'} label="昨日流入" testid="union-pool-yesterday" />
        <Stat value={overview ? yuan(overview.inflow7) : '--'} label="近7日流入" testid="union-pool-7d" />
      </View>
      {overview && (
        <View className="muted mt-s" data-testid="union-pool-waiting">
          排队中 {overview.waitingCount} 笔，待返额度共 {yuan(overview.waitingQuota)}；每天 {overview.dailyAt} 结算前一日利润的 {ratioText(overview.poolRatio)} 入池
        </View>
      )}
    </View>
  );
}

/** What a purchase of `paid` fen would join with (product page, checkout, cashier). */
export function UnionPreviewCard({ paid, overview, baseLabel, testid = 'union-preview' }: { paid: number; overview: UnionOverview | null | undefined; baseLabel?: string; testid?: string }) {
  if (!overview) return null;
  return (
    <View className="card" data-testid={testid}>
      <View className="row row--between">
        <Text className="strong">{UNION_NAME}</Text>
        <Text className="tag tag--accent">额度 {ratioText(overview.quotaRatio)}</Text>
      </View>
      <View className="mt-s" data-testid={`${testid}-quota`}>
        {baseLabel ?? '实付'} {yuan(paid)}，订单完成后加入{UNION_NAME}，返还额度 {yuan(pct(paid, overview.quotaRatio))}
      </View>
      <View className="muted mt-s" data-testid={`${testid}-pool`}>
        前方排队 {overview.waitingCount} 笔（待返 {yuan(overview.waitingQuota)}）· 返利池昨日流入 {yuan(overview.yesterdayInflow)} · 近7日流入 {yuan(overview.inflow7)}
      </View>
      <View className="muted mt-s">具体预计时间在排队页查看（预计，仅供参考）</View>
    </View>
  );
}

const STATUS_TEXT: Record<UnionEntry['status'], string> = { waiting: '排队中', done: '已返完' };

/** One of my union entries: quota, paid, place, quota ahead, the estimate labelled as an estimate. */
export function UnionEntryCard({ entry, onOpen }: { entry: UnionEntry; onOpen?: () => void }) {
  const locked = entry.status === 'waiting' && entry.payableDate > today();
  return (
    <View className="card" onClick={onOpen} data-testid={`union-entry-${entry.seq}`}>
      <View className="row row--between">
        <Text className="strong">
          {UNION_NAME} · 第 {entry.seq} 号
        </Text>
        <Text className={`tag ${entry.status === 'waiting' ? 'tag--accent' : 'tag--success'}`} data-testid={`union-entry-${entry.seq}-status`}>
          {STATUS_TEXT[entry.status]}
        </Text>
      </View>
      <ProgressBar percent={entry.quota === 0 ? '100' : progressPercent(entry.paid, entry.quota)} testid={`union-entry-${entry.seq}-progress`} />
      <View className="stats mt-s">
        <Stat value={yuan(entry.quota)} label="返还额度" testid={`union-entry-${entry.seq}-quota`} />
        <Stat value={yuan(entry.paid)} label="已返" testid={`union-entry-${entry.seq}-paid`} />
        <Stat value={yuan(entry.pending)} label="待返" testid={`union-entry-${entry.seq}-pending`} />
      </View>
      {entry.status === 'waiting' && (
        <View className="mt-s" data-testid={`union-entry-${entry.seq}-place`}>
          当前第 {entry.place} 位，前方待返额度 {yuan(entry.quotaAhead ?? 0)}
        </View>
      )}
      {locked && (
        <View className="muted" data-testid={`union-entry-${entry.seq}-locked`}>
          {entry.payableDate} 起参与返还（保持排队位置）
        </View>
      )}
      {entry.accelerated > 0 && <View className="muted">推广加速已返 {yuan(entry.accelerated)}</View>}
      {entry.status === 'waiting' && <EstimateNote estimate={entry.estimate} testid={`union-entry-${entry.seq}-estimate`} />}
      {entry.status === 'done' && entry.paidDate && <View className="muted">{entry.paidDate} 返完</View>}
    </View>
  );
}

/** Today's local date (Asia/Shanghai), YYYY-MM-DD. */
function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
