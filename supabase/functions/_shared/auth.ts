// Session tokens for mini-program users. Access tokens are what Supabase's
// own auth issues (role/aud "authenticated", sub = auth.users id), so the
// database's RLS and auth.uid() treat them exactly like a Supabase session.
// Refresh tokens have their own audience and their own (derived) key.
// HS256 with the project's JWT secret by default; ES256 / RS256 when the
// project uses asymmetric signing keys.
import { type JWTPayload, SignJWT, decodeJwt, errors as joseErrors, importPKCS8, importSPKI, jwtVerify } from 'jose';

export type JwtAlg = 'HS256' | 'ES256' | 'RS256';

export interface AuthConfig {
  alg: JwtAlg;
  /** HS256: the project JWT secret (at least 32 characters). */
  secret?: string;
  /** ES256/RS256: PKCS#8 PEM private key (signs) and SPKI PEM public key (verifies). */
  privateKeyPem?: string;
  publicKeyPem?: string;
  /** Key id put in the header (asymmetric keys). */
  kid?: string;
  /** `iss` claim, e.g. "https://<ref>.supabase.co/auth/v1". */
  issuer: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export const ACCESS_AUDIENCE = 'authenticated';
/**
 * Refresh tokens carry a different audience and no role, and are signed
 * (HS256) with a key derived from the project key (refreshKey): whatever
 * checks access tokens with the project key or JWKS (the gateway, PostgREST,
 * Storage, verifyAccessToken) refuses them on the signature, and an access
 * token is refused as a refresh token on the same ground.
 */
export const REFRESH_AUDIENCE = 'refresh';
const REFRESH_KEY_LABEL = 'queue-rebate-mall refresh token v1';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A 401: any token problem (forged, expired, wrongly signed, wrong kind). */
export class AuthError extends Error {
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

type Env = Record<string, string | undefined>;

export function authConfigFromEnv(env: Env): AuthConfig {
  const alg = (env.JWT_ALG ?? 'HS256') as JwtAlg;
  if (!['HS256', 'ES256', 'RS256'].includes(alg)) throw new Error(`JWT_ALG: unsupported ${alg}`);
  const config: AuthConfig = {
    alg,
    secret: env.JWT_SECRET ?? env.SUPABASE_JWT_SECRET,
    privateKeyPem: env.JWT_PRIVATE_KEY,
    publicKeyPem: env.JWT_PUBLIC_KEY,
    kid: env.JWT_KID,
    issuer: env.JWT_ISSUER ?? 'supabase',
    accessTtlSeconds: Number(env.JWT_ACCESS_TTL ?? 3600),
    refreshTtlSeconds: Number(env.JWT_REFRESH_TTL ?? 30 * 24 * 3600),
  };
  checkConfig(config);
  return config;
}

function checkConfig(config: AuthConfig): void {
  if (config.alg === 'HS256') {
    if (!config.secret || config.secret.length < 32) throw new Error('JWT_SECRET: must be at least 32 characters');
  } else if (!config.publicKeyPem) {
    throw new Error('JWT_PUBLIC_KEY: required for ' + config.alg);
  }
  for (const [k, v] of [['JWT_ACCESS_TTL', config.accessTtlSeconds], ['JWT_REFRESH_TTL', config.refreshTtlSeconds]] as const) {
    if (!Number.isInteger(v) || v < 60) throw new Error(`${k}: must be an integer of at least 60 seconds`);
  }
}

const keyCache = new WeakMap<AuthConfig, { sign?: Promise<CryptoKey | Uint8Array>; verify?: Promise<CryptoKey | Uint8Array>; refresh?: Promise<CryptoKey | Uint8Array> }>();

function keys(config: AuthConfig) {
  let entry = keyCache.get(config);
  if (!entry) keyCache.set(config, (entry = {}));
  return entry;
}

export function signingKey(config: AuthConfig): Promise<CryptoKey | Uint8Array> {
  const entry = keys(config);
  if (!entry.sign) {
    if (config.alg === 'HS256') entry.sign = Promise.resolve(new TextEncoder().encode(config.secret));
    else if (!config.privateKeyPem) entry.sign = Promise.reject(new Error('JWT_PRIVATE_KEY: required to issue tokens'));
    else entry.sign = importPKCS8(config.privateKeyPem.replace(/\\n/g, '\n'), config.alg);
  }
  return entry.sign;
}

/** HMAC-SHA256(project secret or private key, label): only a holder of the signing key can make or check one. */
function refreshKey(config: AuthConfig): Promise<CryptoKey | Uint8Array> {
  const entry = keys(config);
  if (!entry.refresh) {
    const material = config.alg === 'HS256' ? config.secret : config.privateKeyPem;
    entry.refresh = material
      ? crypto.subtle
          .importKey('raw', new TextEncoder().encode(material), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
          .then((k) => crypto.subtle.sign('HMAC', k, new TextEncoder().encode(REFRESH_KEY_LABEL)))
          .then((bytes) => new Uint8Array(bytes))
      : Promise.reject(new Error('JWT_PRIVATE_KEY: required to issue or check refresh tokens'));
  }
  return entry.refresh;
}

export function verifyingKey(config: AuthConfig): Promise<CryptoKey | Uint8Array> {
  const entry = keys(config);
  if (!entry.verify) {
    entry.verify =
      config.alg === 'HS256'
        ? Promise.resolve(new TextEncoder().encode(config.secret))
        : importSPKI(config.publicKeyPem!.replace(/\\n/g, '\n'), config.alg);
  }
  return entry.verify;
}

export interface AccessClaims extends JWTPayload {
  sub: string;
  role: 'authenticated';
  aud: 'authenticated';
  exp: number;
  iat: number;
  session_id: string;
  app_metadata: { provider: string };
  is_anonymous: false;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  /** Unix seconds. */
  expires_at: number;
  token_type: 'bearer';
}

export interface IssueOptions {
  /** Unix seconds; tests use it to mint expired tokens. */
  now?: number;
  /** Keeps the session id across a refresh. */
  sessionId?: string;
  provider?: string;
}

/** Access + refresh token pair for an auth.users id. */
export async function issueSession(config: AuthConfig, userId: string, opts: IssueOptions = {}): Promise<Session> {
  if (!UUID.test(userId)) throw new Error('userId: must be a uuid');
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const sessionId = opts.sessionId ?? crypto.randomUUID();
  const key = await signingKey(config);
  const header = { alg: config.alg, typ: 'JWT', ...(config.kid ? { kid: config.kid } : {}) };
  const access = await new SignJWT({
    role: 'authenticated',
    session_id: sessionId,
    app_metadata: { provider: opts.provider ?? 'wechat' },
    is_anonymous: false,
  })
    .setProtectedHeader(header)
    .setSubject(userId)
    .setAudience(ACCESS_AUDIENCE)
    .setIssuer(config.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + config.accessTtlSeconds)
    .sign(key);
  const refresh = await new SignJWT({ session_id: sessionId, typ: 'refresh' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience(REFRESH_AUDIENCE)
    .setIssuer(config.issuer)
    .setIssuedAt(now)
    .setJti(crypto.randomUUID())
    .setExpirationTime(now + config.refreshTtlSeconds)
    .sign(await refreshKey(config));
  return {
    access_token: access,
    refresh_token: refresh,
    expires_in: config.accessTtlSeconds,
    expires_at: now + config.accessTtlSeconds,
    token_type: 'bearer',
  };
}

async function verify(config: AuthConfig, token: string, audience: string, now?: number): Promise<JWTPayload> {
  const refresh = audience === REFRESH_AUDIENCE;
  try {
    const { payload } = await jwtVerify(token, await (refresh ? refreshKey(config) : verifyingKey(config)), {
      algorithms: [refresh ? 'HS256' : config.alg], // pinned: no "none", no HS/RS confusion
      audience,
      issuer: config.issuer,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: now === undefined ? undefined : new Date(now * 1000),
    });
    if (!payload.sub || !UUID.test(payload.sub)) throw new AuthError('token: sub is not a uuid');
    return payload;
  } catch (err) {
    if (err instanceof AuthError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new AuthError('token: expired');
    if (err instanceof joseErrors.JOSEError) throw new AuthError(`token: ${err.code}`);
    throw new AuthError('token: malformed');
  }
}

export async function verifyAccessToken(config: AuthConfig, token: string, now?: number): Promise<AccessClaims> {
  const payload = await verify(config, token, ACCESS_AUDIENCE, now);
  if (payload.role !== 'authenticated') throw new AuthError('token: role is not authenticated');
  return payload as AccessClaims;
}

export async function verifyRefreshToken(config: AuthConfig, token: string, now?: number): Promise<{ sub: string; sessionId: string; iat: number }> {
  const payload = await verify(config, token, REFRESH_AUDIENCE, now);
  if (payload.typ !== 'refresh' || typeof payload.session_id !== 'string') throw new AuthError('token: not a refresh token');
  return { sub: payload.sub!, sessionId: payload.session_id, iat: payload.iat! };
}

/** The bearer token of a request, or null when there is none. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.get('authorization');
  if (!header) return null;
  const m = header.match(/^Bearer\s+(\S+)$/i);
  if (!m) throw new AuthError('Authorization: expected "Bearer <token>"');
  return m[1];
}

/**
 * The caller's claims, or null for an anonymous call. Supabase clients send
 * the project's anon / publishable key as the bearer when signed out; such a
 * key grants nothing here, so it counts as anonymous. Anything else must be a
 * valid access token of ours or the call is a 401.
 */
export async function callerClaims(config: AuthConfig, req: Request): Promise<AccessClaims | null> {
  const token = bearerToken(req);
  if (token === null || token.startsWith('sb_publishable_')) return null;
  try {
    if (decodeJwt(token).role === 'anon') return null;
  } catch {
    throw new AuthError('token: malformed');
  }
  return verifyAccessToken(config, token);
}
