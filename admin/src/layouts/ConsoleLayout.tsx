// ProLayout from the route table: side menu and breadcrumbs come from
// visibleRoutes(); the header shows the operator and signs out.
import { LogoutOutlined } from '@ant-design/icons';
import { PageContainer, ProLayout, type MenuDataItem } from '@ant-design/pro-components';
import { Dropdown, Tag } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ROLE_NAMES } from '../access';
import { useAccess, useSession } from '../auth';
import { queryClient } from '../queryClient';
import { visibleRoutes, type ConsoleRoute } from '../routes';
import { signOut } from '../services/auth';

function toMenu(routes: ConsoleRoute[]): MenuDataItem[] {
  return routes.map((r) => {
    const item: MenuDataItem = { path: r.path, name: r.name, icon: r.icon, hideInMenu: r.hideInMenu };
    if (r.children) item.children = toMenu(r.children);
    return item;
  });
}

export function ConsoleLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const session = useSession();
  const access = useAccess();
  const menu = toMenu(visibleRoutes((k) => access[k]));
  const operator = session?.operator;
  return (
    <ProLayout
      title="排队返利商城"
      logo={<span style={{ fontSize: 22 }}>🛒</span>}
      layout="mix"
      fixSiderbar
      splitMenus={false}
      route={{ path: '/', routes: menu }}
      location={{ pathname: location.pathname }}
      menuItemRender={(item, dom) => (item.path ? <Link to={item.path} data-testid={`menu-${item.path}`}>{dom}</Link> : dom)}
      token={{ header: { colorBgHeader: '#fff' }, sider: { colorMenuBackground: '#fff' } }}
      avatarProps={
        operator
          ? {
              title: (
                <span data-testid="operator-name">
                  {operator.name} <Tag color="orange">{ROLE_NAMES[operator.role] ?? operator.role}</Tag>
                </span>
              ),
              size: 'small',
              render: (_props, dom) => (
                <Dropdown
                  menu={{
                    items: [{ key: 'logout', icon: <LogoutOutlined />, label: '退出登录' }],
                    onClick: async ({ key }) => {
                      if (key !== 'logout') return;
                      await signOut();
                      queryClient.clear();
                      navigate('/login');
                    },
                  }}
                >
                  <span data-testid="operator-menu">{dom}</span>
                </Dropdown>
              ),
            }
          : undefined
      }
    >
      <PageContainer>
        <Outlet />
      </PageContainer>
    </ProLayout>
  );
}
