// The one Supabase client. Auth is ours (the `wechat-login` function issues
// the session), so supabase-js gets it through `accessToken` and never runs
// its own auth client (no GoTrue, no URL session detection in WeChat).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { apiAnonKey, apiBaseUrl } from './config';
import { NoRealtimeSocket } from './polyfill';
import { taroFetch } from './taro-fetch';
import { getAccessToken } from './token';

let client: SupabaseClient | null = null;

export function supabase(): SupabaseClient {
  if (!client) {
    client = createClient(apiBaseUrl, apiAnonKey, {
      global: { fetch: taroFetch as unknown as typeof fetch },
      // No Realtime in the app; WeChat has no WebSocket global for it to find.
      realtime: { transport: NoRealtimeSocket as never },
      // null → supabase-js falls back to the anon key (public actions).
      accessToken: async () => getAccessToken(),
    });
  }
  return client;
}
