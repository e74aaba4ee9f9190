// Measures one collection size in a process of its own; `bench/run.ts` starts one per N.
// node --expose-gc --import tsx bench/size.ts --n 1000 --out result.json [--iterations 500 --port 8800 --http-seconds 5 --connections 32 --runs 25]
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type HttpResult, measureHttp } from './http'
import { type Collection, loadCollection, measurePublish, measureRoutes, type PublishCost, type RouteCost } from './inprocess'

/** What one size measures: loading, publishing, every route in-process and, unless off, over HTTP. */
export interface SizeResult {
  n: number
  loadSeconds: number
  publish: PublishCost
  backdated: PublishCost
  withCover: PublishCost
  scheduled: PublishCost
  routes: RouteCost[]
  rebuild: Awaited<ReturnType<Collection['writer']['rebuild']>>
  http: HttpResult[] | null
}

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    out: { type: 'string' },
    iterations: { type: 'string', default: '500' },
    runs: { type: 'string', default: '25' },
    port: { type: 'string' },
    'http-seconds': { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
  },
})
const n = Number(values.n)
const runs = Number(values.runs)
console.error(`bench: N = ${n}: loading…`)
const c = await loadCollection(n)
console.error(`bench: N = ${n}: loaded in ${c.loadSeconds.toFixed(1)} s; measuring in-process…`)
// Publishing first: the writer runs in an isolate of its own (a Durable Object) that never runs
// the routes, whose code would otherwise share its inline caches and heap here. Loading left a
// heap of garbage no writer has: collected first, then a few publishes to warm up, not counted.
;(globalThis as { gc?: () => void }).gc?.()
const warmUp = Math.min(10, runs)
await measurePublish(c, warmUp, true)
const publish = await measurePublish(c, runs, true, warmUp)
const backdated = await measurePublish(c, runs, false)
const withCover = await measurePublish(c, runs, true, warmUp + runs, { cover: true })
const scheduled = await measurePublish(c, Math.min(runs, 10), true, warmUp + 2 * runs, { scheduled: true })
const routes = await measureRoutes(c, Number(values.iterations))
const rebuild = await c.writer.rebuild()
let http: HttpResult[] | null = null
if (values.port) {
  console.error(`bench: N = ${n}: HTTP…`)
  http = await measureHttp(c, Number(values.port), Number(values['http-seconds']), Number(values.connections))
}
writeFileSync(
  values.out!,
  JSON.stringify({ n, loadSeconds: c.loadSeconds, publish, backdated, withCover, scheduled, routes, rebuild, http } satisfies SizeResult),
)
