// Main package: start-up and tab pages only; everything else in subpackages.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/category/index', 'pages/queue/index', 'pages/me/index'],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '排队返利商城',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
  tabBar: {
    color: '#8a8f99',
    selectedColor: '#e4393c',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: '首页' },
      { pagePath: 'pages/category/index', text: '分类' },
      { pagePath: 'pages/queue/index', text: '队列' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
});
