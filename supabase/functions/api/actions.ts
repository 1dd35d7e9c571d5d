// The `api` function's actions (_shared/api-contract.ts): a zod schema
// for each request and how it runs. Most run one SQL function api.<name>
// as the caller; a few add WeChat calls (payments, QR codes, sandbox).
import { z, type ZodTypeAny } from 'zod';
import type { AccessClaims } from '../_shared/auth.ts';
import { asService, asUser } from '../_shared/db.ts';
import { env, sandboxUrl } from '../_shared/env.ts';
import { HttpError } from '../_shared/http.ts';
import { paymentFor, sendRefund, sendTransfer, type PayInfo } from '../_shared/payments.ts';
import { toBase64 } from '../_shared/wechat/index.ts';
import { cashierPage, invitePage, merchantApplyPage, miniProgram, qrEnvVersion, subscribeTemplates } from '../_shared/wechat-env.ts';

export interface Ctx {
  claims: AccessClaims | null;
}

export interface Action {
  public?: boolean;
  schema: ZodTypeAny;
  run: (ctx: Ctx, params: any) => Promise<unknown>;
}

/** Runs api.<fn>(params) as the caller (role authenticated, or anon). */
export async function callSql<T = any>(ctx: Ctx, fn: string, params: unknown = {}): Promise<T> {
  const rows = await asUser(ctx.claims, (tx) => tx.unsafe(`select api.${fn}($1::text::jsonb) as r`, [JSON.stringify(params)]));
  return rows[0].r as T;
}

const sqlAction = (fn: string, schema: ZodTypeAny, opts: { public?: boolean } = {}): Action => ({
  public: opts.public,
  schema,
  run: (ctx, params) => callSql(ctx, fn, params),
});

// ------------------------------------------------------------------ schemas

const text = (max: number, name = '内容') =>
  z.string({ invalid_type_error: `${name}须为文本` }).trim().min(1, `请填写${name}`).max(max, `${name}不能超过 ${max} 个字`);
const id = z.string({ invalid_type_error: '须为文本' }).min(1, '必填').max(64, '无效的编号');
const fen = z.number({ invalid_type_error: '金额须为整数（分）' }).int('金额须为整数（分）').min(1, '金额须大于 0').max(10_000_000_000, '金额过大');
const platform = z.enum(['weapp', 'h5'], { errorMap: () => ({ message: '须为 weapp 或 h5' }) });
const page = {
  cursor: z.string().max(64, '无效的游标').nullable().optional(),
  limit: z.number().int('须为整数').min(1, '至少 1 条').max(50, '最多 50 条').optional(),
};
const empty = z.object({}).strict();
const checkoutInput = {
  lines: z
    .array(z.object({ productId: id, quantity: z.number().int('数量须为整数').min(1, '数量至少为 1').max(999, '数量最多 999') }).strict())
    .min(1, '请选择商品')
    .max(20, '一次最多购买 20 种商品'),
  usePoints: z.boolean({ invalid_type_error: '须为 true 或 false' }),
  useLove: z.boolean({ invalid_type_error: '须为 true 或 false' }),
  useCoupon: z.boolean({ invalid_type_error: '须为 true 或 false' }),
};
// Member codes are the invite codes of app.profiles; the SQL upper-cases and looks them up.
const memberCode = z.string({ invalid_type_error: '请输入会员码' }).trim().min(1, '请输入会员码').max(16, '会员码为 6–10 位字母或数字');
const entryId = z.object({ entryId: z.string().regex(/^\d{1,18}$/, '无效的排队记录') }).strict();

// ------------------------------------------------------------------ helpers

async function pay(ctx: Ctx, info: PayInfo) {
  return { orderId: info.orderId, payable: info.payable, payment: await paymentFor(info) };
}

function h5Url(path: string, query: Record<string, string>): string {
  const base = (env('H5_PUBLIC_URL') ?? 'http://127.0.0.1:10086').replace(/\/$/, '');
  return `${base}/#/${path}?${new URLSearchParams(query)}`;
}

async function wxacode(scene: string, page: string): Promise<string | null> {
  const png = await miniProgram().wxacodeUnlimited({ scene, page, check_path: false, env_version: qrEnvVersion() });
  return toBase64(png);
}

/** Best effort: the jobs function retries whatever this does not finish. */
async function soon(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.warn(`${what}: left for the jobs function:`, (err as Error).message);
  }
}

// ------------------------------------------------------------------ actions

export const ACTIONS: Record<string, Action> = {
  'user.profile': sqlAction('user_profile', empty),
  'user.update': sqlAction(
    'user_update',
    z.object({ nickname: z.string().trim().max(32, '昵称不能超过 32 个字').optional(), avatarUrl: z.string().max(500).regex(/^https?:\/\/[^/?#\s]+([/?#]\S*)?$/i, '头像地址须为 http(s) 网址').nullable().optional() }).strict(),
  ),
  'settings.display': sqlAction('settings_display', empty, { public: true }),

  'catalog.home': sqlAction('catalog_home', empty, { public: true }),
  'catalog.categories': sqlAction('catalog_categories', empty, { public: true }),
  'catalog.products': sqlAction(
    'catalog_products',
    z.object({
      ...page,
      categoryId: id.optional(),
      keyword: z.string().max(40, '关键词不能超过 40 个字').optional(),
      sort: z.enum(['default', 'sales', 'priceAsc', 'priceDesc']).optional(),
    }).strict(),
    { public: true },
  ),
  'catalog.product': sqlAction('catalog_product', z.object({ productId: id }).strict(), { public: true }),

  'orders.preview': sqlAction('orders_preview', z.object(checkoutInput).strict()),
  'orders.checkout': {
    schema: z.object({ ...checkoutInput, platform, remark: z.string().max(200, '备注不能超过 200 字').optional() }).strict(),
    run: async (ctx, p) => pay(ctx, await callSql<PayInfo>(ctx, 'orders_checkout', p)),
  },
  'orders.pay': {
    schema: z.object({ orderId: id, platform }).strict(),
    run: async (ctx, p) => pay(ctx, await callSql<PayInfo>(ctx, 'orders_pay_info', p)),
  },
  'orders.list': sqlAction(
    'orders_list',
    z.object({ ...page, status: z.enum(['all', 'unpaid', 'paid', 'completed', 'refunding', 'refunded', 'closed']).optional() }).strict(),
  ),
  'orders.detail': sqlAction('orders_detail', z.object({ orderId: id }).strict()),
  'orders.refund': {
    schema: z.object({ orderId: id, reason: text(200, '退款原因') }).strict(),
    run: async (ctx, p) => {
      const r = await callSql<{ orderId: string; status: string; outRefundNo: string; amount: number; total: number }>(ctx, 'orders_refund', p);
      // Refunds are sent at once unless operators review them (app.site_content refundReview).
      await soon('refund', async () => {
        const [due] = await asService((tx) => tx`select * from app.refunds_to_send(50) where out_refund_no = ${r.outRefundNo}`);
        if (due) await sendRefund({ out_refund_no: due.out_refund_no, order_id: due.order_id, amount: Number(due.amount), total: Number(due.total), reason: due.reason });
      });
      return { orderId: r.orderId, status: 'refunding' };
    },
  },

  'cashier.info': sqlAction('cashier_info', z.object({ cashierId: id }).strict(), { public: true }),
  'cashier.pay': {
    schema: z.object({ cashierId: id, amount: fen, platform, remark: z.string().max(200, '备注不能超过 200 字').optional() }).strict(),
    run: async (ctx, p) => pay(ctx, await callSql<PayInfo>(ctx, 'cashier_checkout', p)),
  },

  'pay.sandboxConfirm': {
    schema: z.object({ paymentId: z.string().min(1, '必填').max(64) }).strict(),
    run: async (ctx, p) => {
      const sandbox = sandboxUrl();
      if (!sandbox) throw new HttpError(403, 'paymentId', '沙箱支付仅在本地环境可用', 'sandbox_only');
      const own = await callSql<{ orderId: string; status: string } | null>(ctx, 'orders_payment_of', p);
      if (!own) throw new HttpError(404, 'paymentId', '支付单不存在', 'not_found');
      // The sandbox plays the shopper confirming, then posts the signed notify to pay-notify.
      const res = await fetch(`${sandbox}/sandbox/pay/confirm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prepay_id: p.paymentId }),
      });
      const body = await res.json();
      if (!res.ok) throw new HttpError(409, 'paymentId', `支付未完成：${body.message ?? res.status}`, 'payment_failed');
      const after = await callSql<{ orderId: string; status: string }>(ctx, 'orders_payment_of', p);
      if (after.status === 'unpaid') throw new HttpError(409, 'paymentId', '支付结果确认中，请稍后刷新', 'payment_pending');
      return { orderId: after.orderId, status: 'paid' };
    },
  },

  'queue.myEntries': sqlAction(
    'queue_my_entries',
    z.object({ ...page, status: z.enum(['waiting', 'finished', 'all']).optional(), queueKey: z.string().max(100).optional() }).strict(),
  ),
  'queue.entry': sqlAction('queue_entry', entryId),
  'queue.progress': sqlAction('queue_progress', z.object({ ...page, queueKey: z.string().min(1, '必填').max(100) }).strict()),
  'queue.draw': sqlAction('queue_draw', entryId),
  'queue.exchangePreview': sqlAction('queue_exchange_preview', entryId),
  'queue.exchange': sqlAction(
    'queue_exchange',
    entryId.extend({ to: z.enum(['points', 'love', 'coupon'], { errorMap: () => ({ message: '须为 points、love 或 coupon' }) }) }),
  ),

  'wallet.summary': sqlAction('wallet_summary', empty),
  'wallet.history': sqlAction('wallet_history', z.object({ ...page, balance: z.enum(['available', 'frozen', 'all']).optional() }).strict()),
  'wallet.withdraw': sqlAction('wallet_withdraw', z.object({ amount: fen, from: z.enum(['wallet', 'merchant']).optional() }).strict()),
  'wallet.withdrawals': sqlAction('wallet_withdrawals', z.object(page).strict()),

  'union.overview': sqlAction('union_overview', empty, { public: true }),
  'union.myEntries': sqlAction('union_my_entries', z.object({ status: z.enum(['waiting', 'finished', 'all']).optional() }).strict()),
  'union.entry': sqlAction('union_entry', z.object({ seq: z.string().regex(/^\d{1,18}$/, '无效的排队记录') }).strict()),

  'transfer.lookup': sqlAction('transfer_lookup', z.object({ code: memberCode }).strict()),
  'transfer.send': sqlAction(
    'transfer_send',
    z.object({
      code: memberCode,
      kind: z.enum(['points', 'love'], { errorMap: () => ({ message: '须为 points 或 love' }) }),
      amount: z.number({ invalid_type_error: '数量须为正整数' }).int('数量须为正整数').min(1, '数量须大于 0').max(10_000_000_000, '数量过大'),
      requestId: z.string({ invalid_type_error: '无效的请求编号' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '无效的请求编号'),
    }).strict(),
  ),
  'transfer.list': sqlAction('transfer_list', z.object(page).strict()),

  'promoter.inviteCode': {
    schema: z.object({ platform }).strict(),
    run: async (ctx, p) => {
      const { scene } = await callSql<{ scene: string }>(ctx, 'promoter_invite');
      const merchantScene = scene.replace(/^i=/, 'm=');
      return {
        scene,
        path: invitePage(),
        wxacodeBase64: p.platform === 'weapp' ? await wxacode(scene, invitePage()) : null,
        url: h5Url(invitePage(), { scene }),
        merchantInvite: {
          scene: merchantScene,
          path: merchantApplyPage(),
          wxacodeBase64: p.platform === 'weapp' ? await wxacode(merchantScene, merchantApplyPage()) : null,
          url: h5Url(merchantApplyPage(), { scene: merchantScene }),
        },
      };
    },
  },
  'promoter.bind': sqlAction('promoter_bind', z.object({ scene: z.string().max(64, '邀请码无效') }).strict()),
  'promoter.team': sqlAction('promoter_team', z.object({ ...page, tier: z.enum(['direct', 'indirect']) }).strict()),
  'promoter.rewards': sqlAction('promoter_rewards', z.object(page).strict()),

  'merchant.apply': sqlAction(
    'merchant_apply',
    z.object({
      storeName: text(40, '店铺名称'),
      contactName: text(20, '联系人'),
      phone: z.string().regex(/^[0-9+\- ]{6,20}$/, '请输入有效的联系电话'),
      address: text(100, '地址'),
      category: text(20, '经营类目'),
      licenseNo: text(40, '营业执照号'),
      intro: z.string().max(500, '简介不能超过 500 字'),
      recruiterScene: z.string().max(32).optional(),
    }).strict(),
  ),
  'merchant.status': sqlAction('merchant_status', empty),
  'merchant.account': sqlAction('merchant_account', z.object(page).strict()),
  'merchant.sales': sqlAction('merchant_sales', z.object({ range: z.enum(['today', '7d', '30d']) }).strict()),
  'merchant.cashiers': {
    schema: z.object({ platform }).strict(),
    run: async (ctx, p) => {
      const { items } = await callSql<{ items: { cashierId: string; name: string }[] }>(ctx, 'merchant_cashiers');
      return {
        items: await Promise.all(
          items.map(async (c) => {
            const scene = `c=${c.cashierId}`.slice(0, 32);
            return {
              cashierId: c.cashierId,
              name: c.name,
              scene,
              path: cashierPage(),
              wxacodeBase64: p.platform === 'weapp' ? await wxacode(scene, cashierPage()) : null,
              url: h5Url(cashierPage(), { scene }),
            };
          }),
        ),
      };
    },
  },

  'inbox.list': sqlAction('inbox_list', z.object(page).strict()),
  'inbox.markRead': sqlAction(
    'inbox_mark_read',
    z.object({ ids: z.array(z.string().regex(/^\d{1,18}$/, '无效的消息')).max(100).optional(), all: z.boolean().optional() }).strict(),
  ),
  'inbox.templates': { schema: empty, run: async () => ({ templates: subscribeTemplates() }) },
  'inbox.subscribed': {
    schema: z.object({ accepted: z.array(z.string().max(64)).max(20), rejected: z.array(z.string().max(64)).max(20) }).strict(),
    run: async (ctx, p) => {
      const byTemplate = Object.fromEntries(Object.entries(subscribeTemplates()).map(([kind, tpl]) => [tpl, kind]));
      const kinds = (p.accepted as string[]).map((t) => byTemplate[t]).filter(Boolean);
      return callSql(ctx, 'inbox_subscribed', { kinds });
    },
  },

  // ---- operators (the database checks app.operators)
  'admin.withdrawals': sqlAction('admin_withdrawals', z.object({ status: z.enum(['reviewing', 'approved', 'paying', 'paid', 'rejected', 'failed']).optional() }).strict()),
  'admin.withdrawalReview': {
    schema: z.object({ withdrawalId: id, approve: z.boolean(), reason: z.string().max(100).optional() }).strict(),
    run: async (ctx, p) => {
      const r = await callSql<{ withdrawalId: string; status: string }>(ctx, 'admin_withdrawal_review', p);
      if (r.status === 'approved') {
        await soon('transfer', async () => {
          const [due] = await asService((tx) => tx`select * from app.transfers_to_send(50) where id = ${r.withdrawalId}`);
          if (due) await sendTransfer({ id: due.id, openid: due.openid, net: Number(due.net) });
        });
      }
      return r;
    },
  },
  'admin.merchantReview': sqlAction(
    'admin_merchant_review',
    z.object({ applicationId: id, approve: z.boolean(), reason: z.string().max(100).optional(), commission: z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, '须为百分比').optional() }).strict(),
  ),
  'admin.refundReview': {
    schema: z.object({ outRefundNo: id, approve: z.boolean(), reason: z.string().max(100).optional() }).strict(),
    run: async (ctx, p) => {
      const r = await callSql<{ outRefundNo: string; status: string }>(ctx, 'admin_refund_review', p);
      await soon('refund', async () => {
        const [due] = await asService((tx) => tx`select * from app.refunds_to_send(50) where out_refund_no = ${r.outRefundNo}`);
        if (due) await sendRefund({ out_refund_no: due.out_refund_no, order_id: due.order_id, amount: Number(due.amount), total: Number(due.total), reason: due.reason });
      });
      return r;
    },
  },
};
