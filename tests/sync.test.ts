import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { app } from '../src/app'
import { STORAGE_TIMEOUT_MS } from '../src/http/errors'
import { keys } from '../src/storage/store'
import { articleFile, repoArticles } from './support/articles'
import { AUTH, SITE, seed, settle, writer } from './support/writer'

const dump = async () => {
  const out: Record<string, string | null> = {}
  for (const k of (await env.CONTENT.list()).keys) out[k.name] = await env.CONTENT.get(k.name)
  return out
}
const a = (slug: string, date: string, topics = ['One']) => articleFile(slug, { title: slug, date, topics })

describe('syncArticles', () => {
  it('writes every key the Worker reads, then only what changed, and removes articles whose files are gone', async () => {
    const first = await seed([a('one', '2024-06-19T10:00:00Z'), a('two', '2024-06-20T10:00:00Z', ['Two'])])
    expect(first).toMatchObject({ ok: true, plan: { added: ['one', 'two'], changed: [], removed: [], unchanged: 0 } })
    expect(Object.keys(await dump()).sort()).toEqual(
      [
        keys.article('one'),
        keys.article('two'),
        keys.list('all'),
        keys.list('topic/one'),
        keys.list('topic/two'),
        ...['/feed', '/topics/one/feed', '/topics/two/feed'].map(keys.document),
        keys.topics(),
        keys.search(),
      ].sort(),
    )
    const version = (await settle()).version
    const again = await seed([a('one', '2024-06-19T10:00:00Z'), a('two', '2024-06-20T10:00:00Z', ['Two'])])
    expect(again).toMatchObject({ ok: true, plan: { added: [], changed: [], removed: [], unchanged: 2 } })
    expect((await settle()).version).toBe(version)

    const next = await seed([articleFile('one', { title: 'One, revised', date: '2024-06-19T10:00:00Z', topics: ['One'] })])
    expect(next).toMatchObject({ ok: true, plan: { added: [], changed: ['one'], removed: ['two'], unchanged: 0 } })
    const after = await dump()
    expect(after[keys.article('two')]).toBeUndefined()
    expect(after[keys.list('topic/two')]).toBeUndefined()
    expect(after[keys.document('/topics/two/feed')]).toBeUndefined()
    expect(JSON.parse(after[keys.list('all')]!).entries.map((e: { title: string }) => e.title)).toEqual(['One, revised'])
  })

  it('leaves articles published through the API alone unless asked to prune, and says so', async () => {
    await seed([a('from-file', '2024-06-19T10:00:00Z')])
    const put = await SELF.fetch(`${SITE}/api/articles/from-api`, {
      method: 'PUT',
      headers: { ...AUTH, 'Content-Type': 'text/markdown' },
      body: '---\ntitle: From the API\ndate: "2024-06-19T11:00:00Z"\n---\n\nBody.\n',
    })
    expect(put.status).toBe(201)
    const kept = await seed([a('from-file', '2024-06-19T10:00:00Z')])
    expect(kept).toMatchObject({ ok: true, plan: { removed: [], leftAlone: ['from-api'] } })
    expect(await env.CONTENT.get(keys.article('from-api'))).not.toBeNull()
    const pruned = await seed([a('from-file', '2024-06-19T10:00:00Z')], true)
    expect(pruned).toMatchObject({ ok: true, plan: { removed: ['from-api'], leftAlone: [] } })
    expect(await env.CONTENT.get(keys.article('from-api'))).toBeNull()
  })

  it('refuses a batch with any invalid file, lists every problem and leaves KV as it was', async () => {
    await seed([a('kept', '2024-06-19T10:00:00Z')])
    const before = await dump()
    const result = await seed([
      a('kept', '2024-06-19T10:00:00Z', ['Changed']),
      a('new-one', '2024-06-21T10:00:00Z'),
      articleFile('broken', { date: 'yesterday' }),
      articleFile('also-broken', { title: 'x', date: '2024-06-19T10:00:00Z', topics: ['???'] }),
    ])
    expect(result).toEqual({
      ok: false,
      errors: [
        { file: 'articles/broken.md', field: 'title', message: 'is required' },
        { file: 'articles/broken.md', field: 'date', message: expect.stringContaining('RFC 3339') },
        { file: 'articles/also-broken.md', field: 'topics', message: '"???" normalises to nothing: use letters or digits' },
      ],
    })
    expect(await dump()).toEqual(before)
  })

  it('accepts every file in articles/', async () => {
    expect(repoArticles.length).toBeGreaterThanOrEqual(5)
    const result = await seed(repoArticles)
    expect(result.ok ? [] : result.errors).toEqual([])
    for (const { file } of repoArticles) {
      const slug = file.replace(/^.*\//, '').replace(/\.md$/, '')
      expect(await env.CONTENT.get(keys.article(slug)), file).not.toBeNull()
    }
    // Their digests: 19 June's story, and 28 June's opinion piece linking back to it.
    await writer().compose('all', 'UTC')
    await settle()
    const later = await (await SELF.fetch(`${SITE}/digests/2024-06-28.md`)).text()
    expect(later).toMatch(/Continues the story of 19 June 2024: \[.+\]\(https:\/\/news\.example\/digests\/2024-06-19#/)
  })
})

describe('storage failures', () => {
  const failing = {
    get: () => Promise.reject(new Error('KV is down')),
    getWithMetadata: () => Promise.reject(new Error('KV is down')),
    list: () => Promise.reject(new Error('KV is down')),
  } as unknown as KVNamespace

  it('answers 503 when storage hangs, after the timeout, instead of hanging too', async () => {
    const hanging = { get: () => new Promise(() => {}), getWithMetadata: () => new Promise(() => {}) } as unknown as KVNamespace
    const started = Date.now()
    const res = await app.fetch(new Request('https://news.example/feed.atom'), { ...env, CONTENT: hanging })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('30')
    expect(Date.now() - started).toBeLessThan(STORAGE_TIMEOUT_MS + 2000)
  }, 10_000)

  it.each(['/', '/articles/one', '/articles', '/topics', '/topics/one.json', '/feed.rss', '/digests/2024-06-19'])(
    '%s answers 503 with Retry-After, not a partial page',
    async (path) => {
      const res = await app.fetch(new Request(`https://news.example${path}`), { ...env, CONTENT: failing })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('30')
      expect(await res.text()).toContain('try again')
    },
  )
})
