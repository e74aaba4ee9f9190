import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { WriterStatus } from '../../src/writer/object/rpc'
import type { Writer } from '../../src/writer/object/writer'
import { failingKv } from '../support/failing-kv'
import { md, put, walkFeed } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { AUTH, SITE, seed, writer } from '../support/writer'

/** The message the KV binding throws once the free plan's writes for the day are spent. */
const REFUSAL = 'KV put() limit exceeded for the day.'

/** A KV that lets `allowed` more writes and deletes through, then refuses every one as the
 * daily quota does; `tried` counts what was asked of it past the quota. */
function quotaKv(real: KVNamespace, allowed: number) {
  const counts = { allowed, tried: 0 }
  const kv = failingKv(
    real,
    () => {
      if (counts.allowed-- > 0) return false
      counts.tried++
      return true
    },
    REFUSAL,
  )
  return { kv, counts }
}

describe('the daily KV write quota', () => {
  it('a refusal stops the retries until 00:00 UTC, says so, keeps readers consistent, and converges after the reset', async () => {
    await seed([])
    expect((await put('before-quota', md('Before the quota', ['Quota']))).status).toBe(201)
    await expectKvMatchesWriter()

    const counts = await runInDurableObject(writer(), (w: Writer) => {
      const q = quotaKv(w.kv, 4)
      w.kv = q.kv
      return q.counts
    })
    for (let i = 0; i < 5; i++) expect((await put(`in-quota-${i}`, md(`In the quota ${i}`, ['Quota', `Q${i}`]))).status).toBe(201)

    // The alarm's step meets the refusal once, and then waits for the reset.
    const status = await runInDurableObject(writer(), async (w: Writer) => {
      for (let i = 0; i < 5 && w.status().quota === null; i++) await w.alarm()
      return w.status()
    })
    const reset = new Date(Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000).toISOString()
    expect(status.quota).toEqual({ until: reset, waiting: status.pending + status.dirty })
    expect(status.quota!.waiting).toBeGreaterThan(0)
    expect(status.lastError).toContain(REFUSAL)
    const api = (await (await SELF.fetch(`${SITE}/api/status`, { headers: AUTH })).json()) as WriterStatus
    expect(api.quota).toEqual(status.quota)

    const tried = await runInDurableObject(writer(), async (w: Writer, state) => {
      // Nothing is tried again before the reset, however often an alarm comes; the alarm waits for it.
      const before = counts.tried
      await w.alarm()
      await w.alarm()
      expect(await state.storage.getAlarm()).toBe(Date.parse(reset))
      return counts.tried - before
    })
    expect(tried).toBe(0)
    // A write meanwhile is accepted and kept; it does not bring the alarm forward.
    expect((await put('during-quota', md('During the quota', ['Quota']))).status).toBe(201)
    expect(await runInDurableObject(writer(), (_w: Writer, state) => state.storage.getAlarm())).toBe(Date.parse(reset))
    // Readers meanwhile see a consistent state: every article a feed names is there.
    for (const id of await walkFeed('/feed.json?limit=100')) expect((await SELF.fetch(id)).status, id).toBe(200)

    // The quota resets: the writer resumes by itself and every view equals its state.
    await runInDurableObject(writer(), (w: Writer) => {
      w.kv = env.CONTENT
      w.db.setCounter('quota-until', Date.now() - 1)
    })
    const articles = await expectKvMatchesWriter()
    expect(
      articles
        .map((a) => a.slug)
        .filter((s) => s.includes('quota'))
        .sort(),
    ).toEqual(['before-quota', 'during-quota', ...Array.from({ length: 5 }, (_, i) => `in-quota-${i}`)].sort())
    expect((await runInDurableObject(writer(), (w: Writer) => w.status())).quota).toBeNull()
  }, 60_000)

  it('another failure is only retried, even on a key that reads like a quota code (v1/article/code-429-10048)', async () => {
    expect((await put('code-429-10048', md('Code 429 10048', ['Quota']))).status).toBe(201)
    const status = await runInDurableObject(writer(), async (w: Writer) => {
      w.kv = failingKv(env.CONTENT, () => true)
      await w.alarm().finally(() => {
        w.kv = env.CONTENT
      })
      return w.status()
    })
    expect(status.lastError).toMatch(/KV write failed/)
    expect(status.quota).toBeNull()
    await expectKvMatchesWriter()
  })
})
