// The one route table: path, menu name, icon, the permission it needs and the
// page. The side menu, the breadcrumbs (ProLayout reads the same tree) and the
// route guard all derive from it; a new page is one entry here.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AccountBookOutlined,
  AuditOutlined,
  CrownOutlined,
  DashboardOutlined,
  ExperimentOutlined,
  FundOutlined,
  OrderedListOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { AccessKey } from './access';

export interface ConsoleRoute {
  path: string;
  name: string;
  icon?: ReactNode;
  /** The named permission (access.ts) the page needs; none = every operator. */
  access?: AccessKey;
  page?: LazyExoticComponent<ComponentType>;
  children?: ConsoleRoute[];
  hideInMenu?: boolean;
}

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const ROUTES: ConsoleRoute[] = [
  { path: '/dashboard', name: '概览', icon: <DashboardOutlined />, page: page(() => import('./pages/Dashboard')) },
  { path: '/settings', name: '返利设置', icon: <SettingOutlined />, access: 'canViewSettings', page: page(() => import('./pages/Settings')) },
  {
    path: '/catalogue',
    name: '商品管理',
    icon: <ShoppingOutlined />,
    children: [
      { path: '/catalogue/products', name: '商品列表', access: 'canViewCatalog', page: page(() => import('./pages/Catalogue/Products')) },
      { path: '/catalogue/categories', name: '商品分类', access: 'canViewCatalog', page: page(() => import('./pages/Catalogue/Categories')) },
      { path: '/catalogue/banners', name: '首页轮播与公告', access: 'canViewCatalog', page: page(() => import('./pages/Catalogue/Banners')) },
      { path: '/catalogue/import', name: '供应链批量上架', access: 'canEditCatalog', page: page(() => import('./pages/Catalogue/Import')) },
    ],
  },
  {
    path: '/members',
    name: '会员管理',
    icon: <TeamOutlined />,
    children: [
      { path: '/members/list', name: '会员列表', access: 'canViewMembers', page: page(() => import('./pages/Members/List')) },
      { path: '/members/levels', name: '会员等级', access: 'canViewMembers', page: page(() => import('./pages/Members/Levels')) },
    ],
  },
  {
    path: '/merchants',
    name: '商家管理',
    icon: <ShopOutlined />,
    children: [
      { path: '/merchants/applications', name: '入驻审核', access: 'canViewMerchants', page: page(() => import('./pages/Merchants/Applications')) },
      { path: '/merchants/stores', name: '门店', access: 'canViewMerchants', page: page(() => import('./pages/Merchants/Stores')) },
      { path: '/merchants/store-products', name: '门店商品', access: 'canViewMerchants', page: page(() => import('./pages/Merchants/StoreProducts')) },
      { path: '/merchants/cashiers', name: '收银台', access: 'canViewMerchants', page: page(() => import('./pages/Merchants/Cashiers')) },
      { path: '/merchants/suppliers', name: '供应商', access: 'canViewMerchants', page: page(() => import('./pages/Merchants/Suppliers')) },
    ],
  },
  {
    path: '/orders',
    name: '订单与审核',
    icon: <AccountBookOutlined />,
    children: [
      { path: '/orders/list', name: '订单列表', access: 'canViewOrders', page: page(() => import('./pages/Orders/List')) },
      { path: '/orders/refunds', name: '退款审核', access: 'canViewOrders', page: page(() => import('./pages/Orders/Refunds')) },
      { path: '/orders/withdrawals', name: '提现审核', access: 'canViewWithdrawals', page: page(() => import('./pages/Orders/Withdrawals')) },
      { path: '/orders/anomalies', name: '支付异常', access: 'canViewOrders', page: page(() => import('./pages/Orders/Anomalies')) },
    ],
  },
  { path: '/queues', name: '队列', icon: <OrderedListOutlined />, access: 'canViewQueues', page: page(() => import('./pages/Queues')) },
  { path: '/union', name: '工会排队', icon: <CrownOutlined />, access: 'canViewQueues', page: page(() => import('./pages/Union')) },
  { path: '/liability', name: '负债看板', icon: <FundOutlined />, access: 'canViewQueues', page: page(() => import('./pages/Liability')) },
  { path: '/simulator', name: '规则模拟', icon: <ExperimentOutlined />, access: 'canViewSettings', page: page(() => import('./pages/Simulator')) },
  { path: '/audit', name: '操作日志', icon: <AuditOutlined />, access: 'canViewAudit', page: page(() => import('./pages/Audit')) },
  { path: '/operators', name: '后台账号', icon: <UserSwitchOutlined />, access: 'canManageOperators', page: page(() => import('./pages/Operators')) },
];

/** Every route with a page, children flattened (for <Routes>). */
export function flatRoutes(routes: ConsoleRoute[] = ROUTES): ConsoleRoute[] {
  return routes.flatMap((r) => [...(r.page ? [r] : []), ...flatRoutes(r.children ?? [])]);
}

/** The menu an operator sees: routes they may open; a group without any child is dropped. */
export function visibleRoutes(allowed: (key: AccessKey) => boolean, routes: ConsoleRoute[] = ROUTES): ConsoleRoute[] {
  const out: ConsoleRoute[] = [];
  for (const r of routes) {
    if (r.access && !allowed(r.access)) continue;
    if (r.children) {
      const children = visibleRoutes(allowed, r.children);
      if (children.length === 0 && !r.page) continue;
      out.push({ ...r, children });
    } else out.push(r);
  }
  return out;
}
