// WeChat Pay v3 crypto: keys are generated here, nothing is hard-coded.
import {
  decryptResource,
  encryptResource,
  generateRsaKeyPair,
  importPublicKeyPem,
  merchantSigner,
  openNotify,
  parseAuthorization,
  publicKeyRing,
  signRequest,
  signRequestPayment,
  signResponse,
  unixNow,
  verifyRequest,
  verifyRequestPayment,
  verifyResponse,
  importPrivateKeyPem,
  randomNonce,
  type MerchantSigner,
  type PemKeyPair,
  type PublicKeyRing,
} from '../../supabase/functions/_shared/wechat/index.ts';

jest.setTimeout(30_000);

let merchantKeys: PemKeyPair;
let platformKeys: PemKeyPair;
let otherKeys: PemKeyPair;
let signer: MerchantSigner;
let merchantPublic: CryptoKey;
let ring: PublicKeyRing;
let platformPrivate: CryptoKey;
const PLATFORM_SERIAL = 'PUB_KEY_ID_0000000000000000000000000001';
const apiV3Key = randomNonce(32);

beforeAll(async () => {
  [merchantKeys, platformKeys, otherKeys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  signer = await merchantSigner('1900000001', '3775B6A45ACD588826D15E583A95F5DD', merchantKeys.privateKeyPem);
  merchantPublic = await importPublicKeyPem(merchantKeys.publicKeyPem);
  ring = await publicKeyRing({ [PLATFORM_SERIAL]: platformKeys.publicKeyPem });
  platformPrivate = await importPrivateKeyPem(platformKeys.privateKeyPem);
});

describe('request signing (Authorization)', () => {
  const path = '/v3/pay/transactions/jsapi?x=1';
  const body = JSON.stringify({ appid: 'wx1', amount: { total: 100 } });

  test('round trip: the Authorization header verifies with the merchant public key', async () => {
    const header = await signRequest(signer, 'POST', path, body);
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    const parts = await verifyRequest(merchantPublic, header, 'POST', path, body);
    expect(parts.mchid).toBe('1900000001');
    expect(parts.serial_no).toBe(signer.serialNo);
    expect(parts.nonce_str).toHaveLength(32);
  });

  test('tampered body, path, method or signature is refused', async () => {
    const header = await signRequest(signer, 'POST', path, body);
    await expect(verifyRequest(merchantPublic, header, 'POST', path, body.replace('100', '101'))).rejects.toThrow(/does not verify/);
    await expect(verifyRequest(merchantPublic, header, 'POST', '/v3/pay/transactions/jsapi', body)).rejects.toThrow(/does not verify/);
    await expect(verifyRequest(merchantPublic, header, 'GET', path, body)).rejects.toThrow(/does not verify/);
    const sig = parseAuthorization(header).signature;
    const flipped = header.replace(sig, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    await expect(verifyRequest(merchantPublic, flipped, 'POST', path, body)).rejects.toThrow(/does not verify/);
  });

  test('signed with another key is refused', async () => {
    const other = await merchantSigner('1900000001', signer.serialNo, otherKeys.privateKeyPem);
    const header = await signRequest(other, 'POST', path, body);
    await expect(verifyRequest(merchantPublic, header, 'POST', path, body)).rejects.toThrow(/does not verify/);
  });

  test('a timestamp more than 5 minutes off is refused, either direction', async () => {
    const now = unixNow();
    const stale = await signRequest(signer, 'POST', path, body, { timestamp: now - 301 });
    const future = await signRequest(signer, 'POST', path, body, { timestamp: now + 301 });
    const edge = await signRequest(signer, 'POST', path, body, { timestamp: now - 299 });
    await expect(verifyRequest(merchantPublic, stale, 'POST', path, body, now)).rejects.toThrow(/5 minutes/);
    await expect(verifyRequest(merchantPublic, future, 'POST', path, body, now)).rejects.toThrow(/5 minutes/);
    await expect(verifyRequest(merchantPublic, edge, 'POST', path, body, now)).resolves.toBeDefined();
  });

  test('malformed headers are refused', async () => {
    await expect(verifyRequest(merchantPublic, null, 'GET', path, '')).rejects.toThrow(/schema/);
    await expect(verifyRequest(merchantPublic, 'Bearer x', 'GET', path, '')).rejects.toThrow(/schema/);
    await expect(verifyRequest(merchantPublic, 'WECHATPAY2-SHA256-RSA2048 mchid="1"', 'GET', path, '')).rejects.toThrow(/missing/);
  });
});

describe('response / notify verification', () => {
  const body = JSON.stringify({ prepay_id: 'wx2611' });

  test('round trip with a Headers object and with a plain (lower-case) record', async () => {
    const h = await signResponse(platformPrivate, PLATFORM_SERIAL, body);
    await expect(verifyResponse(ring, new Headers({ ...h }), body)).resolves.toBeUndefined();
    const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    await expect(verifyResponse(ring, lower, body)).resolves.toBeUndefined();
  });

  test('the serial selects the key: unknown serial refused, wrong key refused', async () => {
    const h = await signResponse(platformPrivate, 'PUB_KEY_ID_UNKNOWN', body);
    await expect(verifyResponse(ring, { ...h }, body)).rejects.toThrow(/unknown serial/);
    const forged = await signResponse(await importPrivateKeyPem(otherKeys.privateKeyPem), PLATFORM_SERIAL, body);
    await expect(verifyResponse(ring, { ...forged }, body)).rejects.toThrow(/does not verify/);
  });

  test('tampered body or nonce refused; stale timestamp refused; missing headers refused', async () => {
    const h = await signResponse(platformPrivate, PLATFORM_SERIAL, body);
    await expect(verifyResponse(ring, { ...h }, body + ' ')).rejects.toThrow(/does not verify/);
    await expect(verifyResponse(ring, { ...h, 'Wechatpay-Nonce': (h['Wechatpay-Nonce'][0] === 'X' ? 'Y' : 'X') + h['Wechatpay-Nonce'].slice(1) }, body)).rejects.toThrow(
      /does not verify/,
    );
    const old = await signResponse(platformPrivate, PLATFORM_SERIAL, body, { timestamp: unixNow() - 600 });
    await expect(verifyResponse(ring, { ...old }, body)).rejects.toThrow(/5 minutes/);
    await expect(verifyResponse(ring, { 'Wechatpay-Serial': PLATFORM_SERIAL }, body)).rejects.toThrow(/missing/);
  });
});

describe('AEAD_AES_256_GCM resource', () => {
  const transaction = { out_trade_no: 'o1', transaction_id: '4200000001', trade_state: 'SUCCESS', amount: { total: 16800 } };

  test('round trip, and WeChat-shaped fields', async () => {
    const resource = await encryptResource(apiV3Key, transaction, 'transaction');
    expect(resource.algorithm).toBe('AEAD_AES_256_GCM');
    expect(resource.nonce).toHaveLength(12);
    expect(resource.associated_data).toBe('transaction');
    expect(await decryptResource(apiV3Key, resource)).toEqual(transaction);
  });

  test('tampered ciphertext, associated data or nonce, or a wrong key, fails', async () => {
    const resource = await encryptResource(apiV3Key, transaction, 'transaction');
    const bytes = Buffer.from(resource.ciphertext, 'base64');
    bytes[3] ^= 1;
    await expect(decryptResource(apiV3Key, { ...resource, ciphertext: bytes.toString('base64') })).rejects.toThrow(/decryption failed/);
    await expect(decryptResource(apiV3Key, { ...resource, associated_data: 'refund' })).rejects.toThrow(/decryption failed/);
    await expect(decryptResource(apiV3Key, { ...resource, nonce: 'AAAAAAAAAAAA' })).rejects.toThrow(/decryption failed/);
    await expect(decryptResource(randomNonce(32), resource)).rejects.toThrow(/decryption failed/);
    await expect(decryptResource('short', resource)).rejects.toThrow(/32 bytes/);
  });

  test('openNotify verifies the signature before decrypting', async () => {
    const envelope = {
      id: 'EV-1',
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: await encryptResource(apiV3Key, transaction, 'transaction'),
    };
    const body = JSON.stringify(envelope);
    const h = await signResponse(platformPrivate, PLATFORM_SERIAL, body);
    const opened = await openNotify(ring, apiV3Key, { ...h }, body);
    expect(opened.envelope.event_type).toBe('TRANSACTION.SUCCESS');
    expect(opened.resource).toEqual(transaction);
    const tampered = body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.FAILED');
    await expect(openNotify(ring, apiV3Key, { ...h }, tampered)).rejects.toThrow(/does not verify/);
  });
});

describe('JSAPI requestPayment', () => {
  test('params are signed over appId, timeStamp, nonceStr and package', async () => {
    const params = await signRequestPayment(signer, 'wxapp1', 'wx26112221580621e9b071c00d9e093b0000');
    expect(params.package).toBe('prepay_id=wx26112221580621e9b071c00d9e093b0000');
    expect(params.signType).toBe('RSA');
    expect(params.timeStamp).toMatch(/^\d+$/);
    expect(await verifyRequestPayment(merchantPublic, params)).toBe(true);
    expect(await verifyRequestPayment(merchantPublic, { ...params, package: 'prepay_id=other' })).toBe(false);
    expect(await verifyRequestPayment(merchantPublic, { ...params, appId: 'wxapp2' })).toBe(false);
    const other = await importPublicKeyPem(otherKeys.publicKeyPem);
    expect(await verifyRequestPayment(other, params)).toBe(false);
  });
});

describe('key import', () => {
  test('PKCS#1 keys and certificates get an actionable error', async () => {
    await expect(importPrivateKeyPem('-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----')).rejects.toThrow(/pkcs8/);
    await expect(importPublicKeyPem('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----')).rejects.toThrow(/x509/);
  });
  test('PEMs with literal \\n (as env vars carry them) are accepted', async () => {
    const escaped = merchantKeys.privateKeyPem.replace(/\n/g, '\\n');
    const s = await merchantSigner('1', '2', escaped);
    const header = await signRequest(s, 'GET', '/v3/x', '');
    await expect(verifyRequest(merchantPublic, header, 'GET', '/v3/x', '')).resolves.toBeDefined();
  });
});
