// Illustrations for the demo catalogue (products, categories, home banners),
// drawn here as PNGs and kept where the console's uploads go: locally files
// under the stack's storage directory, served by the gateway at Supabase
// Storage's public URL layout (/storage/v1/object/public/images/demo/...).
// `npm start` writes the missing files (same bytes every time) and points
// the demo rows at them; nothing binary is committed and nothing goes into
// the mini-program bundle.
//
//   npx tsx scripts/stack/demo-images.ts [DIR]   # writes DIR/images/demo/*.png (default .tmp/storage)
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { Canvas, circle, ellipse, hex, line, linear, mix, polygon, radial, rect, ring, star, type Rgb } from './raster.ts';

/** Same bucket as the admin function's uploads (STORAGE_IMAGE_BUCKET default). */
export const DEMO_IMAGE_BUCKET = 'images';
export const DEMO_IMAGE_PREFIX = 'demo';

const P = 480; // product images: square, the card crops with aspectFill

function rice(): Canvas {
  const c = new Canvas(P, P, linear(0, 0, 0, P, '#fff4dc', '#ffe3b0'));
  c.fill(ellipse(240, 420, 190, 30), hex('#e8c48a'));
  // sack
  c.fill(polygon([[130, 150], [350, 150], [380, 410], [100, 410]]), linear(100, 0, 380, 0, '#f7efe0', '#e2d3b6'));
  c.fill(polygon([[150, 150], [330, 150], [300, 95], [180, 95]]), hex('#efe3cb'));
  c.fill(line(170, 150, 310, 150, 16), hex('#b5893f'));
  c.fill(rect(118, 240, 246, 90), hex('#3f8f4a'));
  c.fill(rect(118, 250, 246, 8), hex('#7cc286'));
  c.fill(circle(240, 285, 34), hex('#fdf6e6'));
  for (const a of [-0.6, 0, 0.6]) c.fill(ellipse(240 + Math.sin(a) * 14, 285 - Math.cos(a) * 6, 7, 18, a), hex('#d9a441'));
  // spilled grains
  for (let i = 0; i < 26; i++) {
    const x = 110 + ((i * 97) % 270);
    const y = 400 + ((i * 37) % 28);
    c.fill(ellipse(x, y, 8, 4, (i % 5) * 0.6), hex('#fffdf7'));
  }
  return c;
}

function tea(): Canvas {
  const c = new Canvas(P, P, radial(240, 200, 380, '#f1f8e9', '#c5e1a5'));
  c.fill(ellipse(240, 400, 170, 26), hex('#a5c98a'));
  c.fill(ellipse(240, 392, 150, 24), hex('#fafafa'));
  // cup
  c.fill(polygon([[120, 230], [360, 230], [330, 380], [150, 380]]), linear(120, 0, 360, 0, '#ffffff', '#dfe7dc'));
  c.fill(ring(372, 280, 22, 40, -Math.PI / 2, Math.PI / 2), hex('#e3ebe0'));
  c.fill(ellipse(240, 230, 120, 26), hex('#eef3ea'));
  c.fill(ellipse(240, 233, 104, 19), linear(0, 215, 0, 250, '#b7d36b', '#7fa83a'));
  // steam
  for (const x of [205, 245, 285]) {
    c.fill(line(x, 200, x - 10, 160, 8), hex('#ffffff'), 0.7);
    c.fill(line(x - 10, 160, x + 4, 120, 8), hex('#ffffff'), 0.7);
  }
  // leaves
  const leaf = (x: number, y: number, a: number, s = 1) => {
    c.fill(ellipse(x, y, 46 * s, 16 * s, a), hex('#4e8b2e'));
    c.fill(line(x - Math.cos(a) * 40 * s, y - Math.sin(a) * 40 * s, x + Math.cos(a) * 40 * s, y + Math.sin(a) * 40 * s, 3), hex('#8fc866'));
  };
  leaf(90, 120, -0.6);
  leaf(400, 110, 0.5, 0.8);
  leaf(395, 420, -0.3, 0.7);
  leaf(80, 410, 0.4, 0.9);
  return c;
}

function oil(): Canvas {
  const c = new Canvas(P, P, linear(0, 0, P, P, '#fff8e1', '#ffe082'));
  c.fill(ellipse(230, 425, 150, 22), hex('#e0b84f'));
  // jug
  c.fill(rect(140, 140, 180, 285, 36), linear(140, 0, 320, 0, '#ffd54f', '#f5a623'));
  c.fill(ring(320, 210, 26, 46, -Math.PI / 2, Math.PI / 2), hex('#f0b429'));
  c.fill(rect(196, 92, 68, 56, 10), hex('#fff3c4'));
  c.fill(rect(188, 70, 84, 34, 10), hex('#d9381e'));
  c.fill(rect(160, 160, 16, 240, 8), hex('#fff6d5'), 0.6);
  // label
  c.fill(rect(160, 250, 140, 110, 12), hex('#ffffff'));
  c.fill(rect(160, 250, 140, 26, 12), hex('#d9381e'));
  c.fill(ellipse(230, 320, 30, 20), hex('#c98d4b'));
  c.fill(ellipse(230, 320, 30, 20, Math.PI / 2), hex('#c98d4b'), 0.6);
  // peanuts
  const nut = (x: number, y: number, a: number) => {
    c.fill(ellipse(x - Math.cos(a) * 16, y - Math.sin(a) * 16, 20, 17, a), hex('#d7a86e'));
    c.fill(ellipse(x + Math.cos(a) * 16, y + Math.sin(a) * 16, 20, 17, a), hex('#c9955a'));
  };
  nut(375, 395, 0.4);
  nut(95, 400, -0.5);
  nut(390, 340, -1.1);
  return c;
}

function honey(): Canvas {
  const c = new Canvas(P, P, hex('#fff3d6'));
  for (let row = 0; row < 6; row++)
    for (let col = 0; col < 6; col++) {
      const x = col * 90 + (row % 2) * 45;
      const y = row * 78;
      c.fill(polygon(star(x, y, 40, 6, 40, 0)), hex('#ffe6a8'));
    }
  c.fill(ellipse(240, 425, 150, 22), hex('#e3b04b'));
  // jar
  c.fill(rect(135, 160, 210, 265, 50), linear(135, 0, 345, 0, '#ffb300', '#e07b00'));
  c.fill(rect(160, 180, 26, 210, 13), hex('#ffd77a'), 0.7);
  c.fill(rect(150, 118, 180, 52, 14), hex('#8d5524'));
  c.fill(rect(150, 150, 180, 10), hex('#6d3f18'));
  c.fill(rect(175, 250, 130, 90, 14), hex('#fff8e1'));
  c.fill(polygon(star(240, 295, 30, 6, 30, 0)), hex('#f6a800'));
  // dipper
  c.fill(line(300, 90, 410, 40, 12), hex('#a0622d'));
  for (let i = 0; i < 4; i++) c.fill(ellipse(300 - i * 14, 90 + i * 7, 16, 22, -0.4), hex(i % 2 ? '#b87333' : '#8d5524'));
  c.fill(line(270, 120, 268, 170, 10), hex('#ffb300'));
  return c;
}

function towel(): Canvas {
  const c = new Canvas(P, P, linear(0, 0, 0, P, '#e3f2fd', '#bbdefb'));
  c.fill(ellipse(240, 420, 190, 24), hex('#90b8d8'));
  const layers: [string, string][] = [
    ['#ffffff', '#e6e6e6'],
    ['#f8bbd0', '#e890ad'],
    ['#80cbc4', '#4fa59c'],
  ];
  layers.forEach(([a, b], i) => {
    const y = 320 - i * 88;
    c.fill(rect(70, y, 340, 92, 30), linear(0, y, 0, y + 92, a, b));
    c.fill(rect(70, y + 60, 340, 10), mix(hex(b), hex('#000000'), 0.08));
    for (let x = 90; x < 400; x += 14) c.fill(line(x, y + 12, x, y + 50, 2), mix(hex(a), hex('#000000'), 0.05));
  });
  c.fill(ring(420, 90, 22, 32), hex('#90caf9'));
  c.fill(circle(70, 80, 18), hex('#ffffff'), 0.8);
  return c;
}

function kettle(): Canvas {
  const c = new Canvas(P, P, radial(240, 220, 380, '#fafafa', '#cfd8dc'));
  c.fill(ellipse(235, 430, 160, 20), hex('#9aa7ad'));
  c.fill(rect(120, 385, 230, 44, 14), hex('#37474f'));
  // body
  c.fill(polygon([[150, 130], [320, 130], [345, 390], [125, 390]]), linear(125, 0, 345, 0, '#eceff1', '#90a4ae'));
  c.fill(rect(160, 150, 18, 220, 9), hex('#ffffff'), 0.7);
  c.fill(polygon([[150, 160], [92, 120], [80, 132], [140, 200]]), linear(80, 0, 150, 0, '#b0bec5', '#cfd8dc'));
  c.fill(ellipse(235, 130, 86, 18), hex('#546e7a'));
  c.fill(rect(212, 98, 46, 26, 10), hex('#263238'));
  c.fill(ring(330, 250, 52, 78, -Math.PI / 2, Math.PI / 2), hex('#263238'));
  c.fill(circle(236, 300, 16), hex('#4fc3f7'));
  // steam
  c.fill(line(86, 110, 70, 70, 10), hex('#ffffff'), 0.8);
  c.fill(line(70, 70, 88, 36, 10), hex('#ffffff'), 0.8);
  return c;
}

function beefNoodle(): Canvas {
  const c = new Canvas(P, P, linear(0, 0, P, P, '#ffe0cc', '#ffab91'));
  c.fill(ellipse(240, 380, 210, 40), hex('#d98068'));
  // bowl
  c.fill(polygon([[40, 230], [440, 230], [370, 390], [110, 390]]), linear(0, 230, 0, 390, '#ffffff', '#e0e0e0'));
  c.fill(rect(40, 262, 400, 16), hex('#e53935'));
  c.fill(ellipse(240, 230, 200, 50), hex('#bf5b21'));
  c.fill(ellipse(240, 232, 186, 42), radial(240, 232, 190, '#e0823c', '#b34d1a'));
  // noodles
  for (let i = 0; i < 7; i++) c.fill(ring(190 + i * 16, 250, 60 + i * 4, 66 + i * 4, -2.6, -0.5), hex('#ffe9a8'));
  // beef slices
  for (const [x, y, a] of [[170, 215, -0.3], [240, 205, 0.1], [305, 220, 0.4]] as const) {
    c.fill(ellipse(x, y, 40, 20, a), hex('#7b3b22'));
    c.fill(ellipse(x - 6, y - 4, 22, 6, a), hex('#a4583a'));
  }
  // scallions and coriander
  for (let i = 0; i < 12; i++) c.fill(ring(140 + ((i * 53) % 200), 235 + ((i * 29) % 30), 5, 9), hex('#43a047'));
  // chopsticks
  c.fill(line(300, 60, 460, 240, 12), hex('#8d6e63'));
  c.fill(line(330, 50, 470, 220, 12), hex('#a1887f'));
  return c;
}

function fruitBox(): Canvas {
  const c = new Canvas(P, P, linear(0, 0, 0, P, '#f1f8e9', '#dcedc8'));
  c.fill(ellipse(240, 420, 200, 24), hex('#aed581'));
  // basket
  c.fill(polygon([[60, 250], [420, 250], [380, 415], [100, 415]]), linear(0, 250, 0, 415, '#d7a35f', '#a66b2e'));
  for (let y = 275; y < 410; y += 28) c.fill(rect(70, y, 340, 6), hex('#8d5a26'), 0.5);
  // fruit
  const orange = (x: number, y: number, r: number) => {
    c.fill(circle(x, y, r), radial(x - r / 3, y - r / 3, r * 1.4, '#ffcc80', '#f57c00'));
    c.fill(ellipse(x + 4, y - r + 4, 12, 5, -0.5), hex('#558b2f'));
  };
  const apple = (x: number, y: number, r: number) => {
    c.fill(circle(x - r * 0.3, y, r * 0.8), radial(x - r / 2, y - r / 3, r * 1.4, '#ff8a80', '#c62828'));
    c.fill(circle(x + r * 0.3, y, r * 0.8), radial(x, y - r / 3, r * 1.4, '#ff8a80', '#c62828'));
    c.fill(line(x, y - r * 0.7, x + 4, y - r * 1.05, 5), hex('#5d4037'));
  };
  const grapes = (x: number, y: number) => {
    for (const [dx, dy] of [[0, 0], [24, 0], [48, 0], [12, 22], [36, 22], [24, 44]]) c.fill(circle(x + dx, y + dy, 14), radial(x + dx - 5, y + dy - 5, 20, '#b39ddb', '#5e35b1'));
  };
  grapes(95, 185);
  apple(210, 200, 58);
  orange(320, 205, 56);
  orange(150, 245, 44);
  apple(270, 250, 42);
  c.fill(ellipse(385, 240, 42, 26, -0.4), radial(385, 240, 50, '#fff59d', '#fbc02d'));
  return c;
}

const C = 160; // category icons (shown in a 44 px circle)

function icon(bg: string, draw: (c: Canvas) => void): Canvas {
  const c = new Canvas(C, C, hex(bg));
  draw(c);
  return c;
}

const categoryFood = () =>
  icon('#fff3e0', (c) => {
    c.fill(polygon([[28, 84], [132, 84], [112, 130], [48, 130]]), hex('#ef6c00'));
    c.fill(ellipse(80, 84, 52, 12), hex('#ffffff'));
    for (let i = 0; i < 9; i++) c.fill(ellipse(46 + i * 8, 76 - (i % 3) * 5, 5, 3, i), hex('#fff8e1'));
    c.fill(circle(80, 70, 26), hex('#ffffff'));
    c.fill(line(104, 36, 128, 76, 6), hex('#8d6e63'));
  });
const categoryDrink = () =>
  icon('#e8f5e9', (c) => {
    c.fill(polygon([[42, 60], [118, 60], [108, 128], [52, 128]]), hex('#43a047'));
    c.fill(ring(118, 88, 10, 18, -Math.PI / 2, Math.PI / 2), hex('#43a047'));
    c.fill(ellipse(80, 60, 38, 9), hex('#a5d6a7'));
    c.fill(ellipse(64, 36, 16, 7, -0.6), hex('#66bb6a'));
    c.fill(ellipse(92, 32, 16, 7, 0.6), hex('#81c784'));
  });
const categoryHome = () =>
  icon('#e3f2fd', (c) => {
    c.fill(polygon([[80, 28], [136, 76], [24, 76]]), hex('#1e88e5'));
    c.fill(rect(38, 74, 84, 58, 6), hex('#64b5f6'));
    c.fill(rect(70, 96, 22, 36, 4), hex('#ffffff'));
    c.fill(rect(104, 40, 14, 26), hex('#1565c0'));
  });
const categoryLocal = () =>
  icon('#fce4ec', (c) => {
    c.fill(circle(80, 66, 38), hex('#e53935'));
    c.fill(polygon([[48, 86], [112, 86], [80, 136]]), hex('#e53935'));
    c.fill(circle(80, 66, 16), hex('#ffffff'));
  });

const BW = 750;
const BH = 280;

function bannerFields(): Canvas {
  const c = new Canvas(BW, BH, linear(0, 0, 0, BH, '#ffb74d', '#fff3e0'));
  c.fill(circle(600, 90, 56), hex('#fff59d'));
  c.fill(circle(600, 90, 80), hex('#fff59d'), 0.25);
  c.fill(ellipse(180, 300, 360, 150), hex('#9ccc65'));
  c.fill(ellipse(620, 320, 320, 150), hex('#7cb342'));
  c.fill(ellipse(380, 360, 500, 130), hex('#558b2f'));
  for (let i = 0; i < 22; i++) {
    const x = 20 + i * 34;
    const y = 230 + ((i * 13) % 22);
    c.fill(line(x, y, x + 6, y - 40, 4), hex('#33691e'));
    c.fill(ellipse(x + 8, y - 44, 5, 12, 0.3), hex('#fdd835'));
  }
  c.fill(polygon([[80, 70], [120, 60], [160, 70], [120, 82]]), hex('#ffffff'), 0.8);
  return c;
}

function bannerTea(): Canvas {
  const c = new Canvas(BW, BH, linear(0, 0, 0, BH, '#b3e5fc', '#e8f5e9'));
  c.fill(ellipse(160, 90, 70, 22), hex('#ffffff'), 0.8);
  c.fill(ellipse(520, 60, 90, 24), hex('#ffffff'), 0.7);
  const hill = (cx: number, cy: number, rx: number, ry: number, a: string, b: string) => {
    c.fill(ellipse(cx, cy, rx, ry), linear(0, cy - ry, 0, cy + ry, a, b));
    for (let k = 1; k < 6; k++) c.fill(ring(cx, cy + ry * 0.9, ry * (0.45 + k * 0.1), ry * (0.45 + k * 0.1) + 5, -Math.PI, 0), hex('#2e7d32'), 0.35);
  };
  hill(560, 260, 300, 150, '#81c784', '#388e3c');
  hill(180, 290, 280, 160, '#a5d6a7', '#43a047');
  hill(420, 330, 380, 130, '#66bb6a', '#2e7d32');
  return c;
}

function bannerLocal(): Canvas {
  const c = new Canvas(BW, BH, linear(0, 0, BW, BH, '#ff8a65', '#e8473c'));
  for (let i = 0; i < 30; i++) {
    const x = (i * 263 + ((i * i * 37) % 97)) % BW;
    const y = (i * 149 + ((i * i * 53) % 61)) % BH;
    c.fill(polygon(star(x, y, 9, 5, 4, i)), hex(['#fff59d', '#ffffff', '#ffe0b2'][i % 3]), 0.8);
  }
  // shop front
  c.fill(rect(420, 70, 260, 190, 10), hex('#fff8e1'));
  for (let i = 0; i < 6; i++) c.fill(rect(420 + i * 43.3, 56, 43.3, 46, 0), hex(i % 2 ? '#ffffff' : '#d84315'));
  for (let i = 0; i < 6; i++) c.fill(circle(441.6 + i * 43.3, 102, 21.6), hex(i % 2 ? '#ffffff' : '#d84315'));
  c.fill(rect(450, 150, 80, 110, 6), hex('#8d6e63'));
  c.fill(rect(560, 150, 90, 60, 6), hex('#81d4fa'));
  // bag
  c.fill(rect(110, 110, 170, 150, 18), hex('#ffffff'));
  c.fill(ring(195, 112, 34, 46, -Math.PI, 0), hex('#ffffff'));
  c.fill(circle(195, 185, 30), hex('#ffcc80'));
  c.fill(polygon(star(195, 185, 22, 5, 9)), hex('#e8473c'));
  return c;
}

interface DemoImage {
  file: string;
  draw: () => Canvas;
}

/** Demo product (listing id) → image. */
export const PRODUCT_IMAGES: Record<string, DemoImage> = {
  'p-rice': { file: 'p-rice.png', draw: rice },
  'p-tea': { file: 'p-tea.png', draw: tea },
  'p-oil': { file: 'p-oil.png', draw: oil },
  'p-honey': { file: 'p-honey.png', draw: honey },
  'p-towel': { file: 'p-towel.png', draw: towel },
  'p-kettle': { file: 'p-kettle.png', draw: kettle },
  'sp-beef-noodle': { file: 'sp-beef-noodle.png', draw: beefNoodle },
  'sp-fruit-box': { file: 'sp-fruit-box.png', draw: fruitBox },
};

export const CATEGORY_IMAGES: Record<string, DemoImage> = {
  food: { file: 'cat-food.png', draw: categoryFood },
  drink: { file: 'cat-drink.png', draw: categoryDrink },
  home: { file: 'cat-home.png', draw: categoryHome },
  local: { file: 'cat-local.png', draw: categoryLocal },
};

/** Home banners (site_content 'banners', the console's format). */
export const BANNERS: { id: string; title: string; link: string; image: DemoImage }[] = [
  { id: 'demo-rice', title: '新米上市 · 东北有机大米', link: '/packages/shop/pages/product/index?id=p-rice', image: { file: 'banner-fields.png', draw: bannerFields } },
  { id: 'demo-tea', title: '明前龙井 · 春茶到店', link: '/packages/shop/pages/product/index?id=p-tea', image: { file: 'banner-tea.png', draw: bannerTea } },
  { id: 'demo-local', title: '本地生活 · 到店扫码买单', link: '/pages/category/index', image: { file: 'banner-local.png', draw: bannerLocal } },
];

function allImages(): DemoImage[] {
  return [...Object.values(PRODUCT_IMAGES), ...Object.values(CATEGORY_IMAGES), ...BANNERS.map((b) => b.image)];
}

/** Writes the demo images that are missing under dir/<bucket>/demo/; returns the files written. */
export function ensureDemoImages(storageDir: string): string[] {
  const dir = join(storageDir, DEMO_IMAGE_BUCKET, DEMO_IMAGE_PREFIX);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const img of allImages()) {
    const file = join(dir, img.file);
    if (existsSync(file)) continue;
    // written aside, then renamed (atomic): a half-written file is never served
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, img.draw().png());
    renameSync(part, file);
    written.push(img.file);
  }
  return written;
}

/** Public URL of a demo image behind the gateway at apiUrl. */
export function demoImageUrl(apiUrl: string, file: string): string {
  return `${apiUrl.replace(/\/$/, '')}/storage/v1/object/public/${DEMO_IMAGE_BUCKET}/${DEMO_IMAGE_PREFIX}/${file}`;
}

const DEMO_URL_PATTERN = `%/storage/v1/object/public/${DEMO_IMAGE_BUCKET}/${DEMO_IMAGE_PREFIX}/%`;

/**
 * Points the demo rows at the images behind this gateway: products without
 * images, categories without an icon and an empty banner list, or rows
 * still on a demo image (the gateway's port may differ between starts).
 * What an operator set in the console is left alone.
 */
export async function applyDemoImages(sql: Sql, apiUrl: string): Promise<{ products: number; categories: number; banners: number }> {
  let products = 0;
  for (const [id, img] of Object.entries(PRODUCT_IMAGES)) {
    const url = demoImageUrl(apiUrl, img.file);
    const r = await sql`update app.listings set images = array[${url}::text]
      where id = ${id} and (images = '{}' or (cardinality(images) = 1 and images[1] like ${DEMO_URL_PATTERN}))`;
    products += r.count;
  }
  let categories = 0;
  for (const [id, img] of Object.entries(CATEGORY_IMAGES)) {
    const url = demoImageUrl(apiUrl, img.file);
    const r = await sql`update app.categories set icon = ${url} where id = ${id} and (icon is null or icon like ${DEMO_URL_PATTERN})`;
    categories += r.count;
  }
  const banners = BANNERS.map((b) => ({ id: b.id, image: demoImageUrl(apiUrl, b.image.file), title: b.title, link: b.link }));
  const demoIds = BANNERS.map((b) => b.id);
  const r = await sql`update app.site_content set value = ${sql.json(banners)}, updated_at = now()
    where key = 'banners' and (value = '[]'::jsonb or (select coalesce(array_agg(b ->> 'id' order by b ->> 'id'), '{}') from jsonb_array_elements(value) b) = ${[...demoIds].sort()}::text[])`;
  return { products, categories, banners: r.count > 0 ? banners.length : 0 };
}

if (process.argv[1] && /demo-images\.ts$/.test(process.argv[1])) {
  const dir = process.argv[2] ?? join(process.cwd(), '.tmp', 'storage');
  const written = ensureDemoImages(dir);
  console.log(`${written.length} image(s) written under ${join(dir, DEMO_IMAGE_BUCKET, DEMO_IMAGE_PREFIX)}`);
}
