// SPEC §9 in the operator console (1440×900, the whole local stack):
//   - the liability dashboard after three shoppers bought the seed's tea:
//     outstanding, paid to date, inflow and days to clear, by value;
//   - a settings change that raises a compliance flag (default ratio 130%)
//     shows the flag with its amount and is saved only once acknowledged; the
//     audit log names the operator;
//   - the what-if simulator runs in the browser's web worker.
// Screens: test/e2e/screenshots/admin/liability-*.png.
//
// Figures: p-tea costs 10000 fen, ratio 100, extraction 10%: three orders
// give 3 × 1000 of inflow today and pay the first buyer 2000: the queue owes
// 8000 + 10000 + 10000 = 28000 and clears in ceil(7 × 28000 / 3000) = 66
// days at the mean (¥4.29 a day).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchChromium, startLocalStack, type LocalStack } from '../../scripts/bench/h5-app';
import { createOperator } from '../../scripts/operator';

const SCREENSHOTS = join(__dirname, 'screenshots', 'admin');
const RUN = Date.now().toString(36);
const DESKTOP = { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const ADMIN = { login: `liab${RUN}`, name: '风控小周', role: 'admin' as const, password: 'e2e-liability-pass' };

let stack: LocalStack;
let browser: Browser;
let page: Page;

async function fn<T = any>(name: string, body: object, token?: string): Promise<T> {
  const res = await fetch(`${stack.functionsUrl}/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? stack.anonKey}`, apikey: stack.anonKey },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${name}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

async function buyTea(name: string): Promise<void> {
  const token = (await fn('wechat-login', { code: `sandbox:${name}`, platform: 'h5' })).session.access_token;
  const c = await fn('api', { action: 'orders.checkout', lines: [{ productId: 'p-tea', quantity: 1 }], usePoints: false, useLove: false, useCoupon: false, platform: 'h5' }, token);
  if (c.payment.kind === 'sandbox') await fn('api', { action: 'pay.sandboxConfirm', paymentId: c.payment.paymentId }, token);
}

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(1500); // charts (ECharts animates for about a second) and messages settle
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function go(path: string): Promise<void> {
  await page.goto(`${stack.adminUrl}${path}`);
  await expect(page.locator('.ant-pro-layout')).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.describe('liability, compliance and what-if in the console', () => {
  test.beforeAll(async () => {
    test.setTimeout(240_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startLocalStack();
    await createOperator(stack.sql, ADMIN);
    // Only this run's orders in the tea queue: the seed has none.
    for (const who of ['a', 'b', 'c']) await buyTea(`e2e-liab-${who}-${RUN}`);
    browser = await launchChromium(stack.apiUrl);
    page = await (await browser.newContext(DESKTOP)).newPage();
    await page.goto(`${stack.adminUrl}/login`);
    await page.locator('#login-account').fill(ADMIN.login);
    await page.locator('#login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test.afterAll(async ({}, info) => {
    await browser?.close().catch(() => {});
    if (info.status !== 'passed' || process.env.E2E_STACK_LOGS) console.log(stack?.logs.slice(-200).join('\n'));
    await stack?.stop();
  });

  test('the liability dashboard shows what the tea queue owes and when it clears', async () => {
    await go('/liability');
    const row = page.getByTestId('liability-row-product:p-tea');
    await expect(row).toContainText('¥280.00'); // outstanding
    await expect(row).toContainText('¥20.00'); // paid to date
    await expect(row).toContainText('¥4.29'); // inflow per day
    await expect(row).toContainText('66 天'); // days to clear at the mean
    await expect(page.getByTestId('liability-outstanding')).toContainText('¥280.00');
    await shot('liability-dashboard');
  });

  test('a settings change that raises a compliance flag is saved only once acknowledged, and audited', async () => {
    await go('/settings');
    await page.getByTestId('settings-tab-ratios').click();
    await page.getByTestId('setting-defaultRatio').fill('130');
    await page.getByTestId('settings-save').click();
    const flags = page.getByTestId('settings-compliance');
    await expect(flags).toContainText('基础设置的权益比例最高 130%，高于实付（涉及 ¥30.00 / 每 ¥100）');
    // p-tea at 130%: ¥100 paid, ¥130 owed: ¥30 above the price.
    await expect(page.getByTestId('settings-flag-entitlementAbovePrice-product:p-tea')).toContainText('¥30.00 / 每件');
    await expect(page.getByTestId('settings-confirm')).toBeDisabled();
    await shot('liability-compliance-flag');
    await page.getByTestId('settings-acknowledge').click();
    await page.getByTestId('settings-confirm').click();
    await expect(page.getByText('设置已保存，操作已记录到日志')).toBeVisible();
    const [ack] = await stack.sql`select o.name, a.after #>> '{patch,defaultRatio}' as ratio, jsonb_array_length(a.after -> 'flags') as flags
                                  from ops.audit_log a join ops.operators o on o.id = a.operator_id
                                  where a.action = 'compliance.acknowledge' order by a.id desc limit 1`;
    expect(ack).toEqual({ name: ADMIN.name, ratio: '130', flags: expect.any(Number) });
    expect(ack.flags).toBeGreaterThanOrEqual(2);
    // Back to 100% (no new flag: no acknowledgement asked).
    await page.getByTestId('setting-defaultRatio').fill('100');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-diff')).toBeVisible();
    await expect(page.getByTestId('settings-compliance')).toHaveCount(0);
    await page.getByTestId('settings-confirm').click();
    await expect(page.getByText('设置已保存，操作已记录到日志').first()).toBeVisible();
  });

  test('the what-if simulator runs in the browser and compares both settings', async () => {
    await go('/simulator');
    await page.getByTestId('sim-days').fill('30');
    await page.getByTestId('sim-orders').fill('50');
    await page.getByTestId('sim-patch').fill('{"paused": true}');
    await page.getByTestId('sim-run').click();
    await expect(page.getByTestId('sim-result')).toBeVisible({ timeout: 60_000 });
    const row = async (key: string) => (await page.getByTestId(`sim-row-${key}`).locator('td').allTextContents()).slice(1, 3);
    // Same stream; paused, every fen of extraction stays with the platform and nobody is paid.
    const [orders, ordersProposed] = await row('orders');
    expect(Number(orders)).toBeGreaterThan(1000); // 30 days × 50 a day, Poisson
    expect(ordersProposed).toBe(orders);
    const [paid, paidProposed] = await row('paidOut');
    expect(paid).not.toBe('¥0.00');
    expect(paidProposed).toBe('¥0.00');
    const [, extractedProposed] = await row('extracted');
    const [, keptProposed] = await row('kept');
    expect(keptProposed).toBe(extractedProposed);
    await shot('liability-simulator');
  });
});
