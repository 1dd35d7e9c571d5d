// npm run check:deploy [-- --env-file .env.production] [--root DIR]
//
// Says, without contacting anything, what is missing or inconsistent in a
// production configuration: the environment (or an env file, default
// `.env.production` when it exists) against the one list of variables
// (supabase/functions/_shared/config-vars.ts), and the repo's deploy
// settings (supabase/config.toml verify_jwt and exposed schemas,
// project.config.json). Exit 1 when there is an error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_VARS, EXPOSABLE_SCHEMAS, FUNCTION_DEPLOYS, LOCAL_JWT_SECRET, LOOPBACK_SWITCH, configVar, type Env,
} from '../../supabase/functions/_shared/config-vars.ts';

export const ROOT = resolve(__dirname, '..', '..');

export interface CheckResult {
  errors: string[];
  warnings: string[];
}

/** Parses a dotenv file: KEY=VALUE, optional `export`, '…' or "…" quotes ("…" turns \n into newlines), # comments. */
export function parseEnvFile(text: string): Env {
  const env: Env = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/);
    if (!m) continue;
    let v = m[2];
    if (/^'.*'$/.test(v)) v = v.slice(1, -1);
    else if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    else v = v.replace(/\s+#.*$/, '');
    env[m[1]] = v;
  }
  return env;
}

/** Reads [functions.<name>] verify_jwt and [api] schemas from supabase/config.toml (the subset of TOML it uses). */
export function readSupabaseConfig(toml: string): { verifyJwt: Map<string, boolean>; schemas: string[] | null } {
  const verifyJwt = new Map<string, boolean>();
  let schemas: string[] | null = null;
  let section = '';
  for (const raw of toml.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const s = line.match(/^\[([^\]]+)\]$/);
    if (s) {
      section = s[1].trim();
      const fn = section.match(/^functions\.(.+)$/);
      if (fn && !verifyJwt.has(fn[1])) verifyJwt.set(fn[1], true); // Supabase's default
      continue;
    }
    const kv = line.match(/^([A-Za-z_]+)\s*=\s*(.+)$/);
    if (!kv) continue;
    const fn = section.match(/^functions\.(.+)$/);
    if (fn && kv[1] === 'verify_jwt') verifyJwt.set(fn[1], kv[2].trim() === 'true');
    if (section === 'api' && kv[1] === 'schemas') schemas = [...kv[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
  }
  return { verifyJwt, schemas };
}

function functionDirs(root: string): string[] {
  const dir = join(root, 'supabase', 'functions');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/** The functions' public URL as the code derives it (env.ts functionsBaseUrl). */
export function functionsPublicUrl(env: Env): string | null {
  if (env.FUNCTIONS_PUBLIC_URL) return env.FUNCTIONS_PUBLIC_URL.replace(/\/$/, '');
  if (env.SUPABASE_URL) return `${env.SUPABASE_URL.replace(/\/$/, '')}/functions/v1`;
  return null;
}

export function checkDeploy(input: Env, root = ROOT): CheckResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const env: Env = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ''));
  // SUPABASE_URL follows from the project ref when not given.
  if (!env.SUPABASE_URL && env.SUPABASE_PROJECT_REF) env.SUPABASE_URL = `https://${env.SUPABASE_PROJECT_REF}.supabase.co`;
  const asymmetric = env.JWT_ALG !== undefined && env.JWT_ALG !== 'HS256';

  for (const v of CONFIG_VARS) {
    const value = env[v.name];
    if (v.kind === 'local') {
      if (value !== undefined) errors.push(`${v.name} is set: ${v.meaning}`);
      continue;
    }
    if (value === undefined) {
      // Supabase sets the database URL in every function; nobody sets it by hand.
      if (!v.required || v.name === 'SUPABASE_DB_URL') continue;
      if (v.name === 'JWT_SECRET' && asymmetric) continue;
      errors.push(`${v.name} is not set: ${v.meaning} (from: ${v.source}; e.g. ${v.example})`);
      continue;
    }
    const p = v.check?.(value, env);
    if (p) errors.push(`${v.name} ${p}`);
  }
  if (asymmetric) {
    if (!env.JWT_PUBLIC_KEY) errors.push(`JWT_PUBLIC_KEY is not set: required for JWT_ALG=${env.JWT_ALG}`);
    if (!env.JWT_PRIVATE_KEY) errors.push(`JWT_PRIVATE_KEY is not set: required for JWT_ALG=${env.JWT_ALG} (wechat-login issues sessions)`);
  }
  if (!asymmetric && !env.JWT_SECRET && env.SUPABASE_JWT_SECRET === LOCAL_JWT_SECRET) errors.push('SUPABASE_JWT_SECRET is the local secret');

  // Notify URLs: WeChat posts to <functions public URL>/pay-notify; it must be the deployed functions.
  const publicUrl = functionsPublicUrl(env);
  if (publicUrl && env.SUPABASE_PROJECT_REF) {
    const expected = `https://${env.SUPABASE_PROJECT_REF}.supabase.co/functions/v1`;
    const custom = env.SUPABASE_URL && !/\.supabase\.co\/?$/.test(env.SUPABASE_URL);
    if (!custom && publicUrl !== expected) errors.push(`notify URL ${publicUrl}/pay-notify does not match the functions' public URL ${expected}/pay-notify`);
  }

  // Names nobody reads: most likely a typo of one that is required.
  for (const name of Object.keys(input)) {
    if (!configVar(name) && /^(WECHAT|WECHATPAY|JWT|SUPABASE|FUNCTIONS|H5|TARO_APP|WEAPP|DB)_/.test(name)) {
      warnings.push(`${name} is not a variable anything reads (see docs/deploy.md)`);
    }
  }

  // ---- the repo
  const tomlPath = join(root, 'supabase', 'config.toml');
  const { verifyJwt, schemas } = readSupabaseConfig(readFileSync(tomlPath, 'utf8'));
  const dirs = functionDirs(root);
  for (const name of dirs) {
    const want = FUNCTION_DEPLOYS.find((f) => f.name === name);
    if (!want) {
      errors.push(`function ${name} has no deploy rule: add it to FUNCTION_DEPLOYS in supabase/functions/_shared/config-vars.ts`);
      continue;
    }
    const has = verifyJwt.get(name);
    if (has === undefined) {
      errors.push(`function ${name}: no [functions.${name}] in supabase/config.toml (Supabase would deploy it with verify_jwt = true${want.verifyJwt ? '' : `, but ${want.why}`})`);
    } else if (has && !want.verifyJwt) {
      errors.push(`function ${name} would deploy with JWT verification (supabase/config.toml verify_jwt = true) but must not: ${want.why}`);
    } else if (!has && want.verifyJwt) {
      errors.push(`function ${name} would deploy without JWT verification (supabase/config.toml verify_jwt = false) but must have it: ${want.why}`);
    }
  }
  for (const f of FUNCTION_DEPLOYS) if (!dirs.includes(f.name)) warnings.push(`FUNCTION_DEPLOYS lists ${f.name}, which has no supabase/functions/${f.name}/index.ts`);
  for (const name of verifyJwt.keys()) if (!dirs.includes(name)) warnings.push(`supabase/config.toml configures function ${name}, which does not exist`);
  if (schemas === null) {
    errors.push('supabase/config.toml has no [api] schemas: say which schemas PostgREST exposes');
  } else {
    const exposed = schemas.filter((s) => !(EXPOSABLE_SCHEMAS as readonly string[]).includes(s));
    if (exposed.length) errors.push(`supabase/config.toml [api] schemas exposes ${exposed.join(', ')}: only ${EXPOSABLE_SCHEMAS.join(', ')} may be (money moves only through the functions)`);
  }

  const projectConfig = join(root, 'project.config.json');
  if (existsSync(projectConfig) && env.WECHAT_APPID) {
    const appid = JSON.parse(readFileSync(projectConfig, 'utf8')).appid;
    if (appid !== env.WECHAT_APPID) {
      warnings.push(`project.config.json appid is ${appid}, not WECHAT_APPID ${env.WECHAT_APPID} (release:weapp passes --appid; WeChat DevTools uses the file)`);
    }
  }
  if (env[LOOPBACK_SWITCH]) errors.push(`${LOOPBACK_SWITCH} is a test-only switch`);
  return { errors: [...new Set(errors)], warnings };
}

export function loadDeployEnv(args: string[], root = ROOT): { env: Env; from: string } {
  const i = args.indexOf('--env-file');
  const file = i >= 0 ? resolve(args[i + 1] ?? '') : join(root, '.env.production');
  if (i >= 0 || existsSync(file)) {
    if (!existsSync(file)) throw new Error(`--env-file ${file}: no such file`);
    return { env: parseEnvFile(readFileSync(file, 'utf8')), from: file };
  }
  const env: Env = {};
  for (const v of CONFIG_VARS) if (process.env[v.name] !== undefined) env[v.name] = process.env[v.name];
  return { env, from: 'the environment' };
}

export function report(result: CheckResult, from: string): string {
  const lines = [`check:deploy (${from})`];
  for (const e of result.errors) lines.push(`  ERROR  ${e}`);
  for (const w of result.warnings) lines.push(`  warn   ${w}`);
  lines.push(result.errors.length ? `${result.errors.length} problem(s): not ready to deploy` : 'ok: ready to deploy');
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--root');
  const root = ri >= 0 ? resolve(args[ri + 1]) : ROOT;
  const { env, from } = loadDeployEnv(args, root);
  const result = checkDeploy(env, root);
  console.log(report(result, from));
  process.exit(result.errors.length ? 1 : 0);
}
