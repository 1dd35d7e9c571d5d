// The one client of our edge functions. Only Supabase's functions client
// (@supabase/functions-js), not all of supabase-js: the app calls nothing but
// `functions/v1/*`, and the rest (PostgREST, Storage, Realtime, Auth clients)
// was most of the weapp main package. Auth is ours (the `wechat-login`
// function issues the session); each call carries the session token, or the
// anon key when signed out, as Supabase clients do.
import { FunctionsClient } from '@supabase/functions-js';
import { apiAnonKey, apiBaseUrl } from './config';
import { taroFetch } from './taro-fetch';
import { getAccessToken } from './token';

let client: FunctionsClient | null = null;

function functionsClient(): FunctionsClient {
  if (!client) {
    client = new FunctionsClient(`${apiBaseUrl}/functions/v1`, {
      headers: { apikey: apiAnonKey },
      customFetch: taroFetch as unknown as typeof fetch,
    });
  }
  return client;
}

/** POST {body} to functions/v1/<fn> with the session (or the anon key) as bearer. */
export async function invokeFunction(fn: string, body: object): Promise<{ data: unknown; error: unknown }> {
  const token = await getAccessToken();
  return functionsClient().invoke(fn, { body, headers: { Authorization: `Bearer ${token ?? apiAnonKey}` } });
}
