// Session tokens: what the database accepts as `authenticated`, and every
// way a token can be bad ending in a 401 (AuthError).
import { decodeJwt, decodeProtectedHeader, exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify, SignJWT } from 'jose';
import {
  AuthError,
  authConfigFromEnv,
  callerClaims,
  issueSession,
  verifyAccessToken,
  verifyRefreshToken,
  type AuthConfig,
} from '../../supabase/functions/_shared/auth.ts';

const secret = 'test-secret-' + crypto.randomUUID(); // > 32 chars, fresh per run
const config = authConfigFromEnv({ JWT_SECRET: secret });
const userId = crypto.randomUUID();

function req(token?: string): Request {
  return new Request('http://x/functions/v1/api', { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
}

describe('HS256 (the project JWT secret)', () => {
  test('an access token carries the claims Supabase uses for authenticated users', async () => {
    const now = Math.floor(Date.now() / 1000);
    const session = await issueSession(config, userId, { now });
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({ sub: userId, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 });
    expect(decodeProtectedHeader(session.access_token).alg).toBe('HS256');
    expect(session.expires_at).toBe(now + session.expires_in);
    const verified = await verifyAccessToken(config, session.access_token);
    expect(verified.sub).toBe(userId);
  });

  test('refresh token verifies as refresh only, keeps the session id, and is refused as access', async () => {
    const session = await issueSession(config, userId);
    const refresh = await verifyRefreshToken(config, session.refresh_token);
    expect(refresh.sub).toBe(userId);
    expect(refresh.sessionId).toBe(decodeJwt(session.access_token).session_id);
    await expect(verifyAccessToken(config, session.refresh_token)).rejects.toThrow(AuthError);
    await expect(verifyRefreshToken(config, session.access_token)).rejects.toThrow(AuthError);
  });

  test('the two audiences differ, and a refresh token fails the project key anywhere access tokens are checked (gateway, PostgREST, Storage)', async () => {
    const session = await issueSession(config, userId);
    expect(decodeJwt(session.access_token).aud).toBe('authenticated');
    expect(decodeJwt(session.refresh_token).aud).toBe('refresh');
    const projectKey = new TextEncoder().encode(secret);
    await expect(jwtVerify(session.access_token, projectKey)).resolves.toBeTruthy();
    // What PostgREST does with a bearer (signature with the project secret; no audience configured).
    await expect(jwtVerify(session.refresh_token, projectKey)).rejects.toThrow(/signature verification failed/);
  });

  test('expired tokens are refused', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const session = await issueSession(config, userId, { now: past });
    await expect(verifyAccessToken(config, session.access_token)).rejects.toThrow(/expired/);
    // The same token was fine while it lived.
    await expect(verifyAccessToken(config, session.access_token, past + 10)).resolves.toMatchObject({ sub: userId });
  });

  test('a token signed with another secret is refused', async () => {
    const other = authConfigFromEnv({ JWT_SECRET: 'another-secret-' + crypto.randomUUID() });
    const session = await issueSession(other, userId);
    await expect(verifyAccessToken(config, session.access_token)).rejects.toThrow(AuthError);
  });

  test('forgeries are refused: edited payload, alg none, wrong audience, non-uuid sub', async () => {
    const session = await issueSession(config, userId);
    const [h, , s] = session.access_token.split('.');
    const payload = { ...decodeJwt(session.access_token), sub: crypto.randomUUID() };
    const edited = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    await expect(verifyAccessToken(config, edited)).rejects.toThrow(AuthError);

    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    await expect(verifyAccessToken(config, none)).rejects.toThrow(AuthError);

    const key = new TextEncoder().encode(secret);
    const now = Math.floor(Date.now() / 1000);
    const wrongAud = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setAudience('service_role').setIssuer(config.issuer)
      .setIssuedAt(now).setExpirationTime(now + 60).sign(key);
    await expect(verifyAccessToken(config, wrongAud)).rejects.toThrow(AuthError);
    const serviceRole = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setAudience('authenticated').setIssuer(config.issuer)
      .setIssuedAt(now).setExpirationTime(now + 60).sign(key);
    await expect(verifyAccessToken(config, serviceRole)).rejects.toThrow(/role/);
    const badSub = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('openid-abc').setAudience('authenticated').setIssuer(config.issuer)
      .setIssuedAt(now).setExpirationTime(now + 60).sign(key);
    await expect(verifyAccessToken(config, badSub)).rejects.toThrow(/uuid/);
    await expect(verifyAccessToken(config, 'not.a.jwt')).rejects.toThrow(AuthError);
  });

  test('callerClaims: none or the anon key → anonymous; bad token → 401; good → claims', async () => {
    expect(await callerClaims(config, req())).toBeNull();
    const anonKey = await new SignJWT({ role: 'anon', iss: 'supabase' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    expect(await callerClaims(config, req(anonKey))).toBeNull();
    expect(await callerClaims(config, req('sb_publishable_abc'))).toBeNull();
    const session = await issueSession(config, userId);
    expect((await callerClaims(config, req(session.access_token)))?.sub).toBe(userId);
    const err = await callerClaims(config, req('garbage')).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.status).toBe(401);
    await expect(callerClaims(config, new Request('http://x', { headers: { Authorization: 'Basic abc' } }))).rejects.toThrow(AuthError);
  });

  test('configuration errors name the variable', () => {
    expect(() => authConfigFromEnv({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => authConfigFromEnv({ JWT_SECRET: secret, JWT_ALG: 'HS512' })).toThrow(/JWT_ALG/);
    expect(() => authConfigFromEnv({ JWT_ALG: 'ES256' })).toThrow(/JWT_PUBLIC_KEY/);
    expect(() => authConfigFromEnv({ JWT_SECRET: secret, JWT_ACCESS_TTL: '5' })).toThrow(/JWT_ACCESS_TTL/);
  });
});

describe.each(['ES256', 'RS256'] as const)('%s (asymmetric signing keys)', (alg) => {
  let cfg: AuthConfig;
  let otherCfg: AuthConfig;
  beforeAll(async () => {
    const make = async () => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      return authConfigFromEnv({ JWT_ALG: alg, JWT_PRIVATE_KEY: await exportPKCS8(privateKey), JWT_PUBLIC_KEY: await exportSPKI(publicKey), JWT_KID: 'k1' });
    };
    [cfg, otherCfg] = await Promise.all([make(), make()]);
  });

  test('round trip with kid', async () => {
    const session = await issueSession(cfg, userId);
    expect(decodeProtectedHeader(session.access_token)).toMatchObject({ alg, kid: 'k1' });
    expect((await verifyAccessToken(cfg, session.access_token)).sub).toBe(userId);
  });

  test('signed by another key → refused; HS256 token under an asymmetric config → refused', async () => {
    const session = await issueSession(otherCfg, userId);
    await expect(verifyAccessToken(cfg, session.access_token)).rejects.toThrow(AuthError);
    const hs = await issueSession(config, userId);
    await expect(verifyAccessToken(cfg, hs.access_token)).rejects.toThrow(AuthError);
  });

  test('refresh tokens: verified by the issuer, refused by the public key (JWKS) and as access tokens', async () => {
    const session = await issueSession(cfg, userId);
    expect((await verifyRefreshToken(cfg, session.refresh_token)).sub).toBe(userId);
    await expect(verifyRefreshToken(otherCfg, session.refresh_token)).rejects.toThrow(AuthError);
    await expect(verifyAccessToken(cfg, session.refresh_token)).rejects.toThrow(AuthError);
    await expect(verifyRefreshToken(cfg, session.access_token)).rejects.toThrow(AuthError);
    const jwks = await importSPKI(cfg.publicKeyPem!, alg);
    await expect(jwtVerify(session.refresh_token, jwks)).rejects.toThrow();
  });

  test('verify-only configuration (public key only) cannot issue', async () => {
    const verifyOnly = { ...cfg, privateKeyPem: undefined };
    await expect(issueSession(verifyOnly, userId)).rejects.toThrow(/JWT_PRIVATE_KEY/);
  });
});
