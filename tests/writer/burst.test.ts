import { describe, expect, it } from 'vitest'
import { md, put, walk, walkDay, walkFeed } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { SITE, settle } from '../support/writer'

describe('concurrent writers', () => {
  it('keeps all 200 of 200 concurrent publishes on one topic, in every view (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const slugs = Array.from({ length: 200 }, (_, i) => `r${round}-n${i}`)
      const answers = await Promise.all(
        slugs.map((s, i) => put(s, md(`Round ${round} number ${i}`, ['Burst'], new Date(Date.UTC(2024, 6, 1 + round, 0, i)).toISOString()))),
      )
      expect(answers.map((r) => r.status)).toEqual(slugs.map(() => 201))
      await settle()
      const all = await walk('/articles?limit=100')
      const topic = await walk('/topics/burst.json?limit=100')
      const feed = await walkFeed('/topics/burst/feed.json?limit=100')
      const day = await walkDay(`2024-07-0${1 + round}T00:00:00Z`)
      for (const s of slugs) {
        expect(all).toContain(s)
        expect(topic).toContain(s)
        expect(feed).toContain(`${SITE}/articles/${s}`)
        expect(day).toContain(s)
      }
      expect(topic).toHaveLength(200 * (round + 1))
      expect(day).toHaveLength(200)
    }
    const articles = await expectKvMatchesWriter()
    expect(articles).toHaveLength(1000)
  }, 300_000)
})
