// The one list of everything the deployment is configured with: every
// environment variable the edge functions read (and the few the release
// scripts read), how each function must be deployed, and which schemas the
// API may expose. Pure data and pure checks (no Deno, no Node APIs), so the
// functions (production refusal, env.ts), `npm run check:deploy`, the
// release scripts and docs/deploy.md's test all read this same file.

export type Env = Record<string, string | undefined>;

/**
 * secret   set with `supabase secrets set` (project-wide: every function sees every secret)
 * provided set by Supabase for every deployed function (names starting SUPABASE_ cannot be set)
 * release  read only by the release scripts on the operator's machine (never a function secret)
 * local    local stack / tests only: must be unset in production
 */
export type VarKind = 'secret' | 'provided' | 'release' | 'local';

export interface ConfigVar {
  name: string;
  kind: VarKind;
  /** Required in production (a check says what is wrong when unset). */
  required: boolean;
  /** What it is. */
  meaning: string;
  /** Where its value comes from (WeChat's or Supabase's console). */
  source: string;
  /** Example format (never a real value). */
  example: string;
  /** Default when unset, as the code applies it. */
  fallback?: string;
  /** A problem with a set value, or null. `env` is the whole configuration (cross-checks). */
  check?: (value: string, env: Env) => string | null;
}

/** Supabase CLI's well-known local JWT secret (scripts/stack/stack.ts LOCAL_JWT_SECRET): a sandbox default. */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
/** The front end's and the local stack's built-in anon key: a sandbox default. */
export const LOCAL_ANON_KEY = 'local-anon-key';

/**
 * Test-only switch: lets production mode (WECHAT_SANDBOX_URL unset) use
 * loopback http URLs, so the production-mode tests can point WeChat's base
 * URLs at the local sandbox. `npm run check:deploy` refuses it.
 */
export const LOOPBACK_SWITCH = 'PRODUCTION_ALLOW_LOOPBACK';

/** Notification kinds a subscribe-message template is configured for (docs/wechat.md). */
export const SUBSCRIBE_KINDS = [
  'entryJoined', 'payoutReceived', 'entryDone', 'lotteryDrawn', 'converted',
  'clearingSoon', 'clearingDone', 'rewardCredited', 'withdrawalResult', 'merchantReview',
] as const;

const pem = (label: string) => (v: string) =>
  new RegExp(`-----BEGIN ${label}-----[\\s\\S]+-----END ${label}-----`).test(v.replace(/\\n/g, '\n'))
    ? null
    : `must be a PEM "${label}" block (\\n escapes accepted)`;

function isLoopback(url: URL): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/.test(url.hostname);
}

/** A public https URL; loopback http only with the test switch. */
function publicUrl(v: string, env: Env): string | null {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'must be an absolute URL';
  }
  if (isLoopback(url)) return env[LOOPBACK_SWITCH] === '1' ? null : `points at this machine (${url.host}): a local-stack default`;
  if (url.protocol !== 'https:') return 'must be https (WeChat only calls and the mini-program only requests https URLs)';
  return null;
}

function json(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

export const CONFIG_VARS: readonly ConfigVar[] = [
  // ---- provided by Supabase
  {
    name: 'SUPABASE_URL', kind: 'provided', required: true,
    meaning: "The project's API URL; the functions' public URL is <SUPABASE_URL>/functions/v1 unless FUNCTIONS_PUBLIC_URL says otherwise",
    source: 'Set by Supabase in every function. For check:deploy / release: Dashboard → Project Settings → API → Project URL',
    example: 'https://abcdefghijklmnopqrst.supabase.co',
    check: publicUrl,
  },
  {
    name: 'SUPABASE_ANON_KEY', kind: 'provided', required: true,
    meaning: 'The public anon key: as a bearer it means "signed out" (the mini-program sends it before login)',
    source: 'Set by Supabase. Dashboard → Project Settings → API Keys → anon / publishable',
    example: 'eyJhbGciOiJIUzI1NiIs… (or sb_publishable_…)',
    check: (v) => (v === LOCAL_ANON_KEY ? 'is the local stack\'s anon key' : null),
  },
  {
    name: 'SUPABASE_SERVICE_ROLE_KEY', kind: 'provided', required: true,
    meaning: 'The service-role key: pg_cron calls `jobs` with it (kept in Vault)',
    source: 'Set by Supabase. Dashboard → Project Settings → API Keys → service_role / secret',
    example: 'eyJhbGciOiJIUzI1NiIs… (or sb_secret_…)',
  },
  {
    name: 'SUPABASE_DB_URL', kind: 'provided', required: true,
    meaning: 'Postgres connection string the functions use (direct or pooler)',
    source: 'Set by Supabase in every function',
    example: 'postgresql://postgres.abcdefghijklmnopqrst:…@aws-0-ap-southeast-1.pooler.supabase.com:6543/postgres',
  },
  // ---- secrets: sessions
  {
    name: 'JWT_SECRET', kind: 'secret', required: true,
    meaning: 'HS256 secret that signs and verifies member sessions and the service-role key (the project JWT secret)',
    source: 'Dashboard → Project Settings → JWT Keys → Legacy JWT secret (reveal)',
    example: '40+ random characters',
    check: (v) =>
      v === LOCAL_JWT_SECRET ? "is the Supabase CLI's well-known local secret"
      : v.length < 32 ? `must be at least 32 characters (has ${v.length})`
      : null,
  },
  {
    name: 'JWT_ALG', kind: 'secret', required: false, fallback: 'HS256',
    meaning: 'Session signing algorithm: HS256, or ES256 / RS256 with JWT_PRIVATE_KEY / JWT_PUBLIC_KEY',
    source: 'Your choice; asymmetric only when the project uses asymmetric JWT signing keys',
    example: 'HS256',
    check: (v) => (['HS256', 'ES256', 'RS256'].includes(v) ? null : 'must be HS256, ES256 or RS256'),
  },
  {
    name: 'JWT_PRIVATE_KEY', kind: 'secret', required: false,
    meaning: 'ES256/RS256 only: PKCS#8 PEM that signs sessions',
    source: 'The signing key you imported in Dashboard → JWT Keys',
    example: '-----BEGIN PRIVATE KEY-----\\n…\\n-----END PRIVATE KEY-----',
    check: pem('PRIVATE KEY'),
  },
  {
    name: 'JWT_PUBLIC_KEY', kind: 'secret', required: false,
    meaning: 'ES256/RS256 only: SPKI PEM that verifies sessions',
    source: 'The public half of JWT_PRIVATE_KEY',
    example: '-----BEGIN PUBLIC KEY-----\\n…\\n-----END PUBLIC KEY-----',
    check: pem('PUBLIC KEY'),
  },
  {
    name: 'JWT_KID', kind: 'secret', required: false,
    meaning: 'Key id put in the session header (asymmetric keys)',
    source: 'Dashboard → JWT Keys → the key id',
    example: 'a1b2c3d4-…',
  },
  {
    name: 'JWT_ISSUER', kind: 'secret', required: false, fallback: 'supabase',
    meaning: '`iss` claim of sessions',
    source: 'Your choice; e.g. <SUPABASE_URL>/auth/v1',
    example: 'https://abcdefghijklmnopqrst.supabase.co/auth/v1',
  },
  {
    name: 'JWT_ACCESS_TTL', kind: 'secret', required: false, fallback: '3600',
    meaning: 'Access token lifetime, seconds (>= 60)',
    source: 'Your choice', example: '3600',
    check: (v) => (/^\d+$/.test(v) && Number(v) >= 60 ? null : 'must be an integer of at least 60 seconds'),
  },
  {
    name: 'JWT_REFRESH_TTL', kind: 'secret', required: false, fallback: '2592000',
    meaning: 'Refresh token lifetime, seconds (>= 60)',
    source: 'Your choice', example: '2592000',
    check: (v) => (/^\d+$/.test(v) && Number(v) >= 60 ? null : 'must be an integer of at least 60 seconds'),
  },
  // ---- secrets: where things are
  {
    name: 'FUNCTIONS_PUBLIC_URL', kind: 'secret', required: false, fallback: '<SUPABASE_URL>/functions/v1',
    meaning: "Public base URL of the functions; WeChat Pay's notify_url is <this>/pay-notify, /refund-notify, /transfer-notify",
    source: 'Leave unset on hosted Supabase; set only behind a custom domain',
    example: 'https://abcdefghijklmnopqrst.supabase.co/functions/v1',
    check: (v, env) => {
      const bad = publicUrl(v, env);
      if (bad) return bad;
      const base = env.SUPABASE_URL?.replace(/\/$/, '');
      if (!base || publicUrl(base, env) || !/\.supabase\.co$/.test(new URL(base).hostname)) return null; // custom domain: cannot tell
      return base && v.replace(/\/$/, '') !== `${base}/functions/v1` ? `does not match the functions' public URL ${base}/functions/v1 (WeChat would post notifies elsewhere)` : null;
    },
  },
  {
    name: 'H5_PUBLIC_URL', kind: 'secret', required: true,
    meaning: 'Where the H5 build is served: share links and cashier codes outside WeChat',
    source: 'Your static hosting (the domain also goes into the mini-program business domain list if used in web-view)',
    example: 'https://shop.example.com',
    fallback: 'http://127.0.0.1:10086 (local only)',
    // Shoppers open it: never loopback, not even in tests of production mode.
    check: (v) => publicUrl(v, {}),
  },
  {
    name: 'DB_POOL_MAX', kind: 'secret', required: false, fallback: '3',
    meaning: 'Database connections per function instance',
    source: 'Your choice; keep instances × this under the pooler limit', example: '3',
    check: (v) => (/^[1-9]\d*$/.test(v) ? null : 'must be a positive integer'),
  },
  // ---- secrets: the operator console (admin function)
  {
    name: 'OPERATOR_TOKEN_TTL', kind: 'secret', required: false, fallback: '43200',
    meaning: 'Operator (console) session lifetime, seconds (>= 60)',
    source: 'Your choice', example: '43200',
    check: (v) => (/^\d+$/.test(v) && Number(v) >= 60 ? null : 'must be an integer of at least 60 seconds'),
  },
  {
    name: 'STORAGE_IMAGE_BUCKET', kind: 'secret', required: false, fallback: 'images',
    meaning: 'Public Storage bucket the console uploads product, banner and store images to',
    source: 'Dashboard → Storage → New bucket (public), or supabase/config.toml [storage.buckets.images]', example: 'images',
    check: (v) => (/^[a-z0-9-]{3,63}$/.test(v) ? null : 'must be a bucket name (lower-case letters, digits, -)'),
  },
  // ---- secrets: WeChat mini-program
  {
    name: 'WECHAT_APPID', kind: 'secret', required: true,
    meaning: "The mini-program's AppID (also project.config.json appid and release:weapp's --appid)",
    source: 'mp.weixin.qq.com → 开发 → 开发管理 → 开发设置 → AppID(小程序ID)',
    example: 'wx0123456789abcdef',
    check: (v) => (/^wx[0-9a-f]{16}$/.test(v) ? null : 'must look like wx + 16 hex characters'),
  },
  {
    name: 'WECHAT_SECRET', kind: 'secret', required: true,
    meaning: "The mini-program's AppSecret (jscode2session, access tokens)",
    source: 'mp.weixin.qq.com → 开发 → 开发管理 → 开发设置 → AppSecret(小程序密钥) → 重置',
    example: '32 hex characters',
    check: (v) => (/^[0-9a-f]{32}$/.test(v) ? null : 'must be 32 hex characters'),
  },
  {
    name: 'WECHAT_API_BASE', kind: 'secret', required: false, fallback: 'https://api.weixin.qq.com',
    meaning: "WeChat's mini-program server API; leave unset",
    source: '-', example: 'https://api.weixin.qq.com',
    check: publicUrl,
  },
  {
    name: 'WECHAT_SUBSCRIBE_TEMPLATES', kind: 'secret', required: true,
    meaning: `Subscribe-message template id per notification kind, JSON (kinds: ${SUBSCRIBE_KINDS.join(', ')}); keywords thing1, thing2, time3`,
    source: 'mp.weixin.qq.com → 功能 → 订阅消息 → 我的模板 (模板ID)',
    example: '{"entryJoined":"AbCd…","payoutReceived":"EfGh…"}',
    check: (v) => {
      const t = json(v);
      if (!t || typeof t !== 'object' || Array.isArray(t)) return 'must be a JSON object {kind: templateId}';
      const unknown = Object.keys(t).filter((k) => !(SUBSCRIBE_KINDS as readonly string[]).includes(k));
      if (unknown.length) return `unknown kind(s): ${unknown.join(', ')}`;
      const sandbox = Object.entries(t).filter(([, id]) => typeof id !== 'string' || id.startsWith('sandbox-tpl-'));
      return sandbox.length ? `sandbox template ids for: ${sandbox.map(([k]) => k).join(', ')}` : null;
    },
  },
  {
    name: 'WECHAT_INVITE_PAGE', kind: 'secret', required: false, fallback: 'pages/home/index',
    meaning: 'Page an invite code opens (no leading slash)', source: 'src/app.config.ts', example: 'pages/home/index',
    check: (v) => (v.startsWith('/') ? 'no leading slash' : null),
  },
  {
    name: 'WECHAT_CASHIER_PAGE', kind: 'secret', required: false, fallback: 'packages/cashier/pages/pay/index',
    meaning: 'Page a cashier code opens (no leading slash)', source: 'src/app.config.ts', example: 'packages/cashier/pages/pay/index',
    check: (v) => (v.startsWith('/') ? 'no leading slash' : null),
  },
  {
    name: 'WECHAT_ENV_VERSION', kind: 'secret', required: false, fallback: 'release',
    meaning: 'Mini-program version the invite / cashier codes open', source: 'release, or trial while testing', example: 'release',
    check: (v) => (['release', 'trial', 'develop'].includes(v) ? null : 'must be release, trial or develop'),
  },
  {
    name: 'WECHAT_MINIPROGRAM_STATE', kind: 'secret', required: false, fallback: 'formal',
    meaning: 'Version subscribe messages open', source: 'formal, or trial while testing', example: 'formal',
    check: (v) => (['formal', 'trial', 'developer'].includes(v) ? null : 'must be formal, trial or developer'),
  },
  {
    name: 'WECHAT_HTTP_TIMEOUT_MS', kind: 'secret', required: false, fallback: '10000',
    meaning: 'How long one call to WeChat may take before it counts as failed and is retried (refunds and transfers query WeChat before retrying)',
    source: 'Your choice', example: '10000',
    check: (v) => (/^[1-9]\d*$/.test(v) && Number(v) >= 1000 ? null : 'must be an integer of at least 1000 ms'),
  },
  // ---- secrets: WeChat Pay
  {
    name: 'WECHATPAY_API_BASE', kind: 'secret', required: false, fallback: 'https://api.mch.weixin.qq.com',
    meaning: "WeChat Pay's API; leave unset", source: '-', example: 'https://api.mch.weixin.qq.com',
    check: publicUrl,
  },
  {
    name: 'WECHATPAY_MCHID', kind: 'secret', required: true,
    meaning: 'Merchant id (商户号), bound to WECHAT_APPID',
    source: 'pay.weixin.qq.com → 账户中心 → 商户信息 → 微信支付商户号; bind the AppID under 产品中心 → AppID账号管理',
    example: '1900000109',
    check: (v) => (/^\d{8,10}$/.test(v) ? null : 'must be the 8-10 digit merchant id'),
  },
  {
    name: 'WECHATPAY_MCH_SERIAL', kind: 'secret', required: true,
    meaning: 'Serial number of the merchant API certificate (signs our requests)',
    source: 'pay.weixin.qq.com → 账户中心 → API安全 → 商户API证书 → 管理证书 (证书序列号); or `openssl x509 -in apiclient_cert.pem -noout -serial`',
    example: '40 hex characters',
    check: (v) => (/^[0-9A-Fa-f]{40}$/.test(v) ? null : 'must be the 40 hex character certificate serial'),
  },
  {
    name: 'WECHATPAY_MCH_PRIVATE_KEY', kind: 'secret', required: true,
    meaning: 'apiclient_key.pem, the merchant API private key (PKCS#8)',
    source: "Generated by WeChat Pay's certificate tool when applying for the API certificate (apiclient_key.pem)",
    example: '-----BEGIN PRIVATE KEY-----\\nMIIEvg…\\n-----END PRIVATE KEY-----',
    check: pem('PRIVATE KEY'),
  },
  {
    name: 'WECHATPAY_PUBLIC_KEY_ID', kind: 'secret', required: true,
    meaning: 'Id of the WeChat Pay public key (Wechatpay-Serial of its signatures)',
    source: 'pay.weixin.qq.com → 账户中心 → API安全 → 微信支付公钥 (公钥ID)',
    example: 'PUB_KEY_ID_0119000001092025010100000000000000',
    check: (v) => (/^PUB_KEY_ID_\w+$/.test(v) ? null : 'must start with PUB_KEY_ID_'),
  },
  {
    name: 'WECHATPAY_PUBLIC_KEY', kind: 'secret', required: true,
    meaning: "WeChat Pay's public key: verifies answers and notifies",
    source: 'pay.weixin.qq.com → 账户中心 → API安全 → 微信支付公钥 → 下载 (pub_key.pem)',
    example: '-----BEGIN PUBLIC KEY-----\\nMIIBIj…\\n-----END PUBLIC KEY-----',
    check: pem('PUBLIC KEY'),
  },
  {
    name: 'WECHATPAY_PLATFORM_KEYS', kind: 'secret', required: false,
    meaning: 'Only for merchants still on platform certificates (and during a rotation): JSON {serial: public key PEM}',
    source: 'GET /v3/certificates, then `openssl x509 -pubkey -noout` per certificate',
    example: '{"5157F09EFDC096DE15EBE81A47057A72":"-----BEGIN PUBLIC KEY-----\\n…"}',
    check: (v) => {
      const t = json(v);
      if (!t || typeof t !== 'object' || Array.isArray(t)) return 'must be a JSON object {serial: PEM}';
      const bad = Object.entries(t).filter(([, k]) => typeof k !== 'string' || pem('PUBLIC KEY')(k) !== null);
      return bad.length ? `not a public key PEM for: ${bad.map(([s]) => s).join(', ')}` : null;
    },
  },
  {
    name: 'WECHATPAY_APIV3_KEY', kind: 'secret', required: true,
    meaning: 'API v3 key: decrypts notifies (AES-256-GCM), exactly 32 bytes',
    source: 'pay.weixin.qq.com → 账户中心 → API安全 → 解密回调 → 设置APIv3密钥',
    example: '32 characters, letters and digits',
    check: (v) => (new TextEncoder().encode(v).length === 32 ? null : `must be exactly 32 bytes (has ${new TextEncoder().encode(v).length})`),
  },
  {
    name: 'WECHATPAY_TRANSFER_SCENE_ID', kind: 'secret', required: false, fallback: '1000',
    meaning: '商家转账 scene of withdrawals (1000 现金营销)',
    source: 'pay.weixin.qq.com → 产品中心 → 商家转账 → 转账场景 (the scene you were approved for)',
    example: '1000',
    check: (v) => (/^\d{4}$/.test(v) ? null : 'must be a 4-digit scene id'),
  },
  // ---- release scripts (operator's machine)
  {
    name: 'SUPABASE_PROJECT_REF', kind: 'release', required: true,
    meaning: 'Project reference: `supabase link --project-ref`, and SUPABASE_URL is https://<ref>.supabase.co',
    source: 'Dashboard → Project Settings → General → Project ID',
    example: 'abcdefghijklmnopqrst',
    check: (v, env) => {
      if (!/^[a-z]{20}$/.test(v)) return 'must be the 20 lowercase letters of the project id';
      const url = env.SUPABASE_URL;
      if (url && /\.supabase\.co\/?$/.test(url) && !url.startsWith(`https://${v}.supabase.co`)) return `does not match SUPABASE_URL ${url}`;
      return null;
    },
  },
  {
    name: 'SUPABASE_ACCESS_TOKEN', kind: 'release', required: true,
    meaning: 'Personal access token the Supabase CLI uses (link, db push, functions deploy, secrets set)',
    source: 'supabase.com/dashboard/account/tokens',
    example: 'sbp_0123456789abcdef0123456789abcdef01234567',
    check: (v) => (/^sbp_[0-9a-f]{40}$/.test(v) ? null : 'must look like sbp_ + 40 hex characters'),
  },
  {
    name: 'SUPABASE_DB_PASSWORD', kind: 'release', required: true,
    meaning: 'Database password: `supabase link` and `supabase db push` (and the scheduling SQL) use it',
    source: 'Set when creating the project; Dashboard → Project Settings → Database → Reset database password',
    example: 'a long random password',
  },
  {
    name: 'WEAPP_UPLOAD_KEY', kind: 'release', required: true,
    meaning: 'Path of the mini-program code upload key (miniprogram-ci)',
    source: 'mp.weixin.qq.com → 开发 → 开发管理 → 开发设置 → 小程序代码上传 → 生成密钥 (private.<appid>.key); add the CI machine IP to the whitelist there',
    example: './keys/private.wx0123456789abcdef.key',
  },
  {
    name: 'TARO_APP_API_URL', kind: 'release', required: true,
    meaning: 'API URL built into the mini-program and H5 (must be SUPABASE_URL)',
    source: 'Same as SUPABASE_URL',
    example: 'https://abcdefghijklmnopqrst.supabase.co',
    check: (v, env) => publicUrl(v, env) ?? (env.SUPABASE_URL && v.replace(/\/$/, '') !== env.SUPABASE_URL.replace(/\/$/, '') ? `does not match SUPABASE_URL ${env.SUPABASE_URL}` : null),
  },
  {
    name: 'TARO_APP_ANON_KEY', kind: 'release', required: true,
    meaning: 'Anon key built into the mini-program and H5 (must be SUPABASE_ANON_KEY)',
    source: 'Same as SUPABASE_ANON_KEY',
    example: 'eyJhbGciOiJIUzI1NiIs…',
    check: (v, env) =>
      v === LOCAL_ANON_KEY ? "is the local stack's anon key"
      : env.SUPABASE_ANON_KEY && v !== env.SUPABASE_ANON_KEY ? 'does not match SUPABASE_ANON_KEY' : null,
  },
  {
    name: 'TARO_APP_H5_URL', kind: 'release', required: false,
    meaning: 'H5 share links built into the H5 app (default: the page origin)',
    source: 'Same as H5_PUBLIC_URL', example: 'https://shop.example.com',
  },
  // ---- local only
  {
    name: 'WECHAT_SANDBOX_URL', kind: 'local', required: false,
    meaning: 'The local WeChat sandbox; its presence switches on sandbox-only features. Never set in production',
    source: 'npm start sets it', example: 'http://127.0.0.1:54330',
  },
  {
    name: 'STORAGE_LOCAL_DIR', kind: 'local', required: false,
    meaning: 'Local stack only: the admin function writes uploaded images here (the gateway serves them at /storage/v1/object/public/…) instead of Supabase Storage',
    source: 'npm start / tests', example: '.tmp/storage',
  },
  {
    name: 'STORAGE_PUBLIC_URL', kind: 'local', required: false,
    meaning: 'Local stack only: base URL of locally stored images (default SUPABASE_URL)', source: 'npm start / tests', example: 'http://127.0.0.1:54321',
  },
  {
    name: 'DATABASE_URL', kind: 'local', required: false,
    meaning: 'Local stand-in for SUPABASE_DB_URL', source: 'npm start / tests', example: 'postgres://postgres@127.0.0.1:54322/postgres',
  },
  {
    name: LOOPBACK_SWITCH, kind: 'local', required: false,
    meaning: 'Tests only: production mode with loopback URLs (WeChat pointed at the sandbox)', source: 'test/stack', example: '1',
  },
  {
    name: 'SUPABASE_JWT_SECRET', kind: 'local', required: false,
    meaning: 'Fallback name for JWT_SECRET read by the session code; set JWT_SECRET instead', source: '-', example: '-',
  },
  {
    name: 'FUNCTION_NAME', kind: 'local', required: false,
    meaning: 'Local function host only: which function it runs', source: 'scripts/stack/functions.ts', example: 'api',
  },
  {
    name: 'FUNCTION_PORT', kind: 'local', required: false,
    meaning: 'Local function host only: the port', source: 'scripts/stack/functions.ts', example: '0',
  },
];

export function configVar(name: string): ConfigVar | undefined {
  return CONFIG_VARS.find((v) => v.name === name);
}

/** How each function must be deployed: `supabase functions deploy <name> [--no-verify-jwt]`. */
export interface FunctionDeploy {
  name: string;
  verifyJwt: boolean;
  why: string;
}

export const FUNCTION_DEPLOYS: readonly FunctionDeploy[] = [
  { name: 'api', verifyJwt: true, why: 'the mini-program calls it with the anon key or a session signed with the project secret' },
  { name: 'jobs', verifyJwt: true, why: 'pg_cron calls it with the service-role key' },
  { name: 'admin', verifyJwt: false, why: 'the console signs in without a session (auth.signIn); operator tokens (aud "operator") are verified by the function and every call re-checked by the database' },
  { name: 'wechat-login', verifyJwt: false, why: 'the caller has no session yet (it is what issues one); the function checks the bearer itself' },
  { name: 'health', verifyJwt: false, why: 'uptime probes carry no key' },
  { name: 'pay-notify', verifyJwt: false, why: 'WeChat Pay posts notifies with no Supabase JWT; the function verifies the Wechatpay-Signature instead' },
  { name: 'refund-notify', verifyJwt: false, why: 'WeChat Pay posts notifies with no Supabase JWT; the function verifies the Wechatpay-Signature instead' },
  { name: 'transfer-notify', verifyJwt: false, why: 'WeChat Pay posts notifies with no Supabase JWT; the function verifies the Wechatpay-Signature instead' },
];

/** Schemas PostgREST may serve ([api] schemas in config.toml; Dashboard → API → Exposed schemas). */
// Not `api`: its functions are for the edge functions only (test/db/exposed-schemas.test.ts).
export const EXPOSABLE_SCHEMAS = ['public', 'graphql_public'] as const;

/**
 * Production mode (WECHAT_SANDBOX_URL unset): what is missing or still a
 * sandbox / local-stack default in the functions' environment. Empty when
 * WECHAT_SANDBOX_URL is set (the local stack) or when all is well.
 */
export function productionProblems(env: Env): string[] {
  if (env.WECHAT_SANDBOX_URL) return [];
  const set = (n: string) => env[n] !== undefined && env[n] !== '';
  const problems: string[] = [];
  for (const v of CONFIG_VARS) {
    if (v.kind !== 'secret' && v.kind !== 'provided') continue;
    if (!set(v.name)) {
      if (!v.required) continue;
      if (v.name === 'SUPABASE_DB_URL' && set('DATABASE_URL')) continue;
      if (v.name === 'JWT_SECRET' && env.JWT_ALG && env.JWT_ALG !== 'HS256') continue;
      if (v.name === 'JWT_SECRET' && set('SUPABASE_JWT_SECRET')) {
        const p = configVar('JWT_SECRET')!.check!(env.SUPABASE_JWT_SECRET!, env);
        if (p) problems.push(`SUPABASE_JWT_SECRET ${p}`);
        continue;
      }
      problems.push(`${v.name} is not set (${v.meaning})`);
      continue;
    }
    const p = v.check?.(env[v.name]!, env);
    if (p) problems.push(`${v.name} ${p}`);
  }
  if (env.JWT_ALG && env.JWT_ALG !== 'HS256' && !set('JWT_PUBLIC_KEY')) problems.push(`JWT_PUBLIC_KEY is not set (required for ${env.JWT_ALG})`);
  return problems;
}
