// Navigation by page name (the pages themselves: src/pages.ts).
import Taro from '@tarojs/taro';
import { PAGES, TAB_PAGES, type PageName } from './pages';

/** Absolute paths of every page (src/pages.ts), as Taro's navigation wants them. */
export const ROUTES = Object.fromEntries(Object.entries(PAGES).map(([name, path]) => [name, `/${path}`])) as {
  readonly [K in PageName]: `/${(typeof PAGES)[K]}`;
};

export type RouteName = PageName;

const TABS: string[] = TAB_PAGES.map((name) => ROUTES[name]);

export function url(name: RouteName, params: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${ROUTES[name]}?${q}` : ROUTES[name];
}

export function go(name: RouteName, params?: Record<string, string | number | undefined>): void {
  if (TABS.includes(ROUTES[name])) {
    void Taro.switchTab({ url: ROUTES[name] });
  } else {
    void Taro.navigateTo({ url: url(name, params) });
  }
}

export function redirect(name: RouteName, params?: Record<string, string | number | undefined>): void {
  if (TABS.includes(ROUTES[name])) void Taro.switchTab({ url: ROUTES[name] });
  else void Taro.redirectTo({ url: url(name, params) });
}

/** Opens a server-given link (inbox messages), tabs included. */
export function openLink(link: string): void {
  const path = link.split('?')[0];
  if (TABS.includes(path)) void Taro.switchTab({ url: path });
  else void Taro.navigateTo({ url: link });
}
