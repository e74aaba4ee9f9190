// npm run bench [-- --sizes 100,1000,10000 --http-seconds 5 --connections 32 --no-http]
// npm run bench -- --smoke        N = 100, in-process only, a few seconds; writes nothing
// Measures, in one run: CPU and KV reads per request in-process, HTTP throughput against a
// 50 KB static baseline through `wrangler dev`, and the cost of publishing and of composing a
// digest, each collection size in a process of its own (bench/size.ts). Prints a Markdown
// report and writes it to docs/benchmarks.md.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { measureCompose } from './inprocess'
import type { SizeResult } from './size'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    'http-seconds': { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    iterations: { type: 'string', default: '500' },
    'no-http': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
})
const sizes = values.smoke ? [100] : values.sizes.split(',').map(Number)
const iterations = values.smoke ? 30 : Number(values.iterations)
const http = !values.smoke && !values['no-http']
/** Publishes measured per size (the minutes of one hour: each is dated a minute after the last). */
const publishRuns = values.smoke ? 3 : 60

// Each size runs in a process of its own, as each deployment's writer and Workers do: what one
// size left in the heap and in V8's caches would otherwise be paid for by the next.
const scratch = mkdtempSync(join(tmpdir(), 'edgefeed-bench-'))
const results = new Map<number, SizeResult>()
for (const [i, n] of sizes.entries()) {
  const out = join(scratch, `${n}.json`)
  const args = ['bench/size.ts', '--n', String(n), '--out', out, '--iterations', String(iterations), '--runs', String(publishRuns)]
  if (http) args.push('--port', String(8800 + i), '--http-seconds', values['http-seconds'], '--connections', values.connections)
  const child = spawnSync(process.execPath, [...process.execArgv, ...args], { stdio: ['ignore', 'inherit', 'inherit'] })
  if (child.status !== 0) throw new Error(`bench: N = ${n} failed (${child.status ?? child.signal})`)
  results.set(n, JSON.parse(readFileSync(out, 'utf8')) as SizeResult)
}
rmSync(scratch, { recursive: true, force: true })
const pick = <T>(f: (r: SizeResult) => T) => new Map(sizes.map((n) => [n, f(results.get(n)!)]))
const inproc = pick((r) => r.routes)
const httpResults = pick((r) => r.http!)
const publish = pick((r) => r.publish)
const backdated = pick((r) => r.backdated)
const withCover = pick((r) => r.withCover)
const scheduled = pick((r) => r.scheduled)
const rebuild = pick((r) => r.rebuild)
const loadSeconds = pick((r) => r.loadSeconds)
console.error('bench: composing digests…')
const compose = {
  100: measureCompose(100, values.smoke ? 3 : 15),
  ...(values.smoke ? {} : { 1000: measureCompose(1000, 5), 5000: measureCompose(5000, 3) }),
} as Record<number, number>

const fmt = (n: number) => n.toLocaleString('en-US')
const us = (x: number) => (x < 1000 ? `${Math.round(x)} µs` : `${(x / 1000).toFixed(2)} ms`)
const head = (cols: string[]) => `| ${cols.join(' | ')} |\n|${cols.map(() => ' --- ').join('|')}|`
const routes = inproc.get(sizes[0]!)!.map((r) => r.name)
const lines: string[] = []
lines.push(`# Benchmarks\n`)
lines.push(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; hono, feed and marked as pinned in package.json; wrangler dev (workerd) for HTTP. Synthetic collections of about 5 KB of Markdown per article, 200 topics with a Zipf skew, dates over two years, loaded through the real write path (parse, render, the writer's tables and flush). \`npm run bench\` to reproduce.\n`,
)
lines.push(
  `## CPU per request, in-process\n\nThe Worker's \`fetch\` called directly with an in-memory KV that counts operations, with the settings \`wrangler.toml\` deploys (\`FEED_MEMORY_MS\` 1 s: a feed polled again within a second is not read from KV again; the last row reads it every time); ${iterations} requests per route, median and p99. The baseline is a static 50 KB answer made before the app (no routing, middleware or hashing); a second static answer is as large as \`/feed.atom\` (about 105 KB), to show what the bytes themselves cost. Targets at the largest N: site and topic feeds at most 1.5× the baseline's median, a 304 no costlier than it, every route flat within 20% from the smallest N, at most 2 KV reads. Each size runs in a process of its own, minutes apart, and this machine's speed drifts between them (the baseline's own median moves): the last column compares each route with the baseline measured alongside it, which cancels that drift.\n`,
)
lines.push(
  head([
    'route',
    ...sizes.map((n) => `N = ${fmt(n)} (median / p99)`),
    'KV reads',
    'flat (last / first)',
    `× baseline at N = ${fmt(sizes.at(-1)!)}`,
    'flat, relative to the baseline',
  ]),
)
for (const name of routes) {
  const cells = sizes.map((n) => {
    const r = inproc.get(n)!.find((x) => x.name === name)!
    return `${us(r.medianUs)} / ${us(r.p99Us)}`
  })
  const first = inproc.get(sizes[0]!)!.find((x) => x.name === name)!
  const last = inproc.get(sizes.at(-1)!)!.find((x) => x.name === name)!
  const [firstBase, lastBase] = [inproc.get(sizes[0]!)![0]!.medianUs, inproc.get(sizes.at(-1)!)![0]!.medianUs]
  lines.push(
    `| ${name} | ${cells.join(' | ')} | ${Math.max(...sizes.map((n) => inproc.get(n)!.find((x) => x.name === name)!.kvReads))} | ${(last.medianUs / first.medianUs).toFixed(2)}× | ${(last.medianUs / lastBase).toFixed(2)}× | ${(last.medianUs / lastBase / (first.medianUs / firstBase)).toFixed(2)}× |`,
  )
}
if (http) {
  lines.push(
    `\n## HTTP throughput through wrangler dev\n\nautocannon, ${values.connections} connections, ${values['http-seconds']} s per route, on loopback; requests per second and the ratio to the 50 KB static baseline measured in the same run (target: site and topic feeds at least 0.8×); the static answer as large as \`/feed.atom\` shows how much of a feed's cost is its size.\n`,
  )
  lines.push(head(['route', ...sizes.map((n) => `N = ${fmt(n)}: req/s (× baseline), p50 / p99`)]))
  for (const name of httpResults.get(sizes[0]!)!.map((r) => r.name)) {
    const cells = sizes.map((n) => {
      const rs = httpResults.get(n)!
      const r = rs.find((x) => x.name === name)!
      const base = rs[0]!.rps
      return `${fmt(Math.round(r.rps))} (${(r.rps / base).toFixed(2)}×), ${r.p50} / ${r.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`
    })
    lines.push(`| ${name} | ${cells.join(' | ')} |`)
  }
}
lines.push(`\n## Writes and the cron\n`)
lines.push(
  `One article published into the collection, then flushed on its own, ${publishRuns} times: dated after every other (as most are) or backdated to a random day. Time on the thread (the in-memory KV answers at once, so it is CPU time), each size in a process of its own and before its routes run, since the writer is an isolate of its own; its SQL runs in Node's SQLite. Target: at most 10 ms for commit and flush. Bytes written follow what the feeds it changes hold: the newest 20 items of the site feed and of each of its topics' feeds, which fill up as N grows.\n`,
)
lines.push(head(['measure', ...sizes.map((n) => `N = ${fmt(n)}`)]))
lines.push(
  `| load the collection (parse, render, the writer's tables and flush), in-process | ${sizes.map((n) => `${loadSeconds.get(n)!.toFixed(1)} s`).join(' | ')} |`,
)
for (const [label, costs] of [
  ['publish one new article', publish],
  ['publish one backdated article', backdated],
  ['publish one new article with a cover image', withCover],
  ['a scheduled article, published by the step when due (commit: its write earlier)', scheduled],
] as const) {
  lines.push(
    `| ${label}: CPU in the Worker (parse, render, prepare its views; median) | ${sizes.map((n) => `${costs.get(n)!.workerMs.toFixed(2)} ms`).join(' | ')} |`,
  )
  lines.push(`| ${label}: CPU in the writer, commit (median) | ${sizes.map((n) => `${costs.get(n)!.commitMs.toFixed(2)} ms`).join(' | ')} |`)
  lines.push(`| ${label}: CPU in the writer, flush of its views (median) | ${sizes.map((n) => `${costs.get(n)!.flushMs.toFixed(2)} ms`).join(' | ')} |`)
  lines.push(
    `| ${label}: CPU in the writer, commit and flush (median of the sums) | ${sizes.map((n) => `${costs.get(n)!.writerMs.toFixed(2)} ms`).join(' | ')} |`,
  )
  lines.push(
    `| ${label}: KV writes and deletes, bytes written (medians) | ${sizes.map((n) => `${costs.get(n)!.writes}, ${(costs.get(n)!.bytes / 1024).toFixed(0)} KB`).join(' | ')} |`,
  )
}
lines.push(
  `| rebuild: flush steps (alarms), most KV operations in one step, values rewritten | ${sizes.map((n) => `${rebuild.get(n)!.steps}, ${rebuild.get(n)!.maxOps}, ${rebuild.get(n)!.puts + rebuild.get(n)!.deletes}`).join(' | ')} |`,
)
lines.push(`\n| compose a digest | CPU (median) |\n| --- | --- |`)
for (const [n, ms] of Object.entries(compose)) lines.push(`| ${n} articles in one day | ${ms.toFixed(1)} ms |`)
const largest = [...inproc.values()].flat().reduce((a, r) => (r.allocated > a.allocated ? r : a))
const lastN = sizes.at(-1)!
lines.push(
  largest.allocated < 0
    ? '\nMemory: run with `node --expose-gc` (as `npm run bench` does) to measure allocation per request.'
    : `\nMemory: the largest request (${largest.name}) allocates ${(largest.allocated / 2 ** 20).toFixed(2)} MB of heap; at N = ${fmt(lastN)} the largest is ${(Math.max(...inproc.get(lastN)!.map((r) => r.allocated)) / 2 ** 20).toFixed(2)} MB. A Worker keeps nothing between requests but its code and a few cached formatters, so an isolate's peak stays far under its 128 MB whatever N is.`,
)
const report = `${lines.join('\n')}\n`
console.log(report)
if (!values.smoke) writeFileSync('docs/benchmarks.md', report)
