import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { articleFile } from '../support/articles'
import { del, md, put, walkFeed } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { AUTH, SITE, seed } from '../support/writer'

describe('concurrent writers', () => {
  it('PUT racing DELETE of one slug: never a lost or resurrected write, never a feed entry whose article is missing (100 trials)', async () => {
    for (let t = 0; t < 100; t++) {
      const slug = `race-${t}`
      expect((await put(slug, md(`Race ${t}`, ['Race']))).status).toBe(201)
      const [p, d] = await Promise.all([put(slug, md(`Race ${t} edited`, ['Race', 'Edited'])), del(slug)])
      expect([200, 201]).toContain(p.status)
      expect([204, 404]).toContain(d.status)
      const exists = (await SELF.fetch(`${SITE}/api/articles/${slug}`, { headers: AUTH })).status === 200
      // Whichever came second decides: if the PUT was last it exists (201 after a delete), else not.
      expect(exists).toBe(p.status === 201 || d.status === 404)
    }
    const articles = await expectKvMatchesWriter()
    const feed = await walkFeed('/topics/race/feed.json?limit=100')
    expect(feed.sort()).toEqual(
      articles
        .filter((a) => a.topics.some((x) => x.slug === 'race'))
        .map((a) => `${SITE}/articles/${a.slug}`)
        .sort(),
    )
  }, 120_000)

  it('two PUTs with the same If-Match: exactly one 200, one 412; two creates with If-None-Match: *: exactly one 201 (100 trials each)', async () => {
    for (let t = 0; t < 100; t++) {
      const slug = `cond-${t}`
      const [a, b] = await Promise.all([
        put(slug, md(`A ${t}`, ['Cond']), { 'If-None-Match': '*' }),
        put(slug, md(`B ${t}`, ['Cond']), { 'If-None-Match': '*' }),
      ])
      expect([a.status, b.status].sort()).toEqual([201, 412])
      const etag = (a.status === 201 ? a : b).headers.get('etag')!
      const [c, d] = await Promise.all([put(slug, md(`C ${t}`, ['Cond']), { 'If-Match': etag }), put(slug, md(`D ${t}`, ['Cond']), { 'If-Match': etag })])
      expect([c.status, d.status].sort()).toEqual([200, 412])
      const winner = c.status === 200 ? `C ${t}` : `D ${t}`
      expect(await (await SELF.fetch(`${SITE}/api/articles/${slug}`, { headers: AUTH })).text()).toContain(winner)
    }
    await expectKvMatchesWriter()
  }, 120_000)

  it('a publish during a rebuild is kept (100 trials)', async () => {
    await seed(
      Array.from({ length: 30 }, (_, i) =>
        articleFile(`base-${i}`, { title: `Base ${i}`, date: new Date(Date.UTC(2024, 5, 1, i)).toISOString(), topics: ['Base'] }),
      ),
    )
    for (let t = 0; t < 100; t++) {
      const [rebuild, p, d] = await Promise.all([
        SELF.fetch(`${SITE}/api/rebuild`, { method: 'POST', headers: AUTH }),
        put(`during-${t}`, md(`During ${t}`, ['Base'])),
        t > 0 ? del(`during-${t - 1}`) : Promise.resolve(new Response(null, { status: 204 })),
      ])
      expect([rebuild.status, p.status, d.status]).toEqual([202, 201, 204])
    }
    const articles = await expectKvMatchesWriter()
    expect(articles.map((a) => a.slug).filter((s) => s.startsWith('during-'))).toEqual(['during-99'])
  }, 120_000)
})
