// POST {orderId, platform} → {orderId, payable, payment}: (re)starts WeChat
// Pay for the caller's unpaid order (mall or cashier) and returns the
// signed wx.requestPayment parameters (or sandbox / none). The `api`
// function's orders.checkout / orders.pay / cashier.pay do the same inline.
import { z } from 'zod';
import { authConfigFromEnv, callerClaims } from '../_shared/auth.ts';
import { asUser } from '../_shared/db.ts';
import { handler, HttpError, json, readJsonObject } from '../_shared/http.ts';
import { paymentFor, type PayInfo } from '../_shared/payments.ts';
import { fieldError } from '../_shared/validate.ts';

const auth = authConfigFromEnv(Deno.env.toObject());
const Body = z.object({
  orderId: z.string({ required_error: '必填' }).min(1, '必填').max(64),
  platform: z.enum(['weapp', 'h5'], { errorMap: () => ({ message: '须为 weapp 或 h5' }) }),
}).strict();

Deno.serve(
  handler(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, null, '仅支持 POST');
    const claims = await callerClaims(auth, req);
    if (!claims) throw new HttpError(401, null, '请先登录', 'unauthenticated');
    const parsed = Body.safeParse(await readJsonObject(req));
    if (!parsed.success) throw fieldError(parsed.error);
    const [{ r }] = await asUser(claims, (tx) => tx`select api.orders_pay_info(${JSON.stringify(parsed.data)}::text::jsonb) as r`);
    const info = r as PayInfo;
    return json({ orderId: info.orderId, payable: info.payable, payment: await paymentFor(info) });
  }),
);
