import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Bindings } from '../src/bindings'
import { handleFetch } from '../src/fetch'
import { keys, type ValueMeta } from '../src/storage/store'
import { articleFile } from './support/articles'
import { documentKey, storedDocument } from './support/documents'
import { seed } from './support/writer'

const site = 'https://news.example'
const get = (path: string, init?: RequestInit) => SELF.fetch(`${site}${path}`, init)

// 90 articles, one an hour: topics by remainder so filters have known answers.
const topicsOf = (i: number) => [i % 2 === 0 ? 'Even' : 'Odd', ...(i % 3 === 0 ? ['Three'] : []), ...(i % 5 === 0 ? ['Five'] : [])]
const dateOf = (i: number) => new Date(Date.UTC(2024, 5, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z')
const slugOf = (i: number) => `n-${String(i).padStart(3, '0')}`
const files = Array.from({ length: 90 }, (_, i) =>
  articleFile(
    slugOf(i),
    { title: `Number ${i}`, date: dateOf(i), topics: topicsOf(i), author: 'Counter' },
    `Text of ${i} with [a link](other) and ![img](pic.png).\n`,
  ),
)
const newestFirst = (pred: (i: number) => boolean) =>
  Array.from({ length: 90 }, (_, i) => 89 - i)
    .filter(pred)
    .map(slugOf)

beforeAll(async () => {
  expect((await seed(files)).ok).toBe(true)
})

const jsonFeed = async (path: string) => {
  const res = await get(path)
  expect(res.status, path).toBe(200)
  return (await res.json()) as { items: { id: string; url: string; image?: string }[]; next_url?: string; feed_url: string; title: string }
}
const slugs = (feed: { items: { url: string }[] }) => feed.items.map((i) => i.url.replace(`${site}/articles/`, ''))

/** Every item of a JSON feed view, following next_url: a page holds at most `limit` items. */
async function walk(path: string): Promise<string[]> {
  const seen: string[] = []
  let url: string | undefined = `${site}${path}`
  for (let n = 0; url && n < 50; n++) {
    const feed = (await (await SELF.fetch(url)).json()) as { items: { url: string }[]; next_url?: string }
    seen.push(...slugs(feed))
    url = feed.next_url
  }
  return seen
}

describe('site feeds', () => {
  it.each([
    ['/feed.rss', 'application/rss+xml; charset=utf-8', '<rss version="2.0"'],
    ['/feed.atom', 'application/atom+xml; charset=utf-8', '<feed xmlns="http://www.w3.org/2005/Atom"'],
    ['/feed.json', 'application/feed+json; charset=utf-8', '"version":"https://jsonfeed.org/version/1.1"'],
  ])('%s has its content type, validators and caching headers', async (path, type, marker) => {
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(type)
    const body = await res.clone().text()
    // Stored finished by the writer, with its ETag (a hash of what determines the bytes) taken
    // when they were written.
    const stored = await storedDocument(path)
    expect(stored!.text).toBe(body)
    expect(res.headers.get('etag')).toBe(stored!.etag)
    // When the document last changed: at the seeding, not its newest item's date.
    const changed = Date.parse(res.headers.get('last-modified')!)
    expect(changed).toBeGreaterThan(Date.parse(dateOf(89)))
    expect(changed).toBeLessThanOrEqual(Date.now())
    expect(res.headers.get('cache-control')).toBe('public, max-age=600, s-maxage=60, stale-while-revalidate=3600')
    expect(await res.text()).toContain(marker)
  })

  it.each(['/feed.rss', '/feed.atom', '/feed.json', '/topics/three/feed.atom'])(
    '%s as stored is byte for byte what a request would assemble from the lists',
    async (path) => {
      const key = documentKey(path)
      const saved = await env.CONTENT.getWithMetadata(key, 'arrayBuffer')
      const stored = await storedDocument(path)
      expect(stored!.text).toBeTruthy()
      await env.CONTENT.delete(key)
      try {
        const res = await get(path)
        expect(res.status).toBe(200)
        expect(await res.text()).toBe(stored!.text)
      } finally {
        await env.CONTENT.put(key, saved.value!, { metadata: saved.metadata })
      }
    },
  )

  it.each(['/feed.rss', '/feed.json', '/topics/three/feed.atom'])(
    '%s is answered before the app as the app would answer it: same bytes and headers, HEAD and 304',
    async (path) => {
      const fast = await get(path)
      // A query the app canonicalises to the default view makes the app answer it.
      const viaApp = await get(`${path}?limit=20`)
      expect(fast.headers.get('content-security-policy')).toBeNull()
      expect(viaApp.headers.get('content-security-policy')).not.toBeNull()
      expect(await fast.text()).toBe(await viaApp.text())
      for (const h of ['content-type', 'etag', 'last-modified', 'cache-control', 'link', 'vary', 'x-content-type-options', 'cross-origin-resource-policy'])
        expect(fast.headers.get(h), h).toBe(viaApp.headers.get(h))
      if (path.endsWith('.json')) expect(fast.headers.get('access-control-allow-origin')).toBe('*')
      const head = await get(path, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(await head.text()).toBe('')
      expect(head.headers.get('etag')).toBe(fast.headers.get('etag'))
      expect((await get(path, { headers: { 'If-None-Match': fast.headers.get('etag')! } })).status).toBe(304)
      expect((await get(path, { headers: { 'If-Modified-Since': fast.headers.get('last-modified')! } })).status).toBe(304)
      expect((await get(path, { headers: { 'If-None-Match': '"other"', 'If-Modified-Since': fast.headers.get('last-modified')! } })).status).toBe(200)
    },
  )

  it('keeps a document it read for FEED_MEMORY_MS: polls within it read no KV, 304s stay exact, and 0 turns it off', async () => {
    let reads = 0
    const counted = new Proxy(env.CONTENT, {
      get: (target, name) => {
        if (name === 'getWithMetadata') reads++
        const value = Reflect.get(target, name)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const poll = (ms: string, headers: Record<string, string> = {}) =>
      handleFetch(new Request(`${site}/feed.rss`, { headers }), { ...env, CONTENT: counted, FEED_MEMORY_MS: ms } as Bindings)
    const first = await poll('60000')
    const body = await first.text()
    const etag = first.headers.get('etag')!
    expect(reads).toBe(1)
    expect(await (await poll('60000')).text()).toBe(body)
    expect((await poll('60000', { 'If-None-Match': etag })).status).toBe(304)
    expect(reads).toBe(1)
    // A change written meanwhile is not seen within that time (as KV elsewhere would not show it
    // yet), but what is sent and its ETag still go together; without the memory it is seen at once.
    const key = documentKey('/feed.rss')
    const stored = await env.CONTENT.getWithMetadata<ValueMeta>(key, 'arrayBuffer')
    try {
      // Every format 'changed', one after another.
      const changed = new TextEncoder().encode('changedchangedchanged')
      await env.CONTENT.put(key, changed, { metadata: { ...stored.metadata!, hash: 'changed', parts: [7, 7, 7] } })
      const within = await poll('60000')
      expect([await within.text(), within.headers.get('etag')]).toEqual([body, etag])
      const off = await poll('0')
      expect([await off.text(), off.headers.get('etag')]).toEqual(['changed', '"changed.rss"'])
      expect(reads).toBe(2)
    } finally {
      await env.CONTENT.put(key, stored.value!, { metadata: stored.metadata })
    }
  })

  it('lists the newest 20 items by default, with absolute URLs in content', async () => {
    const feed = await jsonFeed('/feed.json')
    expect(slugs(feed)).toEqual(newestFirst(() => true).slice(0, 20))
    const atom = await (await get('/feed.atom')).text()
    expect(atom).toContain('href="https://news.example/articles/other"')
    // A relative picture is a file beside its article, served from the article's own folder.
    expect(atom).toContain('src="https://news.example/articles/n-089/pic.png"')
    expect(atom).toContain('<link rel="enclosure" type="image/png" href="https://news.example/articles/n-089/pic.png"/>')
    expect(feed.items[0]!.image).toBe('https://news.example/articles/n-089/pic.png')
    expect(atom).toContain(`<updated>${dateOf(89)}</updated>`)
  })

  it('gives identical bytes and ETag for the same data', async () => {
    const [a, b] = await Promise.all([get('/feed.atom'), get('/feed.atom')])
    expect(await a.text()).toBe(await b.text())
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'))
  })

  it('allows cross-origin reads of the JSON feed', async () => {
    expect((await get('/feed.json', { headers: { Origin: 'https://app.example' } })).headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('conditional GET', () => {
  it('answers a matching If-None-Match with 304 and no body', async () => {
    const etag = (await get('/feed.rss')).headers.get('etag')!
    const res = await get('/feed.rss', { headers: { 'If-None-Match': etag } })
    expect(res.status).toBe(304)
    expect(res.headers.get('etag')).toBe(etag)
    expect(await res.text()).toBe('')
  })

  it('lets If-None-Match win over If-Modified-Since', async () => {
    const res = await get('/feed.rss', { headers: { 'If-None-Match': '"other"', 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' } })
    expect(res.status).toBe(200)
  })

  it('answers If-Modified-Since by when the document last changed', async () => {
    const lastModified = (await get('/feed.atom')).headers.get('last-modified')!
    expect((await get('/feed.atom', { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304)
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString()
    expect((await get('/feed.atom', { headers: { 'If-Modified-Since': earlier } })).status).toBe(200)
  })

  it('gives each format and each view its own ETag', async () => {
    const tags = await Promise.all(
      ['/feed.rss', '/feed.atom', '/feed.json', '/feed.atom?limit=5', '/topics/odd/feed.atom'].map(async (p) => (await get(p)).headers.get('etag')),
    )
    expect(new Set(tags).size).toBe(5)
  })
})

describe('filters', () => {
  it('serves a topic feed, and 404 for an unknown topic', async () => {
    const feed = await jsonFeed('/topics/five/feed.json')
    expect(slugs(feed)).toEqual(newestFirst((i) => i % 5 === 0))
    expect(feed.title).toBe('edgefeed: Five')
    const res = await get('/topics/nope/feed.rss')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('No topic &quot;nope&quot;')
  })

  it('any of several topics, all of them, and exclusions', async () => {
    expect(await walk('/feed.json?topics=three,five&limit=100')).toEqual(newestFirst((i) => i % 3 === 0 || i % 5 === 0))
    expect(slugs(await jsonFeed('/feed.json?topics=three,five&match=all'))).toEqual(newestFirst((i) => i % 15 === 0))
    expect(await walk('/feed.json?topics=odd&exclude=three,five&limit=100')).toEqual(newestFirst((i) => i % 2 === 1 && i % 3 !== 0 && i % 5 !== 0))
  })

  it.each(['/feed.atom?topics=three,five', '/feed.json?topics=even&exclude=three', '/feed.rss?topics=three,five&limit=40'])(
    "%s takes items from the lists' documents when they hold them, and the same bytes from the items themselves",
    async (path) => {
      const text = async () => {
        const res = await get(path)
        expect(res.status).toBe(200)
        return res.text()
      }
      const fromDocuments = await text()
      const documents = ['three', 'five', 'even'].map((t) => keys.document(`/topics/${t}/feed`))
      const saved = await Promise.all(documents.map(async (key) => ({ key, stored: await env.CONTENT.getWithMetadata<ValueMeta>(key, 'arrayBuffer') })))
      try {
        // A document that no longer holds its head's newest entries (KV showing an older one) is
        // not used: here, each has the bytes of another list's document under its own layout.
        const other = await env.CONTENT.getWithMetadata<ValueMeta>(keys.document('/topics/odd/feed'), 'arrayBuffer')
        for (const { key, stored } of saved)
          await env.CONTENT.put(key, other.value!, { metadata: { ...stored.metadata!, items: { ...stored.metadata!.items!, of: 'stale' } } })
        expect(await text()).toBe(fromDocuments)
        // No document at all: every item is read on its own.
        for (const key of documents) await env.CONTENT.delete(key)
        expect(await text()).toBe(fromDocuments)
      } finally {
        for (const { key, stored } of saved) await env.CONTENT.put(key, stored.value!, { metadata: stored.metadata })
      }
    },
  )

  it('gives equivalent queries one document whose self link is the canonical query', async () => {
    const a = await get('/feed.atom?topics=Five,THREE&limit=20&utm_source=x')
    const b = await get('/feed.atom?topics=three&topics=five')
    const body = await a.text()
    expect(body).toBe(await b.text())
    expect(body).toContain('<link rel="self" type="application/atom+xml" href="https://news.example/feed.atom?topics=five,three"/>')
  })

  it.each([
    ['/feed.rss?limit=0', 'limit'],
    ['/feed.rss?limit=101', 'limit'],
    ['/feed.rss?limit=ten', 'limit'],
    ['/feed.rss?match=some', 'match'],
    ['/feed.rss?topics=!!!', 'topics'],
    ['/feed.rss?topics=a&exclude=a', 'exclude'],
    ['/feed.rss?cursor=zzz', 'cursor'],
    ['/feed.rss?before=1', 'before'],
    ['/topics/odd/feed.rss?topics=even', 'topics'],
  ])('400 for %s naming %s', async (path, param) => {
    const res = await get(path)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(`${param}:`)
  })

  it('404 when no asked-for topic exists', async () => {
    expect((await get('/feed.json?topics=nope')).status).toBe(404)
  })
})

describe('paging (RFC 5005)', () => {
  it('walks the archive with next links, each item once, newest first', async () => {
    expect(await walk('/feed.json?limit=7')).toEqual(newestFirst(() => true))
  })

  it('walks a filtered archive across chunk boundaries', async () => {
    expect(await walk('/feed.json?topics=three,five&limit=9')).toEqual(newestFirst((i) => i % 3 === 0 || i % 5 === 0))
  })

  it('links next, previous and first in Atom and RSS, and previous leads back', async () => {
    const first = await (await get('/feed.atom?limit=10')).text()
    expect(first).not.toContain('rel="previous"')
    const next = /<link rel="next" type="application\/atom\+xml" href="([^"]+)"/.exec(first)![1]!.replace(/&amp;/g, '&')
    const second = await (await SELF.fetch(next)).text()
    expect(second).toContain('<link rel="first" type="application/atom+xml" href="https://news.example/feed.atom?limit=10"/>')
    const prev = /<link rel="previous" type="application\/atom\+xml" href="([^"]+)"/.exec(second)![1]!.replace(/&amp;/g, '&')
    const back = await (await SELF.fetch(prev)).text()
    const ids = (xml: string) => [...xml.matchAll(/<entry><id>([^<]+)<\/id>/g)].map((m) => m[1])
    expect(ids(back)).toEqual(ids(first))
    const rss = await (await get('/feed.rss?limit=10')).text()
    expect(rss).toMatch(/<atom:link href="https:\/\/news\.example\/feed\.rss\?limit=10&amp;cursor=[^"]+" rel="next"/)
  })
})

describe('discovery', () => {
  it('links site feeds from the home page, topic feeds from topic and article pages', async () => {
    const home = await (await get('/')).text()
    expect(home).toContain('<link rel="alternate" type="application/atom+xml" title="All articles (Atom)" href="https://news.example/feed.atom"/>')
    expect(home).toContain('href="/feed.rss"')
    const topic = await (await get('/topics/five')).text()
    expect(topic).toContain('href="https://news.example/topics/five/feed.atom"')
    const article = await (await get(`/articles/${slugOf(15)}`)).text()
    for (const t of ['odd', 'three', 'five']) expect(article).toContain(`href="https://news.example/topics/${t}/feed.json"`)
    expect(article).toContain('href="https://news.example/feed.rss"')
  })

  it('serves an OPML outline of every feed', async () => {
    const res = await get('/opml.xml')
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8')
    const body = await res.text()
    expect(body).toContain('<opml version="2.0">')
    for (const t of ['even', 'odd', 'three', 'five']) expect(body).toContain(`xmlUrl="https://news.example/topics/${t}/feed.atom"`)
    expect(body).toContain('xmlUrl="https://news.example/feed.atom"')
  })

  it('shows a person who opens a feed in a browser a readable page, and readers the raw feed', async () => {
    const page = await get('/topics/five/feed.rss', { headers: { 'Sec-Fetch-Dest': 'document', Accept: 'text/html' } })
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('vary')).toContain('Sec-Fetch-Dest')
    const html = await page.text()
    expect(html).toContain('This is a web feed')
    expect(html).toContain('<code>https://news.example/topics/five/feed.rss</code>')
    expect(html).toContain('Number 85')
    const raw = await get('/topics/five/feed.rss', { headers: { Accept: 'text/html' } })
    expect(raw.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
  })
})
