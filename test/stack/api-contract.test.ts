// The `api` function implements exactly the contract's actions, with the
// contract's public ones public. Reads the action table under Deno (it
// imports npm: packages through the functions' import map).
import { spawnSync } from 'node:child_process';
import { API_ACTIONS, PUBLIC_ACTIONS } from '@contract';
import { DENO_CONFIG, denoBinary, FUNCTIONS_DIR, ROOT } from '../../scripts/stack/deno.ts';

jest.setTimeout(120_000);

test('every contract action is implemented; public ones are public, the rest need a session', () => {
  const script = `
    const { ACTIONS } = await import(${JSON.stringify(`file://${FUNCTIONS_DIR}/api/actions.ts`)});
    console.log(JSON.stringify(Object.fromEntries(Object.entries(ACTIONS).map(([k, v]) => [k, v.public === true]))));`;
  const r = spawnSync(denoBinary(), ['eval', '--config', DENO_CONFIG, '--ext=ts', script], {
    cwd: ROOT,
    encoding: 'utf8',
    // Local mode: production mode refuses to load _shared/env.ts without every secret.
    env: { ...process.env, WECHAT_SANDBOX_URL: 'http://127.0.0.1:54330' },
  });
  expect(r.stderr).toBe('');
  const table: Record<string, boolean> = JSON.parse(r.stdout.trim().split('\n').pop()!);
  for (const action of API_ACTIONS) {
    expect([action, action in table]).toEqual([action, true]);
    expect([action, table[action]]).toEqual([action, (PUBLIC_ACTIONS as readonly string[]).includes(action)]);
  }
  // Beyond the contract only operator and profile actions, never public.
  const extra = Object.keys(table).filter((a) => !(API_ACTIONS as readonly string[]).includes(a));
  expect(extra.every((a) => /^(admin\.|user\.update$)/.test(a) && !table[a])).toBe(true);
});
