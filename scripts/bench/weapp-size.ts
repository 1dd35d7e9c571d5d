// weapp-size: bytes of the mini-program build (dist/weapp, production; built
// when missing or stale). WeChat caps the main package and each subpackage
// at 2 MB; our targets are tighter: main ≤ 512 KiB,
// total ≤ 4 MiB. ratio = main / 512 KiB (≤ 1 meets the target), totalRatio =
// total / 4 MiB. Reported, never asserted.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { BenchContext, BenchResult } from './common';
import { round } from './common';
import { ensureBuild, ROOT } from './h5-app';

const MIB = 1024 * 1024;
export const MAIN_TARGET = MIB / 2;
export const TOTAL_TARGET = 4 * MIB;

function files(dir: string): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...files(path));
    else out.push({ path, bytes: st.size });
  }
  return out;
}

/** Sizes of a weapp build: main package = every file outside the subpackage roots of app.json. */
export function weappSizes(dir: string): { mainBytes: number; totalBytes: number; files: number; subpackages: Record<string, number> } {
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] };
  const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/+$/, ''));
  const subpackages: Record<string, number> = Object.fromEntries(roots.map((r) => [r, 0]));
  let mainBytes = 0;
  let totalBytes = 0;
  const all = files(dir);
  for (const f of all) {
    const rel = relative(dir, f.path).split(sep).join('/');
    totalBytes += f.bytes;
    const root = roots.find((r) => rel === r || rel.startsWith(`${r}/`));
    if (root) subpackages[root] += f.bytes;
    else mainBytes += f.bytes;
  }
  return { mainBytes, totalBytes, files: all.length, subpackages };
}

export async function weappSize(ctx: BenchContext): Promise<BenchResult> {
  await ensureBuild('weapp', ctx.log);
  const dir = join(ROOT, 'dist', 'weapp');
  if (!existsSync(join(dir, 'app.json'))) throw new Error('dist/weapp/app.json missing after the build');
  const s = weappSizes(dir);
  const largest = Object.entries(s.subpackages).sort((a, b) => b[1] - a[1])[0];
  return {
    bench: 'weapp-size',
    mainBytes: s.mainBytes,
    totalBytes: s.totalBytes,
    ratio: round(s.mainBytes / MAIN_TARGET, 3),
    totalRatio: round(s.totalBytes / TOTAL_TARGET, 3),
    mainTargetBytes: MAIN_TARGET,
    totalTargetBytes: TOTAL_TARGET,
    largestSubpackage: largest ? `${largest[0]} ${largest[1]}` : null,
    subpackages: s.subpackages,
    files: s.files,
  };
}
