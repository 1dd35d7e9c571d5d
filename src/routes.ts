// Every page path in one place (main package: tabs; the rest: subpackages).
import Taro from '@tarojs/taro';

export const ROUTES = {
  home: '/pages/home/index',
  category: '/pages/category/index',
  queue: '/pages/queue/index',
  me: '/pages/me/index',
  product: '/packages/shop/pages/product/index',
  cart: '/packages/shop/pages/cart/index',
  checkout: '/packages/shop/pages/checkout/index',
  orders: '/packages/shop/pages/orders/index',
  order: '/packages/shop/pages/order/index',
  refund: '/packages/shop/pages/refund/index',
  cashierPay: '/packages/cashier/pages/pay/index',
  cashierReceipt: '/packages/cashier/pages/receipt/index',
  queueProgress: '/packages/queue/pages/progress/index',
  queueEntry: '/packages/queue/pages/entry/index',
  queueDraw: '/packages/queue/pages/draw/index',
  queueExchange: '/packages/queue/pages/exchange/index',
  wallet: '/packages/wallet/pages/index/index',
  walletHistory: '/packages/wallet/pages/history/index',
  withdraw: '/packages/wallet/pages/withdraw/index',
  invite: '/packages/promoter/pages/invite/index',
  team: '/packages/promoter/pages/team/index',
  rewards: '/packages/promoter/pages/rewards/index',
  merchant: '/packages/merchant/pages/index/index',
  merchantApply: '/packages/merchant/pages/apply/index',
  merchantSales: '/packages/merchant/pages/sales/index',
  merchantCashiers: '/packages/merchant/pages/cashiers/index',
  inbox: '/packages/inbox/pages/index/index',
} as const;

export type RouteName = keyof typeof ROUTES;

const TABS: string[] = [ROUTES.home, ROUTES.category, ROUTES.queue, ROUTES.me];

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
