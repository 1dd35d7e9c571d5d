import { Suspense } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { Guard } from './components/Guard';
import { ConsoleLayout } from './layouts/ConsoleLayout';
import { flatRoutes } from './routes';
import SignIn from './pages/SignIn';
import { queryClient } from './queryClient';

dayjs.locale('zh-cn');

// A Chinese console font stack. antd's default lists 'Noto Sans', which
// fontconfig may resolve to Noto Color Emoji where Noto Sans is missing
// (digits then come out as emoji glyphs).
const FONT =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Helvetica Neue', Helvetica, Arial, sans-serif";


const loading = <Spin style={{ display: 'block', margin: '120px auto' }} />;

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#fa541c', borderRadius: 4, fontFamily: FONT } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<SignIn />} />
              <Route element={<ConsoleLayout />}>
                <Route index element={<Navigate to="/dashboard" replace />} />
                {flatRoutes().map((r) => {
                  const Page = r.page!;
                  return (
                    <Route
                      key={r.path}
                      path={r.path}
                      element={
                        <Guard access={r.access}>
                          <Suspense fallback={loading}>
                            <Page />
                          </Suspense>
                        </Guard>
                      }
                    />
                  );
                })}
                <Route path="*" element={<Guard notFound />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
