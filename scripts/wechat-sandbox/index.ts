// `npx tsx scripts/wechat-sandbox/index.ts [--port 54330] [--print-env]`:
// runs the WeChat sandbox on its own. `npm start` runs it for you.
import { backendEnv, loadOrCreateIdentity } from './identity.ts';
import { startSandbox } from './server.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portArg = args.indexOf('--port');
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.WECHAT_SANDBOX_PORT ?? 54330);
  const identity = await loadOrCreateIdentity(process.env.WECHAT_SANDBOX_IDENTITY || undefined);
  const sandbox = await startSandbox({ identity, port, log: (line) => console.log(`[wechat-sandbox] ${line}`) });
  if (args.includes('--print-env')) {
    for (const [k, v] of Object.entries(backendEnv(identity, sandbox.url))) console.log(`${k}=${JSON.stringify(v)}`);
  }
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
