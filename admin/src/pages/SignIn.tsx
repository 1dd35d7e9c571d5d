// Account + password sign-in. On success: back to where the guard came from.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { LoginForm, ProFormText } from '@ant-design/pro-components';
import { Alert } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../auth';
import { queryClient } from '../queryClient';
import { signIn } from '../services/auth';
import { AdminError } from '../services/client';

export default function SignIn() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const next = params.get('next') || '/dashboard';
  if (session) return <Navigate to={next.startsWith('/') ? next : '/dashboard'} replace />;
  return (
    <div style={{ minHeight: '100vh', background: 'linear-gradient(135deg,#fff7e6 0%,#fff1f0 100%)', paddingTop: 120 }} data-testid="page-login">
      <LoginForm
        title="排队返利商城"
        subTitle="运营管理后台"
        logo={<span style={{ fontSize: 40, lineHeight: '44px' }}>🛒</span>}
        submitter={{ searchConfig: { submitText: '登录' }, submitButtonProps: { 'data-testid': 'login-submit' } as never }}
        onFinish={async (v: { account: string; password: string }) => {
          setError(null);
          try {
            await signIn(v.account.trim(), v.password);
            queryClient.clear();
            navigate(next.startsWith('/') ? next : '/dashboard', { replace: true });
            return true;
          } catch (e) {
            setError(e instanceof AdminError ? e.message : '登录失败，请稍后再试');
            return false;
          }
        }}
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 24 }} data-testid="login-error" />}
        <ProFormText
          name="account"
          fieldProps={{ size: 'large', prefix: <UserOutlined />, id: 'login-account' }}
          placeholder="账号"
          rules={[{ required: true, message: '请输入账号' }]}
        />
        <ProFormText.Password
          name="password"
          fieldProps={{ size: 'large', prefix: <LockOutlined />, id: 'login-password' }}
          placeholder="密码"
          rules={[{ required: true, message: '请输入密码' }]}
        />
      </LoginForm>
    </div>
  );
}
