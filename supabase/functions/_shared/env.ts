// Configuration from the environment (Supabase function secrets in
// production; scripts/start.ts sets them locally). Read once per isolate.
// Every variable is listed once in config-vars.ts (docs/deploy.md).
import { productionProblems } from './config-vars.ts';

// Production mode (no WECHAT_SANDBOX_URL) refuses to start with a secret
// missing or left at a local-stack / sandbox default: the function fails to
// boot with the list, instead of taking payments half configured.
const problems = productionProblems(Deno.env.toObject());
if (problems.length > 0) {
  throw new Error(`refusing to start in production mode (docs/deploy.md, npm run check:deploy):\n- ${problems.join('\n- ')}`);
}

export function env(name: string): string | undefined {
  const v = Deno.env.get(name);
  return v === undefined || v === '' ? undefined : v;
}

export function requireEnv(name: string): string {
  const v = env(name);
  if (v === undefined) throw new Error(`${name}: not configured`);
  return v;
}

/** Database URL: Supabase sets SUPABASE_DB_URL for edge functions; locally DATABASE_URL. */
export function databaseUrl(): string {
  const url = env('SUPABASE_DB_URL') ?? env('DATABASE_URL');
  if (!url) throw new Error('SUPABASE_DB_URL: not configured');
  return url;
}

/**
 * The WeChat sandbox URL when this project runs against the local sandbox.
 * Sandbox-only features (sandbox:<name> login codes, pay.sandboxConfirm)
 * are refused when it is unset, i.e. in every deployed project.
 */
export function sandboxUrl(): string | undefined {
  return env('WECHAT_SANDBOX_URL');
}

/**
 * Public base URL of the edge functions, e.g. https://<ref>.supabase.co/functions/v1;
 * WeChat posts notifies to <base>/pay-notify etc.
 */
export function functionsBaseUrl(): string {
  const explicit = env('FUNCTIONS_PUBLIC_URL');
  if (explicit) return explicit.replace(/\/$/, '');
  const supabase = env('SUPABASE_URL');
  if (supabase) return `${supabase.replace(/\/$/, '')}/functions/v1`;
  throw new Error('FUNCTIONS_PUBLIC_URL: not configured');
}
