import { runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Writer } from '../../src/writer/object/writer'
import { failingKv } from '../support/failing-kv'
import { del, md, put, walkFeed } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { AUTH, SITE, seed, writer } from '../support/writer'

describe('storage failures', () => {
  it('an SQL failure at any step of a write fails the whole write (503) and a retry succeeds', async () => {
    let step = 1
    for (; step < 200; step++) {
      await runInDurableObject(writer(), (w: Writer) => {
        w.db.failAfter = step
      })
      const res = await put('sql-fault', md(`SQL fault ${step}`, ['Faults'], undefined)).finally(() =>
        runInDurableObject(writer(), (w: Writer) => {
          w.db.failAfter = null
        }),
      )
      if (res.status !== 503) {
        expect(res.status).toBe(201)
        break
      }
      expect(res.headers.get('retry-after')).toBeTruthy()
      expect((await SELF.fetch(`${SITE}/api/articles/sql-fault`, { headers: AUTH })).status).toBe(404)
    }
    expect(step).toBeGreaterThan(5)
    await expectKvMatchesWriter()
  }, 120_000)

  it('an SQL failure at any step of a flush is retried by the next alarm until KV equals the writer', async () => {
    for (let step = 1; step < 60; step += 3) {
      expect((await put(`flush-sql-${step}`, md(`Flush SQL ${step}`, ['Faults', `T${step}`]))).status).toBe(201)
      await runInDurableObject(writer(), async (w: Writer) => {
        w.db.failAfter = step
        await w.alarm().finally(() => {
          w.db.failAfter = null
        })
      })
    }
    await expectKvMatchesWriter()
  }, 120_000)

  it('a KV failure at every write of a flush: the next alarm converges, nothing is lost', async () => {
    await seed([])
    for (let n = 0; n < 12; n++) {
      const slug = `kv-fault-${n}`
      expect((await put(slug, md(`KV fault ${n}`, ['Faults', `K${n % 3}`], new Date(Date.UTC(2024, 7, 1, n)).toISOString()))).status).toBe(201)
      if (n % 4 === 3) expect((await del(`kv-fault-${n - 2}`)).status).toBe(204)
      let writes = 0
      const status = await runInDurableObject(writer(), async (w: Writer) => {
        const real = w.kv
        w.kv = failingKv(real, () => writes++ >= n)
        await w.alarm().finally(() => {
          w.kv = real
        })
        return w.status()
      })
      // The failure was met: the flush asked for more writes than were let through.
      expect(writes, `after ${n} writes`).toBeGreaterThan(n)
      expect(status.lastError).toMatch(/KV write failed/)
      // Whatever KV got so far, no feed names an article that is missing.
      for (const id of await walkFeed('/feed.json?limit=100')) expect((await SELF.fetch(id)).status, id).toBe(200)
    }
    await expectKvMatchesWriter()
  }, 120_000)
})

describe('storage failures on the write paths added with pictures and scheduling', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1])
  const putFile = (slug: string, name: string) =>
    SELF.fetch(`${SITE}/api/articles/${slug}/files/${name}`, { method: 'PUT', headers: { ...AUTH, 'Content-Type': 'image/png' }, body: PNG })
  const listed = async (slug: string) => runInDurableObject(writer(), (w: Writer) => w.files(slug).map((f) => f.name))

  it('an SQL failure at any step of a picture write fails it whole (503), and concurrent writes of pictures all land', async () => {
    expect((await put('with-files', md('With files', ['Faults']))).status).toBe(201)
    let step = 1
    for (; step < 100; step++) {
      await runInDurableObject(writer(), (w: Writer) => {
        w.db.failAfter = step
      })
      const res = await putFile('with-files', 'fault.png').finally(() =>
        runInDurableObject(writer(), (w: Writer) => {
          w.db.failAfter = null
        }),
      )
      if (res.status !== 503) {
        expect(res.status).toBe(201)
        break
      }
      expect(await listed('with-files')).toEqual([])
    }
    expect(step).toBeGreaterThan(2)
    // Ten writers at once, each its own picture, and one replacing the first: none lost.
    const answers = await Promise.all([...Array.from({ length: 10 }, (_, i) => putFile('with-files', `p${i}.png`)), putFile('with-files', 'fault.png')])
    expect(answers.every((r) => r.ok)).toBe(true)
    expect((await listed('with-files')).sort()).toEqual(['fault.png', ...Array.from({ length: 10 }, (_, i) => `p${i}.png`)].sort())
    await expectKvMatchesWriter()
  }, 120_000)

  it('an SQL failure at any step of a scheduled publication is retried by the next alarm until it is published', async () => {
    const at = Date.now() + 300
    expect((await put('due-soon', md('Due soon', ['Faults'], new Date(at).toISOString()))).status).toBe(201)
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now()) + 50))
    for (let step = 1; step < 40; step += 2) {
      const published = await runInDurableObject(writer(), async (w: Writer) => {
        w.db.failAfter = step
        await w.alarm().finally(() => {
          w.db.failAfter = null
        })
        return w.db.one('SELECT 1 FROM scheduled WHERE slug = ?', 'due-soon') === null
      })
      if (published) break
    }
    const articles = await expectKvMatchesWriter()
    expect(articles.map((a) => a.slug)).toContain('due-soon')
  }, 120_000)
})
