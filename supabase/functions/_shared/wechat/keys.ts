// RSA key handling for WeChat Pay v3 (SHA256withRSA, RSASSA-PKCS1-v1_5).
// Merchant private keys are PKCS#8 PEM (apiclient_key.pem); WeChat's side is
// an SPKI public key PEM (the "WeChat Pay public key", or the public key taken
// from a platform certificate with `openssl x509 -pubkey -noout`).
import { fromBase64, toBase64 } from './encoding.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  // Env vars often carry PEMs with literal "\n"; accept both.
  const text = pem.replace(/\\n/g, '\n').trim();
  const match = text.match(new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`));
  if (!match) throw new Error(`expected a PEM "${label}" block`);
  return fromBase64(match[1]);
}

export function toPem(der: ArrayBuffer, label: string): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  if (/BEGIN RSA PRIVATE KEY/.test(pem)) {
    throw new Error('PKCS#1 key: convert with `openssl pkcs8 -topk8 -nocrypt` to a "PRIVATE KEY" PEM');
  }
  return crypto.subtle.importKey('pkcs8', pemBody(pem, 'PRIVATE KEY'), RSA, false, ['sign']);
}

export async function importPublicKeyPem(pem: string): Promise<CryptoKey> {
  if (/BEGIN CERTIFICATE/.test(pem)) {
    throw new Error('certificate given: extract its key with `openssl x509 -pubkey -noout`');
  }
  return crypto.subtle.importKey('spki', pemBody(pem, 'PUBLIC KEY'), RSA, false, ['verify']);
}

export interface PemKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh RSA-2048 key pair as PEM strings (tests and the local sandbox). */
export async function generateRsaKeyPair(): Promise<PemKeyPair> {
  const pair = await crypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  return {
    privateKeyPem: toPem(await crypto.subtle.exportKey('pkcs8', pair.privateKey), 'PRIVATE KEY'),
    publicKeyPem: toPem(await crypto.subtle.exportKey('spki', pair.publicKey), 'PUBLIC KEY'),
  };
}

export async function rsaSign(key: CryptoKey, message: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64(await crypto.subtle.sign(RSA, key, message));
}

export async function rsaVerify(key: CryptoKey, message: Uint8Array<ArrayBuffer>, signatureB64: string): Promise<boolean> {
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = fromBase64(signatureB64);
  } catch {
    return false;
  }
  return crypto.subtle.verify(RSA, key, signature, message);
}
