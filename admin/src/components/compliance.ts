// How a compliance flag of src/domain/compliance.ts reads in the console.
import type { ComplianceFlag } from '@/domain/compliance';
import { formatYuan } from '@/domain/money';

export const RULE_TEXT: Record<ComplianceFlag['rule'], string> = {
  entitlementAbovePrice: '权益高于实付',
  payoutAboveMargin: '提取与奖励超过毛利',
  teamRewards: '团队计酬 / 三级以上奖励',
  unionPoolShort: '工会资金池不足以支付奖励',
};

export function flagText(f: ComplianceFlag): string {
  return `${RULE_TEXT[f.rule]}：${f.message}（涉及 ¥${formatYuan(f.amount)}${f.per === '100yuan' ? ' / 每 ¥100' : ' / 每件'}）`;
}
