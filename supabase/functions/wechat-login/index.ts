// POST {code, platform, inviteScene?} → {session, user, isNew}.
// code → jscode2session → the member of that openid (created on first
// sight) → our own access + refresh tokens (role authenticated).
// POST {refresh_token} → a fresh session for the same user.
// Against the local sandbox, `sandbox:<name>` codes sign in a stable test
// user; anywhere else they are refused (403).
import { z } from 'zod';
import { authConfigFromEnv, issueSession, verifyRefreshToken } from '../_shared/auth.ts';
import { asService } from '../_shared/db.ts';
import { sandboxUrl } from '../_shared/env.ts';
import { handler, HttpError, json, readJsonObject } from '../_shared/http.ts';
import { fieldError } from '../_shared/validate.ts';
import { WechatApiError } from '../_shared/wechat/index.ts';
import { miniProgram } from '../_shared/wechat-env.ts';

const auth = authConfigFromEnv(Deno.env.toObject());

const Login = z.object({
  code: z.string({ required_error: '缺少登录凭证', invalid_type_error: '登录凭证须为文本' }).min(1, '缺少登录凭证').max(128, '登录凭证过长'),
  platform: z.enum(['weapp', 'h5'], { errorMap: () => ({ message: '须为 weapp 或 h5' }) }),
  inviteScene: z.string().max(32, '邀请码无效').optional(),
}).strict();

const Refresh = z.object({ refresh_token: z.string().min(1) }).strict();

async function profile(memberId: string) {
  const [{ p }] = await asService((tx) => tx`select app.user_profile_json(${memberId}) as p`);
  return p;
}

Deno.serve(
  handler(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, null, '仅支持 POST');
    const body = await readJsonObject(req);

    if ('refresh_token' in body) {
      const r = Refresh.safeParse(body);
      if (!r.success) throw fieldError(r.error);
      const refresh = await verifyRefreshToken(auth, r.data.refresh_token);
      const [row] = await asService((tx) => tx`select m.id from members.members m where m.auth_user_id = ${refresh.sub}`);
      if (!row) throw new HttpError(401, null, '登录已失效，请重新登录', 'unauthenticated');
      const session = await issueSession(auth, refresh.sub, { sessionId: refresh.sessionId });
      return json({ session, user: await profile(row.id), isNew: false });
    }

    const parsed = Login.safeParse(body);
    if (!parsed.success) throw fieldError(parsed.error);
    const { code, platform, inviteScene } = parsed.data;
    if (code.startsWith('sandbox:') && !sandboxUrl()) {
      throw new HttpError(403, 'code', '测试登录仅在本地沙箱可用', 'sandbox_only');
    }
    let wx;
    try {
      wx = await miniProgram().code2Session(code);
    } catch (err) {
      if (err instanceof WechatApiError && ['40029', '40163', '40226'].includes(err.code)) {
        throw new HttpError(400, 'code', '登录凭证无效或已使用，请重试', 'invalid_code');
      }
      throw err;
    }
    const [{ r }] = await asService(
      (tx) => tx`select app.login_wechat(${wx.openid}, ${wx.unionid ?? null}, ${platform}, ${inviteScene ?? null}) as r`,
    );
    const session = await issueSession(auth, r.userId);
    return json({ session, user: await profile(r.memberId), isNew: r.isNew });
  }),
);
