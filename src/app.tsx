// App shell: silent sign-in, invite scene binding, display settings.
import { type PropsWithChildren } from 'react';
import Taro, { useLaunch, usePageNotFound } from '@tarojs/taro';
import { url } from './routes';
import { ensureSession, setPendingInvite } from './services/api';
import { prefetchTemplates } from './services/subscribe';
import { useSettings } from './stores/settings';
import { inviteSceneFrom } from './utils/scene';
import './app.scss';

/** An unknown path (weapp: App.onPageNotFound; h5: Taro's router 404) opens the 404 page in its place. */
export function showNotFound(res: { path?: string } | undefined): void {
  void Taro.redirectTo({ url: url('notFound', { path: res?.path }) });
}

function App({ children }: PropsWithChildren) {
  usePageNotFound(showNotFound);
  useLaunch((options) => {
    void useSettings.getState().load();
    const invite = inviteSceneFrom(options?.query as Record<string, string> | undefined);
    if (invite) setPendingInvite(invite);
    void ensureSession()
      .then(async () => {
        // A new user's login carries the scene and binds the inviter; a referrer
        // binds only at registration, so an existing user's invite scene is ignored.
        await prefetchTemplates();
      })
      .catch(() => undefined); // offline: pages show their own error states
  });
  return children;
}

export default App;
