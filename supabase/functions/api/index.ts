// POST /functions/v1/api  body {action, ...params}  (_shared/api-contract.ts)
// Validates params with zod (400 {error:{field,message}} naming the field),
// then runs the action's SQL as the caller: role authenticated with the
// JWT claims set transaction-locally, so RLS and auth.uid() apply as behind
// Supabase's REST layer. Public actions run as anon without a session.
import { API_ACTIONS, PUBLIC_ACTIONS } from '../_shared/api-contract.ts';
import { authConfigFromEnv, callerClaims } from '../_shared/auth.ts';
import { handler, HttpError, json, readJsonObject } from '../_shared/http.ts';
import { fieldError } from '../_shared/validate.ts';
import { ACTIONS } from './actions.ts';

const auth = authConfigFromEnv(Deno.env.toObject());
const anonKey = Deno.env.get('SUPABASE_ANON_KEY');

// The contract and this table must agree (test/stack/api-contract.test.ts);
// a contract action added before its implementation answers 501.
for (const a of API_ACTIONS) if (!ACTIONS[a]) console.warn(`api: action ${a} of the contract is not implemented yet`);

Deno.serve(
  handler(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, null, '仅支持 POST');
    // Supabase clients send the anon key as the bearer when signed out.
    const claims = req.headers.get('authorization') === `Bearer ${anonKey}` ? null : await callerClaims(auth, req);
    const { action, ...params } = await readJsonObject(req);
    if (typeof action !== 'string' || !Object.hasOwn(ACTIONS, action)) {
      if ((API_ACTIONS as readonly string[]).includes(action as string)) throw new HttpError(501, 'action', '该功能暂未开放', 'not_implemented');
      throw new HttpError(400, 'action', '未知的操作', 'unknown_action');
    }
    const def = ACTIONS[action];
    // Public in the contract means callable signed out; the table must agree.
    const isPublic = def.public === true && (PUBLIC_ACTIONS as readonly string[]).includes(action);
    if (!isPublic && !claims) throw new HttpError(401, null, '请先登录', 'unauthenticated');
    const parsed = def.schema.safeParse(params);
    if (!parsed.success) throw fieldError(parsed.error);
    return json(await def.run({ claims }, parsed.data));
  }),
);
