import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { changedFeeds } from '../src/writer/hub/changed'
import { articleFile } from './support/articles'
import { storedDocument } from './support/documents'
import { del, json, put } from './support/publish'
import { expectKvMatchesWriter } from './support/truth'
import { AUTH, SITE, seed, settle } from './support/writer'

const get = (path: string, init?: RequestInit) => SELF.fetch(`${SITE}${path}`, init)

// Jane writes alone and with John; Zoë Müller's name is spelled NFC in one file and NFD in another.
const files = [
  articleFile('jane-alone', { title: 'Jane alone', date: '2024-06-19T08:00:00Z', author: 'Jane Doe', topics: ['Energy'] }),
  articleFile('both', { title: 'Jane and John', date: '2024-06-19T09:00:00Z', author: ['Jane Doe', 'John Roe'], topics: ['Energy'] }),
  articleFile('zoe-nfc', { title: 'Zoë one', date: '2024-06-19T10:00:00Z', author: 'Zoë Müller'.normalize('NFC') }),
  articleFile('zoe-nfd', { title: 'Zoë two', date: '2024-06-19T11:00:00Z', author: 'Zoë Müller'.normalize('NFD') }),
  articleFile('nobody', { title: 'No author', date: '2024-06-19T12:00:00Z', source: { name: 'Wire' } }),
  articleFile('draft', { title: 'Draft', date: '2024-06-19T13:00:00Z', author: 'Hidden Person', draft: true }),
]
const zoe = encodeURIComponent('zoë-müller')

beforeAll(async () => {
  expect((await seed(files)).ok).toBe(true)
  await settle()
})

type Listing = { articles: { slug: string; author: string | null; authors: { slug: string; name: string; url: string }[] }[] }

describe('authors', () => {
  it('KV holds exactly the author lists, their documents and the author index the writer has', async () => {
    await expectKvMatchesWriter()
  })

  it('/authors.json lists every published author once with their count, most prolific first', async () => {
    const { authors } = await json<{ authors: { slug: string; name: string; count: number; url: string }[] }>('/authors.json')
    expect(authors).toEqual([
      { slug: 'jane-doe', name: 'Jane Doe', count: 2, latest: '2024-06-19T09:00:00Z', url: `${SITE}/authors/jane-doe` },
      { slug: 'zoë-müller', name: 'Zoë Müller', count: 2, latest: '2024-06-19T11:00:00Z', url: `${SITE}/authors/${zoe}` },
      { slug: 'john-roe', name: 'John Roe', count: 1, latest: '2024-06-19T09:00:00Z', url: `${SITE}/authors/john-roe` },
    ])
    const html = await (await get('/authors')).text()
    expect(html).toContain('<h1>Authors</h1>')
    expect(html).toContain('href="/authors/john-roe"')
  })

  it('an author page lists their articles, in HTML and JSON, and the article shows and links each author', async () => {
    const page = await json<Listing & { author: { name: string; count: number } }>('/authors/jane-doe.json')
    expect(page.author).toMatchObject({ name: 'Jane Doe', count: 2 })
    expect(page.articles.map((a) => a.slug)).toEqual(['both', 'jane-alone'])
    expect(page.articles[0]).toMatchObject({
      author: 'Jane Doe, John Roe',
      authors: [
        { slug: 'jane-doe', name: 'Jane Doe', url: `${SITE}/authors/jane-doe` },
        { slug: 'john-roe', name: 'John Roe', url: `${SITE}/authors/john-roe` },
      ],
    })
    const res = await get('/authors/jane-doe')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Articles by Jane Doe</h1>')
    expect(html).toContain('href="/authors/jane-doe/feed.atom"')
    expect(html).toContain('"about":{"@type":"Person","name":"Jane Doe"')
    const article = await (await get('/articles/both')).text()
    expect(article).toContain('<a href="/authors/jane-doe">Jane Doe</a>, <a href="/authors/john-roe">John Roe</a>')
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(article)![1]!) as { author: unknown }
    expect(ld.author).toEqual([
      { '@type': 'Person', name: 'Jane Doe', url: `${SITE}/authors/jane-doe` },
      { '@type': 'Person', name: 'John Roe', url: `${SITE}/authors/john-roe` },
    ])
  })

  it.each(['/authors/nobody-here', '/authors/nobody-here.json', '/authors/Jane%20Doe', '/authors/hidden-person', '/authors/nobody-here/feed.atom'])(
    '%s: 404',
    async (path) => {
      expect((await get(path)).status).toBe(404)
    },
  )

  it('an article with two authors is in both authors’ feeds, in every format, as stored finished', async () => {
    for (const author of ['jane-doe', 'john-roe']) {
      const rss = await (await get(`/authors/${author}/feed.rss`)).text()
      const atom = await (await get(`/authors/${author}/feed.atom`)).text()
      const feed = (await (await get(`/authors/${author}/feed.json`)).json()) as { title: string; items: { url: string; authors: { name: string }[] }[] }
      expect(rss).toContain(`<link>${SITE}/articles/both</link>`)
      expect(atom).toContain(`<id>${SITE}/articles/both</id>`)
      expect(feed.items.map((i) => i.url)).toContain(`${SITE}/articles/both`)
      // Every author of the item is a person of it.
      expect(feed.items.find((i) => i.url.endsWith('/both'))!.authors).toEqual([{ name: 'Jane Doe' }, { name: 'John Roe' }])
      expect(atom.match(/<author><name>(Jane Doe|John Roe)<\/name><\/author>/g)?.length).toBeGreaterThanOrEqual(2)
      for (const format of ['rss', 'atom', 'json']) {
        const stored = await storedDocument(`/authors/${author}/feed.${format}`)
        expect(stored?.text, `${author} ${format}`).toBe(await (await get(`/authors/${author}/feed.${format}`)).text())
      }
    }
    const feed = (await (await get('/authors/john-roe/feed.json')).json()) as { title: string; home_page_url: string; feed_url: string; items: unknown[] }
    expect(feed).toMatchObject({
      title: 'edgefeed: articles by John Roe',
      home_page_url: `${SITE}/authors/john-roe`,
      feed_url: `${SITE}/authors/john-roe/feed.json`,
    })
    expect(feed.items).toHaveLength(1)
  })

  it('an author feed pages and excludes as other feeds do, refuses topics, and answers a 304', async () => {
    const one = (await (await get('/authors/jane-doe/feed.json?limit=1')).json()) as { items: { url: string }[]; next_url: string }
    expect(one.items.map((i) => i.url)).toEqual([`${SITE}/articles/both`])
    const two = (await (await SELF.fetch(one.next_url)).json()) as { items: { url: string }[] }
    expect(two.items.map((i) => i.url)).toEqual([`${SITE}/articles/jane-alone`])
    expect((await get('/authors/jane-doe/feed.atom?topics=energy')).status).toBe(400)
    const excluded = (await (await get('/authors/jane-doe/feed.json?exclude=energy')).json()) as { items: unknown[] }
    expect(excluded.items).toEqual([])
    const res = await get('/authors/jane-doe/feed.atom')
    expect((await get('/authors/jane-doe/feed.atom', { headers: { 'If-None-Match': res.headers.get('etag')! } })).status).toBe(304)
  })

  it('NFC and NFD spellings of a name are one author, stored and served in NFC', async () => {
    const page = await json<Listing & { author: { name: string; count: number } }>(`/authors/${zoe}.json`)
    expect(page.author).toMatchObject({ name: 'Zoë Müller'.normalize('NFC'), count: 2 })
    expect(page.articles.map((a) => a.slug)).toEqual(['zoe-nfd', 'zoe-nfc'])
    const atom = await (await get(`/authors/${zoe}/feed.atom`)).text()
    expect(atom.match(/<entry>/g)).toHaveLength(2)
    expect(atom).toBe(atom.normalize('NFC'))
  })

  it('a name that slugs as another author’s is refused with 422 naming both', async () => {
    const res = await put('clash', `---\ntitle: Clash\ndate: "2024-06-20T10:00:00Z"\nauthor: [Jane-Doe]\n---\n\nBody.\n`)
    expect(res.status).toBe(422)
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'author', message: expect.stringMatching(/"Jane-Doe" and "Jane Doe" .*would be the same author \("jane-doe"\)/) }],
    })
    expect((await get('/api/articles/clash', { headers: AUTH })).status).toBe(404)
    // Another case is the same name.
    expect((await put('case', `---\ntitle: Case\ndate: "2024-06-20T11:00:00Z"\nauthor: jane doe\n---\n\nBody.\n`)).status).toBe(201)
    expect((await del('case')).status).toBe(204)
  })

  it('the sitemap and OPML name the authors; a flush of an author list tells its WebSub subscribers', async () => {
    const pages = await (await get('/sitemaps/pages-1.xml')).text()
    expect(pages).toContain(`<loc>${SITE}/authors</loc>`)
    expect(pages).toContain(`<loc>${SITE}/authors/john-roe</loc>`)
    const opml = await (await get('/opml.xml')).text()
    expect(opml).toContain(`xmlUrl="${SITE}/authors/john-roe/feed.atom"`)
    expect(changedFeeds(['v1/list/author/john-roe', 'v1/list/author/zoë/2', 'v1/doc/authors/jane-doe/feed']).sort()).toEqual([
      '/authors/jane-doe/feed',
      '/authors/john-roe/feed',
      '/authors/zo%C3%AB/feed',
    ])
  })

  it('deleting an author’s last article takes their page, feed and index entry away', async () => {
    expect((await put('solo', `---\ntitle: Solo\ndate: "2024-06-21T10:00:00Z"\nauthor: Solo Writer\n---\n\nBody.\n`)).status).toBe(201)
    await settle()
    expect((await get('/authors/solo-writer/feed.rss')).status).toBe(200)
    expect((await del('solo')).status).toBe(204)
    await settle()
    expect((await get('/authors/solo-writer')).status).toBe(404)
    expect((await get('/authors/solo-writer/feed.rss')).status).toBe(404)
    const { authors } = await json<{ authors: { slug: string }[] }>('/authors.json')
    expect(authors.map((a) => a.slug)).not.toContain('solo-writer')
    await expectKvMatchesWriter()
  })

  it('a rebuild lays the author lists, documents and index out again, the same', async () => {
    const before = await (await get('/authors/jane-doe/feed.atom')).text()
    expect((await SELF.fetch(`${SITE}/api/rebuild`, { method: 'POST', headers: AUTH })).status).toBe(202)
    await expectKvMatchesWriter()
    expect(await (await get('/authors/jane-doe/feed.atom')).text()).toBe(before)
    expect((await json<{ authors: unknown[] }>('/authors.json')).authors).toHaveLength(3)
  })
})
