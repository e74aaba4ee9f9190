import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SearchDelta } from '../../src/search/index'
import { keys } from '../../src/storage/store'
import type { Writer } from '../../src/writer/object/writer'
import { articleFile } from '../support/articles'
import { failingKv } from '../support/failing-kv'
import { expectKvMatchesWriter } from '../support/truth'
import { SITE, seed, settle, writer } from '../support/writer'

// Enough articles that indexing them all again passes the delta's soft limit (64), so the step
// that does it makes a new base generation: 65 new keys, then the delta that names them.
const COUNT = 66
const files = Array.from({ length: COUNT }, (_, i) =>
  articleFile(
    `harbour-${i}`,
    { title: `Harbour report ${i}`, date: `2024-05-${String((i % 28) + 1).padStart(2, '0')}T08:00:00Z`, topics: ['Ports'] },
    `Ships came and went from the harbour on day ${i}; the cranes were busy.\n`,
  ),
)

const generation = async () => (await env.CONTENT.get<SearchDelta>(keys.search(), 'json'))!.gen

/** A query finds every article, each of them there: the index KV holds is whole, whichever
 * generation its delta names. */
async function expectWholeIndex(): Promise<void> {
  const res = await SELF.fetch(`${SITE}/search/results.json?q=harbour&limit=100`)
  expect(res.status).toBe(200)
  const body = await res.json<{ total: number; results: { slug: string }[] }>()
  expect(body.total).toBe(COUNT)
  expect(new Set(body.results.map((r) => r.slug)).size).toBe(COUNT)
  const gen = await generation()
  expect(await env.CONTENT.get(keys.searchPart(gen, 'docs'))).not.toBeNull()
  for (const r of body.results.slice(0, 5)) expect((await SELF.fetch(`${SITE}/articles/${r.slug}`)).status, r.slug).toBe(200)
}

/** Makes the writer index every article again on its next steps (as a new `INDEX_VERSION`
 * does), with no alarm of its own left to run them. */
async function reindexNext(): Promise<void> {
  await runInDurableObject(writer(), async (w: Writer, state) => {
    w.db.setCounter('search-version', 0)
    await state.storage.deleteAlarm()
  })
}

beforeAll(async () => {
  expect((await seed(files)).ok).toBe(true)
})

describe('storage failures while a new search base is made', () => {
  it('an SQL failure at any step of making a base undoes the step; queries keep the last whole index; a retry makes it', async () => {
    await reindexNext()
    // The first step only queues every article again; the next one indexes them and makes the base.
    await runInDurableObject(writer(), (w: Writer) => w.alarm())
    const before = await generation()
    let step = 1
    for (; step < 400; step++) {
      const failed = await runInDurableObject(writer(), async (w: Writer, state) => {
        await state.storage.deleteAlarm()
        w.db.failAfter = step
        await w.alarm().finally(() => {
          w.db.failAfter = null
        })
        return w.status().lastError !== null
      })
      if (!failed) break
      expect(await generation()).toBe(before)
      await expectWholeIndex()
    }
    expect(step, 'statements the step ran before it went through').toBeGreaterThan(20)
    await settle()
    expect(await generation()).toBe(before + 1)
    await expectWholeIndex()
    await expectKvMatchesWriter()
  }, 120_000)

  it('a KV failure at any write of a new base: the delta keeps naming a whole generation, and the next step converges', async () => {
    for (const allowed of [0, 1, 2, 17, 40, 63, 64, 65, 66, 67, 80, 130]) {
      const before = await generation()
      await reindexNext()
      let writes = 0
      await runInDurableObject(writer(), async (w: Writer, state) => {
        const real = w.kv
        w.kv = failingKv(real, () => writes++ >= allowed)
        try {
          // Queue, then index, make the base and flush it until the writes run out.
          await w.alarm()
          await state.storage.deleteAlarm()
          await w.alarm()
        } finally {
          w.kv = real
          await state.storage.deleteAlarm()
        }
      })
      // The failure was met: the flush asked for more writes than were let through.
      expect(writes, `after ${allowed} writes`).toBeGreaterThan(allowed)
      await expectWholeIndex()
      const now = await generation()
      expect([before, before + 1], `after ${allowed} writes`).toContain(now)
      await settle()
      expect(await generation()).toBe(before + 1)
      await expectKvMatchesWriter()
    }
  }, 240_000)
})
