// Every page of the app, declared once: app.config.ts builds `pages` and
// `subPackages` from it, routes.ts the paths screens navigate to. Pure data
// (no Taro imports): Taro's CLI evaluates app.config.ts at build time.
// Main package: start-up and tab pages only; a page under packages/<area>/
// belongs to that subpackage.
export const PAGES = {
  home: 'pages/home/index',
  category: 'pages/category/index',
  queue: 'pages/queue/index',
  me: 'pages/me/index',
  product: 'packages/shop/pages/product/index',
  cart: 'packages/shop/pages/cart/index',
  checkout: 'packages/shop/pages/checkout/index',
  orders: 'packages/shop/pages/orders/index',
  order: 'packages/shop/pages/order/index',
  refund: 'packages/shop/pages/refund/index',
  scan: 'packages/shop/pages/scan/index',
  cashierPay: 'packages/cashier/pages/pay/index',
  cashierReceipt: 'packages/cashier/pages/receipt/index',
  queueProgress: 'packages/queue/pages/progress/index',
  queueEntry: 'packages/queue/pages/entry/index',
  queueDraw: 'packages/queue/pages/draw/index',
  queueExchange: 'packages/queue/pages/exchange/index',
  unionEntry: 'packages/queue/pages/union-entry/index',
  wallet: 'packages/wallet/pages/index/index',
  walletHistory: 'packages/wallet/pages/history/index',
  withdraw: 'packages/wallet/pages/withdraw/index',
  walletTransfer: 'packages/wallet/pages/transfer/index',
  invite: 'packages/promoter/pages/invite/index',
  team: 'packages/promoter/pages/team/index',
  rewards: 'packages/promoter/pages/rewards/index',
  merchant: 'packages/merchant/pages/index/index',
  merchantApply: 'packages/merchant/pages/apply/index',
  merchantSales: 'packages/merchant/pages/sales/index',
  merchantCashiers: 'packages/merchant/pages/cashiers/index',
  merchantAccount: 'packages/merchant/pages/account/index',
  inbox: 'packages/inbox/pages/index/index',
  notFound: 'packages/common/pages/not-found/index',
} as const;

export type PageName = keyof typeof PAGES;

/** The tab bar, in order. */
export const TAB_PAGES: readonly PageName[] = ['home', 'category', 'queue', 'me'];

const SUBPACKAGE = /^(packages\/[^/]+)\/(.+)$/;

/** app.json's `pages` (the first one opens at launch) and `subPackages`, in declaration order. */
export function appPages(): { pages: string[]; subPackages: { root: string; pages: string[] }[] } {
  const pages: string[] = [];
  const subPackages: { root: string; pages: string[] }[] = [];
  for (const path of Object.values(PAGES)) {
    const m = path.match(SUBPACKAGE);
    if (!m) {
      pages.push(path);
      continue;
    }
    let sub = subPackages.find((s) => s.root === m[1]);
    if (!sub) subPackages.push((sub = { root: m[1], pages: [] }));
    sub.pages.push(m[2]);
  }
  return { pages, subPackages };
}
