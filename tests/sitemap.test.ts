import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { rfc3339 } from '../src/feeds/xml'
import { articleFile } from './support/articles'
import { md, put } from './support/publish'
import { seed, settle } from './support/writer'

// The sitemaps as crawlers read them, end to end: the index robots.txt names, every part it
// lists, each published article once with its true lastmod, no draft; the News sitemap of the
// last two days. (The documents' validity against the sitemaps.org schemas: tests/node/sitemap.test.ts.)
const site = 'https://news.example'
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${site}${path}`, { headers })
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!)
const now = Date.now()
/** 90 articles an hour apart, the newest an hour ago: more than the site list's head holds. */
const hourAgo = (i: number) => new Date(now - (i + 1) * 3_600_000).toISOString()

beforeAll(async () => {
  const files = Array.from({ length: 90 }, (_, i) =>
    articleFile(`a-${i}`, { title: `Article ${i}`, date: hourAgo(i), topics: [`T${i % 3}`], ...(i === 5 ? { updated: hourAgo(0) } : {}) }),
  )
  expect((await seed(files)).ok).toBe(true)
  expect((await put('hidden', md('A draft', ['T0'], hourAgo(0), 'draft: true\n'))).status).toBe(201)
  await settle()
})

describe('sitemaps', () => {
  it('robots.txt names the index, which lists every part; together they hold each published article once', async () => {
    expect(await (await get('/robots.txt')).text()).toContain(`Sitemap: ${site}/sitemap.xml`)
    const index = await get('/sitemap.xml')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('application/xml; charset=utf-8')
    const parts = locs(await index.text())
    expect(parts).toContain(`${site}/sitemaps/pages-1.xml`)
    expect(parts).toContain(`${site}/sitemaps/articles.xml`)
    expect(parts.some((p) => /\/sitemaps\/articles-\d+\.xml$/.test(p))).toBe(true)
    expect(parts).toContain(`${site}/sitemaps/news.xml`)

    const urls: string[] = []
    for (const part of parts.filter((p) => !p.endsWith('/news.xml'))) {
      const res = await get(new URL(part).pathname)
      expect(res.status, part).toBe(200)
      urls.push(...locs(await res.text()))
    }
    const articles = urls.filter((u) => u.includes('/articles/')).sort()
    expect(articles).toEqual(Array.from({ length: 90 }, (_, i) => `${site}/articles/a-${i}`).sort())
    expect(urls).not.toContain(`${site}/articles/hidden`)
    expect(urls).toEqual(expect.arrayContaining([`${site}/`, `${site}/topics`, `${site}/topics/t0`, `${site}/topics/t2`]))
    expect(new Set(urls).size).toBe(urls.length)
  })

  it('gives each article its last change as lastmod, and answers a repeated request with 304', async () => {
    const res = await get('/sitemaps/articles.xml')
    const xml = await res.text()
    expect(xml).toContain(`<loc>${site}/articles/a-5</loc><lastmod>${rfc3339(hourAgo(0))}</lastmod>`)
    expect(xml).toContain(`<loc>${site}/articles/a-1</loc><lastmod>${rfc3339(hourAgo(1))}</lastmod>`)
    expect((await get('/sitemaps/articles.xml', { 'If-None-Match': res.headers.get('etag')! })).status).toBe(304)
  })

  it('the News sitemap holds the articles of the last two days only, newest first', async () => {
    const xml = await (await get('/sitemaps/news.xml')).text()
    const listed = locs(xml)
    // Published within 48 hours: a-0 … a-46 (a-47 is 48 hours old).
    expect(listed).toEqual(Array.from({ length: 47 }, (_, i) => `${site}/articles/a-${i}`))
    expect(xml).toContain('<news:name>')
  })

  it('answers 404 for a part that does not exist', async () => {
    for (const path of ['/sitemaps/pages-2.xml', '/sitemaps/articles-999.xml', '/sitemaps/other.xml']) expect((await get(path)).status, path).toBe(404)
  })
})
