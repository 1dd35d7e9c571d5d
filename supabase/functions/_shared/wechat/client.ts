// HTTP clients for WeChat's servers (or the local sandbox: same wire format,
// different base URL). fetch-based, so usable from Deno and Node.
import { randomNonce } from './encoding.ts';
import {
  type MerchantSigner,
  type PublicKeyRing,
  type RequestPaymentParams,
  signRequest,
  signRequestPayment,
  verifyResponse,
} from './pay.ts';

/** A WeChat API answered with an error (errcode ≠ 0, or a non-2xx Pay v3 status). */
export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${api}: ${code} ${message}`);
    this.name = 'WechatApiError';
  }
}

export interface PayConfig {
  /** https://api.mch.weixin.qq.com in production. */
  baseUrl: string;
  appid: string;
  signer: MerchantSigner;
  platformKeys: PublicKeyRing;
  apiV3Key: string;
  timeoutMs?: number;
}

export interface JsapiPrepayInput {
  description: string;
  out_trade_no: string;
  notify_url: string;
  amount: { total: number; currency?: 'CNY' };
  payer: { openid: string };
  attach?: string;
  time_expire?: string;
}

/** The decrypted resource of TRANSACTION.SUCCESS (and a query's answer). */
export interface Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid: string };
  amount: { total: number; payer_total?: number; currency: string; payer_currency?: string };
}

export interface RefundInput {
  transaction_id?: string;
  out_trade_no?: string;
  out_refund_no: string;
  reason?: string;
  notify_url?: string;
  amount: { refund: number; total: number; currency: 'CNY' };
}

export interface Refund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel: string;
  user_received_account: string;
  success_time?: string;
  create_time: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  funds_account?: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number; currency: string };
}

/** Decrypted resource of REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED. */
export interface RefundNotice {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  success_time?: string;
  user_received_account: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

/** 商家转账 (merchant transfer to the user's WeChat balance), the API since 2025-01. */
export interface TransferInput {
  out_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  notify_url?: string;
  user_recv_perception?: string;
  transfer_scene_report_infos: { info_type: string; info_content: string }[];
}

export type TransferState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED';

export interface TransferBill {
  out_bill_no: string;
  transfer_bill_no: string;
  create_time: string;
  state: TransferState;
  package_info?: string;
  fail_reason?: string;
}

/** Decrypted resource of MCHTRANSFER.BILL.FINISHED. */
export interface TransferNotice {
  out_bill_no: string;
  transfer_bill_no: string;
  state: TransferState;
  mch_id: string;
  transfer_amount: number;
  openid: string;
  fail_reason?: string;
  create_time: string;
  update_time: string;
}

export class WechatPayClient {
  constructor(readonly config: PayConfig) {}

  get mchid(): string {
    return this.config.signer.mchid;
  }

  /** One signed v3 call; the answer's signature is verified before it is trusted. */
  async request<T>(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<{ status: number; data: T }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const authorization = await signRequest(this.config.signer, method, pathAndQuery, text);
    const res = await fetch(this.config.baseUrl.replace(/\/$/, '') + pathAndQuery, {
      method,
      headers: {
        Authorization: authorization,
        Accept: 'application/json',
        'User-Agent': 'queue-rebate-mall',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : text,
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
    });
    const raw = await res.text();
    if (res.status >= 200 && res.status < 300) {
      await verifyResponse(this.config.platformKeys, res.headers, raw);
      return { status: res.status, data: (raw ? JSON.parse(raw) : {}) as T };
    }
    let code = 'HTTP_' + res.status;
    let message = raw.slice(0, 200);
    try {
      const err = JSON.parse(raw) as { code?: string; message?: string };
      code = err.code ?? code;
      message = err.message ?? message;
    } catch {
      // not JSON: keep the raw text
    }
    throw new WechatApiError(`${method} ${pathAndQuery.split('?')[0]}`, res.status, code, message);
  }

  async jsapiPrepay(input: JsapiPrepayInput): Promise<string> {
    const body = { appid: this.config.appid, mchid: this.mchid, ...input, amount: { currency: 'CNY', ...input.amount } };
    const { data } = await this.request<{ prepay_id: string }>('POST', '/v3/pay/transactions/jsapi', body);
    return data.prepay_id;
  }

  requestPayment(prepayId: string): Promise<RequestPaymentParams> {
    return signRequestPayment(this.config.signer, this.config.appid, prepayId);
  }

  async queryByOutTradeNo(outTradeNo: string): Promise<Transaction> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${this.mchid}`;
    return (await this.request<Transaction>('GET', path)).data;
  }

  async close(outTradeNo: string): Promise<void> {
    await this.request('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: this.mchid });
  }

  async refund(input: RefundInput): Promise<Refund> {
    return (await this.request<Refund>('POST', '/v3/refund/domestic/refunds', input)).data;
  }

  async queryRefund(outRefundNo: string): Promise<Refund> {
    return (await this.request<Refund>('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`)).data;
  }

  async transfer(input: TransferInput): Promise<TransferBill> {
    const body = { appid: this.config.appid, ...input };
    return (await this.request<TransferBill>('POST', '/v3/fund-app/mch-transfer/transfer-bills', body)).data;
  }

  async queryTransfer(outBillNo: string): Promise<TransferBill & { transfer_amount?: number; openid?: string }> {
    const path = `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}`;
    return (await this.request<TransferBill>('GET', path)).data;
  }
}

export interface MiniProgramConfig {
  /** https://api.weixin.qq.com in production. */
  baseUrl: string;
  appid: string;
  secret: string;
  timeoutMs?: number;
}

export interface Code2Session {
  openid: string;
  session_key: string;
  unionid?: string;
}

export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

export class MiniProgramClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(readonly config: MiniProgramConfig) {}

  private url(path: string, query: Record<string, string> = {}): string {
    const qs = new URLSearchParams(query).toString();
    return this.config.baseUrl.replace(/\/$/, '') + path + (qs ? `?${qs}` : '');
  }

  private async json<T>(api: string, res: Response): Promise<T> {
    const data = (await res.json()) as T & { errcode?: number; errmsg?: string };
    if (data.errcode) throw new WechatApiError(api, res.status, String(data.errcode), data.errmsg ?? '');
    return data;
  }

  async code2Session(code: string): Promise<Code2Session> {
    const res = await fetch(
      this.url('/sns/jscode2session', { appid: this.config.appid, secret: this.config.secret, js_code: code, grant_type: 'authorization_code' }),
      { signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000) },
    );
    return this.json<Code2Session>('jscode2session', res);
  }

  /** Stable access token (cgi-bin/stable_token), cached until 5 minutes before expiry. */
  async accessToken(forceRefresh = false): Promise<string> {
    const now = Date.now();
    if (!forceRefresh && this.token && this.token.expiresAt - 300_000 > now) return this.token.value;
    const res = await fetch(this.url('/cgi-bin/stable_token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.config.appid, secret: this.config.secret, force_refresh: forceRefresh }),
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
    });
    const data = await this.json<{ access_token: string; expires_in: number }>('stable_token', res);
    this.token = { value: data.access_token, expiresAt: now + data.expires_in * 1000 };
    return data.access_token;
  }

  /** Calls an access-token API, retrying once with a fresh token when WeChat says it expired. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(await this.accessToken());
    } catch (err) {
      if (err instanceof WechatApiError && ['40001', '42001', '40014'].includes(err.code)) {
        return call(await this.accessToken(true));
      }
      throw err;
    }
  }

  sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    return this.withToken(async (token) => {
      const res = await fetch(this.url('/cgi-bin/message/subscribe/send', { access_token: token }), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
      });
      await this.json('subscribe/send', res);
    });
  }

  /** Unlimited mini-program code (PNG bytes) for a scene of at most 32 characters. */
  wxacodeUnlimited(input: { scene: string; page?: string; check_path?: boolean; env_version?: 'release' | 'trial' | 'develop'; width?: number }): Promise<Uint8Array> {
    return this.withToken(async (token) => {
      const res = await fetch(this.url('/wxa/getwxacodeunlimit', { access_token: token }), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
      });
      // Success is an image; an error is JSON.
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        await this.json('getwxacodeunlimit', res);
        throw new WechatApiError('getwxacodeunlimit', res.status, 'NOT_IMAGE', 'no image returned');
      }
      return new Uint8Array(await res.arrayBuffer());
    });
  }
}

/** An out_trade_no / out_refund_no / out_bill_no: 6–32 chars of [A-Za-z0-9_-]. */
export function outNo(prefix: string): string {
  return (prefix + Date.now().toString(36) + randomNonce(12)).slice(0, 32);
}
