// One of my queue entries: what I paid, what I received, what is waiting,
// where I am, and an estimate labelled as an estimate.
import { Image, Text, View } from '@tarojs/components';
import type { DisplaySettings, MyEntry } from '@contract';
import { ENTRY_STATUS_TEXT, EXCHANGE_TARGET_TEXT, NO_ENTITLEMENT_TEXT, progressPercent, ratioText, TERMS, units, yuan } from '@/utils/format';
import { EstimateNote } from './EstimateNote';
import { ProgressBar } from './ProgressBar';
import { Stat } from './Stat';

export interface EntryCardProps {
  entry: MyEntry;
  display: DisplaySettings;
  exchangeButtonName: string;
  /** settings.display's lotteryOn: the platform runs a lottery (the entry may not be drawable yet). */
  lotteryOn?: boolean;
  onOpen?: () => void;
  onDraw?: () => void;
  onExchange?: () => void;
  onProgress?: () => void;
}

const STATUS_TAG: Record<MyEntry['status'], string> = {
  waiting: 'tag--accent',
  done: 'tag--success',
  exchanged: 'tag--info',
  converted: 'tag--info',
  cleared: '',
  cancelled: '',
};

/** Features a waiting entry would offer but the platform does not yet: said plainly instead of a missing button. */
export function unavailableFeatures(entry: MyEntry, lotteryOn: boolean, exchangeButtonName: string): string[] {
  if (entry.status !== 'waiting') return [];
  const out: string[] = [];
  if (!entry.canDraw && !entry.drawnRatio && entry.paid === 0 && (lotteryOn || entry.lottery)) out.push('抽奖');
  if (!entry.canExchange && entry.pending > 0) out.push(exchangeButtonName);
  return out;
}

export function EntryCard({ entry, display, exchangeButtonName, lotteryOn = false, onOpen, onDraw, onExchange, onProgress }: EntryCardProps) {
  const waiting = entry.status === 'waiting';
  // A line paid ¥0 (fully deducted) gets an entry of entitlement 0, done at once: it was never returned anything.
  const empty = entry.entitlement === 0 && entry.paid === 0;
  const testid = `entry-${entry.entryId}`;
  const notYet = unavailableFeatures(entry, lotteryOn, exchangeButtonName);
  return (
    <View className="card" data-testid={testid} data-status={entry.status}>
      <View className="row" onClick={onOpen}>
        {entry.image ? (
          <Image className="avatar" src={entry.image} mode="aspectFill" />
        ) : (
          <View className="avatar">{Array.from(entry.title || '单')[0]}</View>
        )}
        <View className="flex1" style={{ marginLeft: '12px' }}>
          <View className="title ellipsis">{entry.title}</View>
          <View className="muted ellipsis">
            {entry.queueName}
            {display.queueId && <Text data-testid={`${testid}-seq`}> · 第 {entry.seq} 号</Text>}
          </View>
        </View>
        <Text className={`tag ${empty ? '' : STATUS_TAG[entry.status]}`} data-testid={`${testid}-status`}>
          {empty ? NO_ENTITLEMENT_TEXT : ENTRY_STATUS_TEXT[entry.status]}
        </Text>
      </View>

      {display.progress && !empty && (entry.status === 'waiting' || entry.status === 'done') && (
        <View className="mt-s">
          <ProgressBar percent={progressPercent(entry.paid, entry.entitlement)} testid={`${testid}-progress`} />
        </View>
      )}

      <View className="stats mt-s">
        <Stat value={yuan(entry.base)} label={TERMS.base} testid={`${testid}-base`} />
        <Stat value={yuan(entry.paid)} label={TERMS.paid} testid={`${testid}-paid`} />
        <Stat value={yuan(entry.pending)} label={TERMS.pending} testid={`${testid}-pending`} accent />
      </View>
      {empty ? (
        <View className="muted mt-s" data-testid={`${testid}-empty`}>
          {TERMS.base} {yuan(entry.base)}，本行不产生排队{TERMS.entitlement}
        </View>
      ) : (
        <View className="muted mt-s">
          {TERMS.entitlement} {yuan(entry.entitlement)}（{ratioText(entry.ratio)}
          {entry.drawnRatio ? '，抽奖所得' : ''}）
        </View>
      )}

      {waiting && (
        <View className="mt-s">
          <View className="subtitle" data-testid={`${testid}-position`}>
            排第 {entry.position ?? '-'} 位，前方待返 {entry.amountAhead === null ? '-' : yuan(entry.amountAhead)}
          </View>
          <EstimateNote estimate={entry.estimate} testid={`${testid}-estimate`} />
        </View>
      )}
      {entry.exchangedTo && (
        <View className="muted mt-s" data-testid={`${testid}-exchanged`}>
          已{entry.status === 'converted' ? '转为' : '兑换为'}
          {entry.exchangedTo.to === 'coupon'
            ? `购物券 ${yuan(entry.exchangedTo.amount)}`
            : ` ${units(entry.exchangedTo.amount)} ${EXCHANGE_TARGET_TEXT[entry.exchangedTo.to]}`}
        </View>
      )}

      {notYet.length > 0 && (
        <View className="muted small mt-s" data-testid={`${testid}-unavailable`}>
          {notYet.join('、')}功能暂未开放
        </View>
      )}
      {(entry.canDraw || entry.canExchange || (display.queueId && onProgress)) && (
        <View className="row mt" style={{ justifyContent: 'flex-end' }}>
          {display.queueId && onProgress && (
            <View className="btn btn--plain btn--small" onClick={onProgress} data-testid={`${testid}-progress-btn`}>
              队列进程
            </View>
          )}
          {entry.canDraw && onDraw && (
            <View className="btn btn--accent btn--small" onClick={onDraw} data-testid={`${testid}-draw`}>
              抽奖
            </View>
          )}
          {entry.canExchange && onExchange && (
            <View className="btn btn--ghost btn--small" onClick={onExchange} data-testid={`${testid}-exchange`}>
              {exchangeButtonName}
            </View>
          )}
        </View>
      )}
    </View>
  );
}
