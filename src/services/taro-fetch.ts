// A `fetch` built on Taro.request, passed to Supabase's functions client as `customFetch`:
// WeChat has no fetch. It covers what that client uses: method, headers,
// a string body, and a Response with ok/status/headers/text/json.
import Taro from '@tarojs/taro';
import { HeadersPolyfill, headersToRecord } from './polyfill';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'TRACE' | 'CONNECT';

export interface MiniResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: HeadersPolyfill;
  text(): Promise<string>;
  json(): Promise<unknown>;
  blob(): Promise<never>;
  formData(): Promise<never>;
  arrayBuffer(): Promise<never>;
  clone(): MiniResponse;
}

export function makeResponse(url: string, status: number, headers: Record<string, string>, body: string): MiniResponse {
  const h = new HeadersPolyfill(headers);
  const unsupported = () => Promise.reject(new Error('not supported in the mini-program fetch adapter'));
  const res: MiniResponse = {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    url,
    headers: h,
    text: () => Promise.resolve(body),
    json: () => Promise.resolve().then(() => JSON.parse(body)),
    blob: unsupported,
    formData: unsupported,
    arrayBuffer: unsupported,
    clone: () => makeResponse(url, status, headers, body),
  };
  return res;
}

export async function taroFetch(input: unknown, init: { method?: string; headers?: unknown; body?: unknown; signal?: unknown } = {}): Promise<MiniResponse> {
  const url = typeof input === 'string' ? input : String((input as { href?: string; url?: string }).href ?? (input as { url?: string }).url ?? input);
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string') {
    // the functions client serialises JSON bodies itself; anything else is not needed here.
    throw new TypeError('taroFetch: only string bodies are supported');
  }
  const result = await Taro.request({
    url,
    method: ((init.method ?? 'GET').toUpperCase() as Method),
    header: headersToRecord(init.headers),
    data: body ?? undefined,
    // Keep the raw text: the functions client parses by Content-Type itself.
    dataType: 'text',
    responseType: 'text',
  });
  const raw = result.data as unknown;
  const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
  const header = (result.header ?? {}) as Record<string, unknown>;
  return makeResponse(url, result.statusCode, headersToRecord(header), text);
}
