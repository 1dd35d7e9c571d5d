// Main package: start-up and tab pages only; every business area is a subpackage.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/category/index', 'pages/queue/index', 'pages/me/index'],
  subPackages: [
    { root: 'packages/shop', pages: ['pages/product/index', 'pages/cart/index', 'pages/checkout/index', 'pages/orders/index', 'pages/order/index', 'pages/refund/index'] },
    { root: 'packages/cashier', pages: ['pages/pay/index', 'pages/receipt/index'] },
    { root: 'packages/queue', pages: ['pages/progress/index', 'pages/entry/index', 'pages/draw/index', 'pages/exchange/index'] },
    { root: 'packages/wallet', pages: ['pages/index/index', 'pages/history/index', 'pages/withdraw/index'] },
    { root: 'packages/promoter', pages: ['pages/invite/index', 'pages/team/index', 'pages/rewards/index'] },
    { root: 'packages/merchant', pages: ['pages/index/index', 'pages/apply/index', 'pages/sales/index', 'pages/cashiers/index'] },
    { root: 'packages/inbox', pages: ['pages/index/index'] },
  ],
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['packages/shop'] },
    'pages/queue/index': { network: 'all', packages: ['packages/queue'] },
  },
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '排队返利商城',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
  tabBar: {
    color: '#8f959e',
    selectedColor: '#e8473c',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      { pagePath: 'pages/category/index', text: '分类', iconPath: 'assets/tab/category.png', selectedIconPath: 'assets/tab/category-on.png' },
      { pagePath: 'pages/queue/index', text: '队列', iconPath: 'assets/tab/queue.png', selectedIconPath: 'assets/tab/queue-on.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-on.png' },
    ],
  },
  permission: {},
});
