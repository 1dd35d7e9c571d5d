// A local stand-in for WeChat's servers (api.weixin.qq.com and
// api.mch.weixin.qq.com): same paths, same wire formats, same signatures,
// plus a few /sandbox/* endpoints that play the user's part (confirming a
// payment, accepting a transfer). Plain http on 127.0.0.1; development and
// tests only, never deployed.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  encryptResource,
  importPrivateKeyPem,
  importPublicKeyPem,
  randomNonce,
  signResponse,
  verifyRequest,
  WechatSignatureError,
} from '../../supabase/functions/_shared/wechat/index.ts';
import type { SandboxIdentity } from './identity.ts';
import { sceneCodePng } from './png.ts';

/** WeChat Pay's documented notify retry schedule (15s 15s 30s 3m 10m 20m 30m 30m 30m 60m 3h 3h 3h 6h 6h). */
export const WECHAT_RETRY_DELAYS_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map(
  (s) => s * 1000,
);

export interface SandboxOptions {
  identity: SandboxIdentity;
  host?: string;
  /** 0 = any free port. Default 54330. */
  port?: number;
  /** Delays between notify attempts after the first one fails. */
  notifyRetryDelaysMs?: number[];
  /** How long a refund stays PROCESSING before it succeeds and is notified. */
  refundDelayMs?: number;
  /** WeChat gives a notify receiver 5 seconds. */
  notifyTimeoutMs?: number;
  log?: (line: string) => void;
}

interface Tx {
  prepay_id: string;
  appid: string;
  mchid: string;
  description: string;
  out_trade_no: string;
  notify_url: string;
  attach?: string;
  time_expire?: string;
  total: number;
  openid: string;
  trade_state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  transaction_id?: string;
  success_time?: string;
  refunded: number;
}

interface RefundRec {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  notify_url?: string;
  reason?: string;
  refund: number;
  total: number;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  create_time: string;
  success_time?: string;
}

interface TransferRec {
  out_bill_no: string;
  transfer_bill_no: string;
  appid: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  transfer_scene_id: string;
  notify_url?: string;
  state: 'WAIT_USER_CONFIRM' | 'SUCCESS' | 'FAIL' | 'CANCELLED';
  package_info: string;
  create_time: string;
  update_time: string;
  fail_reason?: string;
}

export interface NotifyAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface NotifyRecord {
  id: string;
  event_type: string;
  url: string;
  /** out_trade_no / out_refund_no / out_bill_no the notify is about. */
  key: string;
  body: string;
  attempts: NotifyAttempt[];
  delivered: boolean;
}

export interface SentMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  at: string;
}

/**
 * A fault WeChat's Pay API shows (tests): `status500` answers 500 SYSTEM_ERROR
 * without doing anything; `timeout` never answers (nothing done); `drop`
 * closes the connection before doing anything; `lost` does the work, then
 * closes the connection instead of answering (the answer is lost).
 */
export interface FaultRule {
  method?: string;
  /** Regular expression over the path. */
  path: string;
  /** Only requests whose path or body contains this (e.g. an out_refund_no). */
  includes?: string;
  mode: 'status500' | 'timeout' | 'drop' | 'lost';
  /** How many matching requests it hits (then it is spent). */
  times: number;
}

/** Every /v3 request the sandbox received, and what became of it. */
export interface PayRequestRecord {
  at: number;
  method: string;
  path: string;
  body: string;
  /** answered: done and answered; lost: done, answer lost; status500 / timeout / drop: nothing done. */
  outcome: 'answered' | 'lost' | 'status500' | 'timeout' | 'drop';
  status?: number;
}

export interface Sandbox {
  url: string;
  port: number;
  identity: SandboxIdentity;
  notifications: NotifyRecord[];
  messages: SentMessage[];
  /** /v3 requests received (fault tests count what reached WeChat). */
  payRequests: PayRequestRecord[];
  /** Fault rules in force (also POST /sandbox/faults). */
  faults: FaultRule[];
  /** Refunds and transfer bills WeChat holds, by out_refund_no / out_bill_no. */
  refundsMade(): { out_refund_no: string; out_trade_no: string; refund: number; status: string }[];
  transfersMade(): { out_bill_no: string; transfer_amount: number; state: string }[];
  /** openid the sandbox's jscode2session gives a `sandbox:<name>` code. */
  openidFor(name: string): string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function shanghaiIso(ms = Date.now()): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const OUT_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;
// Characters getwxacodeunlimit accepts in a scene.
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

function need(cond: unknown, field: string, message = '必填字段缺失或格式错误'): asserts cond {
  if (!cond) throw new HttpError(400, 'PARAM_ERROR', `${field}: ${message}`);
}

function isAmount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const identity = options.identity;
  const log = options.log ?? (() => {});
  const retryDelays = options.notifyRetryDelaysMs ?? WECHAT_RETRY_DELAYS_MS;
  const refundDelayMs = options.refundDelayMs ?? 1000;
  const notifyTimeoutMs = options.notifyTimeoutMs ?? 5000;
  const platformKey = await importPrivateKeyPem(identity.platformPrivateKeyPem);
  const merchantKey = await importPublicKeyPem(identity.merchantPublicKeyPem);

  const singleUseCodes = new Map<string, { name: string; expiresAt: number; used: boolean }>();
  const users = new Map<string, { name: string; unionid: string }>();
  const tokens = new Map<string, number>(); // token → expiry (ms)
  let stableToken: { value: string; expiresAt: number } | null = null;
  const txByOutNo = new Map<string, Tx>();
  const txByPrepay = new Map<string, Tx>();
  const refunds = new Map<string, RefundRec>();
  const transfers = new Map<string, TransferRec>();
  const notifications: NotifyRecord[] = [];
  const messages: SentMessage[] = [];
  const payRequests: PayRequestRecord[] = [];
  const faults: FaultRule[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;

  const openidFor = (name: string) => 'o' + b64url(createHash('sha256').update(`${identity.appid}:${name}`).digest()).slice(0, 27);
  const unionidFor = (name: string) => 'o' + b64url(createHash('sha256').update(`union:${name}`).digest()).slice(0, 27);

  function later(ms: number, fn: () => void): void {
    if (closed) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  }

  // ------------------------------------------------------------- notifies

  async function attempt(record: NotifyRecord): Promise<NotifyAttempt> {
    const headers = await signResponse(platformKey, identity.platformSerial, record.body);
    const entry: NotifyAttempt = { at: shanghaiIso() };
    try {
      const res = await fetch(record.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0', ...headers },
        body: record.body,
        signal: AbortSignal.timeout(notifyTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      entry.status = res.status;
      if (res.status === 200 || res.status === 204) record.delivered = true;
    } catch (err) {
      entry.error = (err as Error).message;
    }
    record.attempts.push(entry);
    log(`notify ${record.event_type} ${record.key} → ${record.url}: ${entry.status ?? entry.error}`);
    return entry;
  }

  /** First attempt now (awaited), then WeChat's retry schedule until answered 200/204. */
  async function notify(eventType: string, summary: string, key: string, url: string, originalType: string, resource: unknown): Promise<NotifyRecord> {
    const envelope = {
      id: crypto.randomUUID(),
      create_time: shanghaiIso(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: await encryptResource(identity.apiV3Key, resource, originalType),
    };
    const record: NotifyRecord = { id: envelope.id, event_type: eventType, url, key, body: JSON.stringify(envelope), attempts: [], delivered: false };
    notifications.push(record);
    await attempt(record);
    let i = 0;
    const retry = () => {
      if (record.delivered || i >= retryDelays.length) return;
      later(retryDelays[i++], () => void attempt(record).then(retry));
    };
    retry();
    return record;
  }

  function transactionView(tx: Tx) {
    return {
      appid: tx.appid,
      mchid: tx.mchid,
      out_trade_no: tx.out_trade_no,
      ...(tx.transaction_id ? { transaction_id: tx.transaction_id } : {}),
      trade_type: 'JSAPI',
      trade_state: tx.trade_state,
      trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' }[tx.trade_state],
      ...(tx.transaction_id ? { bank_type: 'OTHERS', success_time: tx.success_time } : {}),
      ...(tx.attach !== undefined ? { attach: tx.attach } : {}),
      payer: { openid: tx.openid },
      amount:
        tx.trade_state === 'NOTPAY' || tx.trade_state === 'CLOSED'
          ? { total: tx.total, currency: 'CNY' }
          : { total: tx.total, payer_total: tx.total, currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  function refundView(r: RefundRec) {
    return {
      refund_id: r.refund_id,
      out_refund_no: r.out_refund_no,
      transaction_id: r.transaction_id,
      out_trade_no: r.out_trade_no,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.success_time ? { success_time: r.success_time } : {}),
      create_time: r.create_time,
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.total,
        refund: r.refund,
        payer_total: r.total,
        payer_refund: r.refund,
        settlement_refund: r.refund,
        settlement_total: r.total,
        discount_refund: 0,
        currency: 'CNY',
        refund_fee: 0,
      },
    };
  }

  function transferView(t: TransferRec) {
    return {
      mch_id: identity.mchid,
      out_bill_no: t.out_bill_no,
      transfer_bill_no: t.transfer_bill_no,
      appid: t.appid,
      state: t.state,
      transfer_amount: t.transfer_amount,
      transfer_remark: t.transfer_remark,
      openid: t.openid,
      create_time: t.create_time,
      update_time: t.update_time,
      ...(t.fail_reason ? { fail_reason: t.fail_reason } : {}),
    };
  }

  // ------------------------------------------------------------ pay (v3)

  async function payApi(method: string, path: string, query: URLSearchParams, body: string, auth: string | undefined): Promise<[number, unknown]> {
    const pathAndQuery = path + (query.toString() ? `?${query}` : '');
    let parts;
    try {
      parts = await verifyRequest(merchantKey, auth, method, pathAndQuery, body);
    } catch (err) {
      if (err instanceof WechatSignatureError) throw new HttpError(401, 'SIGN_ERROR', `签名错误: ${err.message}`);
      throw err;
    }
    if (parts.mchid !== identity.mchid) throw new HttpError(401, 'SIGN_ERROR', 'Authorization: mchid 与证书不匹配');
    if (parts.serial_no !== identity.merchantSerial) throw new HttpError(401, 'SIGN_ERROR', 'Authorization: 商户证书序列号错误');
    let json: Record<string, any> = {};
    if (method === 'POST') {
      try {
        json = JSON.parse(body || '{}');
      } catch {
        throw new HttpError(400, 'PARAM_ERROR', 'body: 不是合法的 JSON');
      }
    }

    if (method === 'POST' && path === '/v3/pay/transactions/jsapi') {
      need(json.appid === identity.appid, 'appid', 'appid 与商户号未绑定');
      need(json.mchid === identity.mchid, 'mchid', '商户号错误');
      need(typeof json.description === 'string' && json.description.length > 0 && json.description.length <= 127, 'description');
      need(typeof json.out_trade_no === 'string' && OUT_NO.test(json.out_trade_no), 'out_trade_no');
      need(typeof json.notify_url === 'string' && /^https?:\/\/[^\s?#]+$/.test(json.notify_url), 'notify_url', '须为不带参数的 URL');
      need(json.amount && isAmount(json.amount.total), 'amount.total', '须为正整数（分）');
      need((json.amount.currency ?? 'CNY') === 'CNY', 'amount.currency');
      need(json.payer && typeof json.payer.openid === 'string' && json.payer.openid.length > 0, 'payer.openid');
      need(json.attach === undefined || (typeof json.attach === 'string' && json.attach.length <= 128), 'attach');
      const existing = txByOutNo.get(json.out_trade_no);
      if (existing) {
        if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') throw new HttpError(400, 'ORDERPAID', '该订单已支付');
        if (existing.trade_state === 'CLOSED') throw new HttpError(400, 'ORDER_CLOSED', '订单已关闭');
        if (existing.total !== json.amount.total || existing.openid !== json.payer.openid) {
          throw new HttpError(400, 'INVALID_REQUEST', '201 商户订单号重复');
        }
        return [200, { prepay_id: existing.prepay_id }];
      }
      const tx: Tx = {
        prepay_id: 'wx' + digits(14) + randomNonce(20).toLowerCase(),
        appid: json.appid,
        mchid: json.mchid,
        description: json.description,
        out_trade_no: json.out_trade_no,
        notify_url: json.notify_url,
        attach: json.attach,
        time_expire: json.time_expire,
        total: json.amount.total,
        openid: json.payer.openid,
        trade_state: 'NOTPAY',
        refunded: 0,
      };
      txByOutNo.set(tx.out_trade_no, tx);
      txByPrepay.set(tx.prepay_id, tx);
      return [200, { prepay_id: tx.prepay_id }];
    }

    let m = path.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/);
    if (method === 'GET' && m) {
      need(query.get('mchid') === identity.mchid, 'mchid');
      const tx = txByOutNo.get(decodeURIComponent(m[1]));
      if (!tx) throw new HttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      return [200, transactionView(tx)];
    }
    m = path.match(/^\/v3\/pay\/transactions\/id\/([^/]+)$/);
    if (method === 'GET' && m) {
      const tx = [...txByOutNo.values()].find((t) => t.transaction_id === decodeURIComponent(m![1]));
      if (!tx) throw new HttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      return [200, transactionView(tx)];
    }
    m = path.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/);
    if (method === 'POST' && m) {
      const tx = txByOutNo.get(decodeURIComponent(m[1]));
      if (!tx) throw new HttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (tx.trade_state !== 'NOTPAY' && tx.trade_state !== 'CLOSED') throw new HttpError(400, 'ORDERPAID', '该订单已支付');
      tx.trade_state = 'CLOSED';
      return [204, null];
    }

    if (method === 'POST' && path === '/v3/refund/domestic/refunds') {
      need(typeof json.out_refund_no === 'string' && OUT_NO.test(json.out_refund_no), 'out_refund_no');
      need(json.transaction_id || json.out_trade_no, 'transaction_id', 'transaction_id 与 out_trade_no 必填其一');
      const tx = json.transaction_id
        ? [...txByOutNo.values()].find((t) => t.transaction_id === json.transaction_id)
        : txByOutNo.get(json.out_trade_no);
      if (!tx || !tx.transaction_id) throw new HttpError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
      need(json.amount && isAmount(json.amount.refund), 'amount.refund', '须为正整数（分）');
      need(json.amount.total === tx.total, 'amount.total', '订单金额与原订单不一致');
      need(json.amount.currency === 'CNY', 'amount.currency');
      need(json.notify_url === undefined || /^https?:\/\/[^\s?#]+$/.test(json.notify_url), 'notify_url');
      const existing = refunds.get(json.out_refund_no);
      if (existing) {
        if (existing.refund !== json.amount.refund || existing.out_trade_no !== tx.out_trade_no) {
          throw new HttpError(400, 'INVALID_REQUEST', '退款单号重复，与原退款请求参数不一致');
        }
        return [200, refundView(existing)];
      }
      if (tx.refunded + json.amount.refund > tx.total) throw new HttpError(403, 'NOT_ENOUGH', '退款金额超过订单可退金额');
      const r: RefundRec = {
        refund_id: '50' + digits(30),
        out_refund_no: json.out_refund_no,
        out_trade_no: tx.out_trade_no,
        transaction_id: tx.transaction_id,
        notify_url: json.notify_url,
        reason: json.reason,
        refund: json.amount.refund,
        total: tx.total,
        status: 'PROCESSING',
        create_time: shanghaiIso(),
      };
      tx.refunded += r.refund;
      tx.trade_state = 'REFUND';
      refunds.set(r.out_refund_no, r);
      later(refundDelayMs, () => {
        r.status = 'SUCCESS';
        r.success_time = shanghaiIso();
        if (r.notify_url) {
          void notify('REFUND.SUCCESS', '退款成功', r.out_refund_no, r.notify_url, 'refund', {
            mchid: identity.mchid,
            out_trade_no: r.out_trade_no,
            transaction_id: r.transaction_id,
            out_refund_no: r.out_refund_no,
            refund_id: r.refund_id,
            refund_status: 'SUCCESS',
            success_time: r.success_time,
            user_received_account: '支付用户零钱',
            amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
          });
        }
      });
      return [200, refundView(r)];
    }
    m = path.match(/^\/v3\/refund\/domestic\/refunds\/([^/]+)$/);
    if (method === 'GET' && m) {
      const r = refunds.get(decodeURIComponent(m[1]));
      if (!r) throw new HttpError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return [200, refundView(r)];
    }

    // 商家转账 (transfer to the user's balance), the API in force since 2025-01-15.
    if (method === 'POST' && path === '/v3/fund-app/mch-transfer/transfer-bills') {
      need(json.appid === identity.appid, 'appid', 'appid 与商户号未绑定');
      need(typeof json.out_bill_no === 'string' && /^[A-Za-z0-9]{5,32}$/.test(json.out_bill_no), 'out_bill_no', '须为 5-32 位数字或字母');
      need(typeof json.transfer_scene_id === 'string' && json.transfer_scene_id.length > 0, 'transfer_scene_id');
      need(typeof json.openid === 'string' && json.openid.length > 0, 'openid');
      need(isAmount(json.transfer_amount) && json.transfer_amount >= 10, 'transfer_amount', '须为不少于 10 分的整数');
      // Above 2000 yuan WeChat requires the payee's real name (encrypted).
      need(json.transfer_amount < 200000 || typeof json.user_name === 'string', 'user_name', '转账金额 >= 2000 元时必填');
      need(typeof json.transfer_remark === 'string' && json.transfer_remark.length > 0 && json.transfer_remark.length <= 32, 'transfer_remark');
      need(Array.isArray(json.transfer_scene_report_infos) && json.transfer_scene_report_infos.length > 0, 'transfer_scene_report_infos');
      need(json.notify_url === undefined || /^https?:\/\/[^\s?#]+$/.test(json.notify_url), 'notify_url');
      const existing = transfers.get(json.out_bill_no);
      if (existing) {
        if (existing.transfer_amount !== json.transfer_amount || existing.openid !== json.openid) {
          throw new HttpError(400, 'INVALID_REQUEST', '商户单号重复，与原请求参数不一致');
        }
        return [200, { out_bill_no: existing.out_bill_no, transfer_bill_no: existing.transfer_bill_no, create_time: existing.create_time, state: existing.state, package_info: existing.package_info }];
      }
      const now = shanghaiIso();
      const t: TransferRec = {
        out_bill_no: json.out_bill_no,
        transfer_bill_no: '1330000' + digits(25),
        appid: json.appid,
        openid: json.openid,
        transfer_amount: json.transfer_amount,
        transfer_remark: json.transfer_remark,
        transfer_scene_id: json.transfer_scene_id,
        notify_url: json.notify_url,
        state: 'WAIT_USER_CONFIRM',
        package_info: 'ABBQO+oYAAABAAAAAAAk' + randomBytes(24).toString('base64'),
        create_time: now,
        update_time: now,
      };
      transfers.set(t.out_bill_no, t);
      return [200, { out_bill_no: t.out_bill_no, transfer_bill_no: t.transfer_bill_no, create_time: t.create_time, state: t.state, package_info: t.package_info }];
    }
    m = path.match(/^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/);
    if (method === 'GET' && m) {
      const t = transfers.get(decodeURIComponent(m[1]));
      if (!t) throw new HttpError(404, 'NOT_FOUND', '记录不存在');
      return [200, transferView(t)];
    }
    m = path.match(/^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/);
    if (method === 'POST' && m) {
      const t = transfers.get(decodeURIComponent(m[1]));
      if (!t) throw new HttpError(404, 'NOT_FOUND', '记录不存在');
      if (t.state !== 'WAIT_USER_CONFIRM') throw new HttpError(400, 'INVALID_REQUEST', '当前状态不可撤销');
      t.state = 'CANCELLED';
      t.update_time = shanghaiIso();
      if (t.notify_url) void finishTransferNotify(t);
      return [200, { out_bill_no: t.out_bill_no, transfer_bill_no: t.transfer_bill_no, state: 'CANCELLING', update_time: t.update_time }];
    }
    throw new HttpError(404, 'NOT_FOUND', `${method} ${path}: 无此接口`);
  }

  function finishTransferNotify(t: TransferRec) {
    return notify('MCHTRANSFER.BILL.FINISHED', '商家转账单据终态通知', t.out_bill_no, t.notify_url!, 'mch_payment', {
      out_bill_no: t.out_bill_no,
      transfer_bill_no: t.transfer_bill_no,
      state: t.state,
      mch_id: identity.mchid,
      transfer_amount: t.transfer_amount,
      openid: t.openid,
      ...(t.fail_reason ? { fail_reason: t.fail_reason } : {}),
      create_time: t.create_time,
      update_time: t.update_time,
    });
  }

  // ------------------------------------------------------ mini-program APIs

  function checkToken(query: URLSearchParams): { errcode: number; errmsg: string } | null {
    const token = query.get('access_token');
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    const exp = tokens.get(token);
    if (exp === undefined) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (exp < Date.now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return null;
  }

  function newToken(): { access_token: string; expires_in: number } {
    const value = randomBytes(48).toString('base64url');
    tokens.set(value, Date.now() + 7200_000);
    return { access_token: value, expires_in: 7200 };
  }

  function checkApp(appid: unknown, secret: unknown): { errcode: number; errmsg: string } | null {
    if (appid !== identity.appid) return { errcode: 40013, errmsg: 'invalid appid' };
    if (secret !== identity.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return null;
  }

  // Template keyword rules (subset of WeChat's): value length limits by key type.
  const KEYWORD_LIMITS: Record<string, RegExp> = {
    thing: /^[\s\S]{1,20}$/,
    number: /^[\d.]{1,32}$/,
    letter: /^[A-Za-z]{1,32}$/,
    symbol: /^[\s\S]{1,5}$/,
    character_string: /^[\x20-\x7e]{1,32}$/,
    phone_number: /^[\d+\-() ]{1,17}$/,
    car_number: /^[\s\S]{1,8}$/,
    name: /^[\s\S]{1,10}$/,
    phrase: /^[\u4e00-\u9fa5]{1,5}$/,
    amount: /^[\s\S]{1,16}$/,
    time: /^[\s\S]{1,32}$/,
    date: /^[\s\S]{1,32}$/,
  };

  function subscribeSend(json: any): { errcode: number; errmsg: string } {
    if (typeof json.touser !== 'string' || !users.has(json.touser)) return { errcode: 40003, errmsg: 'invalid openid' };
    if (typeof json.template_id !== 'string' || !json.template_id) return { errcode: 40037, errmsg: 'invalid template_id' };
    if (!json.data || typeof json.data !== 'object') return { errcode: 47003, errmsg: 'argument invalid! data is empty' };
    for (const [key, v] of Object.entries(json.data as Record<string, any>)) {
      const type = key.replace(/\d+$/, '');
      const rule = KEYWORD_LIMITS[type];
      if (!v || typeof v.value !== 'string' || (rule && !rule.test(v.value))) {
        return { errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` };
      }
    }
    messages.push({ touser: json.touser, template_id: json.template_id, page: json.page, data: json.data, at: shanghaiIso() });
    return { errcode: 0, errmsg: 'ok' };
  }

  // ------------------------------------------------------ sandbox controls

  async function sandboxApi(method: string, path: string, query: URLSearchParams, json: any): Promise<[number, unknown]> {
    if (method === 'POST' && path === '/sandbox/login-code') {
      need(typeof json.name === 'string' && json.name.length > 0, 'name');
      const code = randomNonce(32).toLowerCase();
      singleUseCodes.set(code, { name: json.name, expiresAt: Date.now() + 300_000, used: false });
      return [200, { code, openid: openidFor(json.name) }];
    }
    if (method === 'POST' && path === '/sandbox/pay/confirm') {
      const tx = json.prepay_id ? txByPrepay.get(json.prepay_id) : txByOutNo.get(json.out_trade_no);
      if (!tx) throw new HttpError(404, 'ORDER_NOT_EXIST', 'prepay_id: 无此预支付交易');
      if (tx.trade_state === 'CLOSED') throw new HttpError(400, 'ORDER_CLOSED', '订单已关闭');
      if (tx.trade_state === 'NOTPAY') {
        tx.trade_state = 'SUCCESS';
        tx.transaction_id = '4200' + digits(24);
        tx.success_time = shanghaiIso();
        const record = await notify('TRANSACTION.SUCCESS', '支付成功', tx.out_trade_no, tx.notify_url, 'transaction', transactionView(tx));
        return [200, { out_trade_no: tx.out_trade_no, transaction_id: tx.transaction_id, notify: { delivered: record.delivered, attempts: record.attempts } }];
      }
      // Already paid: confirming again is harmless and reports the first notify.
      const record = notifications.find((n) => n.event_type === 'TRANSACTION.SUCCESS' && n.key === tx.out_trade_no);
      return [200, { out_trade_no: tx.out_trade_no, transaction_id: tx.transaction_id, notify: record ? { delivered: record.delivered, attempts: record.attempts } : null }];
    }
    if (method === 'POST' && path === '/sandbox/notify/resend') {
      // Delivers an earlier notify again, as WeChat may (duplicates happen).
      const record = [...notifications].reverse().find((n) => n.key === json.key && (!json.event_type || n.event_type === json.event_type));
      if (!record) throw new HttpError(404, 'NOT_FOUND', 'key: 无此通知');
      const times = Number.isInteger(json.times) && json.times > 0 ? Math.min(json.times, 20) : 1;
      const results: NotifyAttempt[] = [];
      for (let i = 0; i < times; i++) results.push(await attempt(record));
      return [200, { id: record.id, attempts: results }];
    }
    if (method === 'POST' && path === '/sandbox/transfer/confirm') {
      // The user accepting the transfer in wx.requestMerchantTransfer.
      const t = json.out_bill_no ? transfers.get(json.out_bill_no) : [...transfers.values()].find((x) => x.package_info === json.package_info);
      if (!t) throw new HttpError(404, 'NOT_FOUND', 'out_bill_no: 无此转账单');
      if (t.state !== 'WAIT_USER_CONFIRM') throw new HttpError(400, 'INVALID_REQUEST', `转账单状态为 ${t.state}`);
      t.state = json.fail ? 'FAIL' : 'SUCCESS';
      if (json.fail) t.fail_reason = String(json.fail);
      t.update_time = shanghaiIso();
      const record = t.notify_url ? await finishTransferNotify(t) : null;
      return [200, { ...transferView(t), notify: record ? { delivered: record.delivered, attempts: record.attempts } : null }];
    }
    if (method === 'GET' && path === '/sandbox/messages') {
      const to = query.get('touser');
      return [200, { messages: to ? messages.filter((m) => m.touser === to) : messages }];
    }
    if (method === 'GET' && path === '/sandbox/notifications') {
      const key = query.get('key');
      return [200, { notifications: (key ? notifications.filter((n) => n.key === key) : notifications).map(({ body, ...n }) => n) }];
    }
    if (method === 'POST' && path === '/sandbox/faults') {
      // {rules: FaultRule[]} adds rules; {clear: true} removes every rule.
      if (json.clear) faults.length = 0;
      for (const r of Array.isArray(json.rules) ? json.rules : []) {
        need(typeof r.path === 'string' && ['status500', 'timeout', 'drop', 'lost'].includes(r.mode) && Number.isInteger(r.times), 'rules');
        faults.push({ method: r.method, path: r.path, includes: r.includes, mode: r.mode, times: r.times });
      }
      return [200, { faults }];
    }
    if (method === 'GET' && path === '/sandbox/transactions') {
      return [200, { transactions: [...txByOutNo.values()].map(transactionView) }];
    }
    throw new HttpError(404, 'NOT_FOUND', `${method} ${path}: 无此接口`);
  }

  // ----------------------------------------------------------------- http

  async function route(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const q = url.searchParams;
    const sendJson = (status: number, data: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(data));
    };

    if (path.startsWith('/v3/')) {
      const record: PayRequestRecord = { at: Date.now(), method, path, body: raw, outcome: 'answered' };
      payRequests.push(record);
      const fault = faults.find(
        (f) => f.times > 0 && (!f.method || f.method === method) && new RegExp(f.path).test(path) && (!f.includes || path.includes(f.includes) || raw.includes(f.includes)),
      );
      if (fault) {
        fault.times--;
        record.outcome = fault.mode;
        log(`fault ${fault.mode}: ${method} ${path}`);
        if (fault.mode === 'status500') {
          record.status = 500;
          res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }));
          return;
        }
        if (fault.mode === 'drop') {
          req.socket.destroy();
          return;
        }
        if (fault.mode === 'timeout') return; // never answered; closed with the server
      }
      let status: number;
      let data: unknown;
      try {
        [status, data] = await payApi(method, path, q, raw, req.headers.authorization);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        [status, data] = [err.status, { code: err.code, message: err.message }];
      }
      record.status = status;
      if (fault?.mode === 'lost') {
        // Done at WeChat; the answer is cut off after its first bytes (so no client retries the request by itself).
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '4096' });
        res.write('{"');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      const body = data === null ? '' : JSON.stringify(data);
      const headers = await signResponse(platformKey, identity.platformSerial, body);
      res.writeHead(status, { ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), 'Request-ID': crypto.randomUUID(), ...headers });
      res.end(body);
      return;
    }

    if (path.startsWith('/sandbox/')) {
      let json: any = {};
      try {
        json = raw ? JSON.parse(raw) : {};
      } catch {
        return sendJson(400, { code: 'PARAM_ERROR', message: 'body: 不是合法的 JSON' });
      }
      try {
        const [status, data] = await sandboxApi(method, path, q, json);
        return sendJson(status, data);
      } catch (err) {
        if (err instanceof HttpError) return sendJson(err.status, { code: err.code, message: err.message });
        throw err;
      }
    }

    // Mini-program server APIs answer 200 with errcode, like WeChat.
    if (method === 'GET' && path === '/sns/jscode2session') {
      const appErr = checkApp(q.get('appid'), q.get('secret'));
      if (appErr) return sendJson(200, appErr);
      if (q.get('grant_type') !== 'authorization_code') return sendJson(200, { errcode: 40002, errmsg: 'invalid grant_type' });
      const code = q.get('js_code') ?? '';
      let name: string | null = null;
      const fixed = code.match(/^sandbox:(.{1,64})$/);
      if (fixed) name = fixed[1];
      else {
        const entry = singleUseCodes.get(code);
        if (!entry || entry.expiresAt < Date.now()) return sendJson(200, { errcode: 40029, errmsg: 'invalid code' });
        if (entry.used) return sendJson(200, { errcode: 40163, errmsg: 'code been used' });
        entry.used = true;
        name = entry.name;
      }
      const openid = openidFor(name);
      const unionid = unionidFor(name);
      users.set(openid, { name, unionid });
      return sendJson(200, { openid, unionid, session_key: randomBytes(16).toString('base64') });
    }
    if (method === 'GET' && path === '/cgi-bin/token') {
      if (q.get('grant_type') !== 'client_credential') return sendJson(200, { errcode: 40002, errmsg: 'invalid grant_type' });
      const appErr = checkApp(q.get('appid'), q.get('secret'));
      if (appErr) return sendJson(200, appErr);
      return sendJson(200, newToken());
    }
    if (method === 'POST' && path === '/cgi-bin/stable_token') {
      let json: any;
      try {
        json = JSON.parse(raw);
      } catch {
        return sendJson(200, { errcode: 47001, errmsg: 'data format error' });
      }
      if (json.grant_type !== 'client_credential') return sendJson(200, { errcode: 40002, errmsg: 'invalid grant_type' });
      const appErr = checkApp(json.appid, json.secret);
      if (appErr) return sendJson(200, appErr);
      if (json.force_refresh || !stableToken || stableToken.expiresAt < Date.now()) {
        const t = newToken();
        stableToken = { value: t.access_token, expiresAt: Date.now() + t.expires_in * 1000 };
      }
      return sendJson(200, { access_token: stableToken.value, expires_in: Math.floor((stableToken.expiresAt - Date.now()) / 1000) });
    }
    if (method === 'POST' && path === '/cgi-bin/message/subscribe/send') {
      const tokenErr = checkToken(q);
      if (tokenErr) return sendJson(200, tokenErr);
      let json: any;
      try {
        json = JSON.parse(raw);
      } catch {
        return sendJson(200, { errcode: 47001, errmsg: 'data format error' });
      }
      return sendJson(200, subscribeSend(json));
    }
    if (method === 'POST' && path === '/wxa/getwxacodeunlimit') {
      const tokenErr = checkToken(q);
      if (tokenErr) return sendJson(200, tokenErr);
      let json: any;
      try {
        json = JSON.parse(raw);
      } catch {
        return sendJson(200, { errcode: 47001, errmsg: 'data format error' });
      }
      if (typeof json.scene !== 'string' || !SCENE.test(json.scene)) return sendJson(200, { errcode: 40129, errmsg: 'invalid scene' });
      if (json.page !== undefined && (typeof json.page !== 'string' || json.page.startsWith('/'))) {
        return sendJson(200, { errcode: 41030, errmsg: 'invalid page' });
      }
      const width = json.width === undefined ? 430 : Number(json.width);
      if (!Number.isInteger(width) || width < 280 || width > 1280) return sendJson(200, { errcode: 40097, errmsg: 'invalid args: width' });
      const seed = createHash('sha256').update(`${json.page ?? ''}?${json.scene}`).digest();
      const png = sceneCodePng(seed, width);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
      res.end(png);
      return;
    }
    sendJson(404, { errcode: 404, errmsg: `${method} ${path}: not found` });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      route(req, raw, res).catch((err) => {
        log(`error ${req.method} ${req.url}: ${(err as Error).stack}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }));
      });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 54330, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  log(`WeChat sandbox on ${url}`);

  return {
    url,
    port,
    identity,
    notifications,
    messages,
    payRequests,
    faults,
    refundsMade: () => [...refunds.values()].map((r) => ({ out_refund_no: r.out_refund_no, out_trade_no: r.out_trade_no, refund: r.refund, status: r.status })),
    transfersMade: () => [...transfers.values()].map((t) => ({ out_bill_no: t.out_bill_no, transfer_amount: t.transfer_amount, state: t.state })),
    openidFor,
    close: () =>
      new Promise<void>((done) => {
        closed = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
