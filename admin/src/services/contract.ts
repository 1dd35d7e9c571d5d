// PROVISIONAL: the console's view of the `admin` edge function contract,
// written before supabase/functions/_shared/admin-contract.ts landed. Once it
// is on main this file only re-exports it.
import type { Settings, SettingsPatch } from '@/domain/settings';

export type Fen = number;
export type Ratio = string;
export type IsoTime = string;

export type OperatorRole = 'admin' | 'finance' | 'support';
export const OPERATOR_ROLES: readonly OperatorRole[] = ['admin', 'finance', 'support'];

export interface Operator {
  id: string;
  account: string;
  name: string;
  role: OperatorRole;
}

export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor?: string | null;
}
export interface PageParams {
  page?: number;
  pageSize?: number;
}

export interface AdminErrorBody {
  error: { field: string | null; message: string; code?: string };
}

export type LotteryConfig = Settings['lottery'];

/** The `{Q}` of SPEC §10, per product / store / store product / cashier. */
export interface QueueSettings {
  enabled?: boolean;
  extractRatio?: Ratio;
  independentRatio?: Ratio;
  defaultRatio?: Ratio;
  memberLevelRatios?: Record<string, Ratio>;
  cumulativeTiers?: { days: number; minSpend: Fen; ratio: Ratio }[];
  lottery?: LotteryConfig;
  timeWindows?: { from: string; to: string }[];
  dailyLimit?: number;
  totalLimit?: number;
  randomReturn?: { on: boolean; cashCount: number; pointsCount: number };
}

export interface ChainStep {
  /** e.g. "product.memberLevelRatios", "base.defaultRatio" */
  source: string;
  label: string;
  ratio: Ratio | null;
  applies: boolean;
}

export interface Category { id: string; name: string; sort: number; icon?: string | null }
export type ProductSource = 'self' | 'supplier' | 'supplyChain' | 'store';
export interface Product {
  id: string;
  name: string;
  categoryId: string | null;
  price: Fen;
  source: ProductSource;
  cost: Fen | null;
  supplyPrice: Fen | null;
  supplierId: string | null;
  stock: number;
  onSale: boolean;
  images: string[];
  queue: QueueSettings;
  updatedAt?: IsoTime;
}
export interface Banner { id: string; image: string; link: string | null; title: string | null; sort: number }

export interface ImportRow {
  name: string; price: Fen; supplyPrice: Fen; supplier: string; stock: number; category?: string; image?: string;
}
export interface ImportRowError { row: number; field: string | null; message: string }

export interface MemberRow {
  id: string; nickname: string; phone?: string | null; level: string | null; shareholder: boolean;
  referrerId: string | null; createdAt: IsoTime; wallet?: { available: Fen; frozen: Fen };
}
export interface MemberDetail extends MemberRow {
  referrer: { id: string; nickname: string } | null;
  wallet: { available: Fen; frozen: Fen; withdrawing?: Fen; points?: number; love?: number };
  orders: OrderRow[];
  entries: EntryRow[];
  team: { direct: number; indirect: number; members: { id: string; nickname: string; level: string | null }[] };
}
export interface MemberLevel { id: string; name: string; ratio: Ratio | null; teamRatio?: Ratio | null; shareholder?: boolean; sort?: number; upgrade?: { completedSpend?: Fen; directReferrals?: number; teamSpend?: Fen } }
export interface PromoterLevel { id: string; name: string; directRatio: Ratio; indirectRatio: Ratio; sort?: number }

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export interface MerchantApplication {
  id: string; memberId: string; applicant: string; storeName: string; contact: string; phone: string; address?: string | null;
  status: ApplicationStatus; commission: Ratio | null; note?: string | null; createdAt: IsoTime; storeId?: string | null;
}
export interface Store { id: string; name: string; ownerMemberId?: string | null; commission: Ratio; address?: string | null; enabled: boolean; queue: QueueSettings }
export interface StoreProduct { id: string; storeId: string; name: string; price: Fen; cost: Fen | null; onSale: boolean; queue: QueueSettings }
export interface Cashier { id: string; storeId: string; name: string; enabled: boolean; queue: QueueSettings; qrScene?: string; payUrl?: string }
export interface Supplier { id: string; name: string; contact?: string | null; phone?: string | null }

export type OrderStatus = 'pending' | 'paid' | 'completed' | 'refunded' | 'closed' | string;
export interface OrderRow {
  id: string; memberId: string; member?: string; kind?: string; status: OrderStatus; total: Fen; paid: Fen; createdAt: IsoTime; paidAt?: IsoTime | null;
}
export interface OrderDetail extends OrderRow {
  lines: { index: number; name: string; quantity: number; price: Fen; paid: Fen }[];
  entries: EntryRow[];
  transfers: { id: string; kind: string; at: IsoTime; postings: { account: string; amount: Fen }[] }[];
  payment: { transactionId: string | null; amount: Fen; status: string } | null;
  refunds: { id: string; amount: Fen; status: string; reason?: string | null }[];
}
export interface RefundRow { id: string; orderId: string; member?: string; amount: Fen; reason: string | null; status: string; createdAt: IsoTime }
export interface WithdrawalRow { id: string; memberId: string; member?: string; amount: Fen; fee?: Fen; status: string; createdAt: IsoTime }
export interface AnomalyRow { id: string; kind: string; transactionId?: string | null; orderId?: string | null; amount?: Fen | null; detail: string; status: string; note?: string | null; createdAt: IsoTime }

export interface QueueRow {
  key: string; name: string; kind: string; length: number; waitingAmount: Fen; paused: boolean;
  head: { entryId: string; member?: string; remaining: Fen } | null;
}
export interface EntryRow {
  id: string; queue: string; seq: number | null; orderId: string; memberId?: string; member?: string; base: Fen; ratio: Ratio;
  entitlement: Fen; paid: Fen; status: string; createdAt?: IsoTime;
}

export interface AuditRow {
  id: string; at: IsoTime; operator: string; operatorId?: string | null; entity: string; entityId?: string | null; action: string;
  before: unknown; after: unknown;
}

interface ListArgs extends PageParams { query?: string }

export interface AdminActions {
  'auth.signIn': { req: { account: string; password: string }; res: { token: string; expiresAt: IsoTime; operator: Operator } };
  'auth.me': { req: Record<string, never>; res: Operator };
  'auth.signOut': { req: Record<string, never>; res: { ok: true } };
  'settings.get': { req: Record<string, never>; res: { settings: Settings } };
  'settings.update': { req: { patch: SettingsPatch }; res: { settings: Settings } };
  'settings.enableAllProducts': { req: Record<string, never>; res: { count: number } };
  'catalog.categories': { req: Record<string, never>; res: { items: Category[] } };
  'catalog.saveCategory': { req: Partial<Category> & { name: string }; res: Category };
  'catalog.products': { req: ListArgs & { categoryId?: string; source?: ProductSource; onSale?: boolean }; res: Page<Product> };
  'catalog.saveProduct': { req: Partial<Product> & { name: string; price: Fen }; res: Product };
  'catalog.setOnSale': { req: { id: string; onSale: boolean }; res: Product };
  'catalog.uploadImage': { req: { fileName: string; contentType: string; dataBase64: string }; res: { url: string } };
  'catalog.queueChain': { req: { productId: string }; res: { steps: ChainStep[]; ratio: Ratio; extractRatio: Ratio } };
  'catalog.importProducts': { req: { rows: ImportRow[]; dryRun?: boolean }; res: { created: number; errors: ImportRowError[] } };
  'catalog.banners': { req: Record<string, never>; res: { items: Banner[] } };
  'catalog.saveBanner': { req: Partial<Banner> & { image: string }; res: Banner };
  'members.list': { req: ListArgs & { level?: string }; res: Page<MemberRow> };
  'members.detail': { req: { id: string }; res: MemberDetail };
  'members.setLevel': { req: { id: string; level: string | null }; res: MemberRow };
  'members.setShareholder': { req: { id: string; shareholder: boolean }; res: MemberRow };
  'levels.list': { req: Record<string, never>; res: { items: MemberLevel[] } };
  'levels.save': { req: MemberLevel; res: MemberLevel };
  'promoterLevels.list': { req: Record<string, never>; res: { items: PromoterLevel[] } };
  'promoterLevels.save': { req: PromoterLevel; res: PromoterLevel };
  'merchants.applications': { req: ListArgs & { status?: ApplicationStatus }; res: Page<MerchantApplication> };
  'merchants.review': { req: { id: string; approve: boolean; commission?: Ratio; note?: string }; res: MerchantApplication };
  'merchants.stores': { req: ListArgs; res: Page<Store> };
  'merchants.saveStore': { req: Partial<Store> & { name: string }; res: Store };
  'merchants.storeProducts': { req: ListArgs & { storeId?: string }; res: Page<StoreProduct> };
  'merchants.saveStoreProduct': { req: Partial<StoreProduct> & { storeId: string; name: string; price: Fen }; res: StoreProduct };
  'merchants.cashiers': { req: ListArgs & { storeId?: string }; res: Page<Cashier> };
  'merchants.saveCashier': { req: Partial<Cashier> & { storeId: string; name: string }; res: Cashier };
  'merchants.suppliers': { req: ListArgs; res: Page<Supplier> };
  'merchants.saveSupplier': { req: Partial<Supplier> & { name: string }; res: Supplier };
  'orders.list': { req: ListArgs & { status?: string; memberId?: string; from?: string; to?: string }; res: Page<OrderRow> };
  'orders.detail': { req: { id: string }; res: OrderDetail };
  'refunds.list': { req: ListArgs & { status?: string }; res: Page<RefundRow> };
  'refunds.review': { req: { id: string; approve: boolean; note?: string }; res: RefundRow };
  'withdrawals.list': { req: ListArgs & { status?: string }; res: Page<WithdrawalRow> };
  'withdrawals.review': { req: { id: string; approve: boolean; note?: string }; res: WithdrawalRow };
  'anomalies.list': { req: ListArgs & { status?: string }; res: Page<AnomalyRow> };
  'anomalies.resolve': { req: { id: string; note: string }; res: AnomalyRow };
  'queues.list': { req: ListArgs; res: Page<QueueRow> };
  'queues.entries': { req: ListArgs & { queue: string; status?: string }; res: Page<EntryRow> };
  'queues.setPaused': { req: { queue: string; paused: boolean }; res: QueueRow };
  'queues.runClearing': { req: { queue?: string }; res: { cleared: number } };
  'audit.list': { req: ListArgs & { entity?: string; operator?: string }; res: Page<AuditRow> };
}

export type AdminAction = keyof AdminActions;
export type AdminRequest<A extends AdminAction> = AdminActions[A]['req'];
export type AdminResponse<A extends AdminAction> = AdminActions[A]['res'];

export const PUBLIC_ADMIN_ACTIONS: readonly AdminAction[] = ['auth.signIn'];

const ALL: OperatorRole[] = ['admin', 'finance', 'support'];
const ADMIN: OperatorRole[] = ['admin'];
const FINANCE: OperatorRole[] = ['admin', 'finance'];
const SUPPORT: OperatorRole[] = ['admin', 'support'];

/** Which roles may call each action (the database checks the same table). */
export const ADMIN_PERMISSIONS: Record<AdminAction, readonly OperatorRole[]> = {
  'auth.signIn': ALL,
  'auth.me': ALL,
  'auth.signOut': ALL,
  'settings.get': ALL,
  'settings.update': ADMIN,
  'settings.enableAllProducts': ADMIN,
  'catalog.categories': ALL,
  'catalog.saveCategory': ADMIN,
  'catalog.products': ALL,
  'catalog.saveProduct': ADMIN,
  'catalog.setOnSale': ADMIN,
  'catalog.uploadImage': ADMIN,
  'catalog.queueChain': ALL,
  'catalog.importProducts': ADMIN,
  'catalog.banners': ALL,
  'catalog.saveBanner': ADMIN,
  'members.list': ALL,
  'members.detail': ALL,
  'members.setLevel': SUPPORT,
  'members.setShareholder': ADMIN,
  'levels.list': ALL,
  'levels.save': ADMIN,
  'promoterLevels.list': ALL,
  'promoterLevels.save': ADMIN,
  'merchants.applications': ALL,
  'merchants.review': SUPPORT,
  'merchants.stores': ALL,
  'merchants.saveStore': ADMIN,
  'merchants.storeProducts': ALL,
  'merchants.saveStoreProduct': ADMIN,
  'merchants.cashiers': ALL,
  'merchants.saveCashier': ADMIN,
  'merchants.suppliers': ALL,
  'merchants.saveSupplier': ADMIN,
  'orders.list': ALL,
  'orders.detail': ALL,
  'refunds.list': ALL,
  'refunds.review': SUPPORT,
  'withdrawals.list': FINANCE,
  'withdrawals.review': FINANCE,
  'anomalies.list': FINANCE,
  'anomalies.resolve': FINANCE,
  'queues.list': ALL,
  'queues.entries': ALL,
  'queues.setPaused': ADMIN,
  'queues.runClearing': ADMIN,
  'audit.list': ALL,
};
