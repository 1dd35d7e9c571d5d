// Pages and subpackages come from src/pages.ts (declared once, used by routes.ts too).
import { appPages, PAGES } from './pages';

export default defineAppConfig({
  ...appPages(),
  preloadRule: {
    [PAGES.home]: { network: 'all', packages: ['packages/shop'] },
    [PAGES.queue]: { network: 'all', packages: ['packages/queue'] },
  },
  window: {
    // 'default' also turns on Taro's h5 title bar (title, back / home button); weapp's default anyway.
    navigationStyle: 'default',
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
      { pagePath: PAGES.home, text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      { pagePath: PAGES.category, text: '分类', iconPath: 'assets/tab/category.png', selectedIconPath: 'assets/tab/category-on.png' },
      { pagePath: PAGES.queue, text: '队列', iconPath: 'assets/tab/queue.png', selectedIconPath: 'assets/tab/queue-on.png' },
      { pagePath: PAGES.me, text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-on.png' },
    ],
  },
  permission: {},
});
