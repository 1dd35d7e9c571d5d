// Operator (console) access tokens. Same keys as the shoppers' sessions
// (auth.ts), but audience and role "operator": the shopper `api` verifies
// aud "authenticated" and so refuses them, and the `admin` function verifies
// aud "operator" and so refuses shopper tokens. The token names a row of
// ops.sessions; the database checks that session (and the account's current
// role) on every call, so signing out or demoting an operator takes effect
// at once.
import { type JWTPayload, SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AuthError, type AuthConfig, bearerToken, signingKey, verifyingKey } from './auth.ts';
import { OPERATOR_AUDIENCE, OPERATOR_ROLES, type OperatorRole } from './admin-contract.ts';

export interface OperatorClaims extends JWTPayload {
  sub: string;
  aud: typeof OPERATOR_AUDIENCE;
  role: 'operator';
  /** The console role when the token was issued (the database re-checks the current one). */
  op_role: OperatorRole;
  session_id: string;
  exp: number;
  iat: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Operator sessions last a working day by default (OPERATOR_TOKEN_TTL seconds). */
export function operatorTtlSeconds(env: Record<string, string | undefined>): number {
  const ttl = Number(env.OPERATOR_TOKEN_TTL ?? 12 * 3600);
  if (!Number.isInteger(ttl) || ttl < 60) throw new Error('OPERATOR_TOKEN_TTL: must be an integer of at least 60 seconds');
  return ttl;
}

export async function issueOperatorToken(
  config: AuthConfig,
  p: { operatorId: string; sessionId: string; role: OperatorRole; expiresAt: number; now?: number },
): Promise<string> {
  if (!UUID.test(p.operatorId) || !UUID.test(p.sessionId)) throw new Error('operator token: ids must be uuids');
  const now = p.now ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'operator', op_role: p.role, session_id: p.sessionId })
    .setProtectedHeader({ alg: config.alg, typ: 'JWT', ...(config.kid ? { kid: config.kid } : {}) })
    .setSubject(p.operatorId)
    .setAudience(OPERATOR_AUDIENCE)
    .setIssuer(config.issuer)
    .setIssuedAt(now)
    .setExpirationTime(p.expiresAt)
    .sign(await signingKey(config));
}

export async function verifyOperatorToken(config: AuthConfig, token: string, now?: number): Promise<OperatorClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await verifyingKey(config), {
      algorithms: [config.alg],
      audience: OPERATOR_AUDIENCE,
      issuer: config.issuer,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: now === undefined ? undefined : new Date(now * 1000),
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AuthError('token: expired');
    if (err instanceof joseErrors.JOSEError) throw new AuthError(`token: ${err.code}`);
    throw new AuthError('token: malformed');
  }
  if (payload.role !== 'operator') throw new AuthError('token: role is not operator');
  if (!payload.sub || !UUID.test(payload.sub)) throw new AuthError('token: sub is not a uuid');
  if (typeof payload.session_id !== 'string' || !UUID.test(payload.session_id)) throw new AuthError('token: no session');
  if (!(OPERATOR_ROLES as readonly unknown[]).includes(payload.op_role)) throw new AuthError('token: unknown operator role');
  return payload as OperatorClaims;
}

/** The operator claims of a request; a missing or any other token is a 401. */
export async function operatorClaims(config: AuthConfig, req: Request): Promise<OperatorClaims> {
  const token = bearerToken(req);
  if (token === null) throw new AuthError('no token');
  return verifyOperatorToken(config, token);
}
