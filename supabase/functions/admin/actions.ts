// How admin actions run. Every action runs its SQL function
// admin.<area>_<name>(params jsonb) as the operator (callAdminSql), unless
// RUNS has an entry: sign-in (bcrypt here, lockout in SQL), password
// changes, uploads (bytes to storage), reviews that then talk to WeChat, and
// the cashier QR code. Adding a plain action needs no entry here.
import bcrypt from 'bcryptjs';
import {
  SIGN_IN_LOCK_MINUTES,
  SIGN_IN_MAX_FAILURES,
  sqlFunctionOf,
  type AdminAction,
  type AdminRequest,
  type AdminResponse,
  type OperatorProfile,
} from '../_shared/admin-contract.ts';
import type { AuthConfig } from '../_shared/auth.ts';
import { asOperator, asService } from '../_shared/db.ts';
import { env } from '../_shared/env.ts';
import { HttpError } from '../_shared/http.ts';
import { issueOperatorToken, operatorTtlSeconds, type OperatorClaims } from '../_shared/operator-auth.ts';
import { sendRefund, sendTransfer } from '../_shared/payments.ts';
import { imageBucket, objectStore } from '../_shared/storage.ts';
import { fieldError } from '../_shared/validate.ts';
import { toBase64 } from '../_shared/wechat/index.ts';
import { cashierPage, miniProgram, qrEnvVersion } from '../_shared/wechat-env.ts';
import { BULK_ROW } from './schemas.ts';

export interface AdminCtx {
  claims: OperatorClaims | null;
  auth: AuthConfig;
}

type Run<A extends AdminAction> = (ctx: AdminCtx, params: AdminRequest<A>) => Promise<AdminResponse<A>>;

const BCRYPT_ROUNDS = 10;
/** Compared against when the login is unknown, so both cases take as long. */
const DUMMY_HASH = '$2b$10$E2.1x3/4Ue6zJFijoT0WAOpAk/J8g1vs1BEAQfZFo3aaV6y207SWa';

/** Runs admin.<fn>(params) as the operator of ctx in one transaction. */
export async function callAdminSql<T = any>(ctx: AdminCtx, action: AdminAction, params: unknown): Promise<T> {
  const fn = sqlFunctionOf(action);
  const rows = await asOperator(ctx.claims, (tx) => tx.unsafe(`select admin.${fn}($1::text::jsonb) as r`, [JSON.stringify(params ?? {})]));
  return rows[0].r as T;
}

/** Best effort: the jobs function retries whatever this does not finish. */
async function soon(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.warn(`${what}: left for the jobs function:`, (err as Error).message);
  }
}

function h5Url(path: string, query: Record<string, string>): string {
  const base = (env('H5_PUBLIC_URL') ?? 'http://127.0.0.1:10086').replace(/\/$/, '');
  return `${base}/#/${path}?${new URLSearchParams(query)}`;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The image's real type from its first bytes (the declared type must match). */
function sniffImage(b: Uint8Array): string | null {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image/gif';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'image/webp';
  return null;
}

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const RUNS: { [A in AdminAction]?: Run<A> } = {
  'auth.signIn': async (ctx, p) => {
    const ttl = operatorTtlSeconds(Deno.env.toObject());
    const r = await asOperator(null, async (tx) => {
      const [b] = await tx`select * from ops.sign_in_begin(${p.login})`;
      const ok = await bcrypt.compare(p.password, b.found ? b.password_hash : DUMMY_HASH);
      if (!b.found) return { ok: false } as const;
      if (b.locked_until) return { ok: false, lockedUntil: new Date(b.locked_until).toISOString() } as const;
      const [{ r }] = await tx`select ops.sign_in_finish(${b.operator_id}, ${ok}, ${ttl}, ${SIGN_IN_MAX_FAILURES}, ${SIGN_IN_LOCK_MINUTES}) as r`;
      return r as { ok: boolean; lockedUntil?: string | null; sessionId?: string; expiresAt?: number; operator?: OperatorProfile };
    });
    if (r.lockedUntil) {
      const until = new Date(r.lockedUntil).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
      throw new HttpError(423, 'login', `密码错误次数过多，账号已锁定至 ${until}`, 'locked');
    }
    if (!r.ok || !r.operator || !r.sessionId || !r.expiresAt) throw new HttpError(401, 'password', '账号或密码错误', 'bad_credentials');
    const accessToken = await issueOperatorToken(ctx.auth, { operatorId: r.operator.id, sessionId: r.sessionId, role: r.operator.role, expiresAt: r.expiresAt });
    return { accessToken, expiresAt: r.expiresAt, operator: r.operator };
  },

  'auth.changePassword': async (ctx, p) => {
    const hash = await asOperator(ctx.claims, async (tx) => {
      const [{ h }] = await tx`select ops.my_password_hash() as h`;
      return h as string;
    });
    if (!(await bcrypt.compare(p.oldPassword, hash))) throw new HttpError(400, 'oldPassword', '原密码不正确', 'invalid');
    return callAdminSql(ctx, 'auth.changePassword', { passwordHash: await bcrypt.hash(p.newPassword, BCRYPT_ROUNDS) });
  },

  'operators.save': async (ctx, p) => {
    const { password, ...rest } = p;
    return callAdminSql(ctx, 'operators.save', { ...rest, passwordHash: password ? await bcrypt.hash(password, BCRYPT_ROUNDS) : null });
  },

  'catalog.bulkCreate': async (ctx, p) => {
    // Rows are checked one by one: a bad row is reported, the good ones are created.
    const errors: { row: number; field: string; message: string }[] = [];
    const good: { row: number; data: unknown }[] = [];
    (p.rows as unknown[]).forEach((row, i) => {
      const r = BULK_ROW.safeParse(row);
      if (r.success) good.push({ row: i, data: r.data });
      else {
        const e = fieldError(r.error);
        errors.push({ row: i, field: e.field ?? 'row', message: e.message });
      }
    });
    const res = await callAdminSql<AdminResponse<'catalog.bulkCreate'>>(ctx, 'catalog.bulkCreate', { rows: good });
    return { created: res.created, errors: [...errors, ...res.errors].sort((a, b) => a.row - b.row) };
  },

  'uploads.image': async (ctx, p) => {
    const bytes = decodeBase64(p.dataBase64);
    if (bytes.byteLength > MAX_IMAGE_BYTES) throw new HttpError(400, 'dataBase64', '图片不能超过 5 MB', 'invalid');
    const real = sniffImage(bytes);
    if (!real) throw new HttpError(400, 'dataBase64', '不是有效的图片', 'invalid');
    if (real !== p.contentType) throw new HttpError(400, 'contentType', `与文件内容不符（实际为 ${real}）`, 'invalid');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const hex = [...digest.slice(0, 12)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const bucket = imageBucket();
    const path = `uploads/${new Date().toISOString().slice(0, 7)}/${hex}.${EXT[real]}`;
    const store = objectStore();
    // The database authorizes and audits; the bytes are written inside that
    // transaction, so a failed write leaves no audit entry.
    return asOperator(ctx.claims, async (tx) => {
      await tx.unsafe('select admin.uploads_image($1::text::jsonb)', [JSON.stringify({ bucket, path, size: bytes.byteLength, contentType: real, fileName: p.fileName })]);
      const url = await store.put(bucket, path, bytes, real);
      return { url, bucket, path };
    });
  },

  'refunds.review': async (ctx, p) => {
    const r = await callAdminSql<AdminResponse<'refunds.review'>>(ctx, 'refunds.review', p);
    await soon('refund', async () => {
      const [due] = await asService((tx) => tx`select * from app.refunds_to_send(50) where out_refund_no = ${r.outRefundNo}`);
      if (due) await sendRefund({ out_refund_no: due.out_refund_no, order_id: due.order_id, amount: Number(due.amount), total: Number(due.total), reason: due.reason });
    });
    return r;
  },

  'withdrawals.review': async (ctx, p) => {
    const r = await callAdminSql<AdminResponse<'withdrawals.review'>>(ctx, 'withdrawals.review', p);
    if (r.status === 'approved') {
      await soon('transfer', async () => {
        const [due] = await asService((tx) => tx`select * from app.transfers_to_send(50) where id = ${r.withdrawalId}`);
        if (due) await sendTransfer({ id: due.id, openid: due.openid, net: Number(due.net) });
      });
    }
    return r;
  },

  'merchants.cashierCode': async (ctx, p) => {
    const r = await callAdminSql<{ cashierId: string; scene: string }>(ctx, 'merchants.cashierCode', p);
    let wxacodeBase64: string | null = null;
    try {
      const png = await miniProgram().wxacodeUnlimited({ scene: r.scene, page: cashierPage(), check_path: false, env_version: qrEnvVersion() });
      wxacodeBase64 = toBase64(png);
    } catch (err) {
      console.warn('cashier code: no mini-program code:', (err as Error).message);
    }
    return { cashierId: r.cashierId, scene: r.scene, path: cashierPage(), url: h5Url(cashierPage(), { scene: r.scene }), wxacodeBase64 };
  },
};
