// GET /functions/v1/health → {"ok":true,"db":"pglite"|"postgres"} when the
// database answers; 503 {"ok":false,...} when it does not.
import { databaseKind } from '../_shared/db.ts';
import { corsHeaders, json } from '../_shared/http.ts';

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const db = await Promise.race([
      databaseKind(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('database did not answer within 5 s')), 5000))),
    ]);
    return json({ ok: true, db });
  } catch (err) {
    return json({ ok: false, db: null, error: (err as Error).message }, 503);
  } finally {
    clearTimeout(timer);
  }
});
