import { runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Writer } from '../../src/writer/object/writer'
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
        w.kv = new Proxy(real, {
          get(target, prop) {
            if (prop === 'put' || prop === 'delete') {
              return (...args: unknown[]) =>
                writes++ < n
                  ? (Reflect.get(target, prop) as (...a: unknown[]) => Promise<unknown>).apply(target, args)
                  : Promise.reject(new Error('KV write failed'))
            }
            const v = Reflect.get(target, prop)
            return typeof v === 'function' ? v.bind(target) : v
          },
        })
        await w.alarm().finally(() => {
          w.kv = real
        })
        return w.status()
      })
      expect(status.lastError ?? '').toMatch(/KV write failed|^$/)
      // Whatever KV got so far, no feed names an article that is missing.
      for (const id of await walkFeed('/feed.json?limit=100')) expect((await SELF.fetch(id)).status, id).toBe(200)
    }
    await expectKvMatchesWriter()
  }, 120_000)
})
