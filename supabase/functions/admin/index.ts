// POST /functions/v1/admin  body {action, ...params}  (_shared/admin-contract.ts)
// The operator console's API. Order of checks: a known action; an operator
// token (aud "operator"; shopper tokens are 401) unless the action is
// auth.signIn; the token's role has the action's permission (403) — a fast
// refusal before anything is parsed further; zod (400 naming the field);
// then the action's SQL function as the Postgres role `operator`, which
// checks the session and the account's current role again (the database is
// the authority).
import { ADMIN_ACTIONS, can, type AdminAction } from '../_shared/admin-contract.ts';
import { authConfigFromEnv } from '../_shared/auth.ts';
import { handler, HttpError, json, MAX_BODY_BYTES, readJsonObject } from '../_shared/http.ts';
import { operatorClaims } from '../_shared/operator-auth.ts';
import { fieldError } from '../_shared/validate.ts';
import { RUNS, callAdminSql, type AdminCtx } from './actions.ts';
import { SCHEMAS } from './schemas.ts';

const auth = authConfigFromEnv(Deno.env.toObject());
/** Image uploads travel as base64 in the JSON body: up to 5 MB of image. */
const MAX_UPLOAD_BODY_BYTES = 8 * 1024 * 1024;

Deno.serve(
  handler(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, null, '仅支持 POST');
    const body = await readJsonObject(req, MAX_UPLOAD_BODY_BYTES);
    const { action, ...params } = body;
    if (typeof action !== 'string' || !Object.hasOwn(ADMIN_ACTIONS, action)) throw new HttpError(400, 'action', '未知的操作', 'unknown_action');
    const name = action as AdminAction;
    if (name !== 'uploads.image' && new TextEncoder().encode(JSON.stringify(body)).byteLength > MAX_BODY_BYTES) {
      throw new HttpError(413, 'body', `请求体过大（最多 ${MAX_BODY_BYTES / 1024} KB）`, 'too_large');
    }
    const permission = ADMIN_ACTIONS[name].permission;
    const ctx: AdminCtx = { claims: null, auth };
    if (permission !== null) {
      ctx.claims = await operatorClaims(auth, req);
      if (permission !== 'signedIn' && !can(ctx.claims.op_role, permission)) throw new HttpError(403, null, '当前角色无权执行此操作', 'forbidden');
    }
    const parsed = SCHEMAS[name].safeParse(params);
    if (!parsed.success) throw fieldError(parsed.error);
    const run = RUNS[name];
    return json(run ? await run(ctx, parsed.data) : await callAdminSql(ctx, name, parsed.data));
  }),
);
