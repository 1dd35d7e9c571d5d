// Running SQL as a signed-in member or as the service role, the way the
// edge functions do (transaction-local role and JWT claims).
import type postgres from 'postgres';

export async function asUser<T>(sql: postgres.Sql, authUserId: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    const role = authUserId ? 'authenticated' : 'anon';
    await tx.unsafe(`set local role ${role}`);
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(authUserId ? { sub: authUserId, role } : { role })}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

export async function asService<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx.unsafe('set local role service_role');
    await tx`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
    return fn(tx);
  }) as Promise<T>;
}

/** Calls api.<fn>(p) as a member and returns its jsonb. */
export async function api<T = any>(sql: postgres.Sql, authUserId: string | null, fn: string, p: unknown = {}): Promise<T> {
  if (!/^[a-z_]+$/.test(fn)) throw new Error(`bad function name ${fn}`);
  return asUser(sql, authUserId, async (tx) => (await tx.unsafe(`select api.${fn}($1::text::jsonb) as r`, [JSON.stringify(p)]))[0].r as T);
}

export interface Member {
  userId: string;
  memberId: string;
  openid: string;
}

export async function login(sql: postgres.Sql, openid: string, inviteScene: string | null = null): Promise<Member> {
  const r = await asService(sql, async (tx) => (await tx`select app.login_wechat(${openid}, null, 'weapp', ${inviteScene}) as r`)[0].r);
  return { userId: r.userId, memberId: r.memberId, openid };
}

export async function balance(sql: postgres.Sql, code: string): Promise<number> {
  const [{ b }] = await sql`select ledger.balance(${code})::bigint as b`;
  return Number(b);
}
