// The sandbox's identities: the mini-program (appid, secret), the merchant
// (mchid, API key pair, serial, API v3 key) and WeChat Pay's own key pair
// (the "WeChat Pay public key" with its PUB_KEY_ID_… serial). Generated once
// and kept in .tmp/wechat-sandbox/identity.json so restarts keep working
// tokens and pending notifies.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateRsaKeyPair, randomNonce, toHex } from '../../supabase/functions/_shared/wechat/index.ts';

export interface SandboxIdentity {
  appid: string;
  secret: string;
  mchid: string;
  merchantSerial: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  platformSerial: string;
  platformPrivateKeyPem: string;
  platformPublicKeyPem: string;
  apiV3Key: string;
}

export const DEFAULT_IDENTITY_FILE = resolve(__dirname, '..', '..', '.tmp', 'wechat-sandbox', 'identity.json');

export async function generateIdentity(): Promise<SandboxIdentity> {
  const [merchant, platform] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => String(b % 10)).join('');
  return {
    appid: 'wx' + toHex(crypto.getRandomValues(new Uint8Array(8))),
    secret: toHex(crypto.getRandomValues(new Uint8Array(16))),
    mchid: '19' + digits.slice(0, 8),
    merchantSerial: toHex(crypto.getRandomValues(new Uint8Array(20))).toUpperCase(),
    merchantPrivateKeyPem: merchant.privateKeyPem,
    merchantPublicKeyPem: merchant.publicKeyPem,
    platformSerial: 'PUB_KEY_ID_01' + digits.slice(0, 30),
    platformPrivateKeyPem: platform.privateKeyPem,
    platformPublicKeyPem: platform.publicKeyPem,
    apiV3Key: randomNonce(32),
  };
}

/** Loads the identity file, or creates it. */
export async function loadOrCreateIdentity(file = DEFAULT_IDENTITY_FILE): Promise<SandboxIdentity> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SandboxIdentity;
  const identity = await generateIdentity();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(identity, null, 2), { mode: 0o600 });
  return identity;
}

/**
 * The environment the backend (edge functions) needs to talk to this
 * sandbox: the same variables production sets to WeChat's real endpoints
 * and keys (docs/wechat.md).
 */
export function backendEnv(identity: SandboxIdentity, sandboxUrl: string): Record<string, string> {
  return {
    WECHAT_API_BASE: sandboxUrl,
    WECHATPAY_API_BASE: sandboxUrl,
    WECHAT_APPID: identity.appid,
    WECHAT_SECRET: identity.secret,
    WECHATPAY_MCHID: identity.mchid,
    WECHATPAY_MCH_SERIAL: identity.merchantSerial,
    WECHATPAY_MCH_PRIVATE_KEY: identity.merchantPrivateKeyPem,
    WECHATPAY_PUBLIC_KEY_ID: identity.platformSerial,
    WECHATPAY_PUBLIC_KEY: identity.platformPublicKeyPem,
    WECHATPAY_APIV3_KEY: identity.apiV3Key,
    // Enables sandbox-only conveniences (sandbox:<name> login codes,
    // pay.sandboxConfirm). Never set in a deployed project.
    WECHAT_SANDBOX_URL: sandboxUrl,
  };
}

export function identityDir(file = DEFAULT_IDENTITY_FILE): string {
  return join(dirname(file));
}
