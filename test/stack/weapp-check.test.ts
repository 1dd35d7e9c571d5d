// The mini-program build passes WeChat's own tooling offline
// (scripts/weapp/check.ts: wcc, wcsc, miniprogram-ci's local compile, the
// package rules of app.json), and the check fails on a broken build: each
// breakage below is made on a copy of dist/weapp.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild, ROOT } from '../../scripts/bench/h5-app';
import { checkWeapp, ciProblems, compilerProblems, LIMITS, packageProblems } from '../../scripts/weapp/check';

jest.setTimeout(600_000);

const DIST = join(ROOT, 'dist', 'weapp');
let copies: string[] = [];

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weapp-broken-'));
  cpSync(DIST, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

beforeAll(async () => {
  await ensureBuild('weapp', () => undefined);
});
afterAll(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
  copies = [];
});

test('the build passes wcc, wcsc, miniprogram-ci and the package rules', () => {
  expect(checkWeapp(DIST)).toEqual([]);
});

test('miniprogram-ci compiles every page of app.json, offline', () => {
  const app = JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8')) as { pages: string[]; subPackages: { root: string; pages: string[] }[] };
  const { problems, files } = ciProblems(DIST);
  expect(problems).toEqual([]);
  const pages = [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
  for (const p of pages) expect(files).toEqual(expect.arrayContaining([`${p}.js`, `${p}.wxml`]));
});

test('a broken template fails wcc, naming the file and line', () => {
  const dir = copy();
  appendFileSync(join(dir, 'pages', 'home', 'index.wxml'), '\n<view><text>{{ price </view>\n');
  expect(compilerProblems(dir)).toEqual([expect.stringMatching(/^wcc: .*pages\/home\/index\.wxml:\d+:\d+/)]);
});

test('broken WXSS fails wcsc', () => {
  const dir = copy();
  appendFileSync(join(dir, 'app.wxss'), '\n.price { color: #e8473c \n');
  expect(compilerProblems(dir)).toEqual([expect.stringMatching(/^wcsc: .*app\.wxss/)]);
});

test('a page listed in app.json without its files fails the package rules and miniprogram-ci', () => {
  const dir = copy();
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8'));
  app.subPackages[0].pages.push('pages/gone/index');
  writeFileSync(join(dir, 'app.json'), JSON.stringify(app));
  const gone = `${app.subPackages[0].root}/pages/gone/index`;
  expect(packageProblems(dir)).toEqual([`app.json subPackages ${app.subPackages[0].root}: page ${gone} has no ${gone}.js`, `app.json subPackages ${app.subPackages[0].root}: page ${gone} has no ${gone}.wxml`]);
  expect(ciProblems(dir).problems).toEqual([expect.stringMatching(/^miniprogram-ci: .*gone/)]);
});

test('a tab icon over 40 KB, a file type WeChat does not upload, a tab outside the main package', () => {
  const dir = copy();
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8'));
  writeFileSync(join(dir, app.tabBar.list[0].iconPath), Buffer.alloc(LIMITS.tabIconBytes + 1));
  writeFileSync(join(dir, 'vendors.js.LICENSE.txt'), 'notices');
  app.tabBar.list[1].pagePath = `${app.subPackages[0].root}/${app.subPackages[0].pages[0]}`;
  writeFileSync(join(dir, 'app.json'), JSON.stringify(app));
  expect(packageProblems(dir)).toEqual([
    `app.json tabBar: icon ${app.tabBar.list[0].iconPath} is ${LIMITS.tabIconBytes + 1} bytes (limit ${LIMITS.tabIconBytes})`,
    `app.json tabBar: ${app.tabBar.list[1].pagePath} is not a page of the main package`,
    expect.stringMatching(/^file type: vendors\.js\.LICENSE\.txt/),
  ]);
});

test('a main package over WeChat\'s limit', () => {
  const dir = copy();
  writeFileSync(join(dir, 'big.js'), Buffer.alloc(LIMITS.mainBytes));
  expect(packageProblems(dir)).toEqual([expect.stringMatching(/^size: main package \d+ bytes \(limit 2097152\)$/)]);
});
