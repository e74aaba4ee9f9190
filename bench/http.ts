import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { startServer } from '../scripts/server'
import { Site } from '../scripts/site'
import { inMemory, syncArticles } from '../src/sync/sync'
import { syntheticArticles } from './collection'
import { baselineRoutes, benchRoutes, type Collection } from './inprocess'

export interface HttpResult {
  name: string
  rps: number
  p50: number
  p99: number
  non2xx: number
}

/**
 * Loads the same collection into a scratch local KV, serves it with `wrangler dev` and drives
 * each route, and the static baselines, with autocannon on loopback.
 */
export async function measureHttp(c: Collection, port: number, seconds: number, connections: number): Promise<HttpResult[]> {
  const state = mkdtempSync(join(tmpdir(), `edgefeed-bench-${c.n}-`))
  try {
    const server = await startServer(port, state, { BENCH_BASELINE: '1', ADMIN_TOKEN: 'bench-token' })
    try {
      const site = new Site(server.url, 'bench-token')
      const synced = await syncArticles(site.syncTarget, inMemory(syntheticArticles(c.n)))
      if (!synced.ok) throw new Error('synthetic collection did not parse')
      await site.call('POST', `/admin/digests/${c.digestDay}`)
      await site.settle()
      const feedBytes = (await (await fetch(`${server.url}/feed.atom`)).arrayBuffer()).byteLength
      const routes = [...baselineRoutes(feedBytes), ...benchRoutes(c)]
      const results: HttpResult[] = []
      for (const r of routes) {
        const url = `${server.url}${r.path}`
        const etag = r.conditional ? (await fetch(url)).headers.get('etag') : null
        const run = await autocannon({ url, connections, duration: seconds, headers: etag ? { 'If-None-Match': etag } : {} })
        results.push({
          name: r.name,
          rps: run.requests.average,
          p50: run.latency.p50,
          p99: run.latency.p99,
          non2xx: run.non2xx - (r.conditional ? run.non2xx : 0),
        })
      }
      return results
    } finally {
      server.stop()
    }
  } finally {
    rmSync(state, { recursive: true, force: true })
  }
}
