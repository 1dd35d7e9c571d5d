// 抽奖: drawn on the server once per entry; a short spin, then the drawn
// ratio replaces the old one.
import { useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { StateView } from '@/components/StateView';
import { useRequest } from '@/hooks/useRequest';
import { callApi, errorText } from '@/services/api';
import type { ApiResponse, LotteryView, MyEntry } from '@contract';
import { useSettings } from '@/stores/settings';
import { ratioText, yuan } from '@/utils/format';
import './index.scss';

const SPIN_MS = 1400;
const TICK_MS = 80;

/** Ratios flashed during the spin (display only). */
export function spinFaces(lottery: LotteryView | null): string[] {
  if (!lottery) return ['?'];
  if (lottery.kind === 'fixed') return lottery.ratios;
  const min = Number(lottery.min);
  const max = Number(lottery.max);
  const step = (max - min) / 6;
  return Array.from({ length: 7 }, (_, i) => String(Math.round(min + step * i)));
}

type DrawResult = ApiResponse<'queue.draw'>;

/** Why this entry cannot be drawn, in the shopper's words. */
export function drawUnavailableText(entry: MyEntry, lotteryOn: boolean): string {
  if (entry.drawnRatio) return `已抽奖，抽中 ${ratioText(entry.drawnRatio)}（每条权益仅可抽奖一次）`;
  if (entry.status !== 'waiting') return '该权益已结束排队，不能再抽奖';
  if (entry.paid > 0) return '该权益已获得返还，不能再抽奖（抽奖须在获得返还前参与）';
  if (!lotteryOn && !entry.lottery) return '当前没有进行中的抽奖活动';
  return '抽奖功能暂未开放，敬请期待';
}

export default function DrawPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { data, error, loading, reload } = useRequest(() => callApi('queue.entry', { entryId: id }), [id], { skip: !id });
  const [spinning, setSpinning] = useState(false);
  const [face, setFace] = useState<string | null>(null);
  const [result, setResult] = useState<DrawResult | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const entry = data?.entry;
  const lotteryOn = useSettings((s) => s.lotteryOn);

  useEffect(() => () => {
    if (timer.current) clearInterval(timer.current);
  }, []);

  const draw = async () => {
    if (!entry || spinning) return;
    const faces = spinFaces(entry.lottery);
    let i = 0;
    setSpinning(true);
    timer.current = setInterval(() => {
      i = (i + 1) % faces.length;
      setFace(faces[i]);
    }, TICK_MS);
    const started = Date.now();
    try {
      const res = await callApi('queue.draw', { entryId: entry.entryId });
      const wait = SPIN_MS - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      setResult(res);
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
    } finally {
      if (timer.current) clearInterval(timer.current);
      timer.current = null;
      setFace(null);
      setSpinning(false);
    }
  };

  return (
    <View className="page" data-testid="page-draw">
      <StateView loading={loading && !data} error={!id ? '记录不存在' : data ? null : error} onRetry={reload} testid="draw">
        {entry && (
          <View>
            <View className="card text-center">
              <View className="muted">{entry.title}</View>
              <View className="draw__ball-wrap">
                <View
                  className={`draw__ball ${spinning ? 'draw__ball--spin' : ''} ${result ? 'draw__ball--done' : ''} ${!result && !entry.canDraw ? 'draw__ball--off' : ''}`}
                  data-testid="draw-ball"
                >
                  <Text data-testid="draw-face">{result ? ratioText(result.ratio) : face !== null ? `${face}%` : ratioText(entry.ratio)}</Text>
                </View>
              </View>
              {!result && !spinning && <View className="muted draw__ball-label">当前权益比例</View>}
              {result ? (
                <View data-testid="draw-result">
                  <View className="title">抽中 {ratioText(result.ratio)}</View>
                  <View className="subtitle mt-s">
                    权益比例 <Text className="draw__old">{ratioText(result.previousRatio)}</Text> → <Text className="text-accent strong">{ratioText(result.ratio)}</Text>
                  </View>
                  <View className="subtitle">新的待返权益 {yuan(result.entitlement)}</View>
                  <View className="muted mt-s">抽奖只改变权益比例；返还仍按队列顺序，预计时间仅供参考。</View>
                  <View className="btn btn--block mt" onClick={() => void Taro.navigateBack()} data-testid="draw-back">
                    返回
                  </View>
                </View>
              ) : entry.canDraw ? (
                <View>
                  <View className="subtitle mt-s">抽中的比例将替换当前比例 {ratioText(entry.ratio)}</View>
                  {entry.lottery && (
                    <View className="muted mt-s" data-testid="draw-options">
                      {entry.lottery.kind === 'fixed' ? `可能抽中：${entry.lottery.ratios.map(ratioText).join(' / ')}` : `抽奖区间：${ratioText(entry.lottery.min)} ~ ${ratioText(entry.lottery.max)}`}
                    </View>
                  )}
                  <View className={`btn btn--accent btn--block mt ${spinning ? 'btn--disabled' : ''}`} onClick={draw} data-testid="draw-start">
                    {spinning ? '抽奖中…' : '开始抽奖'}
                  </View>
                  <View className="muted mt-s">每条排队权益仅可抽奖一次，须在获得返还前参与。</View>
                </View>
              ) : (
                <View className="notice notice--info mt-s" data-testid="draw-unavailable">
                  {drawUnavailableText(entry, lotteryOn)}
                </View>
              )}
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
