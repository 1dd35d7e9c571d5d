// npm run check:deploy and the release scripts' --dry-run, on a complete
// production configuration and on broken ones; and the one variable list
// (config-vars.ts) against what the code reads and what docs/deploy.md says.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARS, FUNCTION_DEPLOYS, LOCAL_JWT_SECRET, type Env } from '../../supabase/functions/_shared/config-vars';
import { checkDeploy, parseEnvFile, readSupabaseConfig, ROOT } from '../../scripts/deploy/check';
import { secretsToSet } from '../../scripts/deploy/release';

jest.setTimeout(60_000);

const REF = 'abcdefghijklmnopqrst';
const PRIVATE = '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const PUBLIC = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----';

/** Every required variable, well-formed. */
function complete(): Env {
  return {
    SUPABASE_PROJECT_REF: REF,
    SUPABASE_URL: `https://${REF}.supabase.co`,
    SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.anon-signature',
    SUPABASE_SERVICE_ROLE_KEY: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.service-signature',
    SUPABASE_ACCESS_TOKEN: 'sbp_' + 'a1'.repeat(20),
    SUPABASE_DB_PASSWORD: 'a long db password',
    JWT_SECRET: 'k'.repeat(40),
    H5_PUBLIC_URL: 'https://shop.example.com',
    WECHAT_APPID: 'wx0123456789abcdef',
    WECHAT_SECRET: '0123456789abcdef0123456789abcdef',
    WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify({ entryJoined: 'tplA', withdrawalResult: 'tplB' }),
    WECHATPAY_MCHID: '1900000109',
    WECHATPAY_MCH_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    WECHATPAY_MCH_PRIVATE_KEY: PRIVATE,
    WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000001092025010100000000000000',
    WECHATPAY_PUBLIC_KEY: PUBLIC,
    WECHATPAY_APIV3_KEY: 'A'.repeat(32),
    WEAPP_UPLOAD_KEY: './keys/private.wx0123456789abcdef.key',
    TARO_APP_API_URL: `https://${REF}.supabase.co`,
    TARO_APP_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.anon-signature',
  };
}

test('a complete configuration passes, the repo as committed included', () => {
  expect(checkDeploy(complete())).toEqual({ errors: [], warnings: [expect.stringMatching(/^project\.config\.json appid is touristappid/)] });
});

test.each<[string, (e: Env) => void, RegExp]>([
  ['an unset secret', (e) => delete e.WECHATPAY_MCH_SERIAL, /^WECHATPAY_MCH_SERIAL is not set: .*API安全/],
  ['an empty secret', (e) => (e.WECHAT_SECRET = ''), /^WECHAT_SECRET is not set/],
  ['the notify URL elsewhere', (e) => (e.FUNCTIONS_PUBLIC_URL = 'https://zyxwvutsrqponmlkjihg.supabase.co/functions/v1'), /^FUNCTIONS_PUBLIC_URL does not match the functions' public URL https:\/\/abcdefghijklmnopqrst\.supabase\.co\/functions\/v1/],
  ['a notify URL on plain http', (e) => (e.FUNCTIONS_PUBLIC_URL = `http://${REF}.supabase.co/functions/v1`), /^FUNCTIONS_PUBLIC_URL must be https/],
  ['a JWT secret of 31 characters', (e) => (e.JWT_SECRET = 'x'.repeat(31)), /^JWT_SECRET must be at least 32 characters \(has 31\)/],
  ["the Supabase CLI's local JWT secret", (e) => (e.JWT_SECRET = LOCAL_JWT_SECRET), /^JWT_SECRET is the Supabase CLI's well-known local secret/],
  ['an API v3 key of 31 bytes', (e) => (e.WECHATPAY_APIV3_KEY = 'A'.repeat(31)), /^WECHATPAY_APIV3_KEY must be exactly 32 bytes \(has 31\)/],
  ['an API v3 key of 33 bytes', (e) => (e.WECHATPAY_APIV3_KEY = 'A'.repeat(33)), /^WECHATPAY_APIV3_KEY must be exactly 32 bytes \(has 33\)/],
  ['sandbox template ids', (e) => (e.WECHAT_SUBSCRIBE_TEMPLATES = JSON.stringify({ entryJoined: 'sandbox-tpl-entryJoined' })), /^WECHAT_SUBSCRIBE_TEMPLATES sandbox template ids for: entryJoined/],
  ['the sandbox URL', (e) => (e.WECHAT_SANDBOX_URL = 'http://127.0.0.1:54330'), /^WECHAT_SANDBOX_URL is set/],
  ['a loopback H5 URL', (e) => (e.H5_PUBLIC_URL = 'http://127.0.0.1:10086'), /^H5_PUBLIC_URL points at this machine/],
  ['the local anon key built into the app', (e) => (e.TARO_APP_ANON_KEY = 'local-anon-key'), /^TARO_APP_ANON_KEY is the local stack's anon key/],
  ['an app built against another project', (e) => (e.TARO_APP_API_URL = 'https://zyxwvutsrqponmlkjihg.supabase.co'), /^TARO_APP_API_URL does not match SUPABASE_URL/],
  ['a project ref that is not SUPABASE_URL', (e) => (e.SUPABASE_PROJECT_REF = 'zyxwvutsrqponmlkjihg'), /^SUPABASE_PROJECT_REF does not match SUPABASE_URL/],
  ['a mistyped appid', (e) => (e.WECHAT_APPID = 'wx0123'), /^WECHAT_APPID must look like wx/],
  ['a private key that is not PEM', (e) => (e.WECHATPAY_MCH_PRIVATE_KEY = 'MIIEvgIBADANBg'), /^WECHATPAY_MCH_PRIVATE_KEY must be a PEM "PRIVATE KEY" block/],
  ['the test-only loopback switch', (e) => (e.PRODUCTION_ALLOW_LOOPBACK = '1'), /^PRODUCTION_ALLOW_LOOPBACK (is set|is a test-only switch)/],
  ['ES256 without its keys', (e) => (delete e.JWT_SECRET, (e.JWT_ALG = 'ES256')), /^JWT_PUBLIC_KEY is not set: required for JWT_ALG=ES256/],
])('refused: %s', (_what, breakIt, message) => {
  const env = complete();
  breakIt(env);
  const { errors } = checkDeploy(env);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors).toContainEqual(expect.stringMatching(message));
});

test('a mistyped variable name is reported (and its intended name is missing)', () => {
  const env = complete();
  env.WECHATPAY_APIV3KEY = env.WECHATPAY_APIV3_KEY;
  delete env.WECHATPAY_APIV3_KEY;
  const r = checkDeploy(env);
  expect(r.errors).toContainEqual(expect.stringMatching(/^WECHATPAY_APIV3_KEY is not set/));
  expect(r.warnings).toContainEqual('WECHATPAY_APIV3KEY is not a variable anything reads (see docs/deploy.md)');
});

/** A copy of the repo's deploy settings (config.toml, function folders, project.config.json) with one edit. */
function repoWith(edit: (toml: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'deploy-check-'));
  cpSync(join(ROOT, 'project.config.json'), join(root, 'project.config.json'));
  cpSync(join(ROOT, 'supabase', 'functions'), join(root, 'supabase', 'functions'), { recursive: true });
  writeFileSync(join(root, 'supabase', 'config.toml'), edit(readFileSync(join(ROOT, 'supabase', 'config.toml'), 'utf8')));
  return root;
}

test.each<[string, (toml: string) => string, RegExp]>([
  ['pay-notify with JWT verification', (t) => t.replace(/(\[functions\.pay-notify\]\s*\n)verify_jwt = false/, '$1verify_jwt = true'), /^function pay-notify would deploy with JWT verification .* but must not: WeChat Pay posts notifies with no Supabase JWT/],
  ['transfer-notify missing from config.toml (the default is verify_jwt = true)', (t) => t.replace(/\[functions\.transfer-notify\]\s*\nverify_jwt = false\n/, ''), /^function transfer-notify: no \[functions\.transfer-notify\] in supabase\/config\.toml/],
  ['jobs without JWT verification', (t) => t.replace(/(\[functions\.jobs\]\s*\n)verify_jwt = true/, '$1verify_jwt = false'), /^function jobs would deploy without JWT verification/],
  ['the ledger schema exposed', (t) => t.replace('schemas = ["public", "graphql_public"]', 'schemas = ["public", "graphql_public", "ledger"]'), /^supabase\/config\.toml \[api\] schemas exposes ledger/],
  ['the api schema exposed', (t) => t.replace('schemas = ["public", "graphql_public"]', 'schemas = ["public", "graphql_public", "api"]'), /^supabase\/config\.toml \[api\] schemas exposes api/],
])('refused: %s', (_what, edit, message) => {
  const root = repoWith(edit);
  try {
    expect(edit(readFileSync(join(ROOT, 'supabase', 'config.toml'), 'utf8'))).not.toBe(readFileSync(join(ROOT, 'supabase', 'config.toml'), 'utf8'));
    const { errors } = checkDeploy(complete(), root);
    expect(errors).toEqual([expect.stringMatching(message)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('config.toml as committed: the verify_jwt of every function is the deploy rule', () => {
  const { verifyJwt, schemas } = readSupabaseConfig(readFileSync(join(ROOT, 'supabase', 'config.toml'), 'utf8'));
  expect(Object.fromEntries(verifyJwt)).toEqual(Object.fromEntries(FUNCTION_DEPLOYS.map((f) => [f.name, f.verifyJwt])));
  expect(schemas).toEqual(['public', 'graphql_public']);
});

test('parseEnvFile: quotes, escapes, comments, export', () => {
  expect(parseEnvFile('# c\nexport A=1\nB="x\\ny"\nC=\'a b\'\nD=plain # note\n\nbad line\n')).toEqual({ A: '1', B: 'x\ny', C: 'a b', D: 'plain' });
});

function tsx(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env } as unknown as NodeJS.ProcessEnv });
  return { code: r.status, out: r.stdout + r.stderr };
}

function envFile(env: Env): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-env-'));
  const file = join(dir, '.env.production');
  writeFileSync(file, Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n'));
  return file;
}

test('npm run check:deploy: exit 0 on the complete file, 1 with the problem named', () => {
  const ok = tsx(['scripts/deploy/check.ts', '--env-file', envFile(complete())]);
  expect(ok.out).toMatch(/ok: ready to deploy/);
  expect(ok.code).toBe(0);
  const broken = complete();
  broken.WECHATPAY_APIV3_KEY = 'short';
  const bad = tsx(['scripts/deploy/check.ts', '--env-file', envFile(broken)]);
  expect(bad.out).toMatch(/ERROR {2}WECHATPAY_APIV3_KEY must be exactly 32 bytes \(has 5\)/);
  expect(bad.out).toMatch(/1 problem\(s\): not ready to deploy/);
  expect(bad.code).toBe(1);
  // From the environment when no file is given (and none exists in the repo).
  const fromEnv = tsx(['scripts/deploy/check.ts'], { ...(complete() as Record<string, string>), JWT_SECRET: 'short' });
  expect(fromEnv.out).toMatch(/\(the environment\)[\s\S]*JWT_SECRET must be at least 32 characters \(has 5\)/);
  expect(fromEnv.code).toBe(1);
});

test('npm run release -- --dry-run prints the exact commands, masks the secrets, runs nothing', () => {
  const env = complete();
  const r = tsx(['scripts/deploy/release.ts', '--dry-run', '--env-file', envFile(env)]);
  expect(r.code).toBe(0);
  const commands = r.out.split('\n').filter((l) => /^(SUPABASE_|psql|supabase)/.test(l));
  const cli = 'SUPABASE_ACCESS_TOKEN=… SUPABASE_DB_PASSWORD=… ';
  expect(commands).toEqual([
    `${cli}supabase link --project-ref ${REF}`,
    `${cli}supabase db push --linked`,
    ...FUNCTION_DEPLOYS.map((f) => `${cli}supabase functions deploy ${f.name} --project-ref ${REF}${f.verifyJwt ? '' : ' --no-verify-jwt'}`),
    `${cli}supabase secrets set --project-ref ${REF} --env-file ${join(ROOT, '.tmp', 'deploy', 'secrets.env')}`,
    `psql postgresql://postgres:***@db.${REF}.supabase.co:5432/postgres -v functions_url=https://${REF}.supabase.co/functions/v1 -v service_role_key=*** -f scripts/deploy/schedule.sql`,
  ]);
  // Deployed without JWT verification: the console's admin (verifies its own operator tokens), login, health and the notifies.
  expect(commands.filter((c) => c.includes('--no-verify-jwt')).map((c) => c.split(' ')[5])).toEqual(['admin', 'wechat-login', 'health', 'pay-notify', 'refund-notify', 'transfer-notify']);
  // Secrets: the `secret` variables that are set, by name; never a value.
  expect(r.out).toContain(`# function secrets: ${secretsToSet(env).map(([k]) => k).join(', ')}`);
  expect(secretsToSet(env).map(([k]) => k)).toEqual(['JWT_SECRET', 'H5_PUBLIC_URL', 'WECHAT_APPID', 'WECHAT_SECRET', 'WECHAT_SUBSCRIBE_TEMPLATES', 'WECHATPAY_MCHID', 'WECHATPAY_MCH_SERIAL', 'WECHATPAY_MCH_PRIVATE_KEY', 'WECHATPAY_PUBLIC_KEY_ID', 'WECHATPAY_PUBLIC_KEY', 'WECHATPAY_APIV3_KEY']);
  for (const secret of [env.JWT_SECRET, env.SUPABASE_DB_PASSWORD, env.SUPABASE_SERVICE_ROLE_KEY, env.WECHATPAY_APIV3_KEY, env.SUPABASE_ACCESS_TOKEN]) expect(r.out).not.toContain(secret);
});

test('a release refuses to print or run anything when the check fails', () => {
  const env = complete();
  delete env.WECHATPAY_PUBLIC_KEY;
  for (const args of [['scripts/deploy/release.ts'], ['scripts/deploy/release.ts', 'weapp']]) {
    const r = tsx([...args, '--dry-run', '--env-file', envFile(env)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/WECHATPAY_PUBLIC_KEY is not set/);
    expect(r.out).not.toMatch(/supabase (link|functions)|miniprogram-ci/);
  }
});

test('npm run release:weapp -- --dry-run: the production build, then miniprogram-ci upload with the CI key', () => {
  const env = complete();
  const r = tsx(['scripts/deploy/release.ts', 'weapp', '--dry-run', '--env-file', envFile(env), '--version', '1.2.3', '--desc', 'first release']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('NODE_ENV=… TARO_APP_API_URL=… TARO_APP_ANON_KEY=… npx taro build --type weapp');
  expect(r.out).toContain(`npx miniprogram-ci upload --pp . --pkp ./keys/private.wx0123456789abcdef.key --appid wx0123456789abcdef --uv 1.2.3 --ud 'first release' -r 1 --use-project-config`);
  expect(r.out).toContain(`request合法域名: https://${REF}.supabase.co`);
});

// ---- the list is complete and documented

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.ts$/.test(n) ? [p] : [];
  });
}

test('every variable the functions read is in config-vars.ts, and every listed one is read or used by a release script', () => {
  const read = new Set<string>();
  for (const f of sourceFiles(join(ROOT, 'supabase', 'functions')).filter((p) => !p.endsWith('config-vars.ts'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:requireEnv|\benv|Deno\.env\.get)\(\s*'([A-Z0-9_]+)'/g)) read.add(m[1]);
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) read.add(m[1]);
  }
  const listed = new Set(CONFIG_VARS.map((v) => v.name));
  expect([...read].filter((n) => !listed.has(n)).sort()).toEqual([]);
  // Nothing listed for nothing: the functions read it, or it is for the release scripts (or the test-only switch, read through its constant).
  expect(CONFIG_VARS.filter((v) => !read.has(v.name) && v.kind !== 'release').map((v) => v.name)).toEqual(['PRODUCTION_ALLOW_LOOPBACK']);
});

test('docs/deploy.md lists every production variable once, and the deploy rule of every function', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
  for (const v of CONFIG_VARS.filter((x) => x.kind !== 'local')) {
    expect([v.name, (doc.match(new RegExp(`^\\| \`${v.name}\` \\|`, 'gm')) ?? []).length]).toEqual([v.name, 1]);
  }
  for (const f of FUNCTION_DEPLOYS) {
    expect(doc).toContain(`supabase functions deploy ${f.name} --project-ref $SUPABASE_PROJECT_REF${f.verifyJwt ? '' : ' --no-verify-jwt'}\n`);
  }
});
