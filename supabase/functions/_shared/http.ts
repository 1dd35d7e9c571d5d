// Request/response plumbing shared by every function: CORS, JSON bodies,
// the error shape `{error:{field,message,code}}`, and mapping of database
// and validation errors to 4xx statuses.
import { AuthError } from './auth.ts';

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

/** An error the caller should see: status, offending field (dot path) or null, message, code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly field: string | null,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

export function errorResponse(status: number, field: string | null, message: string, code?: string): Response {
  return json({ error: { field, message, ...(code ? { code } : {}) } }, status);
}

/** Parses a JSON object body; anything else is a 400 on `body`. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    const text = await req.text();
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new HttpError(400, 'body', '请求体不是合法的 JSON', 'bad_json');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'body', '请求体必须是 JSON 对象', 'bad_json');
  }
  return body as Record<string, unknown>;
}

interface PgErrorLike {
  code?: string;
  message?: string;
  column_name?: string;
  column?: string;
  detail?: string;
  hint?: string;
  constraint_name?: string;
}

// English reasons of the SQL validators (util.fail) → user-facing Chinese.
const REASONS: [RegExp, string][] = [
  [/^must be a string$/, '须为文本'],
  [/^must not be empty$/, '不能为空'],
  [/^must be at most (\d+) characters$/, '不能超过 $1 个字符'],
  [/^must be an integer amount in fen$/, '须为整数金额（分）'],
  [/^must be a whole number of fen$/, '须为整数金额（分）'],
  [/^must be a whole number$/, '须为整数'],
  [/^must not be negative$/, '不能为负数'],
  [/^must be at most (\d+)( fen)?$/, '不能超过 $1'],
  [/^must be at least (\d+)( fen)?$/, '不能少于 $1'],
  [/^must be true or false$/, '须为 true 或 false'],
  [/^must be one of (.*)$/, '须为以下之一：$1'],
  [/^unknown field$/, '不支持的字段'],
  [/^must be an object$/, '须为对象'],
  [/^must be an array$/, '须为数组'],
  [/^not supported yet$/, '暂不支持'],
];

export function zhReason(reason: string): string {
  for (const [re, zh] of REASONS) if (re.test(reason)) return reason.replace(re, zh);
  return reason;
}

/** Maps any thrown error to a response. Unknown errors are 500 and logged, never leaked. */
export function toErrorResponse(err: unknown): Response {
  if (err instanceof HttpError) return errorResponse(err.status, err.field, err.message, err.code);
  if (err instanceof AuthError) return errorResponse(401, null, '登录已失效，请重新登录', 'unauthenticated');
  const pg = err as PgErrorLike;
  if (pg && typeof pg.code === 'string' && /^[0-9A-Z]{5}$/.test(pg.code)) {
    const field = pg.column_name || pg.column || null;
    const raw = pg.message ?? '';
    const reason = field && raw.startsWith(`${field}: `) ? raw.slice(field.length + 2) : raw;
    switch (pg.code) {
      case '22023': // util.fail: bad input, field in COLUMN
      case '22P02':
        return errorResponse(400, field, zhReason(reason), pg.hint ?? 'invalid');
      case '42501':
        // app.me(): a token whose user is no member (any more) → sign in again.
        if (pg.hint === 'unauthenticated') return errorResponse(401, null, '请先登录', 'unauthenticated');
        // Our own checks speak Chinese; Postgres's "permission denied for …" does not.
        return errorResponse(403, field, /[\u4e00-\u9fff]/.test(reason) ? reason : '无权操作', 'forbidden');
      case 'P0002':
        return errorResponse(404, field, reason || '不存在', 'not_found');
      case '23514': // e.g. a ledger account would go negative
        if (pg.constraint_name === 'accounts_balance_not_negative') return errorResponse(409, field, '余额不足', 'insufficient_balance');
        break;
      case '55000': // object_not_in_prerequisite_state: wrong status for this action
        return errorResponse(409, field, reason, pg.hint ?? 'conflict');
      case '40001':
      case '40P01':
      case '55P03':
        return errorResponse(503, null, '系统繁忙，请稍后重试', 'busy');
    }
  }
  console.error(err);
  return errorResponse(500, null, '系统错误，请稍后重试', 'internal');
}

/** Wraps a handler: CORS preflight, error mapping. */
export function handler(fn: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
    try {
      return await fn(req);
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}
