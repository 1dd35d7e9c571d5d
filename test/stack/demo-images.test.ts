// The demo catalogue of the local stack has images: startStack (what
// `npm start` runs) on an empty database draws them into the storage
// directory and points the demo rows at the gateway, which serves each one
// with 200 and an image content type. Restarting on another port moves the
// demo URLs along and leaves an operator's own image alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { adminUrl } from '../../scripts/db/database.ts';
import { applyDemoImages, BANNERS, CATEGORY_IMAGES, PRODUCT_IMAGES } from '../../scripts/stack/demo-images.ts';
import { startStack, type Stack } from '../../scripts/stack/stack.ts';
import { PNG_SIGNATURE } from '../../scripts/wechat-sandbox/png.ts';

jest.setTimeout(240_000);

const name = `qm_demo_images_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const admin = postgres(adminUrl(), { prepare: false, max: 1, onnotice: () => {} });
const storageDir = mkdtempSync(join(tmpdir(), 'qm-demo-images-'));
let stack: Stack;
let databaseUrl: string;

beforeAll(async () => {
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  stack = await startStack({
    databaseUrl,
    apiPort: 0,
    sandboxPort: 0,
    h5Port: null,
    functions: ['api'],
    demo: false,
    jobsIntervalMs: 0,
    storageDir,
    log: () => {},
  });
});

afterAll(async () => {
  await stack?.stop();
  await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end({ timeout: 5 });
  rmSync(storageDir, { recursive: true, force: true });
});

async function api(action: string, params: object = {}): Promise<any> {
  const res = await fetch(`${stack.functionsUrl}/api`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.anonKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action, ...params }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** GET the URL: 200, image/png, a real PNG at least `minSide` px on each side. */
async function expectServedImage(url: string, minSide: number) {
  expect(url.startsWith(`${stack.apiUrl}/storage/v1/object/public/images/`)).toBe(true);
  const res = await fetch(url);
  expect([url, res.status]).toEqual([url, 200]);
  expect(res.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(minSide); // IHDR width
  expect(bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(minSide); // IHDR height
}

test('every demo product, category and banner has an image the stack serves', async () => {
  const products: { id: string; image: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string; image: string | null }[]; nextCursor: string | null } = await api('catalog.products', cursor ? { cursor } : {});
    products.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  // every listing of the seed, each with its own picture
  expect(products.map((p) => p.id).sort()).toEqual(Object.keys(PRODUCT_IMAGES).sort());
  expect(new Set(products.map((p) => p.image)).size).toBe(products.length);
  for (const p of products) await expectServedImage(p.image!, 400);

  const detail = await api('catalog.product', { productId: 'p-rice' });
  expect(detail.product.images).toEqual([products.find((p) => p.id === 'p-rice')!.image]);

  const home = await api('catalog.home');
  expect(home.categories.map((c: { id: string }) => c.id).sort()).toEqual(Object.keys(CATEGORY_IMAGES).sort());
  for (const c of home.categories) await expectServedImage(c.icon, 96);
  expect(home.banners.map((b: { id: string; title: string }) => [b.id, b.title])).toEqual(BANNERS.map((b) => [b.id, b.title]));
  for (const b of home.banners) await expectServedImage(b.image, 280);
  for (const p of home.recommended) expect(p.image).toBe(products.find((q) => q.id === p.id)!.image);
});

test('a restart on another port moves the demo URLs; an operator-set image stays', async () => {
  const sql = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const own = 'https://cdn.example.com/tea.png';
    await sql`update app.listings set images = array[${own}] where id = 'p-tea'`;
    const moved = await applyDemoImages(sql, 'http://127.0.0.1:9');
    expect(moved).toEqual({ products: Object.keys(PRODUCT_IMAGES).length - 1, categories: 4, banners: 3 });
    const rows = await sql<{ id: string; images: string[] }[]>`select id, images from app.listings order by id`;
    for (const r of rows) {
      expect(r.images).toEqual([r.id === 'p-tea' ? own : `http://127.0.0.1:9/storage/v1/object/public/images/demo/${PRODUCT_IMAGES[r.id].file}`]);
    }
    // banners an operator replaced are not touched
    await sql`update app.site_content set value = '[{"id":"mine","image":"https://cdn.example.com/b.png","title":"自己的","link":null}]' where key = 'banners'`;
    expect((await applyDemoImages(sql, stack.apiUrl)).banners).toBe(0);
    const [{ value }] = await sql`select value from app.site_content where key = 'banners'`;
    expect(value.map((b: { id: string }) => b.id)).toEqual(['mine']);
  } finally {
    await sql.end({ timeout: 5 });
  }
});
