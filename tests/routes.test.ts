import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { articleFile } from './support/articles'
import { seed } from './support/writer'

const site = 'https://news.example'
const get = (path: string, init?: RequestInit) => SELF.fetch(`${site}${path}`, init)

// 45 articles over 45 hours on two topics, plus one with unsafe Markdown and one draft.
const files = [
  ...Array.from({ length: 45 }, (_, i) =>
    articleFile(
      `story-${String(i).padStart(2, '0')}`,
      {
        title: `Story ${i}`,
        date: new Date(Date.UTC(2024, 5, 19, 0) + i * 3_600_000).toISOString(),
        author: 'Reporter',
        topics: i % 3 === 0 ? ['World News', 'Economy'] : ['World News'],
      },
      `Paragraph of story ${i}.\n\n## Details\n\nMore text.\n`,
    ),
  ),
  articleFile(
    'unsafe',
    { title: 'Unsafe <b>title</b> & more', date: '2024-05-01T10:00:00+02:00', topics: ['Tests'] },
    '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n',
  ),
  articleFile('hidden', { title: 'Draft', date: '2024-05-02T10:00:00Z', draft: true }),
]

beforeAll(async () => {
  const result = await seed(files)
  expect(result.ok).toBe(true)
})

describe('home', () => {
  it('lists the newest articles, the topics and links, with canonical URL and security headers', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('etag')).toBeTruthy()
    const html = await res.text()
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/)
    expect(html).toContain(`<link rel="canonical" href="${site}/"/>`)
    expect(html.indexOf('Story 44')).toBeGreaterThan(-1)
    expect(html.indexOf('Story 44')).toBeLessThan(html.indexOf('Story 43'))
    expect(html).not.toContain('Story 24<')
    expect(html).toContain('href="/topics/world-news"')
    expect(html).not.toContain('Draft')
    expect(html).toContain('rel="next"')
  })

  it('serves what the home page shows as JSON', async () => {
    const res = await get('/index.json')
    const body = (await res.json()) as { articles: { slug: string; url: string }[]; topics: { slug: string; count: number }[]; next: string }
    expect(body.articles).toHaveLength(20)
    expect(body.articles[0]).toMatchObject({ slug: 'story-44', url: `${site}/articles/story-44` })
    expect(body.topics[0]).toMatchObject({ slug: 'world-news', count: 45 })
    expect(body.next).toMatch(/^https:\/\/news\.example\/index\.json\?cursor=/)
  })

  it('answers If-None-Match with 304', async () => {
    const first = await get('/')
    const res = await get('/', { headers: { 'If-None-Match': first.headers.get('etag')! } })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
  })
})

describe('articles', () => {
  it('serves an article page with its metadata and topics', async () => {
    const res = await get('/articles/story-03')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Story 3</h1>')
    expect(html).toContain('<h2 id="details">Details</h2>')
    expect(html).toContain('href="/topics/economy"')
    expect(html).toContain(`<link rel="canonical" href="${site}/articles/story-03"/>`)
    expect(html).toContain('datetime="2024-06-19T03:00:00.000Z"')
  })

  it('serves the article as JSON and as its Markdown source', async () => {
    const json = await get('/articles/story-03.json')
    expect(json.headers.get('content-type')).toBe('application/json')
    expect(await json.json()).toMatchObject({
      slug: 'story-03',
      title: 'Story 3',
      url: `${site}/articles/story-03`,
      topics: [{ slug: 'world-news', name: 'World News', url: `${site}/topics/world-news` }, { slug: 'economy' }],
      html: expect.stringContaining('<p>Paragraph of story 3.</p>'),
      text: expect.stringContaining('Paragraph of story 3.'),
    })
    const md = await get('/articles/story-03.md')
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(await md.text()).toBe(files[3]!.bytes)
  })

  it('keeps unsafe Markdown and titles inert on the page', async () => {
    const html = await (await get('/articles/unsafe')).text()
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('javascript:')
    expect(html).not.toMatch(/<img[^>]*onerror/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('<h1>Unsafe &lt;b&gt;title&lt;/b&gt; &amp; more</h1>')
  })

  it('pages through /articles with limit and cursor, newest first', async () => {
    const slugs: string[] = []
    let url: string | null = `${site}/articles?limit=7`
    while (url) {
      const res = await SELF.fetch(url)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { count: number; articles: { slug: string }[]; next: string | null }
      expect(body.count).toBe(46)
      expect(body.articles.length).toBeLessThanOrEqual(7)
      slugs.push(...body.articles.map((a) => a.slug))
      url = body.next
    }
    expect(slugs).toHaveLength(46)
    expect(slugs[0]).toBe('story-44')
    expect(slugs.at(-1)).toBe('unsafe')
    expect(new Set(slugs).size).toBe(46)
  })

  it('does not serve drafts', async () => {
    expect((await get('/articles/hidden')).status).toBe(404)
  })
})

describe('topics', () => {
  it('lists topics with counts as HTML and JSON', async () => {
    expect(await (await get('/topics')).text()).toContain('World News <span class="muted">(45)</span>')
    const body = (await (await get('/topics.json')).json()) as { topics: { slug: string; name: string; count: number; url: string }[] }
    expect(body.topics.map((t) => [t.slug, t.count])).toEqual([
      ['world-news', 45],
      ['economy', 15],
      ['tests', 1],
    ])
    expect(body.topics[1]!.url).toBe(`${site}/topics/economy`)
  })

  it('lists the articles of a topic', async () => {
    const html = await (await get('/topics/economy')).text()
    expect(html).toContain('<h1>Economy</h1>')
    expect(html).toContain('15 articles')
    expect(html).toContain('Story 42')
    expect(html).not.toContain('Story 43<')
    const body = (await (await get('/topics/economy.json?limit=2')).json()) as { topic: { count: number }; articles: { slug: string }[]; next: string }
    expect(body.topic.count).toBe(15)
    expect(body.articles.map((a) => a.slug)).toEqual(['story-42', 'story-39'])
    expect(body.next).toContain('/topics/economy.json?limit=2&cursor=')
  })
})

describe('errors', () => {
  it.each([
    ['/nope', 'text/html'],
    ['/articles/nope', 'text/html'],
    ['/articles/nope.json', 'application/problem+json'],
    ['/articles/NOPE!', 'text/html'],
    ['/topics/nope', 'text/html'],
    ['/topics/nope.json', 'application/problem+json'],
  ])('404 for %s as %s', async (path, type) => {
    const res = await get(path)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain(type)
    expect(res.headers.get('content-security-policy')).toBeTruthy()
  })

  it('answers the admin API without a token in problem+json, keeping WWW-Authenticate', async () => {
    const res = await get('/admin/digests/2024-06-19', { method: 'POST' })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(await res.json()).toMatchObject({ title: 'Unauthorized', status: 401, instance: '/admin/digests/2024-06-19' })
  })

  it('writes dates day-month-year on pages, as digests do', async () => {
    expect(await (await get('/articles/unsafe')).text()).toContain('>1 May 2024</time>')
  })

  it('says what is missing as problem+json (RFC 9457)', async () => {
    expect(await (await get('/articles/nope.json')).json()).toEqual({
      title: 'Not Found',
      status: 404,
      detail: 'No article "nope".',
      instance: '/articles/nope.json',
    })
  })

  it.each([
    '/articles?limit=0',
    '/articles?limit=101',
    '/articles?limit=abc',
    '/articles?limit=1&limit=2',
    '/articles?cursor=bogus',
    '/topics/economy?limit=-1',
    '/?cursor=x',
  ])('400 for %s', async (path) => {
    const res = await get(path)
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/limit|cursor/)
  })

  it.each([
    ['POST', '/'],
    ['PUT', '/articles/story-01'],
    ['DELETE', '/topics'],
    ['PATCH', '/articles'],
  ])('405 with Allow for %s %s', async (method, path) => {
    const res = await get(path, { method })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })

  it('answers HEAD like GET without a body', async () => {
    const res = await get('/articles/story-01', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(await res.text()).toBe('')
  })
})
