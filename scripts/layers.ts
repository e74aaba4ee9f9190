import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/**
 * The import graph of `src/` and the rules it must keep: each module sits in one layer, imports
 * only from its own layer or those below, and no chain of imports comes back to where it began.
 * A small check of our own rather than dependency-cruiser or madge: the rules are a dozen
 * lines, it runs inside `npm test` in milliseconds, and it adds no dependency tree to install.
 */

/** The layers, lowest first: a module may import from its own layer and any layer before it. */
export const LAYERS: { name: string; modules: string[] }[] = [
  { name: 'base', modules: ['bindings.ts', 'paths.ts', 'dates.ts', 'hash.ts', 'html.ts', 'bytes.ts'] },
  { name: 'http', modules: ['http/'] },
  { name: 'pure', modules: ['article/', 'feeds/', 'digest/', 'websub/', 'pages/', 'sync/', 'sitemap/', 'search/'] },
  { name: 'storage', modules: ['storage/'] },
  { name: 'read', modules: ['read/'] },
  { name: 'writer', modules: ['writer/'] },
  { name: 'routes', modules: ['routes/'] },
  { name: 'app', modules: ['app.tsx'] },
  { name: 'entry', modules: ['fetch.ts', 'index.ts'] },
]

/** Module (path under src/) → the modules under src/ it imports. */
export type ImportGraph = Map<string, string[]>

const SOURCE = /\.(ts|tsx)$/
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm

/** Reads every non-test module under `root` and the relative imports each one makes. */
export function importGraph(root: string): ImportGraph {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (SOURCE.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(relative(root, path))
    }
  }
  walk(root)
  const known = new Set(files)
  const resolveModule = (from: string, spec: string): string | null => {
    const base = relative(root, resolve(root, dirname(from), spec))
    return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((f) => known.has(f)) ?? null
  }
  const graph: ImportGraph = new Map()
  for (const file of files.sort()) {
    const text = readFileSync(join(root, file), 'utf8')
    const targets = [...text.matchAll(IMPORT)].map((m) => resolveModule(file, m[1]!)).filter((t): t is string => t !== null)
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** The index in `LAYERS` of a module, or -1 when no layer claims it. */
export const layerOf = (module: string): number => LAYERS.findIndex((l) => l.modules.some((m) => (m.endsWith('/') ? module.startsWith(m) : module === m)))

/** Imports that run up the layers (or from a module no layer claims), as "from → to". */
export function upwardImports(graph: ImportGraph): string[] {
  const found: string[] = []
  for (const [from, targets] of graph) {
    if (layerOf(from) < 0) found.push(`${from}: in no layer`)
    for (const to of targets)
      if (layerOf(to) > layerOf(from)) found.push(`${from} → ${to} (${LAYERS[layerOf(from)]?.name} imports ${LAYERS[layerOf(to)]?.name})`)
  }
  return found
}

/** Every import circle, each as the modules along it ("a → b → a"), found once. */
export function importCircles(graph: ImportGraph): string[] {
  const circles = new Set<string>()
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (m: string) => {
    state.set(m, 'open')
    stack.push(m)
    for (const to of graph.get(m) ?? []) {
      if (state.get(to) === 'open') {
        const loop = stack.slice(stack.indexOf(to))
        // The same circle found from another module reads the same from its least name.
        const start = loop.indexOf([...loop].sort()[0]!)
        const turned = [...loop.slice(start), ...loop.slice(0, start)]
        circles.add([...turned, turned[0]].join(' → '))
      } else if (!state.has(to)) visit(to)
    }
    stack.pop()
    state.set(m, 'done')
  }
  for (const m of graph.keys()) if (!state.has(m)) visit(m)
  return [...circles]
}

// `tsx scripts/layers.ts`: prints the graph's problems and each folder's size.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '../src')
  const graph = importGraph(root)
  const problems = [...upwardImports(graph), ...importCircles(graph).map((c) => `circle: ${c}`)]
  for (const p of problems) console.log(p)
  console.log(`${graph.size} modules, ${problems.length} problem(s)`)
  process.exit(problems.length > 0 ? 1 : 0)
}
