// Contract of the `admin` edge function (the operator console's API): every
// action, its request and response types, the permission it needs, the
// operator roles and the permission map. ONE source, imported by
//   - the edge function (supabase/functions/admin): dispatch + the fast
//     permission check before any validation;
//   - the tests (test/stack/admin-*.test.ts, test/db/admin-*.test.ts):
//     every action is found from ADMIN_ACTIONS, never from a hand list, and
//     the database's ops.role_permissions is compared with ROLE_PERMISSIONS;
//   - the console (admin/): route guards and buttons ask `can(role, perm)`.
// The database is the authority: every admin.* SQL function checks the
// caller's current role against ops.role_permissions again.
//
// Calls: POST <functions>/admin  body {action, ...params}
//   Authorization: Bearer <operator access token from auth.signIn>
// (auth.signIn needs no token). 200 → the response type below; 4xx/5xx →
// AdminErrorBody (same shape as the `api` function):
//   400 invalid input (field = dot path), 401 no / expired / forged / shopper
//   token or a revoked session, 403 the role lacks the permission,
//   404 not found, 409 wrong state, 423 account locked (auth.signIn).
//
// Rules: money is integer fen (`Fen`) both ways; ratios are percent strings
// with at most 2 decimals ("130", "12.5"); times ISO 8601 with offset.
// Lists page with `page` (1-based) and `pageSize` (default 20, max 100) and
// answer `{items, total}` (ProTable's shape).
//
// Self-contained on purpose (no imports, no Deno or DOM APIs): Deno and
// Vite both import it as is. Adding an action: one entry in ADMIN_ACTIONS
// (permission; `reads: true` when it changes nothing) + its types in AdminActions (compile-time checked to match),
// its zod schema in supabase/functions/admin/schemas.ts (also checked), and
// its SQL function admin.<area>_<name>(jsonb) in a 11xx migration.

export type Fen = number;
export type Ratio = string;
export type IsoTime = string;
/** YYYY-MM-DD, Asia/Shanghai. */
export type IsoDate = string;

// ------------------------------------------------------------------ roles

export const OPERATOR_ROLES = ['admin', 'finance', 'support'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const ROLE_NAMES: Record<OperatorRole, string> = {
  admin: '管理员',
  finance: '财务',
  support: '客服',
};

/** Named permissions (Ant Design Pro's access.ts style). */
export const PERMISSIONS = [
  'canViewSettings',
  'canEditSettings',
  'canViewCatalog',
  'canEditCatalog',
  'canViewMembers',
  'canEditMembers',
  'canViewMerchants',
  'canEditMerchants',
  'canReviewMerchants',
  'canViewOrders',
  'canReviewRefunds',
  'canViewWithdrawals',
  'canReviewWithdrawals',
  'canResolveAnomalies',
  'canViewQueues',
  'canOperateQueues',
  'canViewAudit',
  'canManageOperators',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_NAMES: Record<Permission, string> = {
  canViewSettings: '查看基础设置',
  canEditSettings: '修改基础设置',
  canViewCatalog: '查看商品与类目',
  canEditCatalog: '编辑商品、类目、轮播图，上传图片',
  canViewMembers: '查看会员',
  canEditMembers: '设置会员等级、编辑等级',
  canViewMerchants: '查看商家、门店、收银台、供应商',
  canEditMerchants: '编辑门店、门店商品、收银台、供应商',
  canReviewMerchants: '审核商家入驻',
  canViewOrders: '查看订单',
  canReviewRefunds: '审核退款',
  canViewWithdrawals: '查看提现',
  canReviewWithdrawals: '审核提现',
  canResolveAnomalies: '处理支付异常',
  canViewQueues: '查看队列',
  canOperateQueues: '暂停/恢复队列、立即清算',
  canViewAudit: '查看操作日志',
  canManageOperators: '管理后台账号',
};

const all = (on: boolean): Record<Permission, boolean> =>
  Object.fromEntries(PERMISSIONS.map((p) => [p, on])) as Record<Permission, boolean>;

/**
 * Role → what it may do. The SQL table ops.role_permissions holds exactly
 * the `true` cells (test/db/admin-permissions.test.ts), and docs/api.md's
 * roles table is generated from it (test/unit/admin-contract.test.ts).
 */
export const ROLE_PERMISSIONS: Record<OperatorRole, Record<Permission, boolean>> = {
  admin: all(true),
  finance: {
    ...all(false),
    canViewSettings: true,
    canViewCatalog: true,
    canViewMembers: true,
    canViewMerchants: true,
    canViewOrders: true,
    canViewWithdrawals: true,
    canReviewWithdrawals: true,
    canResolveAnomalies: true,
    canViewQueues: true,
    canViewAudit: true,
  },
  support: {
    ...all(false),
    canViewSettings: true,
    canViewCatalog: true,
    canViewMembers: true,
    canViewMerchants: true,
    canViewOrders: true,
    canReviewRefunds: true,
    canViewQueues: true,
  },
};

export function can(role: OperatorRole | null | undefined, permission: Permission): boolean {
  return !!role && ROLE_PERMISSIONS[role]?.[permission] === true;
}

/** The permission map of one role, e.g. for the console's access hook. */
export function accessOf(role: OperatorRole | null | undefined): Record<Permission, boolean> {
  return role ? { ...ROLE_PERMISSIONS[role] } : all(false);
}

// ------------------------------------------------------------------ tokens

/** Operator access tokens: `aud` "operator" (shopper tokens carry "authenticated"; neither is accepted by the other side). */
export const OPERATOR_AUDIENCE = 'operator';
/** Failed sign-ins in a row before the account locks, and for how long. */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_LOCK_MINUTES = 15;

// ------------------------------------------------------------------ shapes

export interface AdminErrorBody {
  error: { field: string | null; message: string; code?: string };
}

export interface PageReq {
  /** 1-based. */
  page?: number;
  /** Default 20, max 100. */
  pageSize?: number;
}
export interface PageRes<T> {
  items: T[];
  total: number;
}

export interface OperatorProfile {
  id: string;
  login: string;
  name: string;
  role: OperatorRole;
  access: Record<Permission, boolean>;
}

export type LotteryConfig = { kind: 'fixed'; ratios: Ratio[]; weights?: number[] } | { kind: 'range'; min: Ratio; max: Ratio };

/** Base settings of SPEC §8 (src/domain/settings.ts Settings, structurally). */
export interface BaseSettings {
  mode: 'classic' | 'union';
  enabled: boolean;
  newProductsDefaultOn: boolean;
  deductionOrders: 'join' | 'noJoin';
  settleOn: 'paid' | 'completed';
  queueOrder: 'strict' | 'completedFirst';
  name: string;
  exchangeButtonName: string;
  extractRatio: Ratio;
  defaultRatio: Ratio;
  memberLevelRatios: Record<string, Ratio>;
  lottery: LotteryConfig | null;
  exchangeRatio: { points: Ratio; love: Ratio; coupon: Ratio };
  loveFrozen: boolean;
  mallQueue: boolean;
  allStoresQueue: boolean;
  allCashiersQueue: boolean;
  randomReturn: { on: boolean; cashCount: number; pointsCount: number };
  clearing: { on: boolean; schedule: string };
  paused: boolean;
  display: {
    queueId: boolean;
    progress: boolean;
    cumulativeReward: boolean;
    pendingReward: boolean;
    memberInfo: boolean;
    pendingAmount: boolean;
  };
  emptyQueueFunds: 'platform' | 'reserve';
  afterSalesDays: number;
  unionQuotaRatio: Ratio;
  unionPoolRatio: Ratio;
  unionDailyAt: string;
  distribution: {
    on: boolean;
    base: 'paid' | 'profit';
    directRatio: Ratio;
    indirectRatio: Ratio;
    levelDifference: boolean;
    sameLevelRatio: Ratio;
    dividendRatio: Ratio;
    dividendPeriod: 'monthly' | 'weekly';
    dividendSplit: 'equal' | 'weighted';
    recruitRatio: Ratio;
    accelerationRatio: Ratio;
    cap: Ratio;
  };
}

/** A settings patch: top-level keys replace, the nested objects merge key by key. */
export type SettingsPatch = {
  [K in keyof BaseSettings]?: BaseSettings[K] extends Record<string, unknown> ? Partial<BaseSettings[K]> : BaseSettings[K];
};

/** Mall settings beside the engine's (app.site_content). */
export interface SiteSettings {
  withdrawRule: { minAmount: Fen; maxAmount: Fen; feeRatio: Ratio; minFee: Fen };
  orderPayMinutes: number;
  /** Refunds wait for an operator's review before going to WeChat. */
  refundReview: boolean;
}

export interface SettingsDiffRow {
  /** Dot path, e.g. "distribution.directRatio". */
  path: string;
  before: unknown;
  after: unknown;
}

/** Per-item queue settings {Q} of SPEC §10 (all optional). */
export interface QueueConfig {
  enabled?: boolean;
  extractRatio?: Ratio;
  /** Products only. */
  independentRatio?: Ratio;
  /** Stores, store products, cashiers. */
  defaultRatio?: Ratio;
  memberLevelRatios?: Record<string, Ratio>;
  cumulativeTiers?: { days: number; minSpend: Fen; ratio: Ratio }[];
  lottery?: LotteryConfig | null;
  timeWindows?: { from: string; to: string }[];
  dailyLimit?: number;
  totalLimit?: number;
  /** Stores and cashiers. */
  randomReturn?: { on: boolean; cashCount: number; pointsCount: number };
  minWaitDays?: number;
}

/** One step of the §4 ratio chain for an item: where the ratio would come from, in order. */
export interface RatioChainStep {
  /** e.g. "memberLevel", "cumulativeTiers", "lottery", "independent", "storeDefault", "baseDefault". */
  source: string;
  label: string;
  /** The value at this step, or null when this step is not defined for the item. */
  value: Ratio | Record<string, Ratio> | null;
  /** True for the first defined step (what a shopper without a level gets). */
  applies: boolean;
}

export type ProductSource = 'self' | 'supplier' | 'supplyChain';

export interface AdminProduct {
  id: string;
  title: string;
  source: ProductSource;
  categoryId: string | null;
  price: Fen;
  marketPrice: Fen | null;
  /** Self-operated: cost; supplier / supply chain: the supply price. */
  cost: Fen;
  supplierId: string | null;
  stock: number;
  sales: number;
  onSale: boolean;
  recommended: boolean;
  sort: number;
  images: string[];
  description: string;
  queue: QueueConfig;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface ProductInput {
  /** Absent = create (the server picks an id). */
  id?: string;
  title: string;
  source: ProductSource;
  categoryId?: string | null;
  price: Fen;
  marketPrice?: Fen | null;
  cost: Fen;
  supplierId?: string | null;
  stock: number;
  onSale?: boolean;
  recommended?: boolean;
  sort?: number;
  images?: string[];
  description?: string;
  /** Absent on create: `{enabled: settings.newProductsDefaultOn}`. */
  queue?: QueueConfig;
}

/** A row of a parsed CSV / Excel sheet (供应链批量上架); amounts in fen. */
export interface BulkProductRow {
  title: string;
  price: Fen;
  /** Supply price. */
  cost: Fen;
  stock: number;
  supplierId?: string | null;
  categoryId?: string | null;
  marketPrice?: Fen | null;
  image?: string | null;
  description?: string;
}

export interface AdminCategory {
  id: string;
  name: string;
  icon: string | null;
  parentId: string | null;
  sort: number;
  productCount: number;
}

export interface Banner {
  id: string;
  image: string;
  title: string;
  link: string | null;
}

export interface AdminMemberLevel {
  id: string;
  /** Display name (the id when none is set). */
  name: string;
  /** Member-level reward ratio (§4), or null. */
  ratio: Ratio | null;
  /** Promoter team ratio (§6 level difference), or null. */
  teamRatio: Ratio | null;
  shareholder: boolean;
  rank: number | null;
  memberCount: number;
}

export interface AdminMemberRow {
  id: string;
  nickname: string;
  avatarUrl: string | null;
  levelId: string | null;
  levelName: string | null;
  referrerId: string | null;
  isShareholder: boolean;
  isMerchant: boolean;
  joinedAt: IsoTime;
  orderCount: number;
  available: Fen;
  frozen: Fen;
}

export type OrderStatus = 'unpaid' | 'paid' | 'completed' | 'refunding' | 'refunded' | 'closed';
export type EntryStatus = 'waiting' | 'done' | 'exchanged' | 'converted' | 'cleared' | 'cancelled';

export interface AdminOrderRow {
  id: string;
  kind: 'mall' | 'cashier';
  status: OrderStatus;
  memberId: string;
  memberName: string;
  storeId: string | null;
  title: string;
  goodsTotal: Fen;
  payable: Fen;
  createdAt: IsoTime;
  paidAt: IsoTime | null;
}

export interface AdminEntry {
  entryId: string;
  queueKey: string;
  seq: number;
  orderId: string;
  line: number;
  memberId: string;
  memberName: string;
  base: Fen;
  ratio: Ratio;
  entitlement: Fen;
  paid: Fen;
  status: EntryStatus;
  orderCompleted: boolean;
  joinedAt: IsoTime;
}

export interface LedgerPosting {
  transferId: string;
  key: string;
  kind: string;
  account: string;
  currency: 'CNY' | 'POINTS' | 'LOVE' | 'COUPON';
  amount: number;
  at: IsoTime;
}

export interface AdminOrderDetail extends AdminOrderRow {
  lines: { line: number; kind: string; itemId: string; title: string; price: Fen; quantity: number; amount: Fen; deducted: Fen; paid: Fen }[];
  deductions: { pointsUsed: number; pointsDeduction: Fen; loveUsed: number; loveDeduction: Fen; couponDeduction: Fen };
  payment: { outTradeNo: string; status: string; amount: Fen; transactionId: string | null; paidAt: IsoTime | null } | null;
  refund: RefundRow | null;
  entries: AdminEntry[];
  /** Every ledger posting of the order's transfers (pay, complete, refund). */
  ledger: LedgerPosting[];
  completedAt: IsoTime | null;
  remark: string;
}

export interface RefundRow {
  outRefundNo: string;
  orderId: string;
  memberId: string;
  memberName: string;
  amount: Fen;
  reason: string;
  status: 'pending' | 'processing' | 'succeeded' | 'rejected' | 'failed';
  rejectReason: string | null;
  createdAt: IsoTime;
  reviewedAt: IsoTime | null;
}

export interface WithdrawalRow {
  withdrawalId: string;
  memberId: string;
  memberName: string;
  amount: Fen;
  fee: Fen;
  net: Fen;
  status: 'reviewing' | 'approved' | 'paying' | 'paid' | 'rejected' | 'failed';
  rejectReason: string | null;
  createdAt: IsoTime;
  reviewedAt: IsoTime | null;
}

export interface AnomalyRow {
  id: string;
  kind: string;
  outTradeNo: string | null;
  transactionId: string | null;
  detail: Record<string, unknown>;
  createdAt: IsoTime;
  resolvedAt: IsoTime | null;
  resolvedBy: string | null;
  note: string | null;
}

export interface MerchantApplicationRow {
  applicationId: string;
  memberId: string;
  memberName: string;
  storeName: string;
  contactName: string;
  phone: string;
  address: string;
  category: string;
  licenseNo: string;
  intro: string;
  recruiterId: string | null;
  status: 'pending' | 'approved' | 'rejected';
  rejectReason: string | null;
  storeId: string | null;
  createdAt: IsoTime;
  reviewedAt: IsoTime | null;
}

export interface AdminStore {
  id: string;
  name: string;
  logo: string | null;
  address: string | null;
  phone: string | null;
  commission: Ratio;
  recruiterId: string | null;
  ownerMemberId: string | null;
  queue: QueueConfig;
  cashierCount: number;
  productCount: number;
  createdAt: IsoTime;
}

export interface AdminStoreProduct {
  id: string;
  storeId: string;
  title: string;
  price: Fen;
  cost: Fen;
  stock: number;
  onSale: boolean;
  images: string[];
  description: string;
  queue: QueueConfig;
}

export interface AdminCashier {
  id: string;
  storeId: string;
  name: string;
  queue: QueueConfig;
}

/** What a printable cashier QR code encodes (the console renders the image). */
export interface CashierCodePayload {
  cashierId: string;
  /** Mini-program scene, "c=<id>" (≤ 32 chars). */
  scene: string;
  /** Mini-program page the code opens. */
  path: string;
  /** H5 URL for a plain QR code. */
  url: string;
  /** Mini-program code (PNG base64, no data: prefix) when WeChat answers; null otherwise. */
  wxacodeBase64: string | null;
}

export interface Supplier {
  id: string;
  name: string;
  contactName: string;
  phone: string;
  note: string;
  productCount: number;
}

export interface QueueRowAdmin {
  key: string;
  name: string;
  waitingCount: number;
  /** Sum of remaining entitlement of waiting entries. */
  waitingAmount: Fen;
  reserve: Fen;
  /** The head entry in payout order, or null when nobody waits. */
  head: { entryId: string; seq: number; memberName: string; entitlement: Fen; paid: Fen } | null;
  paused: boolean;
}

export interface AuditRow {
  id: string;
  at: IsoTime;
  operatorId: string | null;
  operatorName: string | null;
  /** The action, e.g. "settings.update". */
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
}

// ------------------------------------------------------------------ liability and compliance (SPEC §9)

/** An estimate of src/domain/forecast.ts (util.forecast). */
export interface ForecastView {
  status: 'estimate' | 'noInflow' | 'paused';
  inflowPerDay: Fen | null;
  days: number | null;
  daysLow: number | null;
  daysHigh: number | null;
  date: IsoDate | null;
  dateFrom: IsoDate | null;
  dateTo: IsoDate | null;
  basis: string;
  method: string;
}

export interface LiabilityQueue {
  key: string;
  name: string;
  waitingCount: number;
  /** Remaining entitlement of waiting entries. */
  outstanding: Fen;
  reserve: Fen;
  /** Paid to entries not cancelled, ever. */
  paidToDate: Fen;
  /** Extraction offered to the queue in each of the last 7 × 24 h (slice 0 = the last 24 h). */
  inflowDaily: Fen[];
  inflowPerDay: Fen | null;
  paused: boolean;
  /** The estimate to clear the queue's tail (outstanding − reserve at the trailing inflow). */
  clear: ForecastView;
  /** Waiting entries projected to be filled within 30 / 90 / 300 days at the mean inflow. */
  within: { d30: number; d90: number; d300: number };
  /** Money owed with no inflow in the window (e.g. a product off sale) or paused. */
  stranded: boolean;
  /** Days to clear beyond the operator's threshold, or no estimate. */
  warning: boolean;
}

export interface LiabilityTotal {
  waitingCount: number;
  outstanding: Fen;
  reserve: Fen;
  paidToDate: Fen;
  inflowDaily: Fen[];
  within: { d30: number; d90: number; d300: number };
  stranded: number;
  strandedAmount: Fen;
  warnings: number;
}

/** A flag of src/domain/compliance.ts as the operator acknowledged it. */
export interface AcknowledgedFlag {
  rule: string;
  subject: string;
  amount: Fen;
  per: 'unit' | '100yuan';
  message: string;
}

// ------------------------------------------------------------------ union queue mode (工会排队)

/** One run day of the union pool (rebate.union_runs): carry = the pool after the run. */
export interface UnionRunDay {
  day: IsoDate;
  /** Net profit of the lines the run counted. */
  netProfit: Fen;
  /** pct(netProfit, unionPoolRatio): what went into the pool. */
  inflow: Fen;
  poolBefore: Fen;
  paidCount: number;
  paidAmount: Fen;
  carry: Fen;
  tickAt: IsoTime;
}

/** rebate.union_run_report of one day. */
export interface UnionRunReport {
  day: IsoDate;
  tickAt: IsoTime;
  netProfit: Fen;
  inflow: Fen;
  poolBefore: Fen;
  paidCount: number;
  paidAmount: Fen;
  carry: Fen;
  /** The first waiting entry the pool did not cover (null: none payable left). */
  stoppedAtSeq: number | null;
  firstPaidSeq: number | null;
  lastPaidSeq: number | null;
  linesCounted: number;
}

export interface UnionPaidEntry {
  seq: number;
  memberId: string;
  memberName: string;
  orderId: string;
  line: number;
  quota: Fen;
  /** Paid into it by accelerations before the run. */
  accelerated: Fen;
  /** Paid by this run: quota − accelerated. */
  amount: Fen;
}

export interface UnionQueueRow {
  /** 1 = the head of the waiting queue. */
  place: number;
  seq: number;
  memberId: string;
  memberName: string;
  orderId: string;
  line: number;
  quota: Fen;
  paid: Fen;
  /** First run day that may pay it (minWaitDays); after today = locked, it keeps its place. */
  payableDay: IsoDate;
  locked: boolean;
  /** Quota waiting ahead of it (rebate.union_estimate). */
  ahead: Fen;
  /** rebate.union_estimate's forecast; null before the first run. */
  estimate: ForecastView | null;
}

// ------------------------------------------------------------------ actions

/**
 * action → {req, res}. `auth.signIn` is the only action without a token.
 */
export interface AdminActions {
  // ---- auth
  'auth.signIn': {
    req: { login: string; password: string };
    res: { accessToken: string; expiresAt: number; operator: OperatorProfile };
  };
  'auth.me': { req: Record<string, never>; res: { operator: OperatorProfile } };
  'auth.signOut': { req: Record<string, never>; res: { ok: true } };
  'auth.changePassword': { req: { oldPassword: string; newPassword: string }; res: { ok: true } };

  // ---- settings (§8)
  'settings.get': {
    req: Record<string, never>;
    res: { settings: BaseSettings; site: SiteSettings; defaults: BaseSettings; updatedAt: IsoTime };
  };
  /** The before/after diff of a patch, nothing saved (the confirm dialog). Validates like update. */
  'settings.preview': {
    req: { patch: SettingsPatch; site?: Partial<SiteSettings> };
    res: { diff: SettingsDiffRow[]; after: BaseSettings; siteAfter: SiteSettings };
  };
  'settings.update': {
    req: { patch: SettingsPatch; site?: Partial<SiteSettings> };
    res: { settings: BaseSettings; site: SiteSettings; diff: SettingsDiffRow[]; auditId: string };
  };
  /** One-click enable for every existing product (queue.enabled = true). */
  'settings.enableAllProducts': { req: Record<string, never>; res: { updated: number } };

  // ---- catalogue
  'catalog.categories': { req: Record<string, never>; res: { items: AdminCategory[] } };
  'catalog.categorySave': {
    req: { id?: string; name: string; icon?: string | null; parentId?: string | null; sort?: number };
    res: { category: AdminCategory };
  };
  'catalog.categoryDelete': { req: { id: string }; res: { ok: true } };
  'catalog.products': {
    req: PageReq & { keyword?: string; categoryId?: string; source?: ProductSource; onSale?: boolean; supplierId?: string };
    res: PageRes<AdminProduct>;
  };
  'catalog.product': { req: { id: string }; res: { product: AdminProduct; ratioChain: RatioChainStep[] } };
  'catalog.productSave': { req: ProductInput; res: { product: AdminProduct } };
  'catalog.productsSetOnSale': { req: { ids: string[]; onSale: boolean }; res: { updated: number } };
  /** 供应链批量上架: valid rows are created (source supplyChain), the others reported; all or nothing per row. */
  'catalog.bulkCreate': {
    req: { rows: BulkProductRow[] };
    res: { created: { row: number; id: string }[]; errors: { row: number; field: string; message: string }[] };
  };
  'catalog.home': { req: Record<string, never>; res: { banners: Banner[]; notice: string | null } };
  'catalog.homeSave': { req: { banners: Banner[]; notice: string | null }; res: { banners: Banner[]; notice: string | null } };

  // ---- uploads (body up to 8 MB; image ≤ 5 MB)
  'uploads.image': {
    req: { fileName: string; contentType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif'; dataBase64: string };
    /** url: `<SUPABASE_URL>/storage/v1/object/public/<bucket>/<path>` (served by npm start locally). */
    res: { url: string; bucket: string; path: string };
  };

  // ---- members
  'members.list': {
    req: PageReq & { keyword?: string; levelId?: string; referrerId?: string };
    res: PageRes<AdminMemberRow>;
  };
  'members.detail': {
    req: { id: string };
    res: {
      member: AdminMemberRow;
      wallet: { available: Fen; frozen: Fen; withdrawing: Fen; points: number; love: number; coupon: Fen };
      referrer: { id: string; nickname: string } | null;
      /** direct / indirect: counts of the first and second level; the lists: the newest 50 of each. */
      team: {
        direct: number;
        indirect: number;
        directMembers: { id: string; nickname: string; joinedAt: IsoTime }[];
        /** Referees of the direct referees, with the direct referee who brought them. */
        indirectMembers: { id: string; nickname: string; joinedAt: IsoTime; referrerId: string; referrerNickname: string }[];
      };
      orders: AdminOrderRow[];
      entries: AdminEntry[];
    };
  };
  'members.setLevel': { req: { id: string; levelId: string | null }; res: { member: AdminMemberRow } };
  'members.levels': { req: Record<string, never>; res: { items: AdminMemberLevel[] } };
  /** Member levels and promoter levels are one table (ratio = member level, teamRatio = promoter level). */
  'members.levelSave': {
    req: { id: string; name: string; ratio?: Ratio | null; teamRatio?: Ratio | null; shareholder?: boolean; rank?: number | null };
    res: { level: AdminMemberLevel };
  };

  // ---- merchants
  'merchants.applications': {
    req: PageReq & { status?: 'pending' | 'approved' | 'rejected' };
    res: PageRes<MerchantApplicationRow>;
  };
  'merchants.review': {
    req: { applicationId: string; approve: boolean; commission?: Ratio; reason?: string };
    res: { applicationId: string; status: 'approved' | 'rejected'; storeId: string | null };
  };
  'merchants.stores': { req: PageReq & { keyword?: string }; res: PageRes<AdminStore> };
  'merchants.storeSave': {
    req: { id?: string; name: string; commission: Ratio; address?: string | null; phone?: string | null; logo?: string | null; queue?: QueueConfig };
    res: { store: AdminStore };
  };
  'merchants.storeProducts': { req: { storeId: string }; res: { items: AdminStoreProduct[] } };
  'merchants.storeProductSave': {
    req: { id?: string; storeId: string; title: string; price: Fen; cost: Fen; stock: number; onSale?: boolean; images?: string[]; description?: string; queue?: QueueConfig };
    res: { product: AdminStoreProduct };
  };
  'merchants.cashiers': { req: { storeId: string }; res: { items: AdminCashier[] } };
  'merchants.cashierSave': { req: { id?: string; storeId: string; name: string; queue?: QueueConfig }; res: { cashier: AdminCashier } };
  'merchants.cashierCode': { req: { cashierId: string }; res: CashierCodePayload };
  'merchants.suppliers': { req: Record<string, never>; res: { items: Supplier[] } };
  'merchants.supplierSave': {
    req: { id?: string; name: string; contactName?: string; phone?: string; note?: string };
    res: { supplier: Supplier };
  };

  // ---- orders, refunds, withdrawals, anomalies
  'orders.list': {
    req: PageReq & { status?: OrderStatus; kind?: 'mall' | 'cashier'; memberId?: string; storeId?: string; orderId?: string; from?: IsoTime; to?: IsoTime };
    res: PageRes<AdminOrderRow>;
  };
  'orders.detail': { req: { id: string }; res: { order: AdminOrderDetail } };
  'refunds.list': { req: PageReq & { status?: RefundRow['status'] }; res: PageRes<RefundRow> };
  /** Approval sends the refund to WeChat; rejection returns the order to paid. */
  'refunds.review': { req: { outRefundNo: string; approve: boolean; reason?: string }; res: { outRefundNo: string; status: RefundRow['status'] } };
  'withdrawals.list': { req: PageReq & { status?: WithdrawalRow['status'] }; res: PageRes<WithdrawalRow> };
  /** Approval sends the WeChat transfer; rejection returns the money to the wallet. */
  'withdrawals.review': {
    req: { withdrawalId: string; approve: boolean; reason?: string };
    res: { withdrawalId: string; status: WithdrawalRow['status'] };
  };
  'anomalies.list': { req: PageReq & { resolved?: boolean }; res: PageRes<AnomalyRow> };
  'anomalies.resolve': { req: { id: string; note: string }; res: { anomaly: AnomalyRow } };

  // ---- queues
  'queues.list': { req: Record<string, never>; res: { items: QueueRowAdmin[]; paused: boolean } };
  /** Entries in payout order (waiting first), then finished ones. */
  'queues.entries': { req: PageReq & { key: string; status?: 'waiting' | 'all' }; res: PageRes<AdminEntry> };
  'queues.setPaused': { req: { key: string; paused: boolean }; res: { key: string; paused: boolean } };
  /** Runs what is due now (clearing, dividends): rebate.tick(now()). */
  'queues.runDue': { req: Record<string, never>; res: { ran: boolean; at: IsoTime; result: unknown } };
  /** The liability dashboard (SPEC §9). */
  'queues.liability': {
    req: Record<string, never>;
    res: {
      warnDays: number;
      queues: LiabilityQueue[];
      total: LiabilityTotal;
      /** The last 30 local days: outstanding at the end of the day and that day's inflow. */
      history: { date: IsoDate; outstanding: Fen; inflow: Fen }[];
      /** Waiting entries by age. */
      ages: { bucket: string; count: number; amount: Fen }[];
      generatedAt: IsoTime;
    };
  };
  /** The warning threshold: days to clear a queue's tail. */
  'queues.setLiabilityWarning': { req: { days: number }; res: { days: number } };

  // ---- union queue mode (工会排队): reads of the engine's pool, runs and entries
  'union.summary': {
    req: Record<string, never>;
    res: {
      mode: 'classic' | 'union';
      settings: { unionQuotaRatio: Ratio; unionPoolRatio: Ratio; unionDailyAt: string; accelerationRatio: Ratio };
      /** The pool now (union:pool). */
      balance: Fen;
      /** Inflow of yesterday's run day, and of the 7 run days up to yesterday. */
      inflowYesterday: Fen;
      inflow7Days: Fen;
      waitingCount: number;
      /** Quota outstanding: Σ (quota − paid) of waiting entries. */
      outstanding: Fen;
      /** Waiting entries not payable yet (minWaitDays). */
      lockedCount: number;
      lastRun: UnionRunDay | null;
      today: IsoDate;
    };
  };
  /** Run days in [from, to] (default the last 90 days up to today), oldest first. */
  'union.history': { req: { from?: IsoDate; to?: IsoDate }; res: { from: IsoDate; to: IsoDate; items: UnionRunDay[] } };
  /** One run day: its report (null when that day has not run) and the entries it paid, in order. */
  'union.runReport': { req: { day: IsoDate }; res: { report: UnionRunReport | null; entries: UnionPaidEntry[] } };
  /** The waiting union queue from its head. */
  'union.queue': { req: PageReq; res: PageRes<UnionQueueRow> };

  // ---- compliance (SPEC §9): the console computes the flags with src/domain/compliance.ts
  'compliance.inputs': {
    req: Record<string, never>;
    res: {
      settings: BaseSettings;
      catalogue: {
        levels: { id: string; ratio?: Ratio; teamRatio?: Ratio }[];
        products: { id: string; price: Fen; cost: Fen; queue: QueueConfig }[];
        stores: { id: string; commission: Ratio; queue: QueueConfig }[];
        storeProducts: { id: string; store: string; price: Fen; cost: Fen; queue: QueueConfig }[];
        cashiers: { id: string; store: string; queue: QueueConfig }[];
      };
    };
  };
  /** The operator goes ahead with a settings change that raises these flags: one audit entry with their identity. */
  'compliance.acknowledge': { req: { patch: SettingsPatch; flags: AcknowledgedFlag[] }; res: { auditId: string } };

  // ---- audit
  'audit.list': {
    req: PageReq & { entity?: string; entityId?: string; operatorId?: string; action?: string; from?: IsoTime; to?: IsoTime };
    res: PageRes<AuditRow>;
  };
  /** Every operator's id and name (the audit log's operator filter); readable with canViewAudit. */
  'audit.operators': { req: Record<string, never>; res: { items: { id: string; name: string }[] } };

  // ---- operators
  'operators.list': {
    req: Record<string, never>;
    res: { items: { id: string; login: string; name: string; role: OperatorRole; active: boolean; lockedUntil: IsoTime | null; lastSignInAt: IsoTime | null; createdAt: IsoTime }[] };
  };
  'operators.save': {
    req: { id?: string; login?: string; name: string; role: OperatorRole; active?: boolean; password?: string };
    res: { id: string };
  };
}

export type AdminAction = keyof AdminActions;
export type AdminRequest<A extends AdminAction> = AdminActions[A]['req'];
export type AdminResponse<A extends AdminAction> = AdminActions[A]['res'];

/**
 * The action table: every action and the permission it needs. `null` =
 * no token (sign-in); 'signedIn' = any operator with a live session.
 */
export const ADMIN_ACTIONS = {
  'auth.signIn': { permission: null },
  'auth.me': { permission: 'signedIn', reads: true },
  'auth.signOut': { permission: 'signedIn' },
  'auth.changePassword': { permission: 'signedIn' },

  'settings.get': { permission: 'canViewSettings', reads: true },
  'settings.preview': { permission: 'canEditSettings', reads: true },
  'settings.update': { permission: 'canEditSettings' },
  'settings.enableAllProducts': { permission: 'canEditSettings' },

  'catalog.categories': { permission: 'canViewCatalog', reads: true },
  'catalog.categorySave': { permission: 'canEditCatalog' },
  'catalog.categoryDelete': { permission: 'canEditCatalog' },
  'catalog.products': { permission: 'canViewCatalog', reads: true },
  'catalog.product': { permission: 'canViewCatalog', reads: true },
  'catalog.productSave': { permission: 'canEditCatalog' },
  'catalog.productsSetOnSale': { permission: 'canEditCatalog' },
  'catalog.bulkCreate': { permission: 'canEditCatalog' },
  'catalog.home': { permission: 'canViewCatalog', reads: true },
  'catalog.homeSave': { permission: 'canEditCatalog' },

  'uploads.image': { permission: 'canEditCatalog' },

  'members.list': { permission: 'canViewMembers', reads: true },
  'members.detail': { permission: 'canViewMembers', reads: true },
  'members.setLevel': { permission: 'canEditMembers' },
  'members.levels': { permission: 'canViewMembers', reads: true },
  'members.levelSave': { permission: 'canEditMembers' },

  'merchants.applications': { permission: 'canViewMerchants', reads: true },
  'merchants.review': { permission: 'canReviewMerchants' },
  'merchants.stores': { permission: 'canViewMerchants', reads: true },
  'merchants.storeSave': { permission: 'canEditMerchants' },
  'merchants.storeProducts': { permission: 'canViewMerchants', reads: true },
  'merchants.storeProductSave': { permission: 'canEditMerchants' },
  'merchants.cashiers': { permission: 'canViewMerchants', reads: true },
  'merchants.cashierSave': { permission: 'canEditMerchants' },
  'merchants.cashierCode': { permission: 'canViewMerchants', reads: true },
  'merchants.suppliers': { permission: 'canViewMerchants', reads: true },
  'merchants.supplierSave': { permission: 'canEditMerchants' },

  'orders.list': { permission: 'canViewOrders', reads: true },
  'orders.detail': { permission: 'canViewOrders', reads: true },
  'refunds.list': { permission: 'canViewOrders', reads: true },
  'refunds.review': { permission: 'canReviewRefunds' },
  'withdrawals.list': { permission: 'canViewWithdrawals', reads: true },
  'withdrawals.review': { permission: 'canReviewWithdrawals' },
  'anomalies.list': { permission: 'canViewOrders', reads: true },
  'anomalies.resolve': { permission: 'canResolveAnomalies' },

  'queues.list': { permission: 'canViewQueues', reads: true },
  'queues.entries': { permission: 'canViewQueues', reads: true },
  'queues.setPaused': { permission: 'canOperateQueues' },
  'queues.runDue': { permission: 'canOperateQueues' },
  'queues.liability': { permission: 'canViewQueues', reads: true },
  'queues.setLiabilityWarning': { permission: 'canOperateQueues' },

  'union.summary': { permission: 'canViewQueues', reads: true },
  'union.history': { permission: 'canViewQueues', reads: true },
  'union.runReport': { permission: 'canViewQueues', reads: true },
  'union.queue': { permission: 'canViewQueues', reads: true },

  'compliance.inputs': { permission: 'canViewSettings', reads: true },
  'compliance.acknowledge': { permission: 'canEditSettings' },

  'audit.list': { permission: 'canViewAudit', reads: true },
  'audit.operators': { permission: 'canViewAudit', reads: true },

  'operators.list': { permission: 'canManageOperators', reads: true },
  'operators.save': { permission: 'canManageOperators' },
} as const satisfies Record<AdminAction, { permission: Permission | 'signedIn' | null; reads?: true }>;

export const ADMIN_ACTION_NAMES = Object.keys(ADMIN_ACTIONS) as AdminAction[];

/** A read changes nothing and writes no audit entry; every other action changes something and is audited. */
export function isReadAction(action: AdminAction): boolean {
  return (ADMIN_ACTIONS[action] as { reads?: true }).reads === true;
}

/** The permission an action needs (null: none; 'signedIn': any live operator session). */
export function actionPermission(action: AdminAction): Permission | 'signedIn' | null {
  return ADMIN_ACTIONS[action].permission;
}

/** SQL function of an action: 'catalog.productSave' → admin.catalog_product_save(jsonb). */
export function sqlFunctionOf(action: string): string {
  return action.replace('.', '_').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

// Compile-time: the table lists every action of AdminActions and nothing else.
type MissingAdminAction = Exclude<AdminAction, keyof typeof ADMIN_ACTIONS>;
export const ADMIN_ACTIONS_COMPLETE: [MissingAdminAction] extends [never] ? true : never = true;
