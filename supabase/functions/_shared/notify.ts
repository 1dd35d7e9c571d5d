// Shared handling of WeChat Pay notifies (payment, refund, transfer):
// verify the signature with WeChat's public key, decrypt the resource,
// settle through SQL (idempotent), answer 204. A notify that fails
// verification is refused (401) and changes nothing; a database failure
// answers 500 so WeChat retries later.
import { asService, type Tx } from './db.ts';
import { openNotify, WechatSignatureError, type NotifyEnvelope } from './wechat/index.ts';
import { wechatPay } from './wechat-env.ts';

function fail(status: number, message: string): Response {
  return new Response(JSON.stringify({ code: 'FAIL', message }), { status, headers: { 'Content-Type': 'application/json' } });
}

export function notifyHandler<T>(
  name: string,
  settle: (tx: Tx, envelope: NotifyEnvelope, resource: T) => Promise<string>,
  // Work that follows the settlement once it committed (the queue processor
  // after a payment). Its failure is logged, never answered: what WeChat
  // notified is durable already.
  afterCommit?: (outcome: string, resource: T) => Promise<void>,
): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    if (req.method !== 'POST') return fail(405, 'POST only');
    const body = await req.text();
    const pay = await wechatPay();
    let opened: { envelope: NotifyEnvelope; resource: T };
    try {
      opened = await openNotify<T>(pay.config.platformKeys, pay.config.apiV3Key, req.headers, body);
    } catch (err) {
      if (err instanceof WechatSignatureError) {
        console.warn(`${name}: refused: ${err.message}`);
        return fail(401, '签名验证失败');
      }
      throw err;
    }
    let outcome: string;
    try {
      outcome = await asService((tx) => settle(tx, opened.envelope, opened.resource));
      console.log(`${name}: ${opened.envelope.event_type} ${opened.envelope.id} → ${outcome}`);
    } catch (err) {
      console.error(`${name}: ${opened.envelope.event_type} ${opened.envelope.id} failed`, err);
      return fail(500, '处理失败，请稍后重试');
    }
    if (afterCommit) {
      try {
        await afterCommit(outcome, opened.resource);
      } catch (err) {
        console.error(`${name}: after ${opened.envelope.id} (${outcome}) failed; left for the jobs function`, err);
      }
    }
    return new Response(null, { status: 204 });
  };
}
