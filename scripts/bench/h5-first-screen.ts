// h5-first-screen: largest contentful paint of the shop home (dist/h5 on the
// local stack, a first visit: fresh browser context, no cache, no session)
// divided by that of a blank Taro page built the same way (the fixture in
// scripts/bench/fixtures/blank-h5 with the project's own config, in a temp
// dir). Medians of BENCH_H5_LOADS loads each (default 7), interleaved, in
// Debian's Chromium at 375×812. ratio ≈ 1: the home costs what Taro costs.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { startStatic } from '../stack/static';
import type { BenchContext, BenchResult } from './common';
import { envInt, round } from './common';
import { buildEnv, ensureBuild, launchChromium, PHONE, ROOT, run, startLocalStack } from './h5-app';

const FIXTURE = join(__dirname, 'fixtures', 'blank-h5');

/** The blank fixture built with the project's config, in a temp dir: returns dist/h5 and a cleanup. */
export async function buildBlankH5(ctx: BenchContext): Promise<{ dir: string; cleanup(): void }> {
  const app = mkdtempSync(join(tmpdir(), 'qm-blank-h5-'));
  try {
    mkdirSync(join(app, 'config'));
    for (const f of readdirSync(join(ROOT, 'config')).filter((f) => f.endsWith('.ts'))) cpSync(join(ROOT, 'config', f), join(app, 'config', f));
    for (const f of ['babel.config.js', 'tsconfig.json', 'package.json']) cpSync(join(ROOT, f), join(app, f));
    cpSync(join(FIXTURE, 'src'), join(app, 'src'), { recursive: true });
    cpSync(join(ROOT, 'src', 'index.html'), join(app, 'src', 'index.html'));
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
    const started = Date.now();
    await run(join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5'], { cwd: app, env: buildEnv() });
    ctx.log(`blank Taro app built in ${round((Date.now() - started) / 1000, 1)} s (${app})`);
  } catch (error) {
    rmSync(app, { recursive: true, force: true });
    throw error;
  }
  return { dir: join(app, 'dist', 'h5'), cleanup: () => rmSync(app, { recursive: true, force: true }) };
}

/**
 * One cold load: a fresh context, the page until `ready` is visible and the
 * network is idle, then the last 'largest-contentful-paint' entry (its
 * renderTime, else loadTime, else startTime), in ms from navigation start.
 */
export async function measureLcp(browser: Browser, url: string, ready: string): Promise<number> {
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number };
      w.__lcp = -1;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { renderTime?: number; loadTime?: number })[]) {
          w.__lcp = e.renderTime || e.loadTime || e.startTime;
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    // Two frames so the last paint has been reported.
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    const lcp = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
    if (!(lcp > 0)) throw new Error(`no largest-contentful-paint entry for ${url}`);
    return lcp;
  } finally {
    await context.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function h5FirstScreen(ctx: BenchContext): Promise<BenchResult> {
  const loads = envInt('BENCH_H5_LOADS', 7);
  await ensureBuild('h5', ctx.log);
  const blank = await buildBlankH5(ctx);
  let blankServer: Server | null = null;
  const stack = await startLocalStack();
  let browser: Browser | null = null;
  try {
    blankServer = await startStatic(blank.dir, 0);
    const blankUrl = `http://127.0.0.1:${(blankServer.address() as AddressInfo).port}/#/pages/index/index`;
    const homeUrl = `${stack.h5Url}/#/pages/home/index`;
    browser = await launchChromium(stack.apiUrl);
    // One unmeasured load each: Deno's first requests, the database's caches.
    await measureLcp(browser, homeUrl, '[data-testid="home-products"]');
    await measureLcp(browser, blankUrl, '[data-testid="page-blank"]');
    const home: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < loads; i++) {
      home.push(await measureLcp(browser, homeUrl, '[data-testid="home-products"]'));
      base.push(await measureLcp(browser, blankUrl, '[data-testid="page-blank"]'));
    }
    const ms = median(home);
    const blankMs = median(base);
    ctx.log(`home LCP ${home.map((x) => round(x, 0)).join(', ')} ms; blank ${base.map((x) => round(x, 0)).join(', ')} ms`);
    return {
      bench: 'h5-first-screen',
      ms: round(ms, 1),
      blankMs: round(blankMs, 1),
      ratio: round(ms / blankMs, 3),
      loads,
      homeMs: home.map((x) => round(x, 1)),
      blankRunsMs: base.map((x) => round(x, 1)),
    };
  } finally {
    await browser?.close().catch(() => {});
    if (blankServer) await new Promise<void>((r) => blankServer!.close(() => r()));
    await stack.stop();
    blank.cleanup();
  }
}
