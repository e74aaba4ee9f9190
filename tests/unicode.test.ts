import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../src/article/parse'
import { json, put } from './support/publish'
import { AUTH, SITE, seed } from './support/writer'

/** Reports of one story in NFC, in NFD and mixed (tests/fixtures/unicode/README.md). */
const fixtures = Object.entries(import.meta.glob<string>('./fixtures/unicode/unicode-*.md', { query: '?raw', import: 'default', eager: true })).map(
  ([path, bytes]) => ({ file: `articles/${path.split('/').pop()!}`, bytes }),
)

describe('text in any Unicode normal form', () => {
  it('the fixtures really are spelled three ways', () => {
    const [mixed, nfc, nfd] = [...fixtures].sort((a, b) => a.file.localeCompare(b.file)).map((f) => f.bytes)
    expect(nfc).toBe(nfc!.normalize('NFC'))
    expect(nfd).toBe(nfd!.normalize('NFD'))
    expect(nfd).not.toBe(nfd!.normalize('NFC'))
    expect(mixed).not.toBe(mixed!.normalize('NFC'))
    expect(mixed).not.toBe(mixed!.normalize('NFD'))
  })

  it('NFC, NFD and mixed spellings sync as one topic and one author, stored and served in NFC', async () => {
    const result = await seed(fixtures)
    expect(result).toMatchObject({ ok: true, plan: { added: ['unicode-mixed', 'unicode-nfc', 'unicode-nfd'] } })
    const { topics } = await json<{ topics: { slug: string; name: string; count: number }[] }>('/topics.json')
    expect(topics.filter((t) => t.name.startsWith('É') || t.name.startsWith('E\u0301'))).toEqual([
      expect.objectContaining({ slug: 'éducation', name: 'Éducation', count: 3 }),
    ])
    expect(topics.find((t) => t.slug === 'réforme')?.count).toBe(3)
    for (const slug of ['unicode-nfc', 'unicode-nfd', 'unicode-mixed']) {
      const a = await json<{ title: string; author: string; html: string }>(`/articles/${slug}.json`)
      expect(a.author, slug).toBe('Zoë Müller'.normalize('NFC'))
      expect(a.title, slug).toBe(a.title.normalize('NFC'))
      expect(a.html, slug).toBe(a.html.normalize('NFC'))
      const source = await (await SELF.fetch(`${SITE}/api/articles/${slug}`, { headers: AUTH })).text()
      expect(source, slug).toBe(source.normalize('NFC'))
    }
    const feed = await (await SELF.fetch(`${SITE}/topics/${encodeURIComponent('éducation')}/feed.atom`)).text()
    expect(feed.match(/<entry>/g)).toHaveLength(3)
    expect(feed).toBe(feed.normalize('NFC'))
    // A second sync of the same files finds nothing changed: the ETags are of the NFC text.
    expect(await seed(fixtures)).toMatchObject({ ok: true, plan: { added: [], changed: [], unchanged: 3 } })
  })

  it('a JSON body in NFD is published in NFC, under the topic its NFC spelling has', async () => {
    const body = { title: 'E\u0301cole', date: '2024-06-20T10:00:00Z', topics: ['E\u0301ducation'], author: 'Zoe\u0308', body: 'Cafe\u0301.' }
    const res = await put('ecole-nfd', JSON.stringify(body), { 'Content-Type': 'application/json' })
    expect(res.status).toBe(201)
    const source = await (await SELF.fetch(`${SITE}/api/articles/ecole-nfd`, { headers: AUTH })).text()
    expect(source).toContain('École')
    expect(source).toContain('Café.')
    expect(source).toBe(source.normalize('NFC'))
  })
})

describe('limits on what one article may ask', () => {
  const front = (fields: Record<string, unknown>) =>
    `---\n${Object.entries({ title: 'T', date: '2024-06-19T10:00:00Z', ...fields })
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n')}\n---\n\nBody.\n`

  it.each([
    ['topics', { topics: Array.from({ length: LIMITS.topics + 1 }, (_, i) => `Topic ${i}`) }, `the limit is ${LIMITS.topics} per article`],
    ['title', { title: 'é'.repeat(LIMITS.title + 1) }, `the limit is ${LIMITS.title}`],
    ['topics', { topics: ['x'.repeat(LIMITS.topic + 1)] }, `the limit is ${LIMITS.topic}`],
    ['author', { author: 'a'.repeat(LIMITS.author + 1) }, `the limit is ${LIMITS.author}`],
    ['summary', { summary: 's'.repeat(LIMITS.summary + 1) }, `the limit is ${LIMITS.summary}`],
  ])('%s past its limit: 422 naming the field and the limit, and nothing written', async (field, fields, message) => {
    const res = await put('too-much', front(fields))
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([{ field, message: expect.stringContaining(message) }])
    expect((await SELF.fetch(`${SITE}/api/articles/too-much`, { headers: AUTH })).status).toBe(404)
  })

  it('at each limit an article is accepted', async () => {
    const fields = {
      title: 'é'.repeat(LIMITS.title),
      author: 'a'.repeat(LIMITS.author),
      summary: 's'.repeat(LIMITS.summary),
      topics: Array.from({ length: LIMITS.topics }, (_, i) => (i === 0 ? 'x'.repeat(LIMITS.topic) : `Topic ${i}`)),
    }
    expect((await put('just-enough', front(fields))).status).toBe(201)
  })
})
