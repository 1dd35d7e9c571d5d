// Request/response contract of the `api` edge function as the mini-program
// uses it. The client calls
//   supabase.functions.invoke('api', { body: { action, ...params } })
// and the server answers 200 with the response type below, or 4xx with
// `ApiErrorBody`.
//
// Rules that every action follows:
// - Money is integer fen (`Fen`) in every payload, both directions. Ratios are
//   percent strings with at most 2 decimals ("130", "12.5"). No floats.
// - Points and love value are integer units (the server owns their rate).
// - Times are ISO 8601 strings with offset; dates are "YYYY-MM-DD"
//   (Asia/Shanghai).
// - The caller is the signed-in user of the Authorization header (session
//   from the `wechat-login` function). "my"/"me" always means that user.
// - Another shopper's identity is never sent unmasked: only `maskedName`
//   ("张**": the first character + "**", "微信用户**3") and an avatar the server has cleared for display,
//   or null. Ids of other users are never sent.
// - Lists page with `cursor` (opaque string from the previous `nextCursor`)
//   and `limit` (server default 20, max 50). `nextCursor: null` = last page.
// - An estimate is an estimate: the server labels nothing as guaranteed and
//   the client prints it as 预计…（仅供参考）.
// - Error `message` is user-facing Simplified Chinese; `field` names the
//   offending request field (dot path) or is null.
//
// This file is self-contained (no imports) on purpose: Deno edge functions
// import it relatively, the app as `@contract` (tsconfig, jest, Taro alias). Its aliases are
// structurally identical to src/domain (Fen, Ratio, DisplaySettings, ...);
// test/components/contract.test.ts checks that they stay assignable.
// Keep action names stable; add fields as optional when extending.

export type Fen = number;
export type Ratio = string;
export type IsoTime = string;
export type IsoDate = string;
export type Platform = 'weapp' | 'h5';

export type EntryStatus = 'waiting' | 'done' | 'exchanged' | 'converted' | 'cleared' | 'cancelled';
export type RewardKind = 'direct' | 'indirect' | 'levelDiff' | 'sameLevel' | 'dividend' | 'recruit' | 'acceleration';
export type RewardStatus = 'frozen' | 'available' | 'cancelled';

/** Same shape as src/domain/settings.ts DisplaySettings (SPEC §7). */
export interface DisplaySettings {
  /** 队列ID and the 进程 button to the queue progress list. */
  queueId: boolean;
  /** 队列进程: the progress bar. */
  progress: boolean;
  /** 累计奖励: what an entry has received so far (`paid`). */
  cumulativeReward: boolean;
  /** 待奖励: the entry's total entitlement (待返权益). */
  pendingReward: boolean;
  /** 会员信息: masked nickname and avatar. */
  memberInfo: boolean;
  /** 待奖励金额: what is still waiting (`entitlement - paid`). */
  pendingAmount: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageParams {
  cursor?: string | null;
  limit?: number;
}

export interface ApiErrorBody {
  error: {
    /** Request field (dot path) at fault, or null for a general error. */
    field: string | null;
    /** Simplified Chinese, shown to the user as is. */
    message: string;
    /** Optional machine code, e.g. "unauthenticated", "not_found", "insufficient_balance". */
    code?: string;
  };
}

// ---------------------------------------------------------------- shared views

/**
 * An honest projection, never a promise (src/domain/forecast.ts, util.forecast):
 * the amount still to flow in ÷ the queue's trailing 7-day inflow, as a
 * date range from the daily variance, with its basis in words.
 */
export interface Estimate {
  /** `estimate`; `noInflow` (nothing flowed into the queue in the window); `paused` (rewards paused). */
  status?: 'estimate' | 'noInflow' | 'paused';
  /** Days from today until filled at the mean inflow; null = no estimate. */
  days: number | null;
  /** The expected date; null when `days` is null. */
  date: IsoDate | null;
  /** Optimistic and pessimistic days (daysHigh null: open-ended). */
  daysLow?: number | null;
  daysHigh?: number | null;
  /** The range the payout is projected to complete in (dateTo null: "or later"). */
  dateFrom?: IsoDate | null;
  dateTo?: IsoDate | null;
  /** Mean extraction per day flowing into the queue over the window (fen). */
  inflowPerDay?: Fen | null;
  /** The basis in words, e.g. "按近7日日均流入 ¥12.00 估算，仅供参考". */
  basis?: string;
  /** How it was computed: "trailing7d" (trailing 7-day inflow of the queue). */
  method: string;
}

/** Frozen wallet money that unlocks on one date (the end of its orders' after-sales period). */
export interface FrozenUnlock {
  /** Null when the order has no after-sales end yet. */
  date: IsoDate | null;
  /** Queue payouts and promotion rewards in it, and their sum. */
  queue: Fen;
  reward: Fen;
  amount: Fen;
}

export type LotteryView = { kind: 'fixed'; ratios: Ratio[] } | { kind: 'range'; min: Ratio; max: Ratio };

/** What buying (or paying) now would put in the queue, for one unit at the shown price. */
export interface QueuePreview {
  /** False when queue rebate is off for this product/cashier or the plugin is off. */
  enabled: boolean;
  queueKey: string;
  /** Display name of the queue, e.g. "商品队列·有机大米" or "收银台·一号店". */
  queueName: string;
  /** The reward ratio this user would get now (§4 chain). */
  ratio: Ratio;
  /** pct(price, ratio) for the base shown; for a cashier, for 10000 fen (100 yuan). */
  entitlement: Fen;
  /** The base `entitlement` was computed on. */
  base: Fen;
  extractRatio: Ratio;
  /** Entries waiting in the queue now. */
  waitingCount: number;
  /** Sum of remaining entitlement of all waiting entries (what a new entry waits behind). */
  amountAhead: Fen;
  /** Lottery the entry could be drawn with after payment, or null. */
  lottery: LotteryView | null;
  /** Estimate for a new entry joining now, or null. */
  estimate: Estimate | null;
  /** Queue rewards paused by the operator (entries still join). */
  paused: boolean;
}

export type ProductSource = 'self' | 'supplier' | 'supplyChain' | 'store';

export interface ProductCard {
  id: string;
  title: string;
  image: string | null;
  price: Fen;
  marketPrice: Fen | null;
  sales: number;
  source: ProductSource;
  /** Null when queue rebate is off for the product. */
  queueRatio: Ratio | null;
}

export interface Category {
  id: string;
  name: string;
  icon: string | null;
  parentId: string | null;
}

/** One queue entry of the signed-in user. */
export interface MyEntry {
  entryId: string;
  queueKey: string;
  queueName: string;
  /** Position number in its queue (the queue ID shown when display.queueId). */
  seq: number;
  orderId: string;
  lineIndex: number;
  title: string;
  image: string | null;
  base: Fen;
  ratio: Ratio;
  entitlement: Fen;
  /** Received so far (frozen or available). */
  paid: Fen;
  /** entitlement - paid while waiting; 0 otherwise. */
  pending: Fen;
  status: EntryStatus;
  joinedAt: IsoTime;
  /** 1-based rank among the queue's waiting entries in payout order; null unless waiting. */
  position: number | null;
  /** Remaining entitlement of waiting entries ahead of this one; null unless waiting. */
  amountAhead: Fen | null;
  estimate: Estimate | null;
  /** Lottery still available for this entry (waiting, nothing received, not drawn). */
  canDraw: boolean;
  lottery: LotteryView | null;
  /** Ratio drawn by the lottery, if any (it replaced the original ratio). */
  drawnRatio: Ratio | null;
  canExchange: boolean;
  /** Set when status is exchanged/converted: what the entry became. */
  exchangedTo: { to: ExchangeTarget; amount: number } | null;
}

export type ExchangeTarget = 'points' | 'love' | 'coupon';

export type PaymentParams =
  /** weapp: pass to Taro.requestPayment as is (minus `kind`). */
  | { kind: 'wechat'; timeStamp: string; nonceStr: string; package: string; signType: 'RSA' | 'MD5' | 'HMAC-SHA256'; paySign: string }
  /** h5 / sandbox: confirm with `pay.sandboxConfirm`. */
  | { kind: 'sandbox'; paymentId: string }
  /** Nothing to pay (fully deducted); the order is already paid. */
  | { kind: 'none' };

export type OrderStatus = 'unpaid' | 'paid' | 'completed' | 'refunding' | 'refunded' | 'closed';

export interface OrderLine {
  productId: string | null;
  title: string;
  image: string | null;
  price: Fen;
  quantity: number;
  /** Cash actually paid on this line after deductions (the entry base). */
  paid: Fen;
}

export interface OrderSummary {
  orderId: string;
  kind: 'mall' | 'cashier';
  status: OrderStatus;
  /** Store name for cashier orders, first line title for mall orders. */
  title: string;
  image: string | null;
  itemCount: number;
  payable: Fen;
  createdAt: IsoTime;
}

export interface OrderDetail extends OrderSummary {
  lines: OrderLine[];
  goodsTotal: Fen;
  pointsUsed: number;
  pointsDeduction: Fen;
  loveUsed: number;
  loveDeduction: Fen;
  couponDeduction: Fen;
  paidAt: IsoTime | null;
  completedAt: IsoTime | null;
  /** Queue entries this order created (one per line; may be empty). */
  entries: MyEntry[];
  canRefund: boolean;
  refund: { status: 'pending' | 'approved' | 'rejected'; reason: string; createdAt: IsoTime; rejectReason: string | null } | null;
  /** Only for status unpaid: pay again with orders.pay. */
  canPay: boolean;
}

export interface CheckoutLineInput {
  productId: string;
  quantity: number;
}

export interface CheckoutInput {
  lines: CheckoutLineInput[];
  usePoints: boolean;
  useLove: boolean;
  useCoupon: boolean;
}

export interface CheckoutPreview {
  lines: (OrderLine & { queue: QueuePreview | null })[];
  goodsTotal: Fen;
  /** Balances the user has, and what this order would use of them. */
  points: { balance: number; used: number; deduction: Fen };
  love: { balance: number; used: number; deduction: Fen };
  coupon: { balance: Fen; deduction: Fen };
  payable: Fen;
  /** "noJoin": lines paid with a deduction get no entry (SPEC §3.1). */
  deductionOrders: 'join' | 'noJoin';
}

export type WalletHistoryKind =
  | 'queuePayout'
  | 'reward'
  | 'unfreeze'
  | 'withdraw'
  | 'withdrawFee'
  | 'withdrawReturn'
  | 'refund'
  | 'adjust';

/** One posting on a merchant's settlement account. */
export interface MerchantStatementItem {
  id: string;
  kind: 'sale' | 'settled' | 'refund' | 'withdraw' | 'withdrawReturn' | 'adjust';
  /** Positive fen; `direction` says in or out. */
  amount: Fen;
  direction: 'in' | 'out';
  balance: 'available' | 'frozen';
  title: string;
  orderId: string | null;
  createdAt: IsoTime;
}

export interface WalletHistoryItem {
  id: string;
  kind: WalletHistoryKind;
  /** Positive fen; `direction` says in or out. */
  amount: Fen;
  direction: 'in' | 'out';
  balance: 'available' | 'frozen';
  /** Short Chinese description, e.g. "队列返还·有机大米". */
  title: string;
  orderId: string | null;
  createdAt: IsoTime;
}

export type WithdrawalStatus = 'reviewing' | 'approved' | 'paid' | 'rejected';

export type NotificationKind =
  | 'entryJoined'
  | 'payoutReceived'
  | 'entryDone'
  | 'lotteryDrawn'
  | 'converted'
  | 'clearingSoon'
  | 'clearingDone'
  | 'rewardCredited'
  | 'withdrawalResult'
  | 'transferSent'
  | 'transferReceived'
  | 'merchantReview'
  | 'system';

export interface InboxMessage {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  read: boolean;
  createdAt: IsoTime;
  /** Mini-program page path to open, e.g. "/packages/queue/pages/entry/index?id=e1", or null. */
  link: string | null;
  /** Figures the client formats itself, by kind (clearingSoon, clearingDone); null for other kinds. */
  data?: ClearingNoticeData | null;
}

/**
 * A clearing notice: the occurrence, the member's entries it concerns and
 * their unpaid remainder in fen (clearingSoon: still waiting, voided at `at`;
 * clearingDone: voided at `at`).
 */
export interface ClearingNoticeData {
  at: IsoTime;
  entries: number;
  amount: number;
}

export interface MemberRow {
  maskedName: string;
  avatarUrl: string | null;
  joinedAt: IsoTime;
  /** Completed orders of that member (a count, no amounts of theirs). */
  orderCount: number;
}

export type MerchantStatus = 'none' | 'pending' | 'approved' | 'rejected';

export interface MerchantApplication {
  storeName: string;
  contactName: string;
  phone: string;
  address: string;
  category: string;
  licenseNo: string;
  intro: string;
}

export interface CashierCode {
  cashierId: string;
  name: string;
  /** Scene of the QR code (= cashier id). */
  scene: string;
  /** Mini-program page the code opens. */
  path: string;
  /** weapp: unlimited mini-program code as base64 PNG (no data: prefix); null in h5. */
  wxacodeBase64: string | null;
  /** h5: URL the client renders as a QR code. */
  url: string;
}

export interface UserProfile {
  /** Own id (never someone else's). */
  id: string;
  nickname: string;
  avatarUrl: string | null;
  level: string | null;
  levelName: string | null;
  hasReferrer: boolean;
  isPromoter: boolean;
  merchantStatus: MerchantStatus;
}

// -------------------------------------------------------------------- actions

/**
 * action name → request params (besides `action`) and 200 response.
 * The server must reject an unknown action with 400 { error: { field: "action" } }.
 */
export interface ApiActions {
  // ---- user / settings
  'user.profile': {
    req: Record<string, never>;
    res: { user: UserProfile; counts: { unpaidOrders: number; waitingEntries: number; unreadMessages: number } };
  };
  /** Feature name, exchange button name and display toggles (SPEC §7). Public. */
  'settings.display': {
    req: Record<string, never>;
    res: {
      name: string;
      exchangeButtonName: string;
      display: DisplaySettings;
      mode: 'classic' | 'union';
      paused: boolean;
      lotteryOn: boolean;
      exchangeRatio: { points: Ratio; love: Ratio; coupon: Ratio };
      loveFrozen: boolean;
    };
  };

  // ---- catalog (public)
  'catalog.home': {
    req: Record<string, never>;
    res: {
      banners: { id: string; image: string; title: string; link: string | null }[];
      notice: string | null;
      categories: Category[];
      recommended: ProductCard[];
    };
  };
  'catalog.categories': {
    req: Record<string, never>;
    res: { categories: Category[] };
  };
  'catalog.products': {
    req: PageParams & { categoryId?: string; keyword?: string; sort?: 'default' | 'sales' | 'priceAsc' | 'priceDesc' };
    res: Page<ProductCard>;
  };
  'catalog.product': {
    req: { productId: string };
    res: {
      product: ProductCard & {
        images: string[];
        description: string;
        stock: number;
        store: { id: string; name: string } | null;
      };
      /** For the signed-in user (member level counts); anonymous → base chain. */
      queue: QueuePreview | null;
    };
  };

  // ---- orders
  'orders.preview': {
    req: CheckoutInput;
    res: CheckoutPreview;
  };
  /** Creates the order (unpaid) and its payment. */
  'orders.checkout': {
    req: CheckoutInput & { platform: Platform; remark?: string };
    res: { orderId: string; payable: Fen; payment: PaymentParams };
  };
  /** Payment params again for an unpaid order. */
  'orders.pay': {
    req: { orderId: string; platform: Platform };
    res: { orderId: string; payable: Fen; payment: PaymentParams };
  };
  'orders.list': {
    req: PageParams & { status?: OrderStatus | 'all' };
    res: Page<OrderSummary>;
  };
  'orders.detail': {
    req: { orderId: string };
    res: { order: OrderDetail };
  };
  /** Refund request for a paid, not completed order (whole order). */
  'orders.refund': {
    req: { orderId: string; reason: string };
    res: { orderId: string; status: 'refunding' };
  };

  // ---- cashier (扫码买单)
  'cashier.info': {
    req: { cashierId: string };
    res: {
      cashier: { id: string; name: string; storeId: string; storeName: string; storeLogo: string | null; storeAddress: string | null };
      queue: QueuePreview | null;
    };
  };
  'cashier.pay': {
    req: { cashierId: string; amount: Fen; platform: Platform; remark?: string };
    res: { orderId: string; payable: Fen; payment: PaymentParams };
  };

  // ---- payment sandbox (h5 / dev only; 403 in production)
  'pay.sandboxConfirm': {
    req: { paymentId: string };
    res: { orderId: string; status: 'paid' };
  };

  // ---- queue
  'queue.myEntries': {
    req: PageParams & { status?: 'waiting' | 'finished' | 'all'; queueKey?: string };
    res: Page<MyEntry> & {
      /** entitlement (总权益) = paid (已返) + pending (待返), over the caller's entries that are not cancelled. */
      summary: { waitingCount: number; entitlement: Fen; paid: Fen; pending: Fen };
    };
  };
  'queue.entry': {
    req: { entryId: string };
    res: { entry: MyEntry };
  };
  /**
   * The public progress list of one queue in payout order, waiting entries
   * first. Fields hidden by the display toggles are omitted by the server;
   * other members are masked.
   */
  'queue.progress': {
    req: PageParams & { queueKey: string };
    res: Page<QueueRow> & {
      queue: { key: string; name: string; waitingCount: number; pending?: Fen };
      display: DisplaySettings;
    };
  };
  /** Draws once (server side) for a waiting entry that has received nothing. */
  'queue.draw': {
    req: { entryId: string };
    res: { entryId: string; previousRatio: Ratio; ratio: Ratio; entitlement: Fen; lottery: LotteryView };
  };
  'queue.exchangePreview': {
    req: { entryId: string };
    res: {
      entryId: string;
      /** What would be converted: the remaining entitlement. */
      pending: Fen;
      options: { to: ExchangeTarget; ratio: Ratio; amount: number; frozen: boolean }[];
    };
  };
  'queue.exchange': {
    req: { entryId: string; to: ExchangeTarget };
    res: { entryId: string; to: ExchangeTarget; amount: number; status: 'exchanged' };
  };

  // ---- union queue mode (工会排队, SPEC §5)
  /** The pool and the platform's union settings (public: the product and checkout pages show them). */
  'union.overview': {
    req: Record<string, never>;
    res: UnionOverview;
  };
  /** The caller's union entries (waiting first, in queue order; at most 50) and totals. */
  'union.myEntries': {
    req: { status?: 'waiting' | 'finished' | 'all' };
    res: { items: UnionEntry[]; summary: { waitingCount: number; quota: Fen; paid: Fen; pending: Fen } };
  };
  'union.entry': {
    req: { seq: string };
    res: { entry: UnionEntry };
  };

  // ---- wallet
  'wallet.summary': {
    req: Record<string, never>;
    res: {
      available: Fen;
      frozen: Fen;
      /** When each part of `frozen` unlocks, earliest first. */
      frozenUnlocks?: FrozenUnlock[];
      /** Under review or being paid. */
      withdrawing: Fen;
      points: number;
      love: { available: number; frozen: number };
      coupon: Fen;
      withdrawRule: { minAmount: Fen; maxAmount: Fen; feeRatio: Ratio; minFee: Fen };
    };
  };
  'wallet.history': {
    req: PageParams & { balance?: 'available' | 'frozen' | 'all' };
    res: Page<WalletHistoryItem>;
  };
  'wallet.withdraw': {
    /** `from`: the caller's wallet (default) or their store's merchant account. */
    req: { amount: Fen; from?: 'wallet' | 'merchant' };
    res: { withdrawalId: string; amount: Fen; fee: Fen; net: Fen; status: WithdrawalStatus };
  };
  'wallet.withdrawals': {
    req: PageParams;
    res: Page<{ withdrawalId: string; amount: Fen; fee: Fen; net: Fen; status: WithdrawalStatus; createdAt: IsoTime; reason: string | null; from?: 'wallet' | 'merchant' }>;
  };

  // ---- transfer (转让 of points and love value between members, by member code)
  /** Confirmation step: whom a member code names, masked. 404 on `code` for an unknown code, 400 for one's own. */
  'transfer.lookup': {
    req: { code: string };
    res: { recipient: TransferRecipient };
  };
  /**
   * Moves `amount` (a positive integer) of points or available love to the
   * member of `code`. `requestId` (8–64 of [A-Za-z0-9_-], one per attempt) makes
   * it idempotent: the same id again answers the first result with `replayed: true`.
   */
  'transfer.send': {
    req: { code: string; kind: TransferKind; amount: number; requestId: string };
    res: { transferId: string; kind: TransferKind; amount: number; recipient: TransferRecipient; createdAt: IsoTime; replayed: boolean; balance: number };
  };
  /** Sent and received, newest first; the caller's own code, balances and today's limit. */
  'transfer.list': {
    req: PageParams;
    res: Page<TransferItem> & {
      myCode: string;
      balances: Record<TransferKind, number>;
      dailyLimit: Record<TransferKind, number>;
      usedToday: Record<TransferKind, number>;
    };
  };

  // ---- promoter (推广)
  'promoter.inviteCode': {
    req: { platform: Platform };
    res: {
      /** Scene carried by the QR code (≤ 32 chars), e.g. "i=AB12CD". */
      scene: string;
      path: string;
      /** weapp: unlimited mini-program code as base64 PNG (no data: prefix); null in h5. */
      wxacodeBase64: string | null;
      /** h5: share URL the client renders as a QR code. */
      url: string;
      /**
       * The merchant invite: scene "m=<code>" on the merchant application page,
       * which sends it as `recruiterScene` (the recruiter is bound to the application).
       */
      merchantInvite: { scene: string; path: string; wxacodeBase64: string | null; url: string };
    };
  };
  /** Binds the caller to the referrer of an invite scene, once, for ever. */
  'promoter.bind': {
    req: { scene: string };
    res: { bound: boolean; referrer: { maskedName: string } | null; reason: 'bound' | 'alreadyBound' | 'self' | 'registered' | 'invalid' };
  };
  'promoter.team': {
    req: PageParams & { tier: 'direct' | 'indirect' };
    res: Page<MemberRow> & { counts: { direct: number; indirect: number } };
  };
  'promoter.rewards': {
    req: PageParams;
    res: Page<{ id: string; kind: RewardKind; amount: Fen; status: RewardStatus; orderId: string; fromMaskedName: string; createdAt: IsoTime }> & {
      totals: { frozen: Fen; available: Fen; cancelled: Fen };
    };
  };

  // ---- merchant (商家)
  'merchant.apply': {
    req: MerchantApplication & { recruiterScene?: string };
    res: { applicationId: string; status: 'pending' };
  };
  'merchant.status': {
    req: Record<string, never>;
    res: {
      status: MerchantStatus;
      application: (MerchantApplication & { applicationId: string; createdAt: IsoTime }) | null;
      rejectReason: string | null;
      store: { id: string; name: string; commission: Ratio } | null;
    };
  };
  'merchant.sales': {
    req: { range: 'today' | '7d' | '30d' };
    res: {
      totals: { orderCount: number; amount: Fen };
      daily: { date: IsoDate; orderCount: number; amount: Fen }[];
      recent: { orderId: string; source: 'cashier' | 'online'; amount: Fen; paidAt: IsoTime; buyerMaskedName: string }[];
    };
  };
  'merchant.cashiers': {
    req: { platform: Platform };
    res: { items: CashierCode[] };
  };
  /** 商家结算: the store's settlement account (sales frozen until completion, then available) and its statement. */
  'merchant.account': {
    req: PageParams;
    res: Page<MerchantStatementItem> & {
      storeId: string;
      available: Fen;
      frozen: Fen;
      withdrawing: Fen;
      commission: Ratio;
      withdrawRule: { minAmount: Fen; maxAmount: Fen; feeRatio: Ratio; minFee: Fen };
    };
  };

  // ---- inbox (消息)
  'inbox.list': {
    req: PageParams;
    res: Page<InboxMessage> & { unread: number };
  };
  'inbox.markRead': {
    req: { ids?: string[]; all?: boolean };
    res: { unread: number };
  };
  /** WeChat subscribe-message template ids by kind (kinds without a template are absent). */
  'inbox.templates': {
    req: Record<string, never>;
    res: { templates: Partial<Record<NotificationKind, string>> };
  };
  /** Records the templates the user accepted in Taro.requestSubscribeMessage. */
  'inbox.subscribed': {
    req: { accepted: string[]; rejected: string[] };
    res: { ok: true };
  };
}

export type TransferKind = 'points' | 'love';

export interface TransferRecipient {
  code: string;
  /** First character + `**`. */
  maskedName: string;
}

export interface TransferItem {
  transferId: string;
  direction: 'in' | 'out';
  kind: TransferKind;
  amount: number;
  counterpart: { maskedName: string };
  createdAt: IsoTime;
}

/** One row of the queue progress list; optional fields follow DisplaySettings. */
export interface QueueRow {
  entryId: string;
  /** The signed-in user's own entry. */
  mine: boolean;
  status: EntryStatus;
  /** display.queueId */
  seq?: number;
  /** display.progress: paid / entitlement in percent, 2 decimals, e.g. "35.5". */
  progress?: Ratio;
  /** display.cumulativeReward */
  paid?: Fen;
  /** display.pendingReward */
  entitlement?: Fen;
  /** display.pendingAmount */
  pending?: Fen;
  /** display.memberInfo; masked for everyone but the caller. */
  member?: { maskedName: string; avatarUrl: string | null };
}

export interface UnionOverview {
  mode: 'classic' | 'union';
  /** Quota = paid × quotaRatio%. */
  quotaRatio: Ratio;
  poolRatio: Ratio;
  /** HH:MM (Asia/Shanghai) of the daily run. */
  dailyAt: string;
  accelerationOn: boolean;
  accelerationRatio: Ratio;
  /** The pool now (what carried from the last run). */
  pool: Fen;
  /** Inflow of today's run (yesterday's completed orders), and of the last 7 run days. */
  yesterdayInflow: Fen;
  inflow7: Fen;
  lastRunDate: IsoDate | null;
  waitingCount: number;
  waitingQuota: Fen;
}

/** One union entry of the caller. */
export interface UnionEntry {
  seq: string;
  orderId: string;
  line: number;
  base: Fen;
  ratio: Ratio;
  quota: Fen;
  paid: Fen;
  pending: Fen;
  status: 'waiting' | 'done';
  /** 1 = next in line; null once done. */
  place: number | null;
  /** Quota still owed to the waiting entries ahead; null once done. */
  quotaAhead: Fen | null;
  completedDate: IsoDate;
  /** Not paid by a daily run before this date (minWaitDays). */
  payableDate: IsoDate;
  paidDate: IsoDate | null;
  /** Paid by acceleration (推广加速). */
  accelerated: Fen;
  estimate: Estimate | null;
}

export type ApiAction = keyof ApiActions;
export type ApiRequest<A extends ApiAction> = ApiActions[A]['req'];
export type ApiResponse<A extends ApiAction> = ApiActions[A]['res'];

/** Every action name, for server-side dispatch tables and exhaustiveness checks. */
export const API_ACTIONS = [
  'user.profile',
  'settings.display',
  'catalog.home',
  'catalog.categories',
  'catalog.products',
  'catalog.product',
  'orders.preview',
  'orders.checkout',
  'orders.pay',
  'orders.list',
  'orders.detail',
  'orders.refund',
  'cashier.info',
  'cashier.pay',
  'pay.sandboxConfirm',
  'queue.myEntries',
  'queue.entry',
  'queue.progress',
  'queue.draw',
  'queue.exchangePreview',
  'queue.exchange',
  'union.overview',
  'union.myEntries',
  'union.entry',
  'wallet.summary',
  'wallet.history',
  'wallet.withdraw',
  'wallet.withdrawals',
  'transfer.lookup',
  'transfer.send',
  'transfer.list',
  'promoter.inviteCode',
  'promoter.bind',
  'promoter.team',
  'promoter.rewards',
  'merchant.apply',
  'merchant.status',
  'merchant.sales',
  'merchant.cashiers',
  'merchant.account',
  'inbox.list',
  'inbox.markRead',
  'inbox.templates',
  'inbox.subscribed',
] as const satisfies readonly ApiAction[];

/** Actions callable without a session (catalog browsing, cashier landing). */
export const PUBLIC_ACTIONS: readonly ApiAction[] = [
  'settings.display',
  'catalog.home',
  'catalog.categories',
  'catalog.products',
  'catalog.product',
  'cashier.info',
  'union.overview',
];

// ------------------------------------------------------------- wechat-login

/**
 * Body of the `wechat-login` edge function. weapp: `code` from Taro.login.
 * h5 dev: `code` = "sandbox:<name>" (any name = a stable sandbox user; 403 in
 * production).
 */
export interface WechatLoginRequest {
  code: string;
  platform: Platform;
  /** Invite scene the app was opened with, bound on first login (SPEC §6). */
  inviteScene?: string;
}

export interface WechatLoginResponse {
  session: {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    /** Unix seconds. */
    expires_at: number;
    token_type: 'bearer';
  };
  user: UserProfile;
  isNew: boolean;
}

// Compile-time: API_ACTIONS lists every action of ApiActions.
type MissingAction = Exclude<ApiAction, (typeof API_ACTIONS)[number]>;
export const API_ACTIONS_COMPLETE: [MissingAction] extends [never] ? true : never = true;
