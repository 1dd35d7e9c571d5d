// The route guard: no session → /login (remembering where to come back to);
// a page the operator's role may not open → 403.
import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { AccessKey } from '../access';
import { useAccess, useSession } from '../auth';

export function Guard({ access, children, notFound }: { access?: AccessKey; children?: ReactNode; notFound?: boolean }) {
  const session = useSession();
  const allowed = useAccess();
  const location = useLocation();
  const navigate = useNavigate();
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (notFound)
    return <Result status="404" title="404" subTitle="页面不存在" extra={<Button onClick={() => navigate('/dashboard')}>返回概览</Button>} />;
  if (access && !allowed[access])
    return <Result status="403" title="403" subTitle="当前账号没有访问此页面的权限" data-testid="forbidden" extra={<Button onClick={() => navigate('/dashboard')}>返回概览</Button>} />;
  return <>{children}</>;
}
