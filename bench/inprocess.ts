import { performance } from 'node:perf_hooks'
import { parseArticles } from '../src/article/parse'
import { renderArticle } from '../src/article/render'
import { type Bindings, siteOf } from '../src/bindings'
import { composeDigest } from '../src/digest/compose'
import { handleFetch } from '../src/fetch'
import { prepareArticle, toDayEntry } from '../src/writer/articles/prepare'
import { syntheticArticles } from './collection'
import { MemoryKV } from './memory-kv'
import { BenchWriter } from './writer'

export interface Collection {
  n: number
  kv: MemoryKV
  writer: BenchWriter
  env: Bindings
  article: string
  topic: string
  digestDay: string
  loadSeconds: number
}

const SITE = {
  SITE_URL: 'https://bench.example',
  SITE_TITLE: 'bench',
  SITE_DESCRIPTION: 'bench',
  SITE_LANG: 'en',
  DIGEST_TIMEZONE: 'UTC',
  SITE_ICON: '',
  ADMIN_TOKEN: '',
  BENCH_BASELINE: '1',
  // As wrangler.toml deploys it: a document read less than a second ago is not read again.
  FEED_MEMORY_MS: '1000',
}

/** N synthetic articles loaded through the real write path (parse, render, the writer's tables
 * and flush) into memory. */
export async function loadCollection(n: number): Promise<Collection> {
  const kv = new MemoryKV()
  const t0 = performance.now()
  const { articles, errors } = parseArticles(syntheticArticles(n))
  if (errors.length > 0) throw new Error(JSON.stringify(errors.slice(0, 3)))
  const env = { CONTENT: kv.asKV(), ...SITE } as unknown as Bindings
  const writer = new BenchWriter(kv, siteOf(env))
  for (const a of articles) await writer.publish(await prepareArticle(renderArticle(a), siteOf(env)))
  await writer.flush()
  const all = JSON.parse(kv.text('v1/list/all')!) as { entries: { slug: string; date: string }[] }
  const digestDay = all.entries[0]!.date.slice(0, 10)
  writer.compose(siteOf(env), digestDay)
  await writer.flush()
  return { n, kv, writer, env, article: `bench-${Math.floor(n / 2)}`, topic: 'topic-1', digestDay, loadSeconds: (performance.now() - t0) / 1000 }
}

/**
 * The yardsticks: a static 50 KB answer, and one as large as the site's Atom feed (`feedBytes`),
 * since a feed of 20 whole articles is about twice that and bytes cost on the way out too.
 */
export const baselineRoutes = (feedBytes: number) => [
  { name: 'baseline (50 KB, no KV)', path: '/__baseline', conditional: false },
  { name: 'static answer as large as /feed.atom', path: `/__baseline?bytes=${feedBytes}`, conditional: false },
]

/** The routes the benchmark measures, for a collection. */
export function benchRoutes(c: Collection): { name: string; path: string; conditional?: boolean }[] {
  return [
    { name: 'home page', path: '/' },
    { name: 'article page', path: `/articles/${c.article}` },
    { name: 'topic page', path: `/topics/${c.topic}` },
    { name: '/feed.rss', path: '/feed.rss' },
    { name: '/feed.atom', path: '/feed.atom' },
    { name: '/feed.json', path: '/feed.json' },
    { name: 'topic feed', path: `/topics/${c.topic}/feed.atom` },
    { name: 'feed of two topics', path: '/feed.rss?topics=topic-2,topic-3' },
    { name: '304 answer', path: '/feed.atom', conditional: true },
    { name: 'digest page', path: `/digests/${c.digestDay}` },
    { name: 'search, one word (JSON)', path: '/search/results.json?q=treaty' },
    { name: 'search, two words (JSON)', path: '/search/results.json?q=treaty%20harbour' },
    { name: 'search page (HTML)', path: '/search?q=treaty' },
    { name: 'search feed', path: '/search.atom?q=treaty' },
    { name: 'search feed, 304 answer', path: '/search.atom?q=treaty', conditional: true },
  ]
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

export interface RouteCost {
  name: string
  status: number
  medianUs: number
  p99Us: number
  kvReads: number
  bytes: number
  /** Heap allocated by one request (GC forced before; -1 without --expose-gc). */
  allocated: number
}

/** The Worker's fetch, as src/index.ts exports it. */
const fetchWorker = (request: Request, env: Bindings): Promise<Response> => handleFetch(request, env)

/** Calls the Worker's fetch in-process and times each request, counting KV reads. */
export async function measureRoutes(c: Collection, iterations: number): Promise<RouteCost[]> {
  // The floor: what the runtime costs for a fixed body, answered before the app.
  const feedBytes = (await (await fetchWorker(new Request(`${SITE.SITE_URL}/feed.atom`), c.env)).arrayBuffer()).byteLength
  // A feed no reader polled in the last second: its document read from KV.
  const fromKv = { name: '/feed.atom, read from KV each time', path: '/feed.atom', env: { ...c.env, FEED_MEMORY_MS: '0' } }
  const routes = [...baselineRoutes(feedBytes), ...benchRoutes(c), fromKv]
  const requests = await Promise.all(
    routes.map(async (r) => {
      const url = `${SITE.SITE_URL}${r.path}`
      const env = 'env' in r ? r.env : c.env
      const etag = 'conditional' in r && r.conditional ? (await fetchWorker(new Request(url), env)).headers.get('etag') : null
      return { ...r, url, env, headers: (etag ? { 'If-None-Match': etag } : {}) as Record<string, string> }
    }),
  )
  // Warm up every route first (the first calls compile code paths), so no route pays for another.
  for (let i = 0; i < 200; i++) {
    for (const r of requests) await (await fetchWorker(new Request(r.url, { headers: r.headers }), r.env)).arrayBuffer()
  }
  // Routes take turns, one request each, so a moment when this machine is slow falls on all of
  // them alike instead of on whichever route was running; in a new order each round, so every
  // route follows every other (a heavy one leaves caches cold for the next) about as often.
  ;(globalThis as { gc?: () => void }).gc?.()
  const tally = requests.map(() => ({ times: [] as number[], reads: 0, status: 0, bytes: 0 }))
  const order = requests.map((_, j) => j)
  // A fixed sequence (Lehmer's), so runs shuffle alike.
  let seed = 1
  const random = () => {
    seed = (seed * 48271) % 2147483647
    return seed / 2147483647
  }
  for (let i = 0; i < iterations; i++) {
    for (let k = order.length - 1; k > 0; k--) {
      const m = Math.floor(random() * (k + 1))
      ;[order[k], order[m]] = [order[m]!, order[k]!]
    }
    for (const j of order) {
      const [r, t] = [requests[j]!, tally[j]!]
      const reads = c.kv.reads
      const t0 = performance.now()
      const res = await fetchWorker(new Request(r.url, { headers: r.headers }), r.env)
      const body = await res.arrayBuffer()
      t.times.push((performance.now() - t0) * 1000)
      t.reads += c.kv.reads - reads
      t.status = res.status
      t.bytes = body.byteLength
    }
  }
  const rows: RouteCost[] = []
  for (const [j, r] of requests.entries()) {
    const t = tally[j]!
    rows.push({
      name: r.name,
      status: t.status,
      medianUs: quantile(t.times, 0.5),
      p99Us: quantile(t.times, 0.99),
      kvReads: t.reads / iterations,
      bytes: t.bytes,
      allocated: await allocation(() => fetchWorker(new Request(r.url, { headers: r.headers }), r.env)),
    })
  }
  return rows
}

/** Bytes of heap one call allocates, with a collection forced before it (needs --expose-gc). */
async function allocation(call: () => Response | Promise<Response>): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return -1
  gc()
  const before = process.memoryUsage().heapUsed
  const res = await call()
  await res.arrayBuffer()
  return process.memoryUsage().heapUsed - before
}

/** What one publish costs: CPU in the Worker (parse, render, prepare its views), in the object (commit, then the
 * flush that lays out its lists and copies them to KV), and KV writes and bytes. */
export interface PublishCost {
  workerMs: number
  commitMs: number
  flushMs: number
  /** Commit and flush together: what the object spends on one publish. */
  writerMs: number
  writes: number
  bytes: number
}

/**
 * Publishes `runs` new articles into the collection one at a time, each flushed on its own:
 * `newest` ones (dated after every other, as most publishes are) or backdated to a random day of
 * the collection's two years. Medians of CPU, KV writes and bytes. `from`: how many this process
 * published before, so each article is a new one.
 */
export async function measurePublish(c: Collection, runs: number, newest: boolean, from = 0, variant: PublishVariant = {}): Promise<PublishCost> {
  const [worker, commit, flush, writes, bytes]: [number[], number[], number[], number[], number[]] = [[], [], [], [], []]
  // Elapsed time on this thread; the in-memory KV answers at once, so it is CPU time (a thread's
  // own CPU clock ticks too coarsely here). No collection is forced between runs: forced right
  // before, it left sweeping that the next allocations paid for, and the real cost of
  // collecting is in the median anyway.
  const cpu = () => performance.now()
  for (let i = from; i < from + runs; i++) {
    const file = syntheticArticles(1, (newest ? 100_000 : 200_000) + i)[0]!
    // A minute after the one before, in January 2026: after every article of the collection, and
    // past (an article dated in the future would be scheduled, not published).
    const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('.000Z', 'Z')
    // Scheduled: dated a moment ahead, so the write keeps it and a later step publishes it.
    const due = variant.scheduled ? Date.now() + 300 : null
    const dated = due !== null ? new Date(due).toISOString() : date
    let source = newest ? (file.bytes as string).replace(/date: "[^"]+"/, `date: "${dated}"`) : (file.bytes as string)
    if (variant.cover) source = source.replace('\n---\n', `\nimage: "https://images.example/cover-${i}.jpg"\nimage_alt: "A cover"\n---\n`)
    const t0 = cpu()
    const parsed = parseArticles([{ file: `publish-${newest ? 'new' : 'old'}-${i}.md`, bytes: source }]).articles[0]!
    const prepared = await prepareArticle(renderArticle(parsed), siteOf(c.env))
    const t1 = cpu()
    await c.writer.publish(prepared)
    const t2 = cpu()
    c.kv.resetCounts()
    await c.writer.flush()
    if (due !== null) {
      // What the write itself cost is left out: the publishing step, once due, is what is measured.
      while (Date.now() <= due) await new Promise((r) => setTimeout(r, 20))
      c.kv.resetCounts()
      const t3 = cpu()
      await c.writer.flush()
      flush.push(cpu() - t3)
    } else flush.push(cpu() - t2)
    worker.push(t1 - t0)
    commit.push(t2 - t1)
    writes.push(c.kv.writes + c.kv.deletes)
    bytes.push(c.kv.writtenBytes)
  }
  return {
    workerMs: quantile(worker, 0.5),
    commitMs: quantile(commit, 0.5),
    flushMs: quantile(flush, 0.5),
    writerMs: quantile(
      commit.map((x, i) => x + flush[i]!),
      0.5,
    ),
    writes: quantile(writes, 0.5),
    bytes: quantile(bytes, 0.5),
  }
}

/** What a measured publish carries: a cover image (front matter), or a date just ahead (scheduled). */
export interface PublishVariant {
  cover?: boolean
  scheduled?: boolean
}

/** Milliseconds to compose a digest of `n` articles published on one day. */
export function measureCompose(n: number, runs: number): number {
  const { articles } = parseArticles(
    syntheticArticles(n, 7).map((f, i) => ({
      ...f,
      bytes: (f.bytes as string).replace(/date: "[^"]+"/, `date: "2024-06-19T${String(Math.floor((i * 24) / n)).padStart(2, '0')}:00:00Z"`),
    })),
  )
  const entries = articles.map((a) => toDayEntry(renderArticle(a)))
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: entries, siteUrl: 'https://bench.example' })
    times.push(performance.now() - t0)
  }
  return quantile(times, 0.5)
}
