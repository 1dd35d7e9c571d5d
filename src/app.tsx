// App shell: silent sign-in, invite scene binding, display settings.
import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { callApi, ensureSession, setPendingInvite } from './services/api';
import { readSession } from './services/token';
import { prefetchTemplates } from './services/subscribe';
import { useSettings } from './stores/settings';
import { inviteSceneFrom } from './utils/scene';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch((options) => {
    void useSettings.getState().load();
    const invite = inviteSceneFrom(options?.query as Record<string, string> | undefined);
    const hadSession = !!readSession();
    if (invite) setPendingInvite(invite);
    void ensureSession()
      .then(async () => {
        // A new user's login carried the scene; an existing user binds now.
        if (invite && hadSession) await callApi('promoter.bind', { scene: invite }).catch(() => undefined);
        await prefetchTemplates();
      })
      .catch(() => undefined); // offline: pages show their own error states
  });
  return children;
}

export default App;
