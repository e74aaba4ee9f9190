import { env, runInDurableObject, SELF } from 'cloudflare:test'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getListPage, lists } from '../src/storage/store'
import type { Writer } from '../src/writer/writer'
import { expectKvMatchesWriter } from './support/truth'
import { AUTH, seed, settle, SITE, writer } from './support/writer'
import { articleFile } from './support/articles'

const md = (title: string, topics: string[], date = '2024-07-01T10:00:00Z', extra = '') =>
  `---\ntitle: ${JSON.stringify(title)}\ndate: "${date}"\ntopics: ${JSON.stringify(topics)}\n${extra}---\n\nBody of ${title}.\n`
const put = (slug: string, body: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${SITE}/api/articles/${slug}`, { method: 'PUT', headers: { ...AUTH, 'Content-Type': 'text/markdown', ...headers }, body })
const del = (slug: string, headers: Record<string, string> = {}) => SELF.fetch(`${SITE}/api/articles/${slug}`, { method: 'DELETE', headers: { ...AUTH, ...headers } })
const json = async <T>(path: string): Promise<T> => (await SELF.fetch(`${SITE}${path}`)).json() as Promise<T>

/** Every slug of a paged JSON list, following `next`. */
async function walk(path: string): Promise<string[]> {
  const seen: string[] = []
  let url: string | null = `${SITE}${path}`
  while (url) {
    const page = (await (await SELF.fetch(url)).json()) as { articles: { slug: string }[]; next: string | null }
    seen.push(...page.articles.map((a) => a.slug))
    url = page.next
  }
  return seen
}

/** Every slug of a day list, read from KV as the digest's composer once did. */
async function walkDay(date: string): Promise<string[]> {
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page = await getListPage(env.CONTENT, lists.day(date), cursor, 100)
    seen.push(...(page?.entries.map((e) => e.slug) ?? []))
    cursor = page?.next ?? null
  } while (cursor)
  return seen
}

/** Every item id of a feed, following RFC 5005 `next_url`. */
async function walkFeed(path: string): Promise<string[]> {
  const ids: string[] = []
  let url: string | null = `${SITE}${path}`
  while (url) {
    const page = (await (await SELF.fetch(url)).json()) as { items: { id: string }[]; next_url?: string }
    ids.push(...page.items.map((i) => i.id))
    url = page.next_url ?? null
  }
  return ids
}

describe('concurrent writers', () => {
  it('keeps all 200 of 200 concurrent publishes on one topic, in every view (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const slugs = Array.from({ length: 200 }, (_, i) => `r${round}-n${i}`)
      const answers = await Promise.all(slugs.map((s, i) => put(s, md(`Round ${round} number ${i}`, ['Burst'], new Date(Date.UTC(2024, 6, 1 + round, 0, i)).toISOString()))))
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
    expect(feed.sort()).toEqual(articles.filter((a) => a.topics.some((x) => x.slug === 'race')).map((a) => `${SITE}/articles/${a.slug}`).sort())
  }, 120_000)

  it('two PUTs with the same If-Match: exactly one 200, one 412; two creates with If-None-Match: *: exactly one 201 (100 trials each)', async () => {
    for (let t = 0; t < 100; t++) {
      const slug = `cond-${t}`
      const [a, b] = await Promise.all([put(slug, md(`A ${t}`, ['Cond']), { 'If-None-Match': '*' }), put(slug, md(`B ${t}`, ['Cond']), { 'If-None-Match': '*' })])
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
    await seed(Array.from({ length: 30 }, (_, i) => articleFile(`base-${i}`, { title: `Base ${i}`, date: new Date(Date.UTC(2024, 5, 1, i)).toISOString(), topics: ['Base'] })))
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

describe('drafts', () => {
  it('keeps a draft in the writer, never published; making a published article a draft unpublishes it and keeps its text', async () => {
    expect((await put('drafty', md('Drafty', ['Drafts'], undefined, 'draft: true\n'))).status).toBe(201)
    await settle()
    expect((await SELF.fetch(`${SITE}/articles/drafty`)).status).toBe(404)
    const source = await SELF.fetch(`${SITE}/api/articles/drafty`, { headers: AUTH })
    expect(source.status).toBe(200)
    expect(source.headers.get('x-edgefeed-draft')).toBe('true')
    expect((await put('drafty', md('Drafty', ['Drafts']))).status).toBe(200)
    await settle()
    expect((await SELF.fetch(`${SITE}/articles/drafty`)).status).toBe(200)
    expect((await put('drafty', md('Drafty again', ['Drafts'], undefined, 'draft: true\n'))).status).toBe(200)
    await settle()
    expect((await SELF.fetch(`${SITE}/articles/drafty`)).status).toBe(404)
    expect(await (await SELF.fetch(`${SITE}/api/articles/drafty`, { headers: AUTH })).text()).toContain('Drafty again')
    await expectKvMatchesWriter()
  })
})

describe('bad input', () => {
  it('a YAML alias bomb gets a 4xx, not a 500', async () => {
    const bomb = `---\ntitle: x\ndate: "2024-07-01T10:00:00Z"\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n---\n\nBody.\n`
    const res = await put('bomb', bomb)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

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
              return (...args: unknown[]) => (writes++ < n ? (Reflect.get(target, prop) as (...a: unknown[]) => Promise<unknown>).apply(target, args) : Promise.reject(new Error('KV write failed')))
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

describe('platform limits', () => {
  /** A KV binding that records every operation with its time. */
  function counting(real: KVNamespace, log: { op: string; key: string; at: number }[]): KVNamespace {
    return new Proxy(real, {
      get(target, prop) {
        const v = Reflect.get(target, prop)
        if (typeof v !== 'function') return v
        return (...args: unknown[]) => {
          log.push({ op: String(prop), key: String(args[0] && typeof args[0] === 'object' ? 'list' : args[0]), at: Date.now() })
          return (v as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
  }

  it('a 500-publish burst writes no key twice within a second and no flush passes 1,000 KV operations', async () => {
    const log: { op: string; key: string; at: number }[] = []
    const perInvocation: number[] = []
    await runInDurableObject(writer(), (w: Writer) => {
      w.limits = { ...w.limits, keyIntervalMs: 1000 }
      const real = w.kv
      const wrapped = counting(real, log)
      const alarm = w.alarm.bind(w)
      w.kv = wrapped
      w.alarm = async () => {
        const before = log.length
        await alarm()
        perInvocation.push(log.length - before)
      }
    })
    const burst = Array.from({ length: 500 }, (_, i) => i)
    for (let i = 0; i < burst.length; i += 50) {
      const answers = await Promise.all(burst.slice(i, i + 50).map((n) => put(`burst-${n}`, md(`Burst ${n}`, ['Burst', `B${n % 7}`], new Date(Date.UTC(2024, 8, 1, 0, n)).toISOString()))))
      expect(answers.every((r) => r.status === 201)).toBe(true)
      await runInDurableObject(writer(), (w: Writer) => w.alarm())
    }
    await runInDurableObject(writer(), async (w: Writer) => {
      for (let i = 0; i < 100 && w.status().pending + w.status().dirty > 0; i++) {
        await new Promise((r) => setTimeout(r, 250))
        await w.alarm()
      }
    })
    const writes = log.filter((l) => l.op === 'put' || l.op === 'delete')
    const byKey = new Map<string, number[]>()
    for (const w of writes) byKey.set(w.key, [...(byKey.get(w.key) ?? []), w.at])
    for (const [key, times] of byKey) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, key).toBeGreaterThanOrEqual(1000)
    expect(Math.max(...perInvocation)).toBeLessThanOrEqual(1000)
    expect(byKey.get('v1/list/all')!.length).toBeLessThan(60)
    await runInDurableObject(writer(), (w: Writer) => {
      w.limits = { ...w.limits, keyIntervalMs: 0 }
    })
    await expectKvMatchesWriter()
  }, 600_000)
})

describe('random interleavings (fast-check)', () => {
  it('after any mix of publish, edit, delete, draft, sync and rebuild from several clients, every KV view equals a fresh layout of the writer', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), n: fc.integer({ min: 0, max: 12 }), hour: fc.integer({ min: 0, max: 60 }), topics: fc.subarray(['A', 'B', 'C', 'D']), draft: fc.boolean() }),
      fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('sync' as const), ns: fc.uniqueArray(fc.integer({ min: 10, max: 16 }), { maxLength: 4 }), hour: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant('rebuild' as const) }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { maxLength: 5 }), { minLength: 1, maxLength: 3 }), async (clients) => {
        await Promise.all(
          clients.map(async (ops) => {
            for (const o of ops) {
              if (o.kind === 'put') await put(`p-${o.n}`, md(`P ${o.n} at ${o.hour}`, o.topics, new Date(Date.UTC(2024, 9, 1, o.hour)).toISOString(), o.draft ? 'draft: true\n' : ''))
              else if (o.kind === 'delete') await del(`p-${o.n}`)
              else if (o.kind === 'sync') await seed(o.ns.map((n) => articleFile(`p-${n}`, { title: `Synced ${n}`, date: new Date(Date.UTC(2024, 9, 2, o.hour)).toISOString(), topics: ['S'] })))
              else await SELF.fetch(`${SITE}/api/rebuild`, { method: 'POST', headers: AUTH })
            }
          }),
        )
        await expectKvMatchesWriter()
      }),
      { numRuns: 15 },
    )
  }, 600_000)
})

describe('status', () => {
  it('says when a write becomes visible', async () => {
    const res = await put('visible', md('Visible', ['Status']))
    const { version } = (await res.json()) as { version: number }
    const after = await settle()
    expect(after.visibleThrough).toBeGreaterThanOrEqual(version)
    // Status is for the publisher only.
    expect((await SELF.fetch(`${SITE}/api/status`)).status).toBe(401)
    expect((await json<{ version: number }>('/api/articles/visible').catch(() => null))).toBeNull()
  })
})
