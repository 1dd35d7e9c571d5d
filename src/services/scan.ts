// 扫一扫: what a scanned or typed code opens (src/utils/scene.ts parses it).
import Taro from '@tarojs/taro';
import { callApi, errorText } from '@/services/api';
import { go } from '@/routes';
import { parseScannedCode, type ScanTarget } from '@/utils/scene';

export const BAD_CODE = '无法识别的二维码，请扫描本商城的收款码、商品码或邀请码';

/** Opens the target's page; an invite binds the inviter (once, for ever) and says how it went. */
export async function openScanTarget(target: ScanTarget): Promise<void> {
  switch (target.kind) {
    case 'cashier':
      go('cashierPay', { cashierId: target.cashierId });
      return;
    case 'product':
      go('product', { id: target.productId });
      return;
    case 'merchantInvite':
      go('merchantApply', { recruiter: target.recruiterScene.replace(/^i=/, '') });
      return;
    case 'invite': {
      try {
        const r = await callApi('promoter.bind', { scene: target.scene });
        const title =
          r.reason === 'bound' ? `已绑定邀请人${r.referrer ? ` ${r.referrer.maskedName}` : ''}`
          : r.reason === 'alreadyBound' ? '你已绑定过邀请人'
          : r.reason === 'self' ? '不能绑定自己的邀请码'
          : r.reason === 'registered' ? '老用户不能再绑定邀请人'
          : '邀请码无效';
        void Taro.showToast({ title, icon: r.bound ? 'success' : 'none', duration: 2500 });
      } catch (e) {
        void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
      }
      return;
    }
  }
}

/** Parses a code and opens it; false (after saying so) when it is not one of ours. */
export async function openScannedCode(text: string): Promise<boolean> {
  const target = parseScannedCode(text);
  if (!target) {
    void Taro.showToast({ title: BAD_CODE, icon: 'none', duration: 2500 });
    return false;
  }
  await openScanTarget(target);
  return true;
}

/** WeChat's scanner (weapp): a code of this mini-program answers with `path`, a QR code with `result`. */
export async function scanWithCamera(): Promise<boolean> {
  let res: { result?: string; path?: string };
  try {
    res = await Taro.scanCode({});
  } catch {
    return false; // cancelled
  }
  return openScannedCode(res.path || res.result || '');
}
