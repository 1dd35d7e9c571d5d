// WeChat clients configured from the environment. Production points them at
// WeChat (defaults below); the local stack points them at the sandbox.
//   WECHAT_APPID, WECHAT_SECRET                 mini-program credentials
//   WECHAT_API_BASE                             default https://api.weixin.qq.com
//   WECHATPAY_API_BASE                          default https://api.mch.weixin.qq.com
//   WECHATPAY_MCHID, WECHATPAY_MCH_SERIAL       merchant id, API certificate serial
//   WECHATPAY_MCH_PRIVATE_KEY                   apiclient_key.pem (PKCS#8)
//   WECHATPAY_PUBLIC_KEY_ID, WECHATPAY_PUBLIC_KEY   WeChat Pay public key and its id
//   WECHATPAY_PLATFORM_KEYS                     optional JSON {serial: PEM} (platform certificates' public keys)
//   WECHATPAY_APIV3_KEY                         32-byte API v3 key
//   WECHAT_HTTP_TIMEOUT_MS                      per call, default 10000
import { env, requireEnv } from './env.ts';
import { merchantSigner, MiniProgramClient, publicKeyRing, WechatPayClient } from './wechat/index.ts';

let payClient: Promise<WechatPayClient> | null = null;

/** How long a call to WeChat may take before it counts as failed (and is retried, querying first). */
function httpTimeoutMs(): number {
  return Number(env('WECHAT_HTTP_TIMEOUT_MS') ?? 10_000);
}
let mpClient: MiniProgramClient | null = null;

export function wechatPay(): Promise<WechatPayClient> {
  if (!payClient) {
    payClient = (async () => {
      const keys: Record<string, string> = JSON.parse(env('WECHATPAY_PLATFORM_KEYS') ?? '{}');
      const keyId = env('WECHATPAY_PUBLIC_KEY_ID');
      if (keyId) keys[keyId] = requireEnv('WECHATPAY_PUBLIC_KEY');
      if (Object.keys(keys).length === 0) throw new Error('WECHATPAY_PUBLIC_KEY_ID: not configured');
      return new WechatPayClient({
        baseUrl: env('WECHATPAY_API_BASE') ?? 'https://api.mch.weixin.qq.com',
        appid: requireEnv('WECHAT_APPID'),
        signer: await merchantSigner(requireEnv('WECHATPAY_MCHID'), requireEnv('WECHATPAY_MCH_SERIAL'), requireEnv('WECHATPAY_MCH_PRIVATE_KEY')),
        platformKeys: await publicKeyRing(keys),
        apiV3Key: requireEnv('WECHATPAY_APIV3_KEY'),
        timeoutMs: httpTimeoutMs(),
      });
    })();
    payClient.catch(() => (payClient = null));
  }
  return payClient;
}

export function miniProgram(): MiniProgramClient {
  if (!mpClient) {
    mpClient = new MiniProgramClient({
      baseUrl: env('WECHAT_API_BASE') ?? 'https://api.weixin.qq.com',
      appid: requireEnv('WECHAT_APPID'),
      secret: requireEnv('WECHAT_SECRET'),
      timeoutMs: httpTimeoutMs(),
    });
  }
  return mpClient;
}

/** Subscribe-message template id per notification kind (WECHAT_SUBSCRIBE_TEMPLATES JSON). */
export function subscribeTemplates(): Record<string, string> {
  try {
    return JSON.parse(env('WECHAT_SUBSCRIBE_TEMPLATES') ?? '{}');
  } catch {
    return {};
  }
}

/** Mini-program pages the QR codes open (the scene carries the rest; no leading slash). */
export function invitePage(): string {
  return env('WECHAT_INVITE_PAGE') ?? 'pages/home/index';
}

/** The merchant application page a promoter's merchant invite opens (scene m=<code>). */
export function merchantApplyPage(): string {
  return 'packages/merchant/pages/apply/index';
}

export function cashierPage(): string {
  return env('WECHAT_CASHIER_PAGE') ?? 'packages/cashier/pages/pay/index';
}

/** Which mini-program version getwxacodeunlimit targets: release | trial | develop. */
export function qrEnvVersion(): 'release' | 'trial' | 'develop' {
  const v = env('WECHAT_ENV_VERSION');
  return v === 'trial' || v === 'develop' ? v : 'release';
}
