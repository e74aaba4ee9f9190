import { SELF } from 'cloudflare:test'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { articleFile } from './support/articles'
import { seed } from './support/writer'

const site = 'https://news.example'

beforeAll(async () => {
  const files = Array.from({ length: 12 }, (_, i) =>
    articleFile(`f-${i}`, { title: `F ${i}`, date: new Date(Date.UTC(2024, 5, 19, i)).toISOString(), topics: ['Alpha', i % 2 ? 'Beta' : 'Gamma'] }),
  )
  expect((await seed(files)).ok).toBe(true)
})

const ROUTES = [
  '/',
  '/index.json',
  '/articles',
  '/articles/f-1',
  '/articles/f-1.json',
  '/articles/f-1.md',
  '/topics',
  '/topics.json',
  '/topics/alpha',
  '/topics/alpha.json',
  '/feed.rss',
  '/feed.atom',
  '/feed.json',
  '/topics/beta/feed.atom',
  '/opml.xml',
  '/digests',
  '/digests.json',
  '/digests/latest',
  '/digests/2024-06-19',
  '/digests/feed.atom',
  '/api/articles/f-1',
  '/admin/digests/2024-06-19',
]
const PARAMS = ['limit', 'cursor', 'before', 'topics', 'match', 'exclude', 'utm_source', '']
// Query values: any text, URL-encoded, and raw odd encodings (bad UTF-8, NUL, bidi overrides).
const odd = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom(
    '0',
    '-1',
    '1e3',
    '100',
    '101',
    '99999999999999999999',
    'NaN',
    '%00',
    '%ff',
    '%E2%80%AE',
    '%',
    '%%',
    '..',
    '../../etc/passwd',
    ',,,',
    'a,b,a',
    '*',
    '%3Cscript%3E',
    'all',
    'any',
    '00000000000000000~x',
  ),
  fc.integer().map(String),
)
const RUNS = { numRuns: 300 }

describe('fuzzing paths and queries', () => {
  it('never answers 5xx, whatever the query on any route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(fc.tuple(fc.constantFrom(...PARAMS), odd), { maxLength: 6 }),
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
        async (route, params, method) => {
          const query = params.map(([k, v]) => `${k}=${v}`).join('&')
          const res = await SELF.fetch(`${site}${route}${query ? `?${query}` : ''}`, { method, redirect: 'manual' })
          await res.arrayBuffer()
          expect(res.status, `${method} ${route}?${query}`).toBeLessThan(500)
        },
      ),
      RUNS,
    )
  }, 60_000)

  it('never answers 5xx for odd paths', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
      fc.constantFrom(
        'articles',
        'topics',
        'digests',
        'feed.rss',
        'feed.json',
        '..',
        '.',
        '%2e%2e',
        '%00',
        'a'.repeat(300),
        '2024-02-30',
        '.json',
        '.md',
        'x.json.md',
        '%ff',
        '%00',
        '%',
      ),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 5 }), async (segments) => {
        const path = `/${segments.join('/')}`
        const res = await SELF.fetch(`${site}${path}`, { redirect: 'manual' })
        await res.arrayBuffer()
        expect(res.status, path).toBeLessThan(500)
      }),
      RUNS,
    )
  }, 60_000)

  it('gives 4xx to long URLs, repeated parameters and huge limits', async () => {
    for (const path of [
      `/articles?limit=${'9'.repeat(5000)}`,
      '/feed.atom?limit=1&limit=2',
      `/topics/${'a'.repeat(5000)}`,
      '/articles?cursor=1&cursor=2',
      `/feed.json?topics=${Array.from({ length: 50 }, (_, i) => `t${i}`).join(',')}`,
    ]) {
      const res = await SELF.fetch(`${site}${path}`)
      expect(res.status, path.slice(0, 60)).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
    }
  })

  it('never reflects a query value unescaped', async () => {
    const res = await SELF.fetch(`${site}/topics/%3Cscript%3Ealert(1)%3C%2Fscript%3E`)
    expect(await res.text()).not.toContain('<script>alert(1)</script>')
    const bad = await SELF.fetch(`${site}/feed.rss?match=%3Cimg%20src%3Dx%3E`)
    expect(await bad.text()).not.toContain('<img src=x>')
  })
})
