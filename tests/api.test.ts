import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../src/app'
import { keys } from '../src/storage/store'
import { articleFile } from './support/articles'
import { seed, settle } from './support/writer'

const site = 'https://news.example'
const auth = { Authorization: 'Bearer test-admin-token' }
const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${site}${path}`, { method, body, headers: { ...auth, 'Content-Type': 'text/markdown', ...headers } })
const md = (title: string, topics: string[], date = '2024-07-01T10:00:00Z', body = 'Fresh news body.') =>
  `---\ntitle: ${JSON.stringify(title)}\ndate: "${date}"\ntopics: ${JSON.stringify(topics)}\n---\n\n${body}\n`
const text = async (path: string) => {
  await settle()
  return (await SELF.fetch(`${site}${path}`)).text()
}

beforeAll(async () => {
  const files = Array.from({ length: 30 }, (_, i) =>
    articleFile(`old-${i}`, { title: `Old ${i}`, date: new Date(Date.UTC(2024, 5, 1, i)).toISOString(), topics: ['Archive'] }),
  )
  expect((await seed(files)).ok).toBe(true)
})

describe('publish and delete', () => {
  it('a published article shows on its page, its topics’ feeds, the home page; a delete removes it from all', async () => {
    const res = await call('PUT', '/api/articles/breaking-news', md('Breaking <news>', ['Alpha', 'Beta']))
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBe(`${site}/articles/breaking-news`)
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/)
    expect(await text('/articles/breaking-news')).toContain('<h1>Breaking &lt;news&gt;</h1>')
    for (const path of ['/', '/feed.atom', '/topics/alpha/feed.rss', '/topics/beta/feed.json', '/topics/alpha', '/articles']) {
      expect(await text(path), path).toMatch(/breaking-news/)
    }
    const topics = (await (await SELF.fetch(`${site}/topics.json`)).json()) as { topics: { slug: string; count: number }[] }
    expect(topics.topics).toEqual(expect.arrayContaining([expect.objectContaining({ slug: 'alpha', count: 1 })]))

    // Moving it to another topic takes it off the old one.
    expect((await call('PUT', '/api/articles/breaking-news', md('Breaking news', ['Beta']))).status).toBe(200)
    await settle()
    expect((await SELF.fetch(`${site}/topics/alpha/feed.rss`)).status).toBe(404)
    expect(await text('/topics/beta/feed.json')).toContain('Breaking news')

    const del = await call('DELETE', '/api/articles/breaking-news')
    expect(del.status).toBe(204)
    await settle()
    expect((await SELF.fetch(`${site}/articles/breaking-news`)).status).toBe(404)
    for (const path of ['/', '/feed.atom', '/feed.json', '/articles', '/topics']) expect(await text(path), path).not.toContain('breaking-news')
    expect((await SELF.fetch(`${site}/topics/beta`)).status).toBe(404)
    expect((await call('DELETE', '/api/articles/breaking-news')).status).toBe(404)
  })

  it('accepts the same article as JSON', async () => {
    const res = await call(
      'PUT',
      '/api/articles/from-json',
      JSON.stringify({ title: 'From JSON', date: '2024-07-02T10:00:00Z', topics: ['Gamma'], body: 'Body *here*.' }),
      { 'Content-Type': 'application/json' },
    )
    expect(res.status).toBe(201)
    expect(await text('/articles/from-json')).toContain('Body <em>here</em>.')
  })

  it('writes right-to-left languages right to left', async () => {
    const res = await call('PUT', '/api/articles/arabic', `---\ntitle: "خبر"\ndate: "2024-07-03T10:00:00Z"\nlang: ar\n---\n\nنص الخبر.\n`)
    expect(res.status).toBe(201)
    expect(await text('/articles/arabic')).toContain('<article lang="ar" dir="rtl">')
  })

  it('Last-Modified is when the feed last changed, never in the future: a backdated publish is seen by If-Modified-Since', async () => {
    await settle()
    const first = await SELF.fetch(`${site}/topics/dated/feed.atom`)
    expect(first.status).toBe(404)
    expect((await call('PUT', '/api/articles/dated-new', md('Dated new', ['Dated'], '2024-07-05T10:00:00Z'))).status).toBe(201)
    await settle()
    const before = await SELF.fetch(`${site}/topics/dated/feed.atom`)
    const since = before.headers.get('last-modified')!
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now())
    await new Promise((r) => setTimeout(r, 1100))
    // Backdated: the newest item stays the same, the document does not.
    expect((await call('PUT', '/api/articles/dated-old', md('Dated old', ['Dated'], '2020-01-01T10:00:00Z'))).status).toBe(201)
    await settle()
    const after = await SELF.fetch(`${site}/topics/dated/feed.atom`, { headers: { 'If-Modified-Since': since } })
    expect(after.status).toBe(200)
    expect(Date.parse(after.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(since))
    // An article dated in 2099 is scheduled: the feed shows neither it nor a Last-Modified in the future.
    expect((await call('PUT', '/api/articles/dated-future', md('Dated future', ['Dated'], '2099-01-01T10:00:00Z'))).status).toBe(201)
    await settle()
    const future = await SELF.fetch(`${site}/topics/dated/feed.atom`)
    expect(Date.parse(future.headers.get('last-modified')!)).toBeLessThanOrEqual(Date.now())
    expect((await SELF.fetch(`${site}/topics/dated/feed.atom`, { headers: { 'If-Modified-Since': future.headers.get('last-modified')! } })).status).toBe(304)
  })

  it('gives pages ETags from the values they are made of: 304 while they stand, new once one changes', async () => {
    expect((await call('PUT', '/api/articles/etag-page', md('ETag page', ['Tagged']))).status).toBe(201)
    await settle()
    const paths = ['/articles/etag-page', '/articles/etag-page.json', '/topics/tagged', '/']
    const before = new Map<string, string>()
    for (const path of paths) {
      const res = await SELF.fetch(`${site}${path}`)
      const etag = res.headers.get('etag')!
      // Not a hash of the body (hono's etag() would give 40 hex digits of SHA-1).
      expect(etag, path).toMatch(/^"[0-9a-f]{16}"$/)
      before.set(path, etag)
      expect((await SELF.fetch(`${site}${path}`, { headers: { 'If-None-Match': etag } })).status, path).toBe(304)
    }
    expect((await call('PUT', '/api/articles/etag-page', md('ETag page, edited', ['Tagged']))).status).toBe(200)
    await settle()
    for (const path of paths) {
      const res = await SELF.fetch(`${site}${path}`, { headers: { 'If-None-Match': before.get(path)! } })
      expect(res.status, path).toBe(200)
      expect(await res.text(), path).toContain('ETag page, edited')
    }
  })

  it('returns the source with an ETag', async () => {
    const source = md('Source check', ['Delta'])
    await call('PUT', '/api/articles/source-check', source)
    const res = await call('GET', '/api/articles/source-check')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(res.headers.get('etag')).toMatch(/^"/)
    expect(await res.text()).toBe(source)
  })

  it('keeps older articles in order when many are published one by one', async () => {
    for (let i = 0; i < 40; i++) {
      expect((await call('PUT', `/api/articles/many-${i}`, md(`Many ${i}`, ['Many'], new Date(Date.UTC(2024, 7, 1, i)).toISOString()))).status).toBe(201)
    }
    await settle()
    const seen: string[] = []
    let url: string | null = `${site}/topics/many.json?limit=7`
    while (url) {
      const page = (await (await SELF.fetch(url)).json()) as { articles: { slug: string }[]; next: string | null }
      seen.push(...page.articles.map((a) => a.slug))
      url = page.next
    }
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => `many-${39 - i}`))

    // limit=N gives N items whenever N exist, reading past the head as far as it must.
    const topic = (await (await SELF.fetch(`${site}/topics/many/feed.json?limit=40`)).json()) as { items: { id: string }[]; next_url?: string }
    expect(topic.items.map((i) => i.id)).toEqual(seen.map((s) => `${site}/articles/${s}`))
    expect(topic.next_url).toBeUndefined()
    const { count } = (await (await SELF.fetch(`${site}/articles`)).json()) as { count: number }
    expect(count).toBeGreaterThan(60)
    const all = (await (await SELF.fetch(`${site}/feed.json?limit=100`)).json()) as { items: unknown[] }
    expect(all.items).toHaveLength(Math.min(100, count))
    const rss = await text('/feed.rss?limit=50')
    expect(rss.match(/<item>/g)).toHaveLength(50)
  })
})

describe('no lost updates', () => {
  it('If-Match makes a write conditional; If-None-Match: * creates only', async () => {
    const created = await call('PUT', '/api/articles/cond', md('v1', ['Cond']), { 'If-None-Match': '*' })
    expect(created.status).toBe(201)
    const etag = created.headers.get('etag')!
    expect((await call('PUT', '/api/articles/cond', md('again', ['Cond']), { 'If-None-Match': '*' })).status).toBe(412)
    const v2 = await call('PUT', '/api/articles/cond', md('v2', ['Cond']), { 'If-Match': etag })
    expect(v2.status).toBe(200)
    const stale = await call('PUT', '/api/articles/cond', md('v3 from a stale copy', ['Cond']), { 'If-Match': etag })
    expect(stale.status).toBe(412)
    expect(await text('/articles/cond')).toContain('v2')
    expect((await call('DELETE', '/api/articles/cond', undefined, { 'If-Match': etag })).status).toBe(412)
    expect((await call('DELETE', '/api/articles/cond', undefined, { 'If-Match': v2.headers.get('etag')! })).status).toBe(204)
  })
})

describe('bad input', () => {
  it('422 with every problem, field by field', async () => {
    const res = await call('PUT', '/api/articles/bad', '---\ndate: tomorrow\ncolour: red\n---\n\nx\n')
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Invalid article',
      status: 422,
      detail: expect.stringContaining('nothing was written'),
      instance: '/api/articles/bad',
      errors: [
        { field: 'colour', message: expect.stringContaining('unknown field') },
        { field: 'title', message: 'is required' },
        { field: 'date', message: expect.stringContaining('RFC 3339') },
      ],
    })
    expect((await SELF.fetch(`${site}/articles/bad`)).status).toBe(404)
  })

  it.each([
    ['415 for another content type', 'PUT', '/api/articles/x-y', 'hello', { 'Content-Type': 'text/html' }, 415],
    ['400 for a slug outside the pattern', 'PUT', '/api/articles/Bad_Slug', md('t', []), {}, 400],
    ['413 for a body over the limit', 'PUT', '/api/articles/huge', md('t', [], undefined, 'x'.repeat(2 * 1024 * 1024)), {}, 413],
  ])('%s', async (_, method, path, body, headers, status) => {
    expect((await call(method, path, body, headers)).status).toBe(status)
  })
})

describe('auth', () => {
  it.each([
    ['PUT', '/api/articles/x'],
    ['DELETE', '/api/articles/x'],
    ['GET', '/api/articles/x'],
    ['POST', '/api/rebuild'],
  ])('%s %s needs the token: 401 with WWW-Authenticate', async (method, path) => {
    for (const headers of [{}, { Authorization: 'Bearer wrong-token' }] as Record<string, string>[]) {
      const res = await SELF.fetch(`${site}${path}`, { method, headers })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await res.text()).not.toContain('test-admin-token')
    }
  })

  it('refuses every write when no token is configured', async () => {
    const res = await app.fetch(new Request(`${site}/api/articles/x`, { method: 'PUT', headers: auth, body: md('t', []) }), { ...env, ADMIN_TOKEN: undefined })
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('ADMIN_TOKEN is not set')
  })
})

describe('rebuild', () => {
  it('recomputes the views from stored articles, restoring a damaged index', async () => {
    const before = await text('/feed.atom')
    await env.CONTENT.delete(keys.article('many-1'))
    await env.CONTENT.put(keys.list('all'), JSON.stringify({ count: 0, updated: null, entries: [], chunks: [] }))
    const res = await call('POST', '/api/rebuild')
    expect(res.status).toBe(202)
    expect(await text('/feed.atom')).toBe(before)
    expect(await env.CONTENT.get(keys.article('many-1'))).not.toBeNull()
    expect(await text('/')).toContain('Many 39')
  })
})
