// npm run loadtest [-- --duration 30 --connections 64]
// Starts the Worker locally on a scratch KV (articles/ plus 200 generated articles, digests
// composed), drives a mix of routes with autocannon while several clients publish and delete
// articles through the API, and checks that feeds parse throughout. At the end every
// acknowledged write must be visible and every listed entry must resolve. Fails on any 5xx,
// socket error, non-2xx/304 answer, failed or lost write, or feed that does not parse.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { inMemory, syncArticles } from '../src/sync/sync'
import { readArticleFiles } from './articles'
import { startServer } from './server'
import { Site } from './site'
import { wellFormedError } from './well-formed'

const { values } = parseArgs({ options: { duration: { type: 'string', default: '30' }, connections: { type: 'string', default: '64' } } })
const PORT = 8792
const TOKEN = 'loadtest-token'
/** Publishers writing at the same time. */
const WRITERS = 4

const generated = Array.from({ length: 200 }, (_, i) => {
  const topics = [`topic-${i % 12}`, ...(i % 5 === 0 ? ['world'] : [])]
  const date = new Date(Date.UTC(2024, 5, 1) + i * 3 * 3_600_000).toISOString()
  const body = Array.from(
    { length: 8 },
    (_, p) => `Paragraph ${p} of generated article ${i}, with [a link](/articles/gen-${(i + 1) % 200}) and some text to read.`,
  ).join('\n\n')
  return {
    file: `gen-${i}.md`,
    bytes: `---\ntitle: "Generated article ${i}"\ndate: "${date}"\ntopics: ${JSON.stringify(topics)}\nauthor: Load Test\n---\n\n${body}\n`,
  }
})

const state = mkdtempSync(join(tmpdir(), 'edgefeed-load-'))
const server = await startServer(PORT, state, { ADMIN_TOKEN: TOKEN })
const site = new Site(server.url, TOKEN)
const problems: string[] = []
try {
  const synced = await syncArticles(site.syncTarget, inMemory([...(await readArticleFiles('articles')), ...generated]))
  if (!synced.ok) throw new Error(JSON.stringify(synced.errors))
  for (const date of ['2024-06-19', '2024-06-20', '2024-06-21']) await site.call('POST', `/admin/digests/${date}`)
  await site.settle()
  // Conditional requests on feeds the publisher does not touch, so they can be answered 304.
  const etags = new Map<string, string>()
  for (const path of ['/topics/topic-7/feed.atom', '/topics/topic-1/feed.rss', '/topics/world/feed.json', '/feed.atom?topics=topic-2,topic-4']) {
    etags.set(path, (await fetch(server.url + path)).headers.get('etag') ?? '')
  }
  const requests = [
    { path: '/' },
    { path: '/articles/gen-42' },
    { path: '/topics/topic-7' },
    { path: '/articles?limit=50' },
    { path: '/feed.atom' },
    { path: '/feed.rss?topics=topic-1,topic-2' },
    { path: '/feed.json?limit=50' },
    { path: '/topics/topic-3/feed.atom' },
    ...[...etags].map(([path, etag]) => ({ path, headers: { 'If-None-Match': etag } })),
    { path: '/digests/2024-06-19' },
    { path: '/digests/2024-06-20.md' },
    { path: '/digests/feed.atom' },
  ]

  // Several publishers at once: each creates articles and deletes every third one again. What
  // was acknowledged is checked at the end: live ones visible everywhere, deleted ones gone.
  let running = true
  const published = { ok: 0, failed: 0 }
  const live = new Set<string>()
  const deleted = new Set<string>()
  const auth = { Authorization: `Bearer ${TOKEN}` }
  const publisher = async (w: number) => {
    for (let n = 0; running; n++) {
      const slug = `load-${w}-${n}`
      const body = `---\ntitle: "Published under load ${w}/${n}"\ndate: "${new Date(Date.UTC(2024, 6, 1, w, n)).toISOString()}"\ntopics: [topic-3, live]\n---\n\nLive text ${n}.\n`
      const put = await fetch(`${server.url}/api/articles/${slug}`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'text/markdown' }, body })
      await put.arrayBuffer()
      if (put.status !== 201) {
        published.failed++
        problems.push(`publisher ${w}: PUT ${slug} answered ${put.status}`)
        continue
      }
      published.ok++
      live.add(slug)
      if (n % 3 !== 2) continue
      const del = await fetch(`${server.url}/api/articles/${slug}`, { method: 'DELETE', headers: auth })
      await del.arrayBuffer()
      if (del.status === 204) {
        published.ok++
        live.delete(slug)
        deleted.add(slug)
      } else {
        published.failed++
        problems.push(`publisher ${w}: DELETE ${slug} answered ${del.status}`)
      }
    }
  }
  const publishers = Promise.all(Array.from({ length: WRITERS }, (_, w) => publisher(w)))

  // Feeds must parse at every moment, whatever is being written.
  let feedChecks = 0
  const checker = (async () => {
    while (running) {
      for (const path of ['/feed.atom', '/feed.rss', '/topics/topic-3/feed.rss']) {
        const xml = await (await fetch(server.url + path)).text()
        const error = wellFormedError(xml)
        feedChecks++
        if (error) problems.push(`${path} did not parse: ${error}`)
      }
      const json = await (await fetch(`${server.url}/feed.json`)).text()
      try {
        JSON.parse(json)
      } catch {
        problems.push('/feed.json did not parse')
      }
      await new Promise((r) => setTimeout(r, 250))
    }
  })()

  const statuses = new Map<number, number>()
  const result = await autocannon({
    url: server.url,
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests,
    setupClient: (client) => client.on('response', (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)),
  })
  running = false
  await Promise.all([publishers, checker])

  // Every acknowledged write is visible once the writer has flushed, and every listed entry resolves.
  await site.settle()
  const listed = new Set<string>()
  for (let url: string | null = `${server.url}/topics/live.json?limit=100`; url; ) {
    const page = (await (await fetch(url)).json()) as { articles: { slug: string }[]; next: string | null }
    for (const a of page.articles) listed.add(a.slug)
    url = page.next
  }
  const lost = [...live].filter((s) => !listed.has(s))
  const resurrected = [...deleted].filter((s) => listed.has(s))
  if (lost.length > 0) problems.push(`${lost.length} acknowledged publishes missing from /topics/live: ${lost.slice(0, 5).join(', ')}`)
  if (resurrected.length > 0) problems.push(`${resurrected.length} acknowledged deletes still listed: ${resurrected.slice(0, 5).join(', ')}`)
  let unresolved = 0
  for (let url: string | null = `${server.url}/topics/live/feed.json?limit=100`; url; ) {
    const page = (await (await fetch(url)).json()) as { items: { url: string }[]; next_url?: string }
    for (const item of page.items) if ((await fetch(item.url.replace(/^https?:\/\/[^/]+/, server.url))).status !== 200) unresolved++
    url = page.next_url ? page.next_url.replace(/^https?:\/\/[^/]+/, server.url) : null
  }
  if (unresolved > 0) problems.push(`${unresolved} feed entries whose article does not answer 200`)

  const unexpected = [...statuses].filter(([s]) => !(s >= 200 && s < 300) && s !== 304)
  const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)
  if (fiveHundreds > 0) problems.push(`${fiveHundreds} responses were 5xx`)
  if (result.errors > 0 || result.timeouts > 0) problems.push(`${result.errors} socket errors, ${result.timeouts} timeouts`)
  if (unexpected.length > 0) problems.push(`unexpected statuses: ${unexpected.map(([s, c]) => `${c}× ${s}`).join(', ')}`)

  console.log(`| measure | value |
| --- | --- |
| duration, connections | ${values.duration} s, ${values.connections} |
| requests | ${result.requests.total} (${result.requests.average.toFixed(0)}/s on average) |
| statuses | ${[...statuses]
    .sort()
    .map(([s, c]) => `${s}: ${c}`)
    .join(', ')} |
| errors, timeouts | ${result.errors}, ${result.timeouts} |
| non-2xx/304 | ${unexpected.reduce((n, [, c]) => n + c, 0)} |
| latency p50 / p97.5 / p99 / max | ${result.latency.p50} / ${result.latency.p97_5} / ${result.latency.p99} / ${result.latency.max} ms |
| writers; acknowledged writes (PUT, DELETE) | ${WRITERS}; ${published.ok} ok, ${published.failed} failed |
| after the flush: live articles listed, deleted ones listed, feed entries unresolved | ${live.size - lost.length} of ${live.size}, ${resurrected.length} of ${deleted.size}, ${unresolved} |
| feed parses during the run | ${feedChecks}, all well-formed: ${problems.every((p) => !p.includes('did not parse'))} |`)
} finally {
  server.stop()
  rmSync(state, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(`loadtest: FAILED\n  ${[...new Set(problems)].slice(0, 20).join('\n  ')}`)
  process.exit(1)
}
console.log('loadtest: passed')
