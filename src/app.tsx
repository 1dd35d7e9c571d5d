// App shell: silent sign-in, invite scene binding, display settings.
import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { ensureSession, setPendingInvite } from './services/api';
import { prefetchTemplates } from './services/subscribe';
import { useSettings } from './stores/settings';
import { inviteSceneFrom } from './utils/scene';
import './app.scss';

function App({ children }: PropsWithChildren) {
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
