// Jest stand-in for @tarojs/taro: navigation, storage, UI feedback and page
// hooks, all observable from tests. Page hooks register while mounted, and
// useDidShow fires once after mount like the real first onShow.
import { useEffect, useRef } from 'react';

type Cb = () => void;

function useRegistered(list: () => Cb[], cb: Cb, fireOnMount = false): void {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => {
    const f = () => ref.current();
    list().push(f);
    if (fireOnMount) f();
    return () => {
      const l = list();
      const i = l.indexOf(f);
      if (i >= 0) l.splice(i, 1);
    };
  }, []);
}

const storage = new Map<string, unknown>();
export const hooks = {
  pullDown: [] as Cb[],
  reachBottom: [] as Cb[],
  didShow: [] as Cb[],
  pageNotFound: [] as ((res: { path?: string }) => void)[],
};
export const router = { params: {} as Record<string, string | undefined> };

export function resetTaro(): void {
  storage.clear();
  hooks.pullDown = [];
  hooks.reachBottom = [];
  hooks.didShow = [];
  hooks.pageNotFound = [];
  router.params = {};
  for (const fn of Object.values(Taro)) if (typeof fn === 'function' && 'mockClear' in fn) (fn as jest.Mock).mockClear();
  Taro.showModal.mockImplementation(() => Promise.resolve({ confirm: true, cancel: false }));
  Taro.requestPayment.mockImplementation(() => Promise.resolve({ errMsg: 'requestPayment:ok' }));
  Taro.scanCode.mockImplementation(() => Promise.reject(new Error('scanCode:fail cancel')));
}

const Taro = {
  request: jest.fn(),
  login: jest.fn(() => Promise.resolve({ code: 'wx-code', errMsg: 'login:ok' })),
  requestPayment: jest.fn((_o?: unknown) => Promise.resolve({ errMsg: 'requestPayment:ok' } as unknown)),
  requestSubscribeMessage: jest.fn(() => Promise.resolve({})),
  showToast: jest.fn(() => Promise.resolve()),
  showModal: jest.fn((_o?: unknown) => Promise.resolve({ confirm: true, cancel: false })),
  navigateTo: jest.fn(() => Promise.resolve()),
  redirectTo: jest.fn(() => Promise.resolve()),
  switchTab: jest.fn(() => Promise.resolve()),
  reLaunch: jest.fn(() => Promise.resolve()),
  navigateBack: jest.fn(() => Promise.resolve()),
  stopPullDownRefresh: jest.fn(),
  setNavigationBarTitle: jest.fn(() => Promise.resolve()),
  setClipboardData: jest.fn(() => Promise.resolve()),
  getStorageSync: jest.fn((k: string) => (storage.has(k) ? storage.get(k) : '')),
  setStorageSync: jest.fn((k: string, v: unknown) => {
    storage.set(k, v);
  }),
  removeStorageSync: jest.fn((k: string) => {
    storage.delete(k);
  }),
  getLaunchOptionsSync: jest.fn(() => ({ query: {} })),
  /** WeChat's scanner: a test sets what it reads (default: the user cancels). */
  scanCode: jest.fn((_o?: unknown) => Promise.reject(new Error('scanCode:fail cancel')) as Promise<{ result?: string; path?: string }>),
};

export function useRouter() {
  return { params: router.params, path: '' };
}
export function usePullDownRefresh(cb: Cb): void {
  useRegistered(() => hooks.pullDown, cb);
}
export function useReachBottom(cb: Cb): void {
  useRegistered(() => hooks.reachBottom, cb);
}
export function useDidShow(cb: Cb): void {
  useRegistered(() => hooks.didShow, cb, true);
}
export function useLaunch(): void {}
export function usePageNotFound(cb: (res: { path?: string }) => void): void {
  useEffect(() => {
    hooks.pageNotFound.push(cb);
  }, []);
}
export function useShareAppMessage(): void {}

export default Taro;
