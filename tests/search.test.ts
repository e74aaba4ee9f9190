import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { articleFile } from './support/articles'
import { del, json, md, put } from './support/publish'
import { expectKvMatchesWriter } from './support/truth'
import { AUTH, SITE, seed, settle } from './support/writer'

const get = (path: string, init?: RequestInit) => SELF.fetch(`${SITE}${path}`, init)

// 70 filler articles (past the delta's soft limit, so a base generation is made), and a few
// that a search should tell apart.
const filler = Array.from({ length: 70 }, (_, i) =>
  articleFile(
    `filler-${i}`,
    { title: `Harbour report ${i}`, date: `2024-05-${String((i % 28) + 1).padStart(2, '0')}T08:00:00Z`, topics: [i % 2 ? 'Ports' : 'Weather'] },
    `Ships came and went from the harbour on day ${i}. The weather was calm and the cranes were busy.\n`,
  ),
)
const files = [
  ...filler,
  articleFile(
    'pact',
    { title: 'Russia and North Korea sign a defence pact', date: '2024-06-19T08:00:00Z', topics: ['Diplomacy'] },
    'The two leaders met in Pyongyang. Western governments threatened new sanctions.\n',
  ),
  articleFile(
    'oil',
    { title: 'Oil prices climb as sanctions bite', date: '2024-06-18T08:00:00Z', topics: ['Energy'] },
    'Sanctions on Russian crude tightened again; traders expect more sanctions.\n',
  ),
  articleFile('cafe', { title: 'Le café du port', date: '2024-06-17T08:00:00Z', topics: ['Ports'] }, 'Un café au bord du quai.\n'),
  articleFile('tokyo', { title: '東京都知事選挙', date: '2024-06-16T08:00:00Z', topics: ['Japan'] }, '東京都の知事選挙が行われた。\n'),
  articleFile('hidden', { title: 'A draft on sanctions', date: '2024-06-15T08:00:00Z', draft: true }, 'Sanctions draft.\n'),
]

type Results = {
  total: number
  pages: number
  results: { slug: string; title: string; excerpt: string; highlights: { title: [number, number][]; excerpt: [number, number][] } }[]
  next: string | null
}

beforeAll(async () => {
  expect((await seed(files)).ok).toBe(true)
  await settle()
})

describe('search', () => {
  it('KV holds the index the writer has: a base generation of every published article, and its delta', async () => {
    await expectKvMatchesWriter()
    const delta = await env.CONTENT.get<{ gen: number; count: number }>('v1/search', 'json')
    expect(delta?.gen).toBeGreaterThanOrEqual(1)
    const directory = await env.CONTENT.get<{ count: number }>(`v1/search/${delta!.gen}/docs`, 'json')
    expect(directory!.count + delta!.count).toBe(74)
  })

  it('ranks what matches every word, best first, marks the words, and never shows a draft', async () => {
    const r = await json<Results>('/search/results.json?q=sanctions')
    expect(r.results.map((x) => x.slug)).toEqual(['oil', 'pact'])
    const oil = r.results[0]!
    expect(oil.highlights.title.map(([a, b]) => oil.title.slice(a, b))).toEqual(['sanctions'])
    expect(oil.highlights.excerpt.map(([a, b]) => oil.excerpt.slice(a, b))).toContain('Sanctions')
    expect((await json<Results>('/search/results.json?q=sanctions%20pyongyang')).results.map((x) => x.slug)).toEqual(['pact'])
    expect((await json<Results>('/search/results.json?q=sanctions&sort=date')).results.map((x) => x.slug)).toEqual(['pact', 'oil'])
  })

  it('finds any script and spelling: accents, NFD, CJK without spaces', async () => {
    expect((await json<Results>('/search/results.json?q=cafe')).results.map((x) => x.slug)).toEqual(['cafe'])
    expect((await json<Results>(`/search/results.json?q=${encodeURIComponent('café'.normalize('NFD'))}`)).results.map((x) => x.slug)).toEqual(['cafe'])
    expect((await json<Results>(`/search/results.json?q=${encodeURIComponent('京都')}`)).results.map((x) => x.slug)).toEqual(['tokyo'])
  })

  it('pages, and filters by topic as the feeds do', async () => {
    const first = await json<Results>('/search/results.json?q=harbour&limit=30')
    expect(first.total).toBe(70)
    expect(first.pages).toBe(3)
    const next = await (await SELF.fetch(first.next!)).json<Results>()
    expect(next.results).toHaveLength(30)
    expect(new Set([...first.results, ...next.results].map((x) => x.slug)).size).toBe(60)
    expect((await json<Results>('/search/results.json?q=harbour&topics=ports')).total).toBe(35)
    expect((await json<Results>('/search/results.json?q=harbour&exclude=ports')).total).toBe(35)
  })

  it('the page shows the results with <mark> and links the search feeds', async () => {
    const res = await get('/search?q=sanctions')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<mark>sanctions</mark>')
    expect(html).toContain('href="/articles/oil"')
    expect(html).toContain(`<link rel="alternate" type="application/rss+xml" title="Search “sanctions” (RSS)" href="${SITE}/search.rss?q=sanctions"`)
  })

  it.each([
    ['/search', 400],
    ['/search/results.json?q=%20', 400],
    ['/search/results.json?q=a&sort=worst', 400],
    ['/search/results.json?q=a&page=0', 400],
    ['/search.rss?q=a&page=2', 400],
  ])('%s: %i', async (path, status) => {
    expect((await get(path)).status).toBe(status)
  })

  it('a search feed lists the newest matches, answers 304 while nothing changed, and gains a new match', async () => {
    const res = await get('/search.atom?q=sanctions')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toContain('application/atom+xml')
    const body = await res.text()
    expect([...body.matchAll(/<id>([^<]+)<\/id>/g)].map((m) => m[1]).slice(1)).toEqual([`${SITE}/articles/pact`, `${SITE}/articles/oil`])
    expect(body).not.toContain('rel="hub"')
    const etag = res.headers.get('ETag')!
    expect((await get('/search.atom?q=sanctions', { headers: { 'If-None-Match': etag } })).status).toBe(304)

    expect((await put('more-sanctions', md('More sanctions', ['Diplomacy'], '2024-06-20T08:00:00Z'), AUTH)).status).toBe(201)
    await settle()
    const after = await get('/search.atom?q=sanctions', { headers: { 'If-None-Match': etag } })
    expect(after.status).toBe(200)
    expect(await after.text()).toContain(`${SITE}/articles/more-sanctions`)
    const feed = await (await get('/search.json?q=sanctions')).json<{ version: string; items: { id: string }[] }>()
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.items.map((i) => i.id)[0]).toBe(`${SITE}/articles/more-sanctions`)
  })

  it('an edited article is found by its new words only, a deleted one not at all', async () => {
    expect((await put('pact', md('Leaders sign a treaty', ['Diplomacy'], '2024-06-19T08:00:00Z'), AUTH)).status).toBe(200)
    expect((await del('oil', AUTH)).status).toBe(204)
    await settle()
    expect((await json<Results>('/search/results.json?q=sanctions')).results.map((x) => x.slug)).toEqual(['more-sanctions'])
    expect((await json<Results>('/search/results.json?q=treaty')).results.map((x) => x.slug)).toEqual(['pact'])
    await expectKvMatchesWriter()
  })
})
