// Two shoppers through the H5 build against the whole local stack (real
// Postgres, the edge functions under Deno, the WeChat sandbox): A invites B,
// both buy, A's queue entry receives a payout from B's order, draw and
// exchange (as far as the engine offers them), a cashier payment, and A's
// withdrawal. Every screen visited is saved as test/e2e/screenshots/<name>.png.
//
// Expected figures come from the seed catalogue and SPEC §11 example 2:
// p-rice costs 16800 fen with ratio 130 and extraction 65, so A's entitlement
// is 16800 × 130% = 21840 and B's order pays A 16800 × 65% = 10920.
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { launchChromium, PHONE, startLocalStack, type LocalStack } from '../../scripts/bench/h5-app';
import { forecast, shanghaiDate } from '@/domain/forecast';
import { estimateText } from '@/utils/format';

const SCREENSHOTS = join(__dirname, 'screenshots');
const RUN = Date.now().toString(36);
const A = `e2e-a-${RUN}`;
const B = `e2e-b-${RUN}`;
/** B's nickname: A may only ever see it masked (SPEC §7). */
const B_NICKNAME = '测试买家乙';

const PRICE = 16800;
const ENTITLEMENT = 21840;
const PAYOUT = 10920;
const CASHIER = 'c-noodle-1';

let stack: LocalStack;
let browser: Browser;
const contexts = new Map<string, BrowserContext>();
const pages = new Map<string, Page>();
let opened = 0;
/** Whether the engine accepted the operator's lottery setting. */
let lottery = false;

/** Query of the current hash route (#/path?a=1). */
function routeParams(page: Page): URLSearchParams {
  const hash = new URL(page.url()).hash;
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

/** "¥109.20" the way formatYuan prints fen. */
function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

async function pageOf(user: string): Promise<Page> {
  let page = pages.get(user);
  if (!page) {
    const context = await browser.newContext(PHONE);
    contexts.set(user, context);
    page = await context.newPage();
    pages.set(user, page);
  }
  return page;
}

/** Loads the app as `user` at a route (a full page load, like opening a link or a QR code). */
async function open(user: string, route: string): Promise<Page> {
  const page = await pageOf(user);
  await page.goto(`${stack.h5Url}/?devUser=${encodeURIComponent(user)}&_=${++opened}#${route}`);
  return page;
}

/** The visible page of a route, once it has left its loading state. */
async function screen(page: Page, name: string): Promise<Locator> {
  const root = page.locator(`[data-testid="page-${name}"]:visible`);
  await expect(root).toBeVisible();
  await expect(root.locator('[data-testid$="-loading"]')).toHaveCount(0);
  // Taro's h5 router slides a new page in from the right: wait until it has arrived.
  await expect
    .poll(() =>
      root.evaluate((el) => {
        const host = (el.closest('.taro_page') as HTMLElement | null) ?? el;
        const moving = host.getAnimations().some((a) => a.playState === 'running');
        return moving ? -1 : Math.round(host.getBoundingClientRect().left);
      }),
    )
    .toBe(0);
  return root;
}

async function shot(page: Page, name: string, scrollTo?: Locator): Promise<void> {
  if (scrollTo) await scrollTo.scrollIntoViewIfNeeded();
  await page.waitForTimeout(150); // let toasts and transitions settle for a readable picture
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * A finger tap: a real pointer click at the element's centre, after checking
 * that the element (not something over it) is what is there. Playwright's own
 * hit-target check misreads Taro's pull-to-refresh wrapper (a Stencil
 * component with a scoped slot) as covering the page, so .click() is not used.
 */
async function tap(target: Locator): Promise<void> {
  await expect(target).toBeVisible();
  await target.scrollIntoViewIfNeeded();
  const onTop = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (el === hit || el.contains(hit));
  });
  expect(onTop, 'the element is not covered').toBe(true);
  const box = await target.boundingBox();
  if (!box) throw new Error('element has no box');
  await target.page().mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Taro's h5 modal for the sandbox payment (services/payment.ts): confirm it. */
async function confirmSandboxPayment(page: Page, amountFen: number, screenshot: string): Promise<void> {
  const confirm = page.locator('.taro-model__confirm', { hasText: '确认支付' });
  await expect(confirm).toBeVisible();
  await expect(page.getByText(`支付 ${yuan(amountFen)}（测试环境模拟支付，不会真实扣款）`)).toBeVisible();
  await shot(page, screenshot);
  await tap(confirm);
}

async function memberOf(user: string): Promise<{ id: string; referrer: string | null; nickname: string }> {
  const rows = await stack.sql<{ id: string; referrer: string | null; nickname: string }[]>`
    select m.id, m.referrer_id as referrer, p.nickname
    from app.profiles p join members.members m on m.id = p.member_id
    where p.openid = ${stack.openidFor(user)}`;
  expect(rows, `${user} has signed in`).toHaveLength(1);
  return rows[0];
}

async function engineHas(fn: string): Promise<boolean> {
  const [row] = await stack.sql<{ ok: boolean }[]>`select to_regproc(${fn}) is not null as ok`;
  return row.ok;
}

/** The operator turns a lottery on, as the console would; false when the engine refuses it. */
async function enableLottery(): Promise<boolean> {
  try {
    await stack.sql`select rebate.update_settings(${JSON.stringify({ lottery: { kind: 'fixed', ratios: ['100', '130', '150'] } })}::text::jsonb, 'e2e')`;
    return true;
  } catch (error) {
    console.log(`[e2e] the engine refuses a lottery setting: ${(error as Error).message}`);
    return false;
  }
}

test.describe.configure({ mode: 'serial' });

test.describe('shopper journey', () => {
  test.beforeAll(async () => {
    test.setTimeout(240_000);
    stack = await startLocalStack();
    // Before any order, so the entries join with the lottery when the engine has one.
    lottery = await enableLottery();
    // Debian's Chromium (playwright.config.ts), with the build's API origin mapped to this stack.
    browser = await launchChromium(stack.apiUrl);
  });

  test.afterAll(async ({}, info) => {
    for (const c of contexts.values()) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (info.status !== 'passed' || process.env.E2E_STACK_LOGS) console.log(stack?.logs.slice(-200).join('\n'));
    await stack?.stop();
  });

  let inviteScene = '';
  let aEntry = '';
  let bEntry = '';
  let aOrder = '';

  test('A opens the shop and shares an invite; B opens the invite link and is bound to A', async () => {
    const a = await open(A, '/pages/home/index');
    const home = await screen(a, 'home');
    await expect(home.getByTestId('home-products')).toContainText('东北有机大米 5kg');
    await expect(home.getByTestId('home-products')).toContainText(yuan(PRICE));
    // The demo catalogue's pictures (scripts/stack/demo-images.ts) at the stack's Storage URLs, loaded:
    // product cards, category icons and the banner.
    const loaded = (img: Locator) => expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth), { timeout: 15_000 });
    const demo = 'img[src*="/storage/v1/object/public/images/demo/"]';
    await loaded(home.getByTestId('product-p-rice').locator(demo)).toBe(480);
    await loaded(home.getByTestId('product-p-tea').locator(demo)).toBe(480);
    await loaded(home.getByTestId('home-cat-food').locator(demo)).toBe(160);
    await loaded(home.locator(`.home__banner ${demo}`).first()).toBe(750);
    await shot(a, 'home');

    await tap(a.getByText('我的', { exact: true }));
    const me = await screen(a, 'me');
    await expect(me.getByTestId('me-nickname')).toBeVisible();
    await shot(a, 'me');

    await tap(me.getByTestId('me-invite'));
    const invite = await screen(a, 'invite');
    await expect(invite.getByTestId('invite-qr')).toBeVisible();
    const code = ((await invite.getByTestId('invite-scene').textContent()) ?? '').replace(/^邀请码：/, '').trim();
    expect(code).toMatch(/^[A-Z0-9]{6,10}$/);
    inviteScene = `i=${code}`;
    await shot(a, 'invite');

    // The link the invite page shares (h5InviteUrl): the home page with the invite scene.
    const b = await open(B, `/pages/home/index?scene=${encodeURIComponent(inviteScene)}`);
    await screen(b, 'home');
    await shot(b, 'home-invited');
    await expect.poll(async () => (await memberOf(B).catch(() => null))?.referrer ?? null, { timeout: 20_000 }).toBe((await memberOf(A)).id);

    // A sees the new team member, masked.
    await stack.sql`update app.profiles set nickname = ${B_NICKNAME} where openid = ${stack.openidFor(B)}`;
    await tap(invite.getByTestId('invite-team'));
    const team = await screen(a, 'team');
    await expect(team.getByTestId('team-direct')).toHaveText('1');
    await expect(team.getByTestId('team-member-0')).toContainText('测**');
    await expect(team).not.toContainText(B_NICKNAME);
    await shot(a, 'team');
  });

  test('A buys the rice and pays in the sandbox; the order joins the queue', async () => {
    const a = await open(A, '/pages/home/index');
    const home = await screen(a, 'home');
    await tap(home.getByTestId('home-products').getByText('东北有机大米 5kg'));
    const product = await screen(a, 'product');
    await expect(product.getByTestId('product-price')).toContainText('168.00');
    const preview = product.getByTestId('queue-preview');
    await expect(preview).toContainText('130%');
    await expect(product.getByTestId('queue-preview-entitlement')).toHaveText(yuan(ENTITLEMENT));
    // Nobody bought the rice yet: no inflow, so no date, and the page says why.
    await expect(product.getByTestId('queue-preview-estimate-text')).toHaveText('近7日队列无流入，暂无法估算');
    await expect(product.getByTestId('queue-preview-estimate')).toContainText('仅供参考');
    await shot(a, 'product');

    await tap(product.getByTestId('product-buy'));
    const checkout = await screen(a, 'checkout');
    await expect(checkout.getByTestId('checkout-payable')).toContainText('168.00');
    await shot(a, 'checkout');
    await tap(checkout.getByTestId('checkout-pay'));
    await confirmSandboxPayment(a, PRICE, 'pay-confirm');

    const order = await screen(a, 'order');
    await expect(order.getByTestId('order-status')).toHaveText('已支付');
    const entry = order.locator('[data-testid^="entry-"][data-status]');
    await expect(entry).toHaveCount(1);
    aEntry = ((await entry.getAttribute('data-testid')) ?? '').replace(/^entry-/, '');
    await expect(order.getByTestId(`entry-${aEntry}-base`)).toHaveText(yuan(PRICE));
    await expect(order.getByTestId(`entry-${aEntry}-paid`)).toHaveText(yuan(0));
    await expect(order.getByTestId(`entry-${aEntry}-pending`)).toHaveText(yuan(ENTITLEMENT));
    await expect(order.getByTestId(`entry-${aEntry}-position`)).toContainText('排第 1 位');
    aOrder = routeParams(a).get('id') ?? '';
    expect(aOrder).not.toBe('');
    await shot(a, 'order-paid');
  });

  test("B buys the same rice; A's entry receives a payout, frozen in A's wallet", async () => {
    const b = await open(B, `/packages/shop/pages/product/index?id=p-rice`);
    const product = await screen(b, 'product');
    // One entry waits ahead of B: A's, with its whole entitlement.
    await expect(product.getByTestId('queue-preview-waiting')).toHaveText('1');
    await expect(product.getByTestId('queue-preview-ahead')).toHaveText(yuan(ENTITLEMENT));
    await shot(b, 'product-second-buyer');
    await tap(product.getByTestId('product-buy'));
    const checkout = await screen(b, 'checkout');
    await tap(checkout.getByTestId('checkout-pay'));
    await confirmSandboxPayment(b, PRICE, 'pay-confirm-second-buyer');
    const order = await screen(b, 'order');
    await expect(order.getByTestId('order-status')).toHaveText('已支付');
    const entry = order.locator('[data-testid^="entry-"][data-status]');
    bEntry = ((await entry.getAttribute('data-testid')) ?? '').replace(/^entry-/, '');
    await expect(order.getByTestId(`entry-${bEntry}-position`)).toContainText('排第 2 位');
    await expect(order.getByTestId(`entry-${bEntry}-position`)).toContainText(`前方待返 ${yuan(ENTITLEMENT - PAYOUT)}`);
    await shot(b, 'order-paid-second-buyer');
    await stack.runJobs(); // the stack's minute tick: deferred queue work, notifications

    // A's 队列 tab.
    const a = await open(A, '/pages/queue/index');
    const queue = await screen(a, 'queue');
    await expect(queue.getByTestId(`entry-${aEntry}-paid`)).toHaveText(yuan(PAYOUT));
    await expect(queue.getByTestId(`entry-${aEntry}-pending`)).toHaveText(yuan(ENTITLEMENT - PAYOUT));
    await expect(queue.getByTestId(`entry-${aEntry}-progress`)).toHaveAttribute('data-percent', '50');
    await expect(queue.getByTestId('queue-summary-paid')).toHaveText(yuan(PAYOUT));
    // Two extractions of 65% (10920 each) flowed in today; A still waits for 10920: ceil(7 × 10920 / 21840) = 4 days.
    const expected = forecast({ amount: ENTITLEMENT - PAYOUT, daily: [2 * PAYOUT, 0, 0, 0, 0, 0, 0], today: shanghaiDate(Date.now()) });
    expect(expected.days).toBe(4);
    await expect(queue.getByTestId(`entry-${aEntry}-estimate-text`)).toHaveText(estimateText(expected).replace(/^预计\s*/, ''));
    await expect(queue.getByTestId(`entry-${aEntry}-estimate-basis`)).toContainText('按近7日日均流入 ¥31.20 估算');
    await shot(a, 'queue');

    // The public progress list: A's own row marked, B's masked.
    await tap(queue.getByTestId(`entry-${aEntry}-progress-btn`));
    const progress = await screen(a, 'queue-progress');
    const mine = progress.getByTestId(`qrow-${aEntry}`);
    await expect(mine).toHaveAttribute('data-mine', '1');
    const theirs = progress.getByTestId(`qrow-${bEntry}`);
    await expect(theirs).toBeVisible();
    await expect(theirs).toHaveAttribute('data-mine', '0');
    await expect(progress).not.toContainText(B_NICKNAME);
    await expect(theirs.getByTestId(`qrow-${bEntry}-member`)).toContainText('测**');
    await shot(a, 'queue-progress');

    // Entry detail.
    const a2 = await open(A, `/packages/queue/pages/entry/index?id=${aEntry}`);
    const entryPage = await screen(a2, 'entry');
    await expect(entryPage.getByTestId(`entry-${aEntry}-paid`)).toHaveText(yuan(PAYOUT));
    await shot(a2, 'entry');

    // Wallet: the payout is frozen until A's own order completes.
    const w = await open(A, '/packages/wallet/pages/index/index');
    const wallet = await screen(w, 'wallet');
    await expect(wallet.getByTestId('wallet-frozen')).toHaveText(yuan(PAYOUT));
    await expect(wallet.getByTestId('wallet-available')).toHaveText(yuan(0));
    await shot(w, 'wallet-frozen');

    // Inbox: the payout message.
    const i = await open(A, '/packages/inbox/pages/index/index');
    const inbox = await screen(i, 'inbox');
    await expect(inbox).toContainText(yuan(PAYOUT));
    await shot(i, 'inbox');
  });

  test('B tries the lottery draw on the waiting entry', async () => {
    const drawable = lottery && (await engineHas('rebate.draw'));
    const b = await open(B, '/pages/queue/index');
    const queue = await screen(b, 'queue');
    const card = queue.getByTestId(`entry-${bEntry}`);
    await expect(card).toHaveAttribute('data-status', 'waiting');
    if (drawable) {
      await tap(card.getByTestId(`entry-${bEntry}-draw`));
      const draw = await screen(b, 'draw');
      await shot(b, 'draw');
      await tap(draw.getByTestId('draw-start'));
      const result = draw.getByTestId('draw-result');
      await expect(result).toBeVisible({ timeout: 20_000 });
      const won = /抽中 (\d+)%/.exec((await result.textContent()) ?? '')?.[1];
      expect(['100', '130', '150']).toContain(won);
      await expect(result).toContainText(yuan((PRICE * Number(won)) / 100));
      await shot(b, 'draw-result');
    } else {
      // No draw button; the card says plainly what is not offered yet.
      await expect(card.getByTestId(`entry-${bEntry}-draw`)).toHaveCount(0);
      if (lottery) await expect(card.getByTestId(`entry-${bEntry}-unavailable`)).toContainText('抽奖');
      await shot(b, 'queue-second-buyer', card);
      // The draw screen (a notification link or an old share opens it) explains why.
      const d = await open(B, `/packages/queue/pages/draw/index?id=${bEntry}`);
      const draw = await screen(d, 'draw');
      await expect(draw.getByTestId('draw-start')).toHaveCount(0);
      await expect(draw.getByTestId('draw-unavailable')).toHaveText(lottery ? '抽奖功能暂未开放，敬请期待' : '当前没有进行中的抽奖活动');
      await shot(d, 'draw');
    }
  });

  test('B redeems (兑换) the waiting entry for points', async () => {
    const exchangeable = await engineHas('rebate.exchange');
    const b = await open(B, '/pages/queue/index');
    const queue = await screen(b, 'queue');
    const card = queue.getByTestId(`entry-${bEntry}`);
    const pending = (await card.getByTestId(`entry-${bEntry}-pending`).textContent()) ?? '';
    if (exchangeable) {
      await tap(card.getByTestId(`entry-${bEntry}-exchange`));
      const exchange = await screen(b, 'exchange');
      await expect(exchange.getByTestId('exchange-pending')).toHaveText(pending);
      await tap(exchange.getByTestId('exchange-option-points'));
      await shot(b, 'exchange');
      await tap(exchange.getByTestId('exchange-confirm'));
      await tap(b.locator('.taro-model__confirm'));
      // Points at the default exchange ratio 100%: one point per fen still waiting.
      const points = Number(pending.replace(/[¥.,]/g, '')).toLocaleString('en-US');
      await expect(exchange.getByTestId('exchange-done')).toContainText(`获得 ${points} 积分`);
      await shot(b, 'exchange-done');
      const w = await open(B, '/packages/wallet/pages/index/index');
      await expect((await screen(w, 'wallet')).getByTestId('wallet-points')).toHaveText(points);
      const q = await open(B, '/pages/queue/index');
      await tap((await screen(q, 'queue')).getByTestId('queue-tabs-finished'));
      const finished = await screen(q, 'queue');
      await expect(finished.getByTestId(`entry-${bEntry}`)).toHaveAttribute('data-status', 'exchanged');
      await expect(finished.getByTestId(`entry-${bEntry}-exchanged`)).toHaveText(`已兑换为 ${points} 积分`);
      await shot(q, 'queue-exchanged');
    } else {
      await expect(card.getByTestId(`entry-${bEntry}-exchange`)).toHaveCount(0);
      await expect(card.getByTestId(`entry-${bEntry}-unavailable`)).toContainText('兑换功能暂未开放');
      const e = await open(B, `/packages/queue/pages/exchange/index?id=${bEntry}`);
      const exchange = await screen(e, 'exchange');
      await expect(exchange.getByTestId('exchange-pending')).toHaveText(pending);
      await expect(exchange.getByTestId('exchange-unavailable')).toHaveText('兑换功能暂未开放，敬请期待');
      await expect(exchange.getByTestId('exchange-confirm')).toHaveCount(0);
      await shot(e, 'exchange');
    }
  });

  test("B scans a store's cashier code and pays ¥88.00", async () => {
    // The cashier QR code (scanned with the phone's camera) opens the pay page with scene = cashier id.
    const direct = await open(B, `/packages/cashier/pages/pay/index?scene=${CASHIER}`);
    await expect((await screen(direct, 'cashier')).getByTestId('cashier-store')).toHaveText('老王面馆');
    // In the app: 首页 → 扫一扫 → the code field (h5). A code that is not ours is refused; the cashier link opens the cashier.
    const b = await open(B, '/pages/home/index');
    await tap((await screen(b, 'home')).getByTestId('home-scan'));
    const scan = await screen(b, 'scan');
    await scan.getByTestId('scan-code').locator('input').fill('https://example.com/not-ours');
    await tap(scan.getByTestId('scan-submit'));
    await expect(scan.getByTestId('scan-code-error')).toContainText('无法识别');
    await scan.getByTestId('scan-code').locator('input').fill(`${stack.h5Url}/#/packages/cashier/pages/pay/index?scene=${encodeURIComponent(`c=${CASHIER}`)}`);
    await shot(b, 'scan');
    await tap(scan.getByTestId('scan-submit'));
    const cashier = await screen(b, 'cashier');
    await expect(cashier.getByTestId('cashier-store')).toHaveText('老王面馆');
    await expect(cashier.getByTestId('queue-preview')).toBeVisible();
    for (const key of ['8', '8']) await tap(cashier.getByTestId(`cashier-keypad-${key}`));
    await expect(cashier.getByTestId('cashier-amount')).toContainText('88');
    await expect(cashier.getByTestId('cashier-pay')).toHaveText(`付款 ${yuan(8800)}`);
    await shot(b, 'cashier');
    await tap(cashier.getByTestId('cashier-pay'));
    await confirmSandboxPayment(b, 8800, 'pay-confirm-cashier');

    const receipt = await screen(b, 'receipt');
    await expect(receipt.getByTestId('receipt-amount')).toContainText('88.00');
    const entry = receipt.locator('[data-testid^="entry-"][data-status]');
    await expect(entry).toHaveCount(1);
    const id = ((await entry.getAttribute('data-testid')) ?? '').replace(/^entry-/, '');
    await expect(receipt.getByTestId(`entry-${id}-base`)).toHaveText(yuan(8800));
    await expect(entry).toContainText('收银台');
    // The receipt names the order: the one this payment made.
    const orderId = /[?&]orderId=([^&#]+)/.exec(b.url())?.[1];
    expect(orderId).toBeTruthy();
    await expect(receipt.getByTestId('receipt-order-no')).toHaveText(`订单号 ${orderId}`);
    await shot(b, 'receipt');
  });

  test('after the after-sales window A withdraws ¥100.00 of the payout', async () => {
    // The test clock: A's order reaches the end of its after-sales window now
    // instead of in afterSalesDays; the jobs tick completes it and unfreezes.
    await stack.sql`update app.orders set complete_due_at = now() where id = ${aOrder} and status = 'paid'`;
    await stack.runJobs();

    const a = await open(A, '/packages/wallet/pages/index/index');
    const wallet = await screen(a, 'wallet');
    await expect(wallet.getByTestId('wallet-available')).toHaveText(yuan(PAYOUT));
    await expect(wallet.getByTestId('wallet-frozen')).toHaveText(yuan(0));
    await shot(a, 'wallet-available');

    await tap(wallet.getByTestId('wallet-withdraw'));
    const withdraw = await screen(a, 'withdraw');
    // Above the balance: refused next to the field, nothing sent.
    await withdraw.getByTestId('withdraw-amount').locator('input').fill('200');
    await tap(withdraw.getByTestId('withdraw-submit'));
    await expect(withdraw.getByTestId('withdraw-error')).toHaveText('超出可提现余额');
    await withdraw.getByTestId('withdraw-amount').locator('input').fill('100');
    await expect(withdraw.getByTestId('withdraw-fee')).toContainText('预计手续费');
    await shot(a, 'withdraw');
    await tap(withdraw.getByTestId('withdraw-submit'));
    const done = withdraw.getByTestId('withdraw-done');
    await expect(done).toContainText(`提现 ${yuan(10000)}`);
    await expect(done).toContainText('审核中');
    await shot(a, 'withdraw-done');

    const w = await open(A, '/packages/wallet/pages/index/index');
    const after = await screen(w, 'wallet');
    await expect(after.getByTestId('wallet-withdrawing')).toHaveText(yuan(10000));
    await expect(after.getByTestId('wallet-available')).toHaveText(yuan(PAYOUT - 10000));
    await shot(w, 'wallet-withdrawing');

    await tap(after.getByTestId('wallet-withdrawals'));
    const history = await screen(w, 'wallet-history');
    await expect(history).toContainText('审核中');
    await expect(history).toContainText(yuan(10000));
    await shot(w, 'withdrawals');
  });

  test('h5 shell: a title bar with the page title and a back button; an unknown path opens the 404 page with a way home', async () => {
    const me = await open(A, '/pages/me/index');
    await screen(me, 'me');
    const bar = me.locator('#taro-navigation-bar');
    await expect(bar).toBeVisible();
    await tap((await screen(me, 'me')).getByTestId('me-wallet'));
    await screen(me, 'wallet');
    await expect(bar.locator('.taro-navigation-bar-title')).toHaveText('我的钱包');
    await expect(bar).toHaveClass(/taro-navigation-bar-back-icon/);
    await tap(bar.locator('.taro-navigation-bar-back'));
    await screen(me, 'me');

    const lost = await open(A, '/pages/nowhere/index');
    const notFound = await screen(lost, 'not-found');
    await expect(notFound).toContainText('页面不存在');
    await expect(lost.locator('[data-testid="page-home"]:visible')).toHaveCount(0);
    await shot(lost, 'not-found');
    await tap(notFound.getByTestId('not-found-home'));
    await screen(lost, 'home');
  });
});
