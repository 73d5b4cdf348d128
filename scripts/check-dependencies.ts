/**
 * Checks the direction of Accord's imports (npm run check:deps): no module imports itself through
 * others, and no bounded context does either. A context is a folder of src (channels/email and
 * channels/chat are one each); the files at the root of src (server, services, cli, config …) are
 * the composition root and each count alone. Type-only imports count: a cycle of types is still a
 * cycle of knowledge. Exits 1 and names every cycle with the imports that make it.
 */
import { cruise, type ICruiseResult } from 'dependency-cruiser';

type Graph = Map<string, Set<string>>;

/** The folder checked: src, or another given as the first argument (the tests give a fixture). */
const root = (process.argv[2] ?? 'src').replace(/\/+$/, '');

/** The bounded context a source file belongs to. */
function contextOf(source: string): string | undefined {
  if (!source.startsWith(`${root}/`)) return undefined;
  const inside = source.slice(root.length + 1);
  const nested = /^(channels\/[^/]+|[^/]+)\//.exec(inside);
  return nested ? nested[1] : inside.replace(/\.ts$/, '');
}

/** The strongly connected components of more than one node (Tarjan), each sorted. */
function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

async function main() {
  const result = await cruise(
    [root],
    {
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '\\.test\\.ts$' },
    },
    undefined,
    { tsConfig: { fileName: 'tsconfig.json' } },
  );
  const { modules } = (result.output as ICruiseResult) ?? { modules: [] };
  const files: Graph = new Map();
  const contexts: Graph = new Map();
  const why = new Map<string, string>();
  for (const module of modules) {
    const from = contextOf(module.source);
    if (!from) continue;
    files.set(module.source, new Set());
    if (!contexts.has(from)) contexts.set(from, new Set());
    for (const dependency of module.dependencies) {
      const to = contextOf(dependency.resolved);
      if (!to) continue;
      files.get(module.source)!.add(dependency.resolved);
      if (to === from) continue;
      contexts.get(from)!.add(to);
      const key = `${from} -> ${to}`;
      if (!why.has(key)) why.set(key, `${module.source} imports ${dependency.resolved}`);
    }
  }
  const moduleCycles = cycles(files);
  const contextCycles = cycles(contexts);
  for (const cycle of moduleCycles) console.error(`module cycle: ${cycle.join(', ')}`);
  for (const cycle of contextCycles) {
    console.error(`context cycle: ${cycle.join(', ')}`);
    const members = new Set(cycle);
    for (const from of cycle)
      for (const to of contexts.get(from) ?? [])
        if (members.has(to)) console.error(`  ${from} -> ${to}: ${why.get(`${from} -> ${to}`)}`);
  }
  const count = modules.filter((m) => m.source.startsWith(`${root}/`)).length;
  if (moduleCycles.length + contextCycles.length > 0) {
    console.error(
      `${moduleCycles.length} module cycles, ${contextCycles.length} context cycles in ${count} modules`,
    );
    process.exit(1);
  }
  console.log(`No import cycle: ${count} modules in ${contexts.size} contexts.`);
}

await main();
