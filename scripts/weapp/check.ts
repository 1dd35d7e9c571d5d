// The weapp build checked by WeChat's own tooling, offline:
//   - every WXML through wcc and every WXSS through wcsc (the compilers of
//     WeChat DevTools, npm package miniprogram-compiler, Linux binaries);
//   - miniprogram-ci's local compile (getCompiledResult) with stand-in
//     project attributes and key, in a network namespace of its own
//     (`unshare -n`) where the machine allows it and with every connection
//     refused in-process either way;
//   - the package rules of app.json: page files, subpackage roots, tab bar
//     (count, pages in the main package, icons png/jpg ≤ 40 KB), package
//     sizes, and only file types WeChat accepts in an upload.
// Limits are WeChat's as miniprogram-ci ships them (DefaultProjectAttr,
// MiniProgramWhiteList).
//
//   npx tsx scripts/weapp/check.ts [dist/weapp]     exit 1 and one line per problem
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const COMPILERS = join(ROOT, 'node_modules', 'miniprogram-compiler', 'bin', process.platform === 'darwin' ? 'mac' : 'linux');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config.js') as { DefaultProjectAttr: { setting: Record<string, number> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MiniProgramWhiteList } = require('miniprogram-ci/dist/utils/white_ext_list.js') as { MiniProgramWhiteList: string[] };

const MB = 1024 * 1024;
export const LIMITS = {
  mainBytes: DefaultProjectAttr.setting.MaxCodeSize * MB,
  subpackageBytes: DefaultProjectAttr.setting.MaxSubpackageSubCodeSize * MB,
  totalBytes: DefaultProjectAttr.setting.MaxSubpackageFullCodeSize * MB,
  tabIconBytes: DefaultProjectAttr.setting.MaxTabbarIconSize * 1024,
  minTabs: DefaultProjectAttr.setting.MinTabbarCount,
  maxTabs: DefaultProjectAttr.setting.MaxTabbarCount,
  fileTypes: MiniProgramWhiteList,
  tabIconTypes: ['.png', '.jpg', '.jpeg'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const rel = (dir: string, p: string) => relative(dir, p).split(sep).join('/');

interface AppJson {
  pages?: string[];
  subPackages?: { root: string; pages: string[] }[];
  subpackages?: { root: string; pages: string[] }[];
  tabBar?: { list?: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
}

/** app.json's package rules. */
export function packageProblems(dir: string): string[] {
  const out: string[] = [];
  const appPath = join(dir, 'app.json');
  if (!existsSync(appPath)) return ['app.json: missing'];
  let app: AppJson;
  try {
    app = JSON.parse(readFileSync(appPath, 'utf8'));
  } catch (e) {
    return [`app.json: not JSON (${(e as Error).message})`];
  }
  const subs = (app.subPackages ?? app.subpackages ?? []).map((s) => ({ ...s, root: s.root.replace(/\/+$/, '') }));
  if (!app.pages?.length) out.push('app.json: pages is empty');
  const pageFiles = (page: string, where: string) => {
    for (const ext of ['.js', '.wxml']) if (!existsSync(join(dir, page + ext))) out.push(`${where}: page ${page} has no ${page}${ext}`);
  };
  for (const p of app.pages ?? []) {
    pageFiles(p, 'app.json pages');
    const inside = subs.find((s) => p === s.root || p.startsWith(`${s.root}/`));
    if (inside) out.push(`app.json pages: ${p} lies inside subpackage root ${inside.root}`);
  }
  for (const s of subs) {
    if (!s.root) out.push('app.json subPackages: a root is empty');
    else if (!existsSync(join(dir, s.root)) || !statSync(join(dir, s.root)).isDirectory()) out.push(`app.json subPackages: root ${s.root} is no directory`);
    for (const other of subs) if (other !== s && other.root.startsWith(`${s.root}/`)) out.push(`app.json subPackages: root ${other.root} is inside root ${s.root}`);
    if (!s.pages?.length) out.push(`app.json subPackages: ${s.root} has no pages`);
    for (const p of s.pages ?? []) pageFiles(`${s.root}/${p}`, `app.json subPackages ${s.root}`);
  }
  const tabs = app.tabBar?.list ?? [];
  if (app.tabBar) {
    if (tabs.length < LIMITS.minTabs || tabs.length > LIMITS.maxTabs) out.push(`app.json tabBar: ${tabs.length} tabs (WeChat allows ${LIMITS.minTabs} to ${LIMITS.maxTabs})`);
    for (const t of tabs) {
      if (!(app.pages ?? []).includes(t.pagePath)) out.push(`app.json tabBar: ${t.pagePath} is not a page of the main package`);
      for (const icon of [t.iconPath, t.selectedIconPath]) {
        if (!icon) continue;
        const f = join(dir, icon);
        if (!existsSync(f)) out.push(`app.json tabBar: icon ${icon} missing`);
        else {
          if (!LIMITS.tabIconTypes.includes(extname(icon).toLowerCase())) out.push(`app.json tabBar: icon ${icon} is not png/jpg`);
          if (statSync(f).size > LIMITS.tabIconBytes) out.push(`app.json tabBar: icon ${icon} is ${statSync(f).size} bytes (limit ${LIMITS.tabIconBytes})`);
        }
      }
    }
  }
  // Sizes and file types over every file of the build.
  let main = 0;
  let total = 0;
  const bySub = new Map(subs.map((s) => [s.root, 0]));
  for (const f of files(dir)) {
    const r = rel(dir, f);
    const size = statSync(f).size;
    total += size;
    const sub = subs.find((s) => r.startsWith(`${s.root}/`));
    if (sub) bySub.set(sub.root, bySub.get(sub.root)! + size);
    else main += size;
    if (r !== 'project.config.json' && !LIMITS.fileTypes.includes(extname(r).toLowerCase())) out.push(`file type: ${r} (WeChat uploads only ${LIMITS.fileTypes.join(' ')})`);
  }
  if (main > LIMITS.mainBytes) out.push(`size: main package ${main} bytes (limit ${LIMITS.mainBytes})`);
  for (const [root, size] of bySub) if (size > LIMITS.subpackageBytes) out.push(`size: subpackage ${root} ${size} bytes (limit ${LIMITS.subpackageBytes})`);
  if (total > LIMITS.totalBytes) out.push(`size: all packages ${total} bytes (limit ${LIMITS.totalBytes})`);
  return out;
}

/**
 * WeChat's compilers, runnable: the npm tarball ships them without the
 * execute bit, so a fresh `npm ci` leaves them 0644 (found on a fresh clone).
 */
function compiler(name: 'wcc' | 'wcsc'): string {
  const path = join(COMPILERS, name);
  if ((statSync(path).mode & 0o111) === 0) chmodSync(path, 0o755);
  return path;
}

/** wcc over every WXML (with the WXS modules), wcsc over every WXSS, as WeChat DevTools runs them. */
export function compilerProblems(dir: string): string[] {
  const out: string[] = [];
  const all = files(dir).map((f) => rel(dir, f));
  const wxml = all.filter((f) => f.endsWith('.wxml'));
  const wxs = all.filter((f) => f.endsWith('.wxs'));
  const wxss = all.filter((f) => f.endsWith('.wxss'));
  const wcc = spawnSync(compiler('wcc'), ['-d', '-cc', '0', ...wxml, ...wxs, '-gn', '$gwx'], { cwd: dir, maxBuffer: 256 * MB, encoding: 'utf8' });
  if (wcc.error) out.push(`wcc: cannot run (${wcc.error.message})`);
  else if (wcc.status !== 0) out.push(`wcc: ${(wcc.stderr || wcc.stdout).trim()}`);
  const wcsc = spawnSync(compiler('wcsc'), ['-db', '-pc', '0', ...wxss], { cwd: dir, maxBuffer: 256 * MB, encoding: 'utf8' });
  if (wcsc.error) out.push(`wcsc: cannot run (${wcsc.error.message})`);
  else if (wcsc.status !== 0) out.push(`wcsc: ${(wcsc.stderr || wcsc.stdout).trim()}`);
  return out;
}

/** Whether this process may make itself a network namespace (root, or unprivileged user namespaces). */
function canUnshare(): boolean {
  return spawnSync('unshare', ['-n', 'true']).status === 0;
}

/** miniprogram-ci's local compile, offline. */
export function ciProblems(dir: string): { problems: string[]; files: string[]; isolated: boolean } {
  const tmp = mkdtempSync(join(tmpdir(), 'weapp-ci-'));
  try {
    const key = join(tmp, 'private.key');
    // A stand-in upload key: the local compile never uses it for anything WeChat checks.
    writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const node = [process.execPath, '--require', join(__dirname, 'no-network.cjs'), join(__dirname, 'ci-compile.cjs'), dir, key, join(tmp, 'out.zip')];
    const isolated = canUnshare();
    const r = isolated
      ? spawnSync('unshare', ['-n', ...node], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * MB })
      : spawnSync(node[0], node.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * MB });
    const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (!line) return { problems: [`miniprogram-ci: no result (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}): ${(r.stderr ?? '').slice(-800)}`], files: [], isolated };
    const res = JSON.parse(line) as { files?: string[]; error?: string };
    return { problems: res.error ? [`miniprogram-ci: ${res.error}`] : [], files: res.files ?? [], isolated };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function checkWeapp(dir: string): string[] {
  return [...packageProblems(dir), ...compilerProblems(dir), ...ciProblems(dir).problems];
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? join(ROOT, 'dist', 'weapp'));
  const problems = checkWeapp(dir);
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problem(s) in ${dir}` : `${dir}: wcc, wcsc, miniprogram-ci and the package rules pass`);
  process.exit(problems.length ? 1 : 0);
}
