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

/** Request bodies above this many bytes are refused (413) before parsing; ours are a few KB at most. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Nesting deeper than this is refused: no request of ours nests more than a few levels. */
export const MAX_JSON_DEPTH = 16;

/** Reads the body as UTF-8 text, refusing (413 on `body`) anything over `limit` bytes without buffering it all. */
async function readLimited(req: Request, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'body', `请求体过大（最多 ${Math.floor(limit / 1024)} KB）`, 'too_large');
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** A string Postgres cannot store as text/jsonb: NUL, or a lone UTF-16 surrogate. */
function unstorable(s: string): boolean {
  return s.includes('\u0000') || !s.isWellFormed();
}

/**
 * The first place in a parsed body that no field can accept, whatever its
 * schema: a string or key Postgres cannot store, or nesting beyond
 * MAX_JSON_DEPTH. Walks iteratively (no recursion on hostile input).
 */
export function unacceptableJson(root: unknown): { field: string; message: string } | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  const name = (path: (string | number)[]) =>
    path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '') || 'body';
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) return { field: name(path), message: '含有无效字符' };
    } else if (value !== null && typeof value === 'object') {
      if (path.length >= MAX_JSON_DEPTH) return { field: name(path), message: '嵌套层级过深' };
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      } else {
        const keys = Object.keys(value);
        for (const k of keys) if (unstorable(k)) return { field: name([...path, k]), message: '含有无效字符' };
        for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (value as Record<string, unknown>)[keys[i]], path: [...path, keys[i]] });
      }
    }
  }
  return null;
}

/**
 * Parses a JSON object body. Over MAX_BODY_BYTES → 413 on `body`; not JSON
 * or not an object → 400 on `body`; a string no field could store (NUL, a
 * lone surrogate) or nesting deeper than MAX_JSON_DEPTH → 400 naming where.
 */
export async function readJsonObject(req: Request, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const text = await readLimited(req, limit);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new HttpError(400, 'body', '请求体不是合法的 JSON', 'bad_json');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'body', '请求体必须是 JSON 对象', 'bad_json');
  }
  const bad = unacceptableJson(body);
  if (bad) throw new HttpError(400, bad.field, bad.message, 'invalid');
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
  [/^unknown id$/, '不存在'],
  [/^must be an image URL$/, '须为图片地址'],
  [/^must be a percentage string such as "12.5"$/, '须为百分比文本，如 "12.5"'],
  [/^must be a percentage from 0 to 10000 with at most 2 decimals$/, '须为 0–10000 的百分比，最多两位小数'],
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
      case '57P01': // the database terminated the connection: nothing was committed, try again
      case '57P02':
      case '57P03':
        return errorResponse(503, null, '系统繁忙，请稍后重试', 'busy');
    }
    if (pg.code.startsWith('08')) {
      console.error(err);
      return errorResponse(503, null, '系统繁忙，请稍后重试', 'busy');
    }
  }
  // postgres.js: the connection to the database closed under the request.
  if (pg && typeof pg.code === 'string' && /^(CONNECTION_(CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT)$/.test(pg.code)) {
    console.error(err);
    return errorResponse(503, null, '系统繁忙，请稍后重试', 'busy');
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
