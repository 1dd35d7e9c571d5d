// Hundreds of malformed requests to the `api` function through real Deno,
// generated from a table of every action's fields: missing and extra
// fields, wrong types, negative / fractional / huge amounts, unicode and
// SQL metacharacters, bad cursors, oversized and broken bodies, unknown
// actions. Each must be answered 4xx with {error:{field,message}} naming the
// field at fault, and none may change anything: the ledger checksum and
// the state of orders, entries, withdrawals, inbox... are the same after.
import { ledgerChecksum, stateChecksum } from './helpers/checksum.ts';
import { startBackend, type Backend } from './helpers/backend.ts';

jest.setTimeout(300_000);

let b: Backend;
let member: string; // access token of the shopper sending the requests
let operator: string;
/** Rows the shopper may not touch or that are in the wrong state. */
const fx = { otherOrder: '', otherEntry: '', ownUnpaid: '', ownPaid: '', ownEntry: '', otherPayment: '', otherCode: '', ownCode: '' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(name: string): Promise<string> {
  const r = await b.call('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  if (r.status !== 200) throw new Error(`login ${name}: ${JSON.stringify(r.body)}`);
  return r.body.session.access_token;
}

async function paidOrder(token: string): Promise<{ orderId: string; paymentId: string }> {
  const c = await b.call('api', { action: 'orders.checkout', lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
  if (c.status !== 200) throw new Error(JSON.stringify(c.body));
  return { orderId: c.body.orderId, paymentId: c.body.payment.paymentId };
}

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify']);
  await b.db.sql.unsafe(`
    select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000,"queue":{}}');
    select catalog.upsert_product('{"id":"p2","price":2000,"source":"self","cost":1000,"queue":{}}');
    select catalog.upsert_store('{"id":"s1","commission":"10","queue":{}}');
    select catalog.upsert_cashier('{"id":"c1","store":"s1","queue":{}}');
    insert into app.listings (id, kind, source, title, stock) values ('p1', 'product', 'self', '测试大米', 100), ('p2', 'product', 'self', '测试茶叶', 100);
    insert into app.stores (store_id, name) values ('s1', '测试门店');
    insert into app.cashiers (cashier_id, name) values ('c1', '收银台');`);
  member = await signIn('malformed');
  operator = await signIn('operator');
  const other = await signIn('bystander');
  const [{ id: opId }] = await b.db.sql`select member_id as id from app.profiles where openid = ${b.sandbox.openidFor('operator')}`;
  await b.db.sql`insert into app.operators (member_id, role) values (${opId}, 'admin')`;

  // Another shopper's paid order (with an entry), and the shopper's own paid and unpaid orders.
  const o = await paidOrder(other);
  fx.otherOrder = o.orderId;
  fx.otherPayment = (await paidOrder(other)).paymentId;
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: o.paymentId }, other)).status).toBe(200);
  const mine = await paidOrder(member);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: mine.paymentId }, member)).status).toBe(200);
  fx.ownPaid = mine.orderId;
  fx.ownUnpaid = (await paidOrder(member)).orderId;
  const [oe] = await b.db.sql`select id::text from rebate.entries where order_id = ${fx.otherOrder}`;
  const [me] = await b.db.sql`select id::text from rebate.entries where order_id = ${fx.ownPaid}`;
  fx.otherEntry = oe.id;
  fx.ownEntry = me.id;
  const codeOf = async (name: string) =>
    (await b.db.sql`select invite_code as c from app.profiles where openid = ${b.sandbox.openidFor(name)}`)[0].c as string;
  fx.otherCode = await codeOf('bystander');
  fx.ownCode = await codeOf('malformed');
});

afterAll(async () => {
  await b?.stop();
});

// ------------------------------------------------------------------ the table

type Kind =
  | 'id' | 'fen' | 'bool' | 'enum' | 'text' | 'string' | 'limit' | 'cursor' | 'numCursor' | 'lines'
  | 'idArray' | 'strArray' | 'entryId' | 'phone' | 'url' | 'ratio';

interface Field {
  name: string;
  kind: Kind;
  required?: boolean;
  max?: number;
  nullable?: boolean;
  /** Extra [value, expected status] pairs for this field that only the SQL layer (or a lookup) can refuse. */
  sql?: [unknown, number][];
}

interface Spec {
  action: string;
  as: 'member' | 'operator' | 'anon';
  valid: Record<string, unknown>;
  fields: Field[];
}

const page: Field[] = [{ name: 'cursor', kind: 'cursor' }, { name: 'limit', kind: 'limit' }];
const numPage: Field[] = [{ name: 'cursor', kind: 'numCursor' }, { name: 'limit', kind: 'limit' }];
const cart = (): Field[] => [
  { name: 'lines', kind: 'lines', required: true },
  { name: 'usePoints', kind: 'bool', required: true },
  { name: 'useLove', kind: 'bool', required: true },
  { name: 'useCoupon', kind: 'bool', required: true },
];
const cartValid = { lines: [{ productId: 'p1', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false };
const platform: Field = { name: 'platform', kind: 'enum', required: true };
/** A member code: malformed ones are 400, unknown ones 404, one's own 400 (all on `code`). */
const memberCode = (): Field => ({
  name: 'code', kind: 'id', required: true,
  sql: [['ZZZZZZZZ', 404], ['zzzzzzzz', 404], ['ab', 400], ...sqlish.map((v) => [v, 400] as [unknown, number]), [() => fx.ownCode, 400]],
});
const sqlish = ["' OR '1'='1", "p1'; drop table app.orders; --", '%', '订单🙂\u202e', '../../etc/passwd'];

function specs(): Spec[] {
  const lookup = (status = 404) => sqlish.map((v) => [v, status] as [unknown, number]);
  return [
    { action: 'user.profile', as: 'member', valid: {}, fields: [] },
    { action: 'user.update', as: 'member', valid: {}, fields: [{ name: 'nickname', kind: 'text', max: 32 }, { name: 'avatarUrl', kind: 'url', nullable: true }] },
    { action: 'settings.display', as: 'anon', valid: {}, fields: [] },
    { action: 'catalog.home', as: 'anon', valid: {}, fields: [] },
    { action: 'catalog.categories', as: 'anon', valid: {}, fields: [] },
    {
      action: 'catalog.products', as: 'anon', valid: {},
      fields: [...numPage, { name: 'categoryId', kind: 'id' }, { name: 'keyword', kind: 'string', max: 40 }, { name: 'sort', kind: 'enum' }],
    },
    { action: 'catalog.product', as: 'anon', valid: { productId: 'p1' }, fields: [{ name: 'productId', kind: 'id', required: true, sql: lookup() }] },
    { action: 'orders.preview', as: 'member', valid: cartValid, fields: cart() },
    {
      action: 'orders.checkout', as: 'member', valid: { ...cartValid, platform: 'h5' },
      fields: [...cart(), platform, { name: 'remark', kind: 'string', max: 200 }],
    },
    {
      action: 'orders.pay', as: 'member', valid: { orderId: '', platform: 'h5' },
      fields: [{ name: 'orderId', kind: 'id', required: true, sql: [...lookup(), [() => fx.otherOrder, 404], [() => fx.ownPaid, 409]] }, platform],
    },
    { action: 'orders.list', as: 'member', valid: {}, fields: [...page, { name: 'status', kind: 'enum' }] },
    { action: 'orders.detail', as: 'member', valid: { orderId: '' }, fields: [{ name: 'orderId', kind: 'id', required: true, sql: [...lookup(), [() => fx.otherOrder, 404]] }] },
    {
      action: 'orders.refund', as: 'member', valid: { orderId: '', reason: '不想要了' },
      fields: [
        { name: 'orderId', kind: 'id', required: true, sql: [...lookup(), [() => fx.otherOrder, 404], [() => fx.ownUnpaid, 409]] },
        { name: 'reason', kind: 'text', required: true, max: 200 },
      ],
    },
    { action: 'cashier.info', as: 'anon', valid: { cashierId: 'c1' }, fields: [{ name: 'cashierId', kind: 'id', required: true, sql: lookup() }] },
    {
      action: 'cashier.pay', as: 'member', valid: { cashierId: 'c1', amount: 100, platform: 'h5' },
      fields: [
        { name: 'cashierId', kind: 'id', required: true, sql: lookup() },
        // 扫码买单 takes 1 fen … 50 000 yuan.
        { name: 'amount', kind: 'fen', required: true, sql: [[5_000_001, 400], [9_999_999_999, 400]] },
        platform,
        { name: 'remark', kind: 'string', max: 200 },
      ],
    },
    {
      action: 'pay.sandboxConfirm', as: 'member', valid: { paymentId: '' },
      fields: [{ name: 'paymentId', kind: 'id', required: true, sql: [...lookup(), [() => fx.otherPayment, 404]] }],
    },
    { action: 'queue.myEntries', as: 'member', valid: {}, fields: [...numPage, { name: 'status', kind: 'enum' }, { name: 'queueKey', kind: 'string', max: 100 }] },
    { action: 'queue.entry', as: 'member', valid: { entryId: '1' }, fields: [{ name: 'entryId', kind: 'entryId', required: true, sql: [[() => fx.otherEntry, 404], ['999999999999', 404]] }] },
    {
      action: 'queue.progress', as: 'member', valid: { queueKey: 'product:p1' },
      fields: [...numPage, { name: 'queueKey', kind: 'string', required: true, max: 100, sql: lookup() }],
    },
    { action: 'queue.draw', as: 'member', valid: { entryId: '1' }, fields: [{ name: 'entryId', kind: 'entryId', required: true, sql: [[() => fx.otherEntry, 404]] }] },
    { action: 'queue.exchangePreview', as: 'member', valid: { entryId: '1' }, fields: [{ name: 'entryId', kind: 'entryId', required: true, sql: [[() => fx.otherEntry, 404]] }] },
    {
      action: 'queue.exchange', as: 'member', valid: { entryId: '1', to: 'points' },
      fields: [{ name: 'entryId', kind: 'entryId', required: true, sql: [[() => fx.otherEntry, 404]] }, { name: 'to', kind: 'enum', required: true }],
    },
    { action: 'union.overview', as: 'anon', valid: {}, fields: [] },
    { action: 'union.myEntries', as: 'member', valid: {}, fields: [{ name: 'status', kind: 'enum' }] },
    { action: 'union.entry', as: 'member', valid: { seq: '1' }, fields: [{ name: 'seq', kind: 'entryId', required: true, sql: [['999999999999', 404]] }] },
    { action: 'wallet.summary', as: 'member', valid: {}, fields: [] },
    { action: 'wallet.history', as: 'member', valid: {}, fields: [...numPage, { name: 'balance', kind: 'enum' }] },
    {
      // The shopper's wallet is empty: every amount the schema accepts is refused by the SQL (min 100, max 199999, balance).
      action: 'wallet.withdraw', as: 'member', valid: { amount: 100 },
      fields: [{ name: 'amount', kind: 'fen', required: true, sql: [[100, 400], [99, 400], [200_000, 400], [5000, 400]] }, { name: 'from', kind: 'enum' }],
    },
    { action: 'wallet.withdrawals', as: 'member', valid: {}, fields: page },
    { action: 'transfer.lookup', as: 'member', valid: { code: '' }, fields: [memberCode()] },
    {
      // The shopper has no points: every amount the schema accepts is refused by the SQL (balance).
      action: 'transfer.send', as: 'member', valid: { code: '', kind: 'points', amount: 1, requestId: 'req-malformed-1' },
      fields: [
        memberCode(),
        { name: 'kind', kind: 'enum', required: true },
        { name: 'amount', kind: 'fen', required: true, sql: [[1, 400], [10_000_000_000, 400]] },
        { name: 'requestId', kind: 'id', required: true, sql: [['short', 400], ['has space in it', 400], ["r' OR '1'='1", 400]] },
      ],
    },
    { action: 'transfer.list', as: 'member', valid: {}, fields: numPage },
    { action: 'promoter.inviteCode', as: 'member', valid: { platform: 'h5' }, fields: [platform] },
    { action: 'promoter.bind', as: 'member', valid: { scene: 'i=ABCDEFGH' }, fields: [{ name: 'scene', kind: 'string', required: true, max: 64 }] },
    { action: 'promoter.team', as: 'member', valid: { tier: 'direct' }, fields: [...page.slice(1), { name: 'cursor', kind: 'numCursor' }, { name: 'tier', kind: 'enum', required: true }] },
    { action: 'promoter.rewards', as: 'member', valid: {}, fields: page },
    {
      action: 'merchant.apply', as: 'member',
      valid: { storeName: '店', contactName: '张三', phone: '13800000000', address: '某路 1 号', category: '餐饮', licenseNo: 'L1', intro: '' },
      fields: [
        { name: 'storeName', kind: 'text', required: true, max: 40 },
        { name: 'contactName', kind: 'text', required: true, max: 20 },
        { name: 'phone', kind: 'phone', required: true },
        { name: 'address', kind: 'text', required: true, max: 100 },
        { name: 'category', kind: 'text', required: true, max: 20 },
        { name: 'licenseNo', kind: 'text', required: true, max: 40 },
        { name: 'intro', kind: 'string', required: true, max: 500 },
        { name: 'recruiterScene', kind: 'string', max: 32 },
      ],
    },
    { action: 'merchant.status', as: 'member', valid: {}, fields: [] },
    { action: 'merchant.sales', as: 'member', valid: { range: 'today' }, fields: [{ name: 'range', kind: 'enum', required: true }] },
    { action: 'merchant.cashiers', as: 'member', valid: { platform: 'h5' }, fields: [platform] },
    { action: 'merchant.account', as: 'member', valid: {}, fields: numPage },
    { action: 'inbox.list', as: 'member', valid: {}, fields: numPage },
    { action: 'inbox.markRead', as: 'member', valid: { all: true }, fields: [{ name: 'ids', kind: 'idArray' }, { name: 'all', kind: 'bool' }] },
    { action: 'inbox.templates', as: 'member', valid: {}, fields: [] },
    {
      action: 'inbox.subscribed', as: 'member', valid: { accepted: [], rejected: [] },
      fields: [{ name: 'accepted', kind: 'strArray', required: true }, { name: 'rejected', kind: 'strArray', required: true }],
    },
    { action: 'admin.withdrawals', as: 'operator', valid: {}, fields: [{ name: 'status', kind: 'enum' }] },
    {
      action: 'admin.withdrawalReview', as: 'operator', valid: { withdrawalId: 'W1', approve: true },
      fields: [{ name: 'withdrawalId', kind: 'id', required: true, sql: lookup() }, { name: 'approve', kind: 'bool', required: true }, { name: 'reason', kind: 'string', max: 100 }],
    },
    {
      action: 'admin.merchantReview', as: 'operator', valid: { applicationId: 'M1', approve: false },
      fields: [
        { name: 'applicationId', kind: 'id', required: true, sql: lookup() },
        { name: 'approve', kind: 'bool', required: true },
        { name: 'reason', kind: 'string', max: 100 },
        { name: 'commission', kind: 'ratio' },
      ],
    },
    {
      action: 'admin.refundReview', as: 'operator', valid: { outRefundNo: 'R1', approve: true },
      fields: [{ name: 'outRefundNo', kind: 'id', required: true, sql: lookup() }, { name: 'approve', kind: 'bool', required: true }, { name: 'reason', kind: 'string', max: 100 }],
    },
  ];
}

/** A JSON value written into the body verbatim (numbers JSON.stringify cannot produce). */
class Raw {
  constructor(readonly text: string) {}
}

const NUL = 'a\u0000b';
const SURROGATE = 'a\ud800b';

/** Values the schema refuses for a field of this kind (whatever the rest of the request). */
function badValues(f: Field): unknown[] {
  const notString = [12345, true, {}, [], ...(f.nullable || f.kind === 'cursor' ? [] : [null])];
  const notNumber = ['100', true, {}, [], null];
  switch (f.kind) {
    case 'id':
      return [...notString, '', 'x'.repeat(65), NUL, SURROGATE];
    case 'text':
      return [...notString, 'x'.repeat((f.max ?? 100) + 1), '中'.repeat((f.max ?? 100) + 1), NUL, SURROGATE, ...(f.required ? ['', '   '] : [])];
    case 'string':
      return [...notString, 'x'.repeat((f.max ?? 100) + 1), '😀'.repeat((f.max ?? 100) + 1), NUL, SURROGATE];
    case 'fen':
      return [...notNumber, -1, 0, -0.5, 0.5, 100.5, 1e-7, 10_000_000_001, 1e20, -1e20, 2 ** 53, Number.MAX_VALUE, new Raw('1e400'), new Raw('-1e400'), 'NaN'];
    case 'limit':
      return [...notNumber, 0, -1, 51, 1.5, 1e9, new Raw('1e400')];
    case 'bool':
      return ['true', 'false', 1, 0, null, [], {}];
    case 'enum':
      return ['nope', '', 'WEAPP', 1, null, ["h5"], NUL];
    case 'cursor':
      return [12345, true, {}, [], 'x'.repeat(65)];
    case 'numCursor':
      // Ours are ids/offsets written as digit strings: anything else is refused (by the SQL when the schema lets it through).
      return [12345, true, {}, [], 'x'.repeat(65), 'abc', '-1', '1e3', '1.5', ' 1', '99999999999999999999', "1' or '1'='1", NUL];
    case 'entryId':
      return [5, true, null, {}, '', 'abc', '-1', '1.5', '1'.repeat(19), "1' or 1=1 --", SURROGATE];
    case 'lines':
      return ['p1', 1, null, {}, []];
    case 'idArray':
      return ['1', 1, null, {}, Array.from({ length: 101 }, (_, i) => String(i + 1))];
    case 'strArray':
      return ['x', 1, null, {}, Array.from({ length: 21 }, () => 'tpl')];
    case 'phone':
      return [...notString, '', 'abc', '123', '1'.repeat(21), '138-0000-0000x', NUL];
    case 'url':
      return [12345, true, {}, [], 'not a url', `https://example.com/${'a'.repeat(500)}`, `https://x/${NUL}`];
    case 'ratio':
      return [10, true, null, 'abc', '1000', '12.345', '-5', ''];
  }
}

/** Values refused at a sub-path (arrays of objects): [value, expected field, status]. */
function nestedBad(f: Field): [unknown, string, number][] {
  const l = (lines: unknown[], field: string, status = 400): [unknown, string, number] => [lines, field, status];
  switch (f.kind) {
    case 'lines':
      return [
        l([{}], 'lines[0].productId'),
        l([null], 'lines[0]'),
        l(['p1'], 'lines[0]'),
        l([{ productId: 'p1' }], 'lines[0].quantity'),
        l([{ quantity: 1 }], 'lines[0].productId'),
        l([{ productId: 1, quantity: 1 }], 'lines[0].productId'),
        l([{ productId: '', quantity: 1 }], 'lines[0].productId'),
        l([{ productId: 'p1', quantity: 0 }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: -1 }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: 1.5 }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: 1000 }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: 1e20 }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: '1' }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: new Raw('1e400') }], 'lines[0].quantity'),
        l([{ productId: 'p1', quantity: 1, price: 1 }], 'lines[0].price'),
        l([{ productId: 'p1', quantity: 1 }, { productId: 'p2', quantity: 1, paid: 0 }], 'lines[1].paid'),
        l(Array.from({ length: 21 }, () => ({ productId: 'p1', quantity: 1 })), 'lines'),
        l([{ productId: NUL, quantity: 1 }], 'lines[0].productId'),
        // Refused by the SQL: unknown or off-sale products, duplicates, more than the stock.
        l([{ productId: 'nope', quantity: 1 }], 'lines[0].productId'),
        l([{ productId: "p1' OR '1'='1", quantity: 1 }], 'lines[0].productId'),
        l([{ productId: '测试大米', quantity: 1 }], 'lines[0].productId'),
        l([{ productId: 'p1', quantity: 1 }, { productId: 'p1', quantity: 2 }], 'lines[1].productId'),
        l([{ productId: 'p1', quantity: 1 }, { productId: 'zzz', quantity: 2 }], 'lines[1].productId'),
        l([{ productId: 'p1', quantity: 999 }], 'lines[0].quantity'),
      ];
    case 'idArray':
      return [
        [['x'], `${f.name}[0]`, 400],
        [[1], `${f.name}[0]`, 400],
        [['1', '-2'], `${f.name}[1]`, 400],
        [['1'.repeat(19)], `${f.name}[0]`, 400],
      ];
    case 'strArray':
      return [
        [[1], `${f.name}[0]`, 400],
        [[null], `${f.name}[0]`, 400],
        [['x'.repeat(65)], `${f.name}[0]`, 400],
        [['ok', SURROGATE], `${f.name}[1]`, 400],
      ];
    default:
      return [];
  }
}

interface Case {
  label: string;
  action: string | null;
  token: string | null;
  body: string;
  status: number | number[];
  field: string | null;
}

function encode(obj: Record<string, unknown>): string {
  const raws: string[] = [];
  const text = JSON.stringify(obj, (_k, v) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `__RAW_${raws.length - 1}__`;
    }
    return v;
  });
  return text.replace(/"__RAW_(\d+)__"/g, (_m, i) => raws[Number(i)]);
}

function resolve(v: unknown): unknown {
  return typeof v === 'function' ? (v as () => unknown)() : v;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const s of specs()) {
    const tokens = s.as === 'operator' ? [operator] : s.as === 'anon' ? [b.anonKey, member] : [member];
    const token = tokens[0];
    const valid = { ...s.valid };
    for (const k of ['orderId', 'paymentId']) if (k in valid) valid[k] = k === 'orderId' ? fx.ownUnpaid : 'wx-nope';
    if ('entryId' in valid) valid.entryId = fx.ownEntry;
    if ('code' in valid) valid.code = fx.otherCode;
    const add = (label: string, body: Record<string, unknown>, field: string | null, status: number | number[] = 400, tk = token) =>
      out.push({ label: `${s.action}: ${label}`, action: s.action, token: tk, body: encode({ action: s.action, ...body }), status, field });

    // Fields nobody asked for, at the top level.
    for (const tk of tokens) {
      add('extra field', { ...valid, extra: 1 }, 'extra', 400, tk);
      add('extra nested object', { ...valid, role: { admin: true } }, 'role', 400, tk);
    }
    add('a field named like another', { ...valid, Action: s.action }, 'Action');
    out.push({ label: `${s.action}: __proto__`, action: s.action, token, body: encode({ action: s.action, ...valid }).replace(/^\{/, '{"__proto__":{"admin":true},'), status: 400, field: '__proto__' });
    out.push({ label: `${s.action}: constructor`, action: s.action, token, body: encode({ action: s.action, ...valid }).replace(/^\{/, '{"constructor":{"prototype":1},'), status: 400, field: 'constructor' });

    for (const f of s.fields) {
      if (f.required) {
        const { [f.name]: _gone, ...rest } = valid;
        add(`missing ${f.name}`, rest, f.name);
      }
      for (const v of badValues(f)) add(`${f.name} = ${encode({ v }).slice(5, 45)}`, { ...valid, [f.name]: v }, f.name);
      for (const [v, field, status] of nestedBad(f)) add(`${field} in ${encode({ v }).slice(5, 60)}`, { ...valid, [f.name]: v }, field, status);
      for (const [v, status] of f.sql ?? []) add(`${f.name} = ${String(resolve(v)).slice(0, 40)} (refused by the database)`, { ...valid, [f.name]: resolve(v) }, f.name, status);
    }
  }

  // Refused by the SQL validators only (the schema lets them through).
  const sqlOnly = (action: string, params: Record<string, unknown>, field: string | null, status = 400) =>
    out.push({ label: `${action}: ${JSON.stringify(params)} (refused by the database)`, action, token: member, body: encode({ action, ...params }), status, field });
  sqlOnly('inbox.markRead', {}, 'ids');
  sqlOnly('inbox.markRead', { all: false }, 'ids');
  sqlOnly('orders.preview', { ...cartValid, lines: [{ productId: 'p1', quantity: 101 }] }, 'lines[0].quantity');
  sqlOnly('orders.checkout', { ...cartValid, platform: 'weapp', lines: [{ productId: 'p2', quantity: 1 }, { productId: 'p1', quantity: 1 }, { productId: 'p2', quantity: 3 }] }, 'lines[2].productId');

  // Whole-body problems.
  const body = (label: string, text: string, field: string | null, status: number | number[] = 400, token: string | null = member) =>
    out.push({ label: `body: ${label}`, action: null, token, body: text, status, field });
  body('not JSON', '{', 'body');
  body('truncated', '{"action":"user.profile"', 'body');
  body('missing value', '{"action":}', 'body');
  body('single quotes', "{'action':'user.profile'}", 'body');
  body('trailing comma', '{"action":"user.profile",}', 'body');
  body('comments', '{"action":"user.profile" /* hi */}', 'body');
  body('NaN literal', '{"action":"wallet.withdraw","amount":NaN}', 'body');
  body('Infinity literal', '{"action":"wallet.withdraw","amount":Infinity}', 'body');
  body('hex number', '{"action":"wallet.withdraw","amount":0x10}', 'body');
  body('leading zero', '{"action":"wallet.withdraw","amount":0100}', 'body');
  body('raw control character', '{"action":"user.profile","x":"a\u0001b"}', 'body');
  body('an array', '[{"action":"user.profile"}]', 'body');
  body('a string', '"user.profile"', 'body');
  body('a number', '42', 'body');
  body('null', 'null', 'body');
  body('true', 'true', 'body');
  body('empty (no action)', '', 'action');
  body('empty object', '{}', 'action');
  body('escaped NUL in a key', '{"action":"user.profile","a\\u0000":1}', 'a\u0000');
  body('lone surrogate in a value', '{"action":"user.profile","x":"\\udc00"}', 'x');
  body('deep nesting', `{"action":"user.profile","x":${'['.repeat(40)}${']'.repeat(40)}}`, 'x' + '[0]'.repeat(15));
  body('very deep nesting', `{"action":"user.profile","x":${'['.repeat(20000)}${']'.repeat(20000)}}`, 'x' + '[0]'.repeat(15));
  body('oversized (1 MB)', encode({ action: 'orders.checkout', ...cartValid, platform: 'h5', remark: 'x'.repeat(1 << 20) }), 'body', 413);
  body('oversized (65 KB of fields)', encode({ action: 'user.profile', ...Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, i])) }), 'body', 413);
  body('long remark under the size limit', encode({ action: 'orders.checkout', ...cartValid, platform: 'h5', remark: '备注'.repeat(5000) }), 'remark');
  body('oversized, signed out', encode({ action: 'catalog.home', pad: 'x'.repeat(200_000) }), 'body', 413, b.anonKey);

  // Actions that do not exist.
  for (const action of ['wallet.steal', '', ' ', 'USER.PROFILE', 'user.profile ', 'user.profile\u200b', 'user', 'user.', '.profile', '__proto__', 'constructor',
    'toString', 'hasOwnProperty', 'admin.withdrawalReview.x', "user.profile'; --", '用户.资料', 'a'.repeat(10_000)]) {
    out.push({ label: `unknown action ${JSON.stringify(action).slice(0, 30)}`, action: null, token: member, body: encode({ action }), status: 400, field: 'action' });
  }
  for (const action of [123, true, null, [], {}, ['user.profile'], { name: 'user.profile' }]) {
    out.push({ label: `action of type ${JSON.stringify(action)}`, action: null, token: member, body: encode({ action }), status: 400, field: 'action' });
  }
  out.push({ label: 'unknown action, signed out', action: null, token: b.anonKey, body: encode({ action: 'wallet.steal' }), status: 400, field: 'action' });
  return out;
}

// ------------------------------------------------------------------ the run

async function send(c: Case): Promise<{ status: number; body: any; contentType: string | null }> {
  const res = await fetch(`${b.url}/api`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(c.token ? { Authorization: `Bearer ${c.token}`, apikey: b.anonKey } : {}) },
    body: c.body,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // leave as text: the assertion below shows it
  }
  return { status: res.status, body, contentType: res.headers.get('content-type') };
}

test('every malformed request is a 4xx naming the field, and changes nothing', async () => {
  const all = cases();
  const ledgerBefore = await ledgerChecksum(b.db.sql);
  const stateBefore = await stateChecksum(b.db.sql);

  const wrong: string[] = [];
  const statuses = new Map<number, number>();
  const queue = [...all];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await send(c);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const allowed = Array.isArray(c.status) ? c.status : [c.status];
        const err = r.body?.error;
        const ok =
          allowed.includes(r.status) &&
          /^application\/json/.test(r.contentType ?? '') &&
          err && typeof err === 'object' &&
          err.field === c.field &&
          typeof err.message === 'string' && err.message.length > 0;
        if (!ok) wrong.push(`${c.label}: want ${allowed.join('|')} field ${JSON.stringify(c.field)}, got ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }
    }),
  );
  // Give anything a request might have started in the background a moment, then compare.
  await sleep(200);
  expect(wrong).toEqual([]);
  expect(await ledgerChecksum(b.db.sql)).toBe(ledgerBefore);
  expect(await stateChecksum(b.db.sql)).toBe(stateBefore);

  // The table covers every action of the contract (and the operator ones), and is big.
  const { API_ACTIONS } = await import('@contract');
  const covered = new Set(all.map((c) => c.action).filter(Boolean));
  expect(API_ACTIONS.filter((a) => !covered.has(a))).toEqual([]);
  expect(all.length).toBeGreaterThanOrEqual(200);
  // Nothing but client errors.
  expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  console.log(`api-malformed: ${all.length} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
});

test('the checksums notice a change (so the test above can fail)', async () => {
  const ledgerBefore = await ledgerChecksum(b.db.sql);
  const stateBefore = await stateChecksum(b.db.sql);
  const ok = await b.call('api', { action: 'orders.checkout', ...cartValid, platform: 'h5' }, member);
  expect(ok.status).toBe(200);
  expect(await stateChecksum(b.db.sql)).not.toBe(stateBefore);
  // An unpaid order moves no money yet; paying it does.
  expect(await ledgerChecksum(b.db.sql)).toBe(ledgerBefore);
  expect((await b.call('api', { action: 'pay.sandboxConfirm', paymentId: ok.body.payment.paymentId }, member)).status).toBe(200);
  expect(await ledgerChecksum(b.db.sql)).not.toBe(ledgerBefore);
});
