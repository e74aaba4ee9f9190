import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { siteOf } from '../src/bindings'
import { composeDay } from '../src/digest/run'
import { syncArticles } from '../src/sync/sync'
import { openLocal } from '../scripts/kv'
import { startServer } from '../scripts/server'
import { syntheticArticles } from './collection'
import { benchRoutes, type Collection } from './inprocess'

export interface HttpResult {
  name: string
  rps: number
  p50: number
  p99: number
  non2xx: number
}

/**
 * Loads the same collection into a scratch local KV, serves it with `wrangler dev` and drives
 * each route, and the 50 KB baseline, with autocannon on loopback.
 */
export async function measureHttp(c: Collection, port: number, seconds: number, connections: number): Promise<HttpResult[]> {
  const state = mkdtempSync(join(tmpdir(), `edgefeed-bench-${c.n}-`))
  try {
    const local = await openLocal(state)
    const synced = await syncArticles(local.target, syntheticArticles(c.n))
    if (!synced.ok) throw new Error('synthetic collection did not parse')
    await composeDay(local.env.CONTENT, siteOf(local.env), c.digestDay, 'UTC')
    await local.close()
    const server = await startServer(port, state, { BENCH_BASELINE: '1' })
    try {
      const routes = [{ name: 'baseline (50 KB, no KV)', path: '/__baseline', conditional: false }, ...benchRoutes(c)]
      const results: HttpResult[] = []
      for (const r of routes) {
        const url = `${server.url}${r.path}`
        const etag = r.conditional ? (await fetch(url)).headers.get('etag') : null
        const run = await autocannon({ url, connections, duration: seconds, headers: etag ? { 'If-None-Match': etag } : {} })
        results.push({ name: r.name, rps: run.requests.average, p50: run.latency.p50, p99: run.latency.p99, non2xx: run.non2xx - (r.conditional ? run.non2xx : 0) })
      }
      return results
    } finally {
      server.stop()
    }
  } finally {
    rmSync(state, { recursive: true, force: true })
  }
}
