// No import circles in the pure domain code (src/domain): each module can be
// read, tested and loaded on its own. Type-only imports count too (they tie
// the modules together for a reader and for tsc just the same).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const DOMAIN = join(__dirname, '..', '..', 'src', 'domain');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const f of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(f) && statSync(f).isFile()) return f;
  return null;
}

export function importGraph(paths: string[], read: (f: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of paths) {
    const specs = [...read(f).matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    graph.set(f, specs.map((s) => resolveImport(f, s)).filter((x): x is string => x !== null));
  }
  return graph;
}

/** Every import circle, each as the path of modules around it (from its smallest member). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const stack: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const loop = stack.slice(stack.indexOf(m));
        const start = loop.indexOf([...loop].sort()[0]);
        const canon = [...loop.slice(start), ...loop.slice(0, start)];
        found.set(canon.join('>'), canon);
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return [...found.values()];
}

test('src/domain has no import circle', () => {
  const graph = importGraph(files(DOMAIN), (f) => readFileSync(f, 'utf8'));
  expect(graph.size).toBeGreaterThan(10);
  expect(cycles(graph).map((c) => c.map((f) => relative(DOMAIN, f)).join(' → '))).toEqual([]);
});

test('the walk finds a circle (model → distribution → queue → model, type imports included), and none once model stops importing', () => {
  const edges: Record<string, string[]> = { model: ['distribution'], distribution: ['model', 'queue'], queue: ['model'] };
  const graph = new Map(Object.entries(edges));
  expect(cycles(graph)).toEqual([['distribution', 'model']]);
  graph.set('model', []);
  expect(cycles(graph)).toEqual([]);
  // and the import parser sees `import type` as an edge
  const text = "import type { DistributionData } from './distribution';\nexport { wallet } from './queue';\nimport Decimal from 'decimal.js';\n";
  expect([...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1])).toEqual(['./distribution', './queue', 'decimal.js']);
});
