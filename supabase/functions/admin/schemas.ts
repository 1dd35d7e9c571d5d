// zod schema of every admin action's request (admin-contract.ts AdminActions).
// The table is typed by the contract's action names, so an action added to
// the contract without a schema here does not compile. Shapes the SQL
// validators own (settings patches, {Q} queue configs) are checked there,
// field by field, with the same error shape.
import { z, type ZodTypeAny } from 'zod';
import { OPERATOR_ROLES, type AdminAction } from '../_shared/admin-contract.ts';

const text = (max: number, name = '内容') =>
  z.string({ invalid_type_error: `${name}须为文本` }).trim().min(1, `请填写${name}`).max(max, `${name}不能超过 ${max} 个字`);
const optText = (max: number) => z.string({ invalid_type_error: '须为文本' }).max(max, `不能超过 ${max} 个字`);
const id = z.string({ invalid_type_error: '须为文本' }).min(1, '必填').max(64, '无效的编号').regex(/^[A-Za-z0-9_.:-]+$/, '无效的编号');
const uuid = z.string({ invalid_type_error: '须为文本' }).uuid('无效的编号');
const fen = z.number({ invalid_type_error: '金额须为整数（分）' }).int('金额须为整数（分）').min(0, '金额不能为负数').max(10_000_000_000, '金额过大');
const count = (max: number) => z.number({ invalid_type_error: '须为整数' }).int('须为整数').min(0, '不能为负数').max(max, `不能超过 ${max}`);
const ratio = z.string({ invalid_type_error: '须为百分比文本' }).regex(/^\d{1,5}(\.\d{1,2})?$/, '须为百分比（最多两位小数）');
const bool = z.boolean({ invalid_type_error: '须为 true 或 false' });
const url = z.string({ invalid_type_error: '须为文本' }).max(500, '地址过长').regex(/^(https?:\/\/|\/)[^\s]*$/, '须为图片地址');
const isoTime = z.string({ invalid_type_error: '须为时间' }).datetime({ offset: true, message: '须为 ISO 时间' });
const page = {
  page: z.number({ invalid_type_error: '须为整数' }).int('须为整数').min(1, '至少为 1').max(1_000_000).optional(),
  pageSize: z.number({ invalid_type_error: '须为整数' }).int('须为整数').min(1, '至少 1 条').max(100, '最多 100 条').optional(),
};
const empty = z.object({}).strict();
/** A local day (Asia/Shanghai). */
const day = z.string({ invalid_type_error: '须为日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '须为日期 YYYY-MM-DD');
/** {Q} and settings patches: objects here, every key checked by the SQL validators (0003, 0004). */
const sqlChecked = z.record(z.unknown(), { invalid_type_error: '须为对象' });
const password = z.string({ invalid_type_error: '须为文本' }).min(8, '密码至少 8 位').max(72, '密码最多 72 位');
const orderStatus = z.enum(['unpaid', 'paid', 'completed', 'refunding', 'refunded', 'closed']);
const productSource = z.enum(['self', 'supplier', 'supplyChain'], { errorMap: () => ({ message: '须为 self、supplier 或 supplyChain' }) });
const siteSettings = z
  .object({
    withdrawRule: z.object({ minAmount: fen, maxAmount: fen, feeRatio: ratio, minFee: fen }).strict().optional(),
    orderPayMinutes: z.number({ invalid_type_error: '须为整数' }).int('须为整数').min(5, '至少 5 分钟').max(1440, '最多 1440 分钟').optional(),
    refundReview: bool.optional(),
  })
  .strict();
const bulkRow = z
  .object({
    title: text(60, '商品名称'),
    price: fen,
    cost: fen,
    stock: count(10_000_000),
    supplierId: id.nullable().optional(),
    categoryId: id.nullable().optional(),
    marketPrice: fen.nullable().optional(),
    image: url.nullable().optional(),
    description: optText(2000).optional(),
  })
  .strict();

export const SCHEMAS: Record<AdminAction, ZodTypeAny> = {
  'auth.signIn': z.object({ login: text(32, '账号'), password: z.string({ invalid_type_error: '须为文本' }).min(1, '请填写密码').max(72, '密码最多 72 位') }).strict(),
  'auth.me': empty,
  'auth.signOut': empty,
  'auth.changePassword': z.object({ oldPassword: z.string().min(1, '请填写原密码').max(72), newPassword: password }).strict(),

  'settings.get': empty,
  'settings.preview': z.object({ patch: sqlChecked, site: siteSettings.optional() }).strict(),
  'settings.update': z.object({ patch: sqlChecked, site: siteSettings.optional() }).strict(),
  'settings.enableAllProducts': empty,

  'catalog.categories': empty,
  'catalog.categorySave': z
    .object({ id: id.optional(), name: text(20, '类目名称'), icon: url.nullable().optional(), parentId: id.nullable().optional(), sort: count(100000).optional() })
    .strict(),
  'catalog.categoryDelete': z.object({ id }).strict(),
  'catalog.products': z
    .object({ ...page, keyword: optText(40).optional(), categoryId: id.optional(), source: productSource.optional(), onSale: bool.optional(), supplierId: id.optional() })
    .strict(),
  'catalog.product': z.object({ id }).strict(),
  'catalog.productSave': z
    .object({
      id: id.optional(),
      title: text(60, '商品名称'),
      source: productSource,
      categoryId: id.nullable().optional(),
      price: fen,
      marketPrice: fen.nullable().optional(),
      cost: fen,
      supplierId: id.nullable().optional(),
      stock: count(10_000_000),
      onSale: bool.optional(),
      recommended: bool.optional(),
      sort: count(100000).optional(),
      images: z.array(url).max(9, '最多 9 张图片').optional(),
      description: optText(2000).optional(),
      queue: sqlChecked.optional(),
    })
    .strict(),
  'catalog.productsSetOnSale': z.object({ ids: z.array(id).min(1, '请选择商品').max(200, '一次最多 200 个'), onSale: bool }).strict(),
  'catalog.bulkCreate': z.object({ rows: z.array(z.unknown()).min(1, '没有可导入的行').max(500, '一次最多 500 行') }).strict(),
  'catalog.home': empty,
  'catalog.homeSave': z
    .object({
      banners: z.array(z.object({ id: id, image: url, title: optText(40), link: optText(200).nullable() }).strict()).max(10, '最多 10 张轮播图'),
      notice: optText(200).nullable(),
    })
    .strict(),

  'uploads.image': z
    .object({
      fileName: z.string({ invalid_type_error: '须为文本' }).min(1, '必填').max(100, '文件名过长'),
      contentType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif'], { errorMap: () => ({ message: '仅支持 PNG、JPEG、WebP、GIF' }) }),
      dataBase64: z.string({ invalid_type_error: '须为 base64 文本' }).min(1, '必填').max(7_000_000, '图片不能超过 5 MB').regex(/^[A-Za-z0-9+/]+={0,2}$/, '须为 base64'),
    })
    .strict(),

  'members.list': z.object({ ...page, keyword: optText(40).optional(), levelId: id.optional(), referrerId: id.optional() }).strict(),
  'members.detail': z.object({ id }).strict(),
  'members.setLevel': z.object({ id, levelId: id.nullable() }).strict(),
  'members.levels': empty,
  'members.levelSave': z
    .object({
      id,
      name: text(20, '等级名称'),
      ratio: ratio.nullable().optional(),
      teamRatio: ratio.nullable().optional(),
      shareholder: bool.optional(),
      rank: count(1_000_000).nullable().optional(),
    })
    .strict(),

  'merchants.applications': z.object({ ...page, status: z.enum(['pending', 'approved', 'rejected']).optional() }).strict(),
  'merchants.review': z.object({ applicationId: id, approve: bool, commission: ratio.optional(), reason: optText(100).optional() }).strict(),
  'merchants.stores': z.object({ ...page, keyword: optText(40).optional() }).strict(),
  'merchants.storeSave': z
    .object({
      id: id.optional(),
      name: text(40, '门店名称'),
      commission: ratio,
      address: optText(100).nullable().optional(),
      phone: z.string().regex(/^[0-9+\- ]{6,20}$/, '请输入有效的联系电话').nullable().optional(),
      logo: url.nullable().optional(),
      queue: sqlChecked.optional(),
    })
    .strict(),
  'merchants.storeProducts': z.object({ storeId: id }).strict(),
  'merchants.storeProductSave': z
    .object({
      id: id.optional(),
      storeId: id,
      title: text(60, '商品名称'),
      price: fen,
      cost: fen,
      stock: count(10_000_000),
      onSale: bool.optional(),
      images: z.array(url).max(9, '最多 9 张图片').optional(),
      description: optText(2000).optional(),
      queue: sqlChecked.optional(),
    })
    .strict(),
  'merchants.cashiers': z.object({ storeId: id }).strict(),
  'merchants.cashierSave': z.object({ id: id.optional(), storeId: id, name: text(40, '收银台名称'), queue: sqlChecked.optional() }).strict(),
  'merchants.cashierCode': z.object({ cashierId: id }).strict(),
  'merchants.suppliers': empty,
  'merchants.supplierSave': z
    .object({ id: id.optional(), name: text(40, '供应商名称'), contactName: optText(20).optional(), phone: optText(20).optional(), note: optText(200).optional() })
    .strict(),

  'orders.list': z
    .object({
      ...page,
      status: orderStatus.optional(),
      kind: z.enum(['mall', 'cashier']).optional(),
      memberId: id.optional(),
      storeId: id.optional(),
      orderId: optText(32).optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
    })
    .strict(),
  'orders.detail': z.object({ id }).strict(),
  'refunds.list': z.object({ ...page, status: z.enum(['pending', 'processing', 'succeeded', 'rejected', 'failed']).optional() }).strict(),
  'refunds.review': z.object({ outRefundNo: id, approve: bool, reason: optText(100).optional() }).strict(),
  'withdrawals.list': z.object({ ...page, status: z.enum(['reviewing', 'approved', 'paying', 'paid', 'rejected', 'failed']).optional() }).strict(),
  'withdrawals.review': z.object({ withdrawalId: id, approve: bool, reason: optText(100).optional() }).strict(),
  'anomalies.list': z.object({ ...page, resolved: bool.optional() }).strict(),
  'anomalies.resolve': z.object({ id: z.string().regex(/^\d{1,18}$/, '无效的编号'), note: text(200, '处理说明') }).strict(),

  'queues.list': empty,
  'queues.entries': z.object({ ...page, key: z.string().min(1, '必填').max(100), status: z.enum(['waiting', 'all']).optional() }).strict(),
  'queues.setPaused': z.object({ key: z.string().min(1, '必填').max(100), paused: bool }).strict(),
  'queues.runDue': empty,
  'queues.liability': empty,
  'union.summary': empty,
  'union.history': z.object({ from: day.optional(), to: day.optional() }).strict(),
  'union.runReport': z.object({ day }).strict(),
  'union.queue': z.object(page).strict(),
  'queues.setLiabilityWarning': z.object({ days: z.number({ invalid_type_error: '须为整数（天）' }).int('须为整数（天）').min(1, '至少 1 天').max(36500, '最多 36500 天') }).strict(),

  'compliance.inputs': empty,
  'compliance.acknowledge': z
    .object({
      patch: sqlChecked,
      flags: z
        .array(
          z.object({ rule: text(40, '规则'), subject: text(100, '对象'), amount: z.number({ invalid_type_error: '须为整数（分）' }).int('须为整数（分）'), per: z.enum(['unit', '100yuan']), message: optText(300) }).strict(),
        )
        .min(1, '须列出确认的合规提示')
        .max(1000, '提示过多'),
    })
    .strict(),

  'audit.list': z
    .object({
      ...page,
      entity: optText(40).optional(),
      entityId: optText(100).optional(),
      operatorId: uuid.optional(),
      action: optText(60).optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
    })
    .strict(),

  'audit.operators': empty,

  'operators.list': empty,
  'operators.save': z
    .object({
      id: uuid.optional(),
      login: z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,31}$/, '账号须为 2-32 位小写字母、数字或 _ . -').optional(),
      name: text(32, '姓名'),
      role: z.enum(OPERATOR_ROLES, { errorMap: () => ({ message: '须为 admin、finance 或 support' }) }),
      active: bool.optional(),
      password: password.optional(),
    })
    .strict(),
};

/** Rows of catalog.bulkCreate are checked one by one (a bad row is reported, not fatal). */
export const BULK_ROW = bulkRow;
