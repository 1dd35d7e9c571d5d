// The operator console (admin/dist) at 1440×900 against the whole local
// stack (real Postgres, the edge functions under Deno, the WeChat sandbox),
// with shoppers acting through the `api` function and the H5 build:
//   - the operator changes the extraction ratio and a shopper's next order is
//     allocated with it;
//   - turns the lottery on and a shopper draws in the H5 app;
//   - creates a product with an image and it appears in the shop;
//   - approves a merchant application and the merchant sees its cashier QR;
//   - approves a refund (admin) and a withdrawal (finance);
//   - the audit log shows each with the operator's name.
// Screens are saved as test/e2e/screenshots/admin/<name>.png.
//
// Figures: p-tea (seed) costs 10000 fen, ratio 100 (base default), no
// extraction ratio of its own, so the base one applies: at 40% the next
// order pays 10000 × 40% = 4000 fen to the entry ahead (at the default 10%
// it would be 1000).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { launchChromium, PHONE, startLocalStack, type LocalStack } from '../../scripts/bench/h5-app';
import { createOperator } from '../../scripts/operator';

const SCREENSHOTS = join(__dirname, 'screenshots', 'admin');
const RUN = Date.now().toString(36);
const DESKTOP = { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

const ADMIN = { login: `ops${RUN}`, name: '运营小王', role: 'admin' as const, password: 'e2e-admin-pass' };
const FINANCE = { login: `fin${RUN}`, name: '财务小李', role: 'finance' as const, password: 'e2e-finance-pass' };

const TEA = 'p-tea';
const TEA_PRICE = 10000;
const NEW_EXTRACT = '40';
const ALLOCATED = 4000;
const PRODUCT_TITLE = `控制台新品·手工桂花糕 ${RUN}`;

let stack: LocalStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let finance: Page;

interface Shopper {
  name: string;
  token: string;
  memberId: string;
}

function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // let messages and drawer animations settle for a readable picture
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

// ------------------------------------------------------------ shoppers (api)

async function fn<T = any>(name: string, body: object, token?: string): Promise<T> {
  const res = await fetch(`${stack.functionsUrl}/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? stack.anonKey}`, apikey: stack.anonKey },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${name} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

async function shopper(name: string): Promise<Shopper> {
  const r = await fn('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  return { name, token: r.session.access_token, memberId: r.user.id };
}

const api = <T = any>(s: Shopper, action: string, params: object = {}) => fn<T>('api', { action, ...params }, s.token);

/** Checkout + sandbox payment of one unit; returns the order and its first queue entry. */
async function buy(s: Shopper, productId: string): Promise<{ orderId: string; entryId: string }> {
  const c = await api(s, 'orders.checkout', { lines: [{ productId, quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' });
  if (c.payment.kind === 'sandbox') await api(s, 'pay.sandboxConfirm', { paymentId: c.payment.paymentId });
  const detail = await api(s, 'orders.detail', { orderId: c.orderId });
  expect(detail.order.status).toBe('paid');
  return { orderId: c.orderId, entryId: detail.order.entries[0]?.entryId ?? '' };
}

async function myEntry(s: Shopper, entryId: string): Promise<{ paid: number; canDraw: boolean; ratio: string }> {
  return (await api(s, 'queue.entry', { entryId })).entry;
}

// ------------------------------------------------------------ H5 (phone)

async function h5(user: string, route: string): Promise<Page> {
  const context = await browser.newContext(PHONE);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${stack.h5Url}/?devUser=${encodeURIComponent(user)}#${route}`);
  return page;
}

/** A visible Taro page that has left its loading state and finished sliding in. */
async function h5Screen(page: Page, name: string): Promise<Locator> {
  const root = page.locator(`[data-testid="page-${name}"]:visible`);
  await expect(root).toBeVisible();
  await expect(root.locator('[data-testid$="-loading"]')).toHaveCount(0);
  await expect
    .poll(() =>
      root.evaluate((el) => {
        const host = (el.closest('.taro_page') as HTMLElement | null) ?? el;
        return host.getAnimations().some((a) => a.playState === 'running') ? -1 : Math.round(host.getBoundingClientRect().left);
      }),
    )
    .toBe(0);
  return root;
}

/** A finger tap at the element's centre (Taro's pull-to-refresh wrapper confuses Playwright's hit check). */
async function tap(target: Locator): Promise<void> {
  await expect(target).toBeVisible();
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('element has no box');
  await target.page().mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

// ------------------------------------------------------------ console

async function consolePage(): Promise<Page> {
  const context = await browser.newContext(DESKTOP);
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, account: { login: string; password: string; name: string }, screenshot?: string): Promise<void> {
  await page.goto(`${stack.adminUrl}/login`);
  await page.locator('#login-account').fill(account.login);
  await page.locator('#login-password').fill(account.password);
  if (screenshot) await shot(page, screenshot);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('operator-name')).toContainText(account.name);
  await page.waitForLoadState('networkidle');
}

/** Confirms the open popconfirm, then waits until it has faded out: antd animates it away, and the next one must be the only one. */
async function confirmPopup(page: Page, name: string | RegExp = /确\s*定|OK/): Promise<void> {
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name }).click();
  await expect(page.locator('.ant-popconfirm:visible')).toHaveCount(0);
}

/** Opens a console route through the side menu's link target (a full load keeps each step independent). */
async function go(page: Page, path: string): Promise<void> {
  await page.goto(`${stack.adminUrl}${path}`);
  await expect(page.locator('.ant-pro-layout')).toBeVisible();
}

/** Saves the settings form: the diff dialog lists `expect` rows, then confirm. */
async function saveSettings(page: Page, rows: [label: string, before: string, after: string][], screenshot: string): Promise<void> {
  await page.getByTestId('settings-save').click();
  const diff = page.getByTestId('settings-diff');
  await expect(diff).toBeVisible();
  for (const [label, before, after] of rows) {
    const row = diff.locator('tr', { hasText: label });
    await expect(row).toContainText(before);
    await expect(row).toContainText(after);
  }
  // A change that newly raises a compliance flag (SPEC §9) needs the operator's acknowledgement first.
  const acknowledge = page.getByTestId('settings-acknowledge');
  if (await acknowledge.count()) {
    await expect(page.getByTestId('settings-confirm')).toBeDisabled();
    await acknowledge.check();
  }
  await shot(page, screenshot);
  await page.getByTestId('settings-confirm').click();
  await expect(page.getByText('设置已保存，操作已记录到日志')).toBeVisible();
  await expect(diff).toBeHidden();
}

/** A small PNG (solid colour with a darker band), made here: the backend checks the bytes are an image. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      const band = y > height * 0.4 && y < height * 0.6;
      raw[o] = band ? 0xd4 : 0xfa;
      raw[o + 1] = band ? 0x38 : 0x8c;
      raw[o + 2] = band ? 0x0d : 0x16;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// ------------------------------------------------------------ the run

test.describe.configure({ mode: 'serial' });

test.describe('operator console', () => {
  let alice: Shopper;
  let bob: Shopper;
  let carol: Shopper;
  let aliceTea: { orderId: string; entryId: string };

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startLocalStack();
    await createOperator(stack.sql, ADMIN);
    await createOperator(stack.sql, FINANCE);
    browser = await launchChromium(stack.apiUrl);
    admin = await consolePage();
    finance = await consolePage();
    [alice, bob, carol] = [await shopper(`e2e-ops-a-${RUN}`), await shopper(`e2e-ops-b-${RUN}`), await shopper(`e2e-ops-c-${RUN}`)];
    await stack.sql`update app.profiles set nickname = '茶客甲' where member_id = ${alice.memberId}`;
  });

  test.afterAll(async ({}, info) => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (info.status !== 'passed' || process.env.E2E_STACK_LOGS) console.log(stack?.logs.slice(-200).join('\n'));
    await stack?.stop();
  });

  test('sign-in: a wrong password is refused, the operator signs in, a forged session goes back to sign-in', async () => {
    await admin.goto(`${stack.adminUrl}/settings`);
    await expect(admin).toHaveURL(/\/login\?next=%2Fsettings$/);
    await admin.locator('#login-account').fill(ADMIN.login);
    await admin.locator('#login-password').fill('not-the-password');
    await admin.getByTestId('login-submit').click();
    await expect(admin.getByTestId('login-error')).toBeVisible();
    await shot(admin, 'login-refused');

    await signIn(admin, ADMIN, 'login');
    await shot(admin, 'dashboard');

    // A token the server does not know: the first request answers 401 and the console returns to sign-in.
    const forged = await consolePage();
    await forged.goto(`${stack.adminUrl}/login`);
    await forged.evaluate(
      (op) => localStorage.setItem('qrm.admin.session', JSON.stringify({ token: 'forged.token.value', expiresAt: 4102444800, operator: op })),
      { id: 'x', login: 'x', name: '伪造', role: 'admin', access: {} },
    );
    await forged.goto(`${stack.adminUrl}/settings`);
    await expect(forged).toHaveURL(/\/login/);
  });

  test("the operator changes the extraction ratio; the shopper's next order is allocated with it", async () => {
    // Alice's entry waits in p-tea's queue before the change.
    aliceTea = await buy(alice, TEA);
    expect((await myEntry(alice, aliceTea.entryId)).paid).toBe(0);

    await go(admin, '/settings');
    await admin.getByTestId('settings-tab-ratios').click();
    const field = admin.getByTestId('setting-extractRatio');
    await expect(field).toHaveValue('10');
    // Validation: extraction above 100% is refused next to the field, nothing sent.
    await field.fill('120');
    await admin.getByTestId('settings-save').click();
    await expect(admin.getByText('不能超过 100%')).toBeVisible();
    await shot(admin, 'settings-invalid');
    await field.fill(NEW_EXTRACT);
    await saveSettings(admin, [['提取比例', '10', NEW_EXTRACT]], 'settings-extract-diff');
    await shot(admin, 'settings-saved');

    // Bob's order: 40% of 10000 goes to Alice's entry ahead of him.
    await buy(bob, TEA);
    expect((await myEntry(alice, aliceTea.entryId)).paid).toBe(ALLOCATED);

    // The console shows the same allocation in the queue's entries.
    await go(admin, '/queues');
    const row = admin.locator('tr', { hasText: `product:${TEA}` });
    await expect(row).toBeVisible();
    await shot(admin, 'queues');
    await row.getByText('明细').click();
    await expect(admin.getByTestId(`entry-paid-${aliceTea.entryId}`)).toHaveText(yuan(ALLOCATED));
    await shot(admin, 'queue-entries');
  });

  test('the operator turns the lottery on; a shopper draws in the shop', async () => {
    await go(admin, '/settings');
    await admin.getByTestId('settings-tab-lottery').click();
    await admin.getByTestId('setting-lottery.on').click();
    await admin.getByTestId('setting-lottery.ratios').fill('100, 130, 150');
    await saveSettings(admin, [['抽奖', '（无）', '130']], 'settings-lottery-diff');

    const carolTea = await buy(carol, TEA);
    expect((await myEntry(carol, carolTea.entryId)).canDraw).toBe(true);
    const page = await h5(carol.name, `/packages/queue/pages/draw/index?id=${carolTea.entryId}`);
    const draw = await h5Screen(page, 'draw');
    await tap(draw.getByTestId('draw-start'));
    const result = draw.getByTestId('draw-result');
    await expect(result).toBeVisible({ timeout: 20_000 });
    const won = /抽中 (\d+)%/.exec((await result.textContent()) ?? '')?.[1];
    expect(['100', '130', '150']).toContain(won);
    await expect(result).toContainText(yuan((TEA_PRICE * Number(won)) / 100));
    await page.screenshot({ path: join(SCREENSHOTS, 'shop-draw-result.png') });
  });

  test('the operator creates a product with an image; it appears in the shop', async () => {
    await go(admin, '/catalogue/products');
    await expect(admin.locator('.ant-table-row').first()).toBeVisible();
    await shot(admin, 'products');
    await admin.getByTestId('product-new').click();
    const drawer = admin.locator('.ant-drawer-content', { hasText: '新建商品' });
    await expect(drawer).toBeVisible();
    await drawer.getByLabel('商品名称').fill(PRODUCT_TITLE);
    await drawer.getByLabel('售价').fill('66.00');
    await drawer.getByLabel('成本价').fill('30');
    await drawer.getByLabel('库存').fill('100');
    await drawer.getByTestId('product-recommended').click();
    await drawer.locator('input[type=file]').setInputFiles({ name: 'osmanthus.png', mimeType: 'image/png', buffer: png(240, 240) });
    await expect(drawer.locator('.ant-upload-list-item img')).toHaveAttribute('src', /\/storage\/v1\/object\/public\//);
    await shot(admin, 'product-new');
    await drawer.getByTestId('product-save').click();
    await expect(admin.getByText(`已保存「${PRODUCT_TITLE}」`)).toBeVisible();
    const row = admin.locator('.ant-table-row', { hasText: PRODUCT_TITLE });
    await expect(row).toBeVisible();
    await expect(row).toContainText(yuan(6600));
    await shot(admin, 'product-created');

    // The shop's home page lists it (recommended, sort 0) with the uploaded image.
    const page = await h5(`e2e-ops-browser-${RUN}`, '/pages/home/index');
    const home = await h5Screen(page, 'home');
    const products = home.getByTestId('home-products');
    await expect(products).toContainText(PRODUCT_TITLE);
    await expect(products).toContainText(yuan(6600));
    const img = products.locator('img[src*="/storage/v1/object/public/"]').first();
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(240);
    await page.screenshot({ path: join(SCREENSHOTS, 'shop-home-new-product.png') });
  });

  test('the operator approves a merchant application; the merchant sees its cashier QR code', async () => {
    const merchant = await shopper(`e2e-ops-m-${RUN}`);
    const applied = await api(merchant, 'merchant.apply', {
      storeName: `桂香小馆 ${RUN}`,
      contactName: '张老板',
      phone: '13800138000',
      address: '杭州市西湖区龙井路 1 号',
      category: '餐饮',
      licenseNo: '91330100MA2XXXXX',
      intro: '杭帮小吃',
    });
    await go(admin, '/merchants/applications');
    await expect(admin.getByTestId(`application-${applied.applicationId}`)).toBeVisible();
    await shot(admin, 'merchant-applications');
    await admin.getByTestId(`review-${applied.applicationId}`).click();
    const modal = admin.locator('.ant-modal-content', { hasText: '审核入驻' });
    await modal.getByLabel('平台佣金比例').fill('8');
    await shot(admin, 'merchant-review');
    await modal.getByTestId('review-submit').click();
    await expect(admin.getByText(/已通过，门店 .+ 已创建/)).toBeVisible();

    const status = await api(merchant, 'merchant.status');
    expect(status.status).toBe('approved');
    expect(status.store.commission).toBe('8');

    // The console's printable code of the store's cashier.
    await go(admin, `/merchants/cashiers?store=${status.store.id}`);
    const qrLink = admin.locator('[data-testid^="cashier-qr-"]').first();
    await qrLink.click();
    const qr = admin.getByTestId('cashier-qr');
    await expect(qr).toBeVisible();
    expect(await qr.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1200);
    await shot(admin, 'cashier-qr');

    // The merchant's own page in the shop.
    const page = await h5(merchant.name, '/packages/merchant/pages/cashiers/index');
    const cashiers = await h5Screen(page, 'merchant-cashiers');
    await expect(cashiers.locator('[data-testid^="cashier-qr-"]').first()).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS, 'shop-merchant-cashier-qr.png') });
  });

  test('the operator turns refund review on and approves a refund; finance approves a withdrawal', async () => {
    await go(admin, '/settings');
    await admin.getByTestId('settings-tab-site').click();
    await admin.getByTestId('setting-site.refundReview').click();
    await saveSettings(admin, [['退款', '关闭', '开启']], 'settings-refund-review-diff');

    // A refund request waits for review.
    const order = await buy(bob, 'p-oil');
    await api(bob, 'orders.refund', { orderId: order.orderId, reason: '买错了' });
    await stack.runJobs();
    await go(admin, '/orders/refunds');
    const refundRow = admin.locator('.ant-table-row', { hasText: order.orderId });
    await expect(refundRow).toBeVisible();
    await shot(admin, 'refunds');
    await refundRow.locator('[data-testid^="approve-"]').click();
    await admin.locator('[data-testid^="approve-confirm-"]').click();
    await expect(admin.getByText('已通过')).toBeVisible();
    await expect(refundRow).toBeHidden();
    // WeChat (the sandbox) refunds it and notifies: the order ends refunded.
    await expect
      .poll(
        async () => {
          await stack.runJobs();
          return (await api(bob, 'orders.detail', { orderId: order.orderId })).order.status;
        },
        { timeout: 30_000 },
      )
      .toBe('refunded');

    // Alice's tea order completes: her payouts become available; she withdraws ¥30.00.
    await stack.sql`update app.orders set complete_due_at = now() where id = ${aliceTea.orderId} and status = 'paid'`;
    await stack.runJobs();
    const w = await api(alice, 'wallet.withdraw', { amount: 3000 });
    expect(w.status).toBe('reviewing');

    // Finance reviews withdrawals; it has no settings page.
    await signIn(finance, FINANCE, 'login-finance');
    await expect(finance.getByTestId('menu-/settings')).toHaveCount(1); // may view settings
    await expect(finance.getByTestId('menu-/operators')).toHaveCount(0); // manages no accounts
    await go(finance, '/settings');
    await expect(finance.getByTestId('settings-save')).toHaveCount(0);
    await go(finance, '/orders/withdrawals');
    const wRow = finance.locator('.ant-table-row', { hasText: w.withdrawalId });
    await expect(wRow).toContainText(yuan(3000));
    await shot(finance, 'withdrawals');
    await finance.getByTestId(`approve-${w.withdrawalId}`).click();
    await finance.getByTestId(`approve-confirm-${w.withdrawalId}`).click();
    await expect(finance.getByText('已通过')).toBeVisible();
    await expect(wRow).toBeHidden();
    const mine = await api(alice, 'wallet.withdrawals');
    expect(mine.items.find((x: { withdrawalId: string }) => x.withdrawalId === w.withdrawalId)?.status).not.toBe('reviewing');
    // Refund review is an admin / support right: finance does not get the button.
    await go(finance, '/orders/refunds');
    await expect(finance.locator('[data-testid^="approve-"]')).toHaveCount(0);
  });

  test("the audit log shows each change with the operator's name", async () => {
    await go(admin, '/audit');
    const table = admin.locator('.ant-table-tbody');
    const expectRow = async (action: string, who: string) => {
      const row = table.locator('tr', { has: admin.locator('[data-testid="audit-action"]', { hasText: new RegExp(`^${action.replace('.', '\\.')}$`) }) }).first();
      await expect(row).toBeVisible();
      await expect(row.getByTestId('audit-operator')).toHaveText(who);
    };
    await expectRow('settings.update', ADMIN.name);
    await expectRow('catalog.productSave', ADMIN.name);
    await expectRow('merchants.review', ADMIN.name);
    await expectRow('refunds.review', ADMIN.name);
    await expectRow('withdrawals.review', FINANCE.name);
    await shot(admin, 'audit');
    // Before / after of the extraction change.
    const settingsRow = table.locator('tr', { hasText: 'settings.update' }).last();
    await settingsRow.getByText('查看前后对比').click();
    const modal = admin.locator('.ant-modal-content', { hasText: '修改前' });
    await expect(modal.locator('tr', { hasText: '提取比例' })).toContainText(NEW_EXTRACT);
    await shot(admin, 'audit-diff');
  });

  test('bulk listing from a CSV: good rows are listed, bad rows reported by row and field', async () => {
    const long = '长'.repeat(61);
    const csv = ['商品名称,售价(元),供货价(元),库存', `供应链桂圆 ${RUN},29.90,18.00,200`, `供应链红枣 ${RUN},19.9,12,300`, `坏价格 ${RUN},abc,12,1`, `${long},10,5,1`].join('\n');
    await go(admin, '/catalogue/import');
    await admin.locator('input[type=file]').setInputFiles({ name: '供应链商品.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect(admin.getByTestId('import-errors')).toContainText('售价');
    await admin.getByTestId('import-submit').click();
    await expect(admin.getByTestId('import-result')).toHaveText('已上架 2 个商品，2 行未通过');
    const errors = admin.getByTestId('import-errors');
    await expect(errors.locator('tr', { hasText: 'price' }).first()).toContainText('4');
    await expect(errors.locator('tr', { hasText: 'title' }).first()).toContainText('5');
    await shot(admin, 'bulk-import');
    await go(admin, '/catalogue/products');
    await expect(admin.locator('.ant-table-row', { hasText: `供应链桂圆 ${RUN}` })).toContainText(yuan(2990));
  });

  test('order and member details, one-click enable, queue pause / resume and run due', async () => {
    await go(admin, '/orders/list');
    await admin.locator('.ant-table-row', { hasText: aliceTea.orderId }).getByText('详情').click();
    const order = admin.locator('.ant-drawer-content', { hasText: '订单详情' });
    await expect(order.getByTestId('order-entries')).toContainText(yuan(TEA_PRICE));
    await expect(order.locator('.ant-card', { hasText: '账务流水' }).locator('.ant-table-row').first()).toBeVisible();
    await shot(admin, 'order-detail');

    await go(admin, '/members/list');
    await admin.getByText('茶客甲').click();
    const member = admin.locator('.ant-drawer-content', { hasText: '会员详情' });
    await expect(member.locator('.ant-card', { hasText: '钱包' })).toContainText('可提现');
    await expect(member.getByText(/排队（\d+）/)).toBeVisible();
    await shot(admin, 'member-detail');

    await go(admin, '/settings');
    await admin.getByTestId('settings-enable-all').click();
    await confirmPopup(admin, '确认开启');
    await expect(admin.getByText(/已为 \d+ 个商品开启排队返利/)).toBeVisible();

    await go(admin, '/queues');
    const key = `product:${TEA}`;
    await admin.getByTestId(`queue-pause-${key}`).click();
    await confirmPopup(admin);
    await expect(admin.getByText('队列已暂停')).toBeVisible();
    await expect(admin.locator('tr', { hasText: key })).toContainText('已暂停');
    await shot(admin, 'queue-paused');
    await admin.getByTestId(`queue-pause-${key}`).click();
    await confirmPopup(admin);
    await expect(admin.getByText('队列已恢复')).toBeVisible();
    await admin.getByRole('button', { name: '立即执行到期清算' }).click();
    await confirmPopup(admin);
    await expect(admin.getByText(/已执行到期的清零与结算|当前没有到期的任务/)).toBeVisible();
  });

  test('every page of the route table opens without an error from the admin function', async () => {
    // Found from the route table itself (admin/src/routes.tsx), not a hand list.
    const table = readFileSync(join(__dirname, '..', '..', 'admin', 'src', 'routes.tsx'), 'utf8');
    const paths = [...table.matchAll(/path: '([^']+)'[^\n]*page: page\(/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(15);
    const failures: string[] = [];
    admin.on('response', (res) => {
      if (res.url().endsWith('/functions/v1/admin') && res.status() >= 400) failures.push(`${admin.url()}: ${res.status()} ${res.request().postData()}`);
    });
    for (const path of paths) {
      await go(admin, path);
      await admin.waitForLoadState('networkidle');
      await expect(admin.locator('.ant-result-403, .ant-result-404')).toHaveCount(0);
      await shot(admin, `page${path.replace(/\//g, '-')}`);
    }
    expect(failures).toEqual([]);
  });

  test('sign-out returns to the sign-in page', async () => {
    await go(admin, '/dashboard');
    await admin.getByTestId('operator-menu').hover();
    await admin.getByText('退出登录').click();
    await expect(admin).toHaveURL(/\/login/);
    await admin.goto(`${stack.adminUrl}/settings`);
    await expect(admin).toHaveURL(/\/login\?next=%2Fsettings$/);
  });
});
