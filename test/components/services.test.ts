/**
 * @jest-environment node
 */
// The real API client over Supabase's real functions client, in a WeChat-like runtime:
// no global fetch, Headers only from our polyfill (what the weapp build's
// ProvidePlugin injects), transport = Taro.request (mocked here).
import { HeadersPolyfill } from '@/services/polyfill';

const g = globalThis as Record<string, unknown>;
const saved = { fetch: g.fetch, Headers: g.Headers };

type Api = typeof import('@/services/api');
type TaroMock = typeof import('./mocks/taro');
let api: Api;
// Fresh module registry per test (the session cache lives in modules).
let Taro: TaroMock['default'];

function reply(statusCode: number, body: unknown, header: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return Promise.resolve({ statusCode, header, data: typeof body === 'string' ? body : JSON.stringify(body), errMsg: 'request:ok' });
}

const session = {
  session: { access_token: 'tok-1', refresh_token: 'r-1', expires_in: 3600, expires_at: Math.floor(Date.now() / 1000) + 3600, token_type: 'bearer' },
  user: { id: 'u1', nickname: '小王', avatarUrl: null, level: null, levelName: null, hasReferrer: false, isPromoter: false, merchantStatus: 'none' },
  isNew: true,
};

beforeAll(() => {
  delete g.fetch;
  g.Headers = HeadersPolyfill;
});
afterAll(() => {
  g.fetch = saved.fetch;
  g.Headers = saved.Headers;
});

beforeEach(() => {
  jest.resetModules();
  const mock = require('./mocks/taro') as TaroMock;
  mock.resetTaro();
  Taro = mock.default;
  api = require('@/services/api');
});

function requests() {
  return Taro.request.mock.calls.map((c) => c[0] as { url: string; method: string; header: Record<string, string>; data: string });
}

test('public action: POST to functions/v1/api with the anon key, body = action + params', async () => {
  Taro.request.mockImplementation(() => reply(200, { categories: [] }));
  const res = await api.callApi('catalog.categories', {});
  expect(res).toEqual({ categories: [] });
  const [r] = requests();
  expect(r.url).toBe('http://127.0.0.1:54321/functions/v1/api');
  expect(r.method).toBe('POST');
  expect(JSON.parse(r.data)).toEqual({ action: 'catalog.categories' });
  const auth = Object.entries(r.header).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  expect(auth).toBe('Bearer local-anon-key');
});

test('private action signs in with wx.login code first, then sends the session token', async () => {
  Taro.request.mockImplementation((o: { url: string }) => (o.url.endsWith('/wechat-login') ? reply(200, session) : reply(200, { unread: 0 })));
  await api.callApi('inbox.markRead', { all: true });
  const [login, call] = requests();
  expect(login.url).toBe('http://127.0.0.1:54321/functions/v1/wechat-login');
  expect(JSON.parse(login.data)).toEqual({ code: 'wx-code', platform: 'weapp' });
  expect(JSON.parse(call.data)).toEqual({ action: 'inbox.markRead', all: true });
  const auth = Object.entries(call.header).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  expect(auth).toBe('Bearer tok-1');
  expect(Taro.setStorageSync).toHaveBeenCalledWith('qrm.session', expect.objectContaining({ accessToken: 'tok-1' }));
});

test('a pending invite scene rides on the first login', async () => {
  Taro.request.mockImplementation((o: { url: string }) => (o.url.endsWith('/wechat-login') ? reply(200, session) : reply(200, {})));
  api.setPendingInvite('i=AB12');
  await api.ensureSession();
  expect(JSON.parse(requests()[0].data)).toEqual({ code: 'wx-code', platform: 'weapp', inviteScene: 'i=AB12' });
});

test('4xx error body becomes ApiError with the Chinese message and field', async () => {
  Taro.request.mockImplementation(() => reply(422, { error: { field: 'amount', message: '金额不能低于最低提现额' } }));
  await expect(api.callApi('catalog.products', {})).rejects.toMatchObject({ name: 'ApiError', status: 422, field: 'amount', message: '金额不能低于最低提现额' });
});

test('a non-Chinese or missing message falls back to Chinese by status', async () => {
  Taro.request.mockImplementation(() => reply(404, { error: { field: null, message: 'not found' } }));
  await expect(api.callApi('catalog.product', { productId: 'x' })).rejects.toMatchObject({ status: 404, message: '内容不存在或已下架' });
  Taro.request.mockImplementation(() => reply(500, 'boom', { 'Content-Type': 'text/plain' }));
  await expect(api.callApi('catalog.home', {})).rejects.toMatchObject({ status: 500, message: '服务繁忙，请稍后再试' });
});

test('network failure → Chinese network message', async () => {
  Taro.request.mockImplementation(() => Promise.reject({ errMsg: 'request:fail timeout' }));
  await expect(api.callApi('catalog.home', {})).rejects.toMatchObject({ status: 0, message: '网络连接失败，请检查网络后重试' });
});

test('401 on a call: signs in again once and retries', async () => {
  let calls = 0;
  Taro.request.mockImplementation((o: { url: string }) => {
    if (o.url.endsWith('/wechat-login')) return reply(200, session);
    calls += 1;
    return calls === 1 ? reply(401, { error: { field: null, message: '登录已过期，请重新登录' } }) : reply(200, { unread: 3 });
  });
  await expect(api.callApi('inbox.markRead', { all: true })).resolves.toEqual({ unread: 3 });
  expect(requests().filter((r) => r.url.endsWith('/wechat-login'))).toHaveLength(2);
});

test('Headers polyfill is case-insensitive and iterable', () => {
  const h = new HeadersPolyfill({ 'Content-Type': 'application/json' });
  h.append('x-a', '1');
  h.append('X-A', '2');
  expect(h.get('content-type')).toBe('application/json');
  expect(h.get('x-a')).toBe('1, 2');
  expect([...h].length).toBe(2);
  h.delete('X-A');
  expect(h.has('x-a')).toBe(false);
});
