// npm run release [-- --dry-run] [--env-file .env.production]
// npm run release:weapp [-- --dry-run] [--env-file …] [--version 1.2.3] [--desc "…"]
//
// The backend release (docs/deploy.md): check:deploy, then supabase link,
// db push (migrations only, never the demo seed), functions deploy (with
// --no-verify-jwt exactly where FUNCTION_DEPLOYS says), secrets set (every
// `secret` variable that is set, from a 0600 file under .tmp/deploy), and
// the scheduling SQL (pg_cron + pg_net, scripts/deploy/schedule.sql).
// The mini-program release: the weapp build against the production API,
// then miniprogram-ci upload with the code-upload key.
// --dry-run prints the exact commands (secrets masked) and runs nothing; it
// is what the tests run. Nothing here is contacted without it being a real run.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARS, FUNCTION_DEPLOYS, type Env } from '../../supabase/functions/_shared/config-vars.ts';
import { checkDeploy, functionsPublicUrl, loadDeployEnv, report, ROOT } from './check.ts';

export interface Command {
  /** Program and arguments, exactly as run. */
  argv: string[];
  /** Extra environment (names only are printed). */
  env?: Record<string, string>;
  /** Values to mask when printing. */
  secrets?: string[];
  why: string;
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export function printable(c: Command): string {
  let line = [...Object.keys(c.env ?? {}).map((k) => `${k}=…`), ...c.argv.map(quote)].join(' ');
  for (const s of c.secrets ?? []) if (s) line = line.split(quote(s)).join('***').split(s).join('***');
  return line;
}

/** The `secret` variables that are set: what `supabase secrets set` uploads (names starting SUPABASE_ are Supabase's own). */
export function secretsToSet(env: Env): [string, string][] {
  return CONFIG_VARS.filter((v) => v.kind === 'secret' && env[v.name]).map((v) => [v.name, env[v.name]!]);
}

export function dbUrl(env: Env, maskPassword = false): string {
  const password = maskPassword ? '***' : encodeURIComponent(env.SUPABASE_DB_PASSWORD ?? '');
  return `postgresql://postgres:${password}@db.${env.SUPABASE_PROJECT_REF}.supabase.co:5432/postgres`;
}

export const SECRETS_FILE = join(ROOT, '.tmp', 'deploy', 'secrets.env');

export function backendCommands(env: Env): Command[] {
  const ref = env.SUPABASE_PROJECT_REF!;
  const cli: Record<string, string> = { SUPABASE_ACCESS_TOKEN: env.SUPABASE_ACCESS_TOKEN!, SUPABASE_DB_PASSWORD: env.SUPABASE_DB_PASSWORD! };
  const commands: Command[] = [
    { argv: ['supabase', 'link', '--project-ref', ref], env: cli, why: 'bind this checkout to the hosted project' },
    { argv: ['supabase', 'db', 'push', '--linked'], env: cli, why: 'apply supabase/migrations not yet applied (the demo seed is never pushed)' },
  ];
  for (const f of FUNCTION_DEPLOYS) {
    commands.push({
      argv: ['supabase', 'functions', 'deploy', f.name, '--project-ref', ref, ...(f.verifyJwt ? [] : ['--no-verify-jwt'])],
      env: cli,
      why: f.verifyJwt ? `JWT verified: ${f.why}` : `no JWT verification: ${f.why}`,
    });
  }
  commands.push({
    argv: ['supabase', 'secrets', 'set', '--project-ref', ref, '--env-file', SECRETS_FILE],
    env: cli,
    why: `function secrets: ${secretsToSet(env).map(([k]) => k).join(', ')}`,
  });
  commands.push({
    argv: ['psql', dbUrl(env), '-v', `functions_url=${functionsPublicUrl(env)}`, '-v', `service_role_key=${env.SUPABASE_SERVICE_ROLE_KEY}`, '-f', join('scripts', 'deploy', 'schedule.sql')],
    secrets: [encodeURIComponent(env.SUPABASE_DB_PASSWORD ?? ''), env.SUPABASE_SERVICE_ROLE_KEY ?? ''],
    why: 'pg_cron: rebate.tick every minute; pg_net: POST /jobs every minute with the service-role key from Vault',
  });
  return commands;
}

function gitSubject(): string {
  const r = spawnSync('git', ['log', '-1', '--format=%h %s'], { cwd: ROOT, encoding: 'utf8' });
  return (r.stdout ?? '').trim().slice(0, 100) || 'release';
}

export function weappCommands(env: Env, opts: { version: string; desc: string }): Command[] {
  return [
    {
      argv: ['npx', 'taro', 'build', '--type', 'weapp'],
      env: { NODE_ENV: 'production', TARO_APP_API_URL: env.TARO_APP_API_URL!, TARO_APP_ANON_KEY: env.TARO_APP_ANON_KEY!, ...(env.TARO_APP_H5_URL ? { TARO_APP_H5_URL: env.TARO_APP_H5_URL } : {}) },
      why: `the mini-program against ${env.TARO_APP_API_URL}`,
    },
    {
      argv: [
        'npx', 'miniprogram-ci', 'upload', '--pp', '.', '--pkp', env.WEAPP_UPLOAD_KEY!, '--appid', env.WECHAT_APPID!,
        '--uv', opts.version, '--ud', opts.desc, '-r', '1', '--use-project-config',
      ],
      why: 'upload as a development version; submit it for review in mp.weixin.qq.com → 版本管理',
    },
  ];
}

/** Domains the mini-program must have whitelisted (开发管理 → 开发设置 → 服务器域名). */
export function weappDomains(env: Env): Record<string, string[]> {
  const api = env.TARO_APP_API_URL ? new URL(env.TARO_APP_API_URL).origin : '<SUPABASE_URL>';
  return { 'request合法域名': [api], 'uploadFile合法域名': [api], 'downloadFile合法域名': [api] };
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function run(commands: Command[], dryRun: boolean): number {
  for (const c of commands) {
    console.log(`# ${c.why}`);
    console.log(printable(c));
    if (dryRun) continue;
    const r = spawnSync(c.argv[0], c.argv.slice(1), { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...c.env } });
    if (r.status !== 0) {
      console.error(`release: failed (${r.error?.message ?? `exit ${r.status}`}): ${printable(c)}`);
      return 1;
    }
  }
  return 0;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const target = args[0] === 'weapp' ? 'weapp' : 'backend';
  const dryRun = args.includes('--dry-run');
  const { env, from } = loadDeployEnv(args);
  const result = checkDeploy(env);
  console.log(report(result, from));
  if (result.errors.length) process.exit(1);
  if (!env.SUPABASE_URL && env.SUPABASE_PROJECT_REF) env.SUPABASE_URL = `https://${env.SUPABASE_PROJECT_REF}.supabase.co`;
  console.log(dryRun ? '\n--dry-run: the commands a release runs (nothing is run)\n' : '\nrelease\n');
  if (target === 'backend') {
    if (!dryRun) {
      mkdirSync(join(ROOT, '.tmp', 'deploy'), { recursive: true });
      writeFileSync(SECRETS_FILE, secretsToSet(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
      chmodSync(SECRETS_FILE, 0o600);
    }
    process.exit(run(backendCommands(env), dryRun));
  } else {
    const version = arg(args, '--version') ?? JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const desc = arg(args, '--desc') ?? gitSubject();
    const code = run(weappCommands(env, { version, desc }), dryRun);
    console.log('\n# mini-program server domains (mp.weixin.qq.com → 开发管理 → 开发设置 → 服务器域名):');
    for (const [k, v] of Object.entries(weappDomains(env))) console.log(`#   ${k}: ${v.join(', ')}`);
    process.exit(code);
  }
}
