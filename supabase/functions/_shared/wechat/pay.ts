// WeChat Pay API v3 protocol: request signing, response/notify signature
// verification, AEAD_AES_256_GCM resources and JSAPI requestPayment params.
// https://pay.weixin.qq.com/doc/v3/merchant/4012365334 (signature),
// .../4012071382 (notify decryption), .../4012791857 (JSAPI pay sign).
import { fromBase64, fromUtf8, randomNonce, toBase64, utf8 } from './encoding.ts';
import { importPrivateKeyPem, importPublicKeyPem, rsaSign, rsaVerify } from './keys.ts';

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat refuses, and so do we, a signature timestamp more than 5 minutes off. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export class WechatSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatSignatureError';
  }
}

/** The merchant's side: its id, API certificate serial and private key. */
export interface MerchantSigner {
  mchid: string;
  serialNo: string;
  privateKey: CryptoKey;
}

export async function merchantSigner(mchid: string, serialNo: string, privateKeyPem: string): Promise<MerchantSigner> {
  return { mchid, serialNo, privateKey: await importPrivateKeyPem(privateKeyPem) };
}

/** WeChat's side: public keys by serial (platform certificate serial or PUB_KEY_ID_…). */
export type PublicKeyRing = Map<string, CryptoKey>;

export async function publicKeyRing(pems: Record<string, string>): Promise<PublicKeyRing> {
  const ring: PublicKeyRing = new Map();
  for (const [serial, pem] of Object.entries(pems)) ring.set(serial, await importPublicKeyPem(pem));
  return ring;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** "METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n" — the string a request signature covers. */
export function requestMessage(method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** "TIMESTAMP\nNONCE\nBODY\n" — what response and notify signatures cover. */
export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface AuthorizationParts {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/** The Authorization header value for one API v3 request. GET bodies are "". */
export async function signRequest(
  signer: MerchantSigner,
  method: string,
  pathAndQuery: string,
  body: string,
  opts: { timestamp?: number; nonce?: string } = {},
): Promise<string> {
  const timestamp = String(opts.timestamp ?? unixNow());
  const nonce = opts.nonce ?? randomNonce(32);
  const signature = await rsaSign(signer.privateKey, utf8(requestMessage(method, pathAndQuery, timestamp, nonce, body)));
  return (
    `${AUTH_SCHEMA} mchid="${signer.mchid}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${signer.serialNo}"`
  );
}

export function parseAuthorization(header: string | null | undefined): AuthorizationParts {
  if (!header || !header.startsWith(`${AUTH_SCHEMA} `)) throw new WechatSignatureError('Authorization: wrong schema');
  const parts: Record<string, string> = {};
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) parts[m[1]] = m[2];
  for (const key of ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no']) {
    if (!parts[key]) throw new WechatSignatureError(`Authorization: missing ${key}`);
  }
  return parts as unknown as AuthorizationParts;
}

function checkTimestamp(timestamp: string, now: number, what: string): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new WechatSignatureError(`${what}: timestamp is not a number`);
  if (Math.abs(now - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw new WechatSignatureError(`${what}: timestamp more than 5 minutes off`);
  }
}

/**
 * WeChat's (and the sandbox's) side of a request: checks the merchant's
 * Authorization against its public key. Returns the parsed header.
 */
export async function verifyRequest(
  merchantPublicKey: CryptoKey,
  header: string | null | undefined,
  method: string,
  pathAndQuery: string,
  body: string,
  now = unixNow(),
): Promise<AuthorizationParts> {
  const auth = parseAuthorization(header);
  checkTimestamp(auth.timestamp, now, 'Authorization');
  const ok = await rsaVerify(
    merchantPublicKey,
    utf8(requestMessage(method, pathAndQuery, auth.timestamp, auth.nonce_str, body)),
    auth.signature,
  );
  if (!ok) throw new WechatSignatureError('Authorization: signature does not verify');
  return auth;
}

/** Headers WeChat puts on every response and notify. */
export interface WechatpayHeaders {
  'Wechatpay-Timestamp': string;
  'Wechatpay-Nonce': string;
  'Wechatpay-Signature': string;
  'Wechatpay-Serial': string;
}

/** WeChat's side (the sandbox): signs a response or notify body. */
export async function signResponse(
  platformPrivateKey: CryptoKey,
  serial: string,
  body: string,
  opts: { timestamp?: number; nonce?: string } = {},
): Promise<WechatpayHeaders> {
  const timestamp = String(opts.timestamp ?? unixNow());
  const nonce = opts.nonce ?? randomNonce(32);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': await rsaSign(platformPrivateKey, utf8(responseMessage(timestamp, nonce, body))),
    'Wechatpay-Serial': serial,
  };
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (typeof (source as Headers).get === 'function') return (source as Headers).get(name) ?? undefined;
  const rec = source as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : rec[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Merchant side: verifies a response or notify from WeChat. The serial
 * selects the public key; an unknown serial, a bad signature or a timestamp
 * more than 5 minutes off throws.
 */
export async function verifyResponse(ring: PublicKeyRing, headers: HeaderSource, body: string, now = unixNow()): Promise<void> {
  const timestamp = header(headers, 'Wechatpay-Timestamp');
  const nonce = header(headers, 'Wechatpay-Nonce');
  const signature = header(headers, 'Wechatpay-Signature');
  const serial = header(headers, 'Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) throw new WechatSignatureError('Wechatpay-* headers missing');
  // WeChat sends probe notifies with a "WECHATPAY/SIGNTEST/" signature to test
  // merchants' verification; they must fail like any other bad signature.
  const key = ring.get(serial);
  if (!key) throw new WechatSignatureError(`Wechatpay-Serial: unknown serial ${serial}`);
  checkTimestamp(timestamp, now, 'Wechatpay-Timestamp');
  if (!(await rsaVerify(key, utf8(responseMessage(timestamp, nonce, body)), signature))) {
    throw new WechatSignatureError('Wechatpay-Signature: signature does not verify');
  }
}

/** The encrypted part of a notify (and of some responses). */
export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
}

/** A notify as WeChat POSTs it. */
export interface NotifyEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary: string;
  resource: EncryptedResource;
}

async function aesKey(apiV3Key: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const raw = utf8(apiV3Key);
  if (raw.length !== 32) throw new Error('API v3 key must be 32 bytes');
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
}

/** AEAD_AES_256_GCM: ciphertext is base64(cipher || 16-byte tag), nonce 12 ASCII chars. */
export async function decryptResource<T = unknown>(apiV3Key: string, resource: EncryptedResource): Promise<T> {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new WechatSignatureError('resource.algorithm: unsupported');
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: utf8(resource.nonce), additionalData: utf8(resource.associated_data ?? ''), tagLength: 128 },
      await aesKey(apiV3Key, 'decrypt'),
      fromBase64(resource.ciphertext),
    );
  } catch (err) {
    if (err instanceof Error && err.message === 'API v3 key must be 32 bytes') throw err;
    throw new WechatSignatureError('resource: decryption failed (tampered or wrong key)');
  }
  return JSON.parse(fromUtf8(new Uint8Array(plain))) as T;
}

/** WeChat's side (the sandbox): encrypts a resource the way a notify carries it. */
export async function encryptResource(
  apiV3Key: string,
  plaintext: unknown,
  originalType: string,
  associatedData = originalType,
): Promise<EncryptedResource> {
  const nonce = randomNonce(12);
  const cipher = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: utf8(nonce), additionalData: utf8(associatedData), tagLength: 128 },
    await aesKey(apiV3Key, 'encrypt'),
    utf8(JSON.stringify(plaintext)),
  );
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: toBase64(cipher), associated_data: associatedData, nonce, original_type: originalType };
}

/** Verify then decrypt one notify. Returns the envelope and its plaintext resource. */
export async function openNotify<T = unknown>(
  ring: PublicKeyRing,
  apiV3Key: string,
  headers: HeaderSource,
  body: string,
  now = unixNow(),
): Promise<{ envelope: NotifyEnvelope; resource: T }> {
  await verifyResponse(ring, headers, body, now);
  let envelope: NotifyEnvelope;
  try {
    envelope = JSON.parse(body) as NotifyEnvelope;
  } catch {
    throw new WechatSignatureError('body: not JSON');
  }
  if (!envelope || typeof envelope !== 'object' || !envelope.resource) throw new WechatSignatureError('resource: missing');
  return { envelope, resource: await decryptResource<T>(apiV3Key, envelope.resource) };
}

/** Parameters for wx.requestPayment in a mini-program (JSAPI). */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export function requestPaymentMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

export async function signRequestPayment(
  signer: MerchantSigner,
  appId: string,
  prepayId: string,
  opts: { timestamp?: number; nonce?: string } = {},
): Promise<RequestPaymentParams> {
  const timeStamp = String(opts.timestamp ?? unixNow());
  const nonceStr = opts.nonce ?? randomNonce(32);
  const pkg = `prepay_id=${prepayId}`;
  const paySign = await rsaSign(signer.privateKey, utf8(requestPaymentMessage(appId, timeStamp, nonceStr, pkg)));
  return { appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

/** WeChat's side (the sandbox, tests): checks a requestPayment paySign. */
export async function verifyRequestPayment(merchantPublicKey: CryptoKey, params: RequestPaymentParams): Promise<boolean> {
  return rsaVerify(
    merchantPublicKey,
    utf8(requestPaymentMessage(params.appId, params.timeStamp, params.nonceStr, params.package)),
    params.paySign,
  );
}
