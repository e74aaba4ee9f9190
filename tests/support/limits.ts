import { runInDurableObject, SELF } from 'cloudflare:test'
import { expect } from 'vitest'
import type { Writer } from '../../src/writer/object/writer'
import { articleFile } from './articles'
import { md, put } from './publish'
import { expectKvMatchesWriter } from './truth'
import { AUTH, SITE, seed, settle, writer } from './writer'

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

/**
 * The body of 'a 500-publish burst writes no key twice within a second and no flush passes 1,000 KV
 * operations', for any number of publishes (sent 50 at a time): tests/scale/limits.test.ts runs it
 * at 500, tests/writer/limits.test.ts small.
 */
export async function publishBurst(publishes: number): Promise<void> {
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
  const burst = Array.from({ length: publishes }, (_, i) => i)
  for (let i = 0; i < burst.length; i += 50) {
    const answers = await Promise.all(
      burst.slice(i, i + 50).map((n) => put(`burst-${n}`, md(`Burst ${n}`, ['Burst', `B${n % 7}`], new Date(Date.UTC(2024, 8, 1, 0, n)).toISOString()))),
    )
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
}

/**
 * The body of 'a rebuild of 10,000 articles runs in steps of at most 1,000 KV operations and a
 * second rewrites nothing', for any number of articles: tests/scale/limits.test.ts runs it at
 * 10,000, tests/writer/limits.test.ts small.
 */
export async function rebuildMany(articles: number): Promise<void> {
  const files = Array.from({ length: articles }, (_, i) =>
    articleFile(
      `many-${i}`,
      { title: `Article ${i}`, date: new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString(), topics: [`T${i % 40}`] },
      `Text of article ${i}.\n`,
    ),
  )
  expect((await seed(files)).ok).toBe(true)
  const log: { op: string; key: string; at: number }[] = []
  const perInvocation: number[] = []
  await runInDurableObject(writer(), (w: Writer) => {
    const alarm = w.alarm.bind(w)
    w.kv = counting(w.kv, log)
    w.alarm = async () => {
      const before = log.length
      await alarm()
      perInvocation.push(log.length - before)
    }
  })
  const rebuild = async () => {
    log.length = 0
    await SELF.fetch(`${SITE}/api/rebuild`, { method: 'POST', headers: AUTH })
    await runInDurableObject(writer(), async (w: Writer) => {
      for (let i = 0; i < 10_000 && w.status().pending + w.status().dirty > 0; i++) await w.alarm()
    })
    return log.filter((l) => l.op === 'put' || l.op === 'delete').length
  }
  // The first lays the lists out afresh (chunk boundaries differ from the incremental ones);
  // the second finds KV already equal and rewrites nothing.
  expect(await rebuild()).toBeGreaterThan(0)
  expect(await rebuild()).toBe(0)
  expect(perInvocation.length).toBeGreaterThan(10)
  expect(Math.max(...perInvocation)).toBeLessThanOrEqual(1000)
  expect((await settle()).pending).toBe(0)
  const all = await expectKvMatchesWriter()
  expect(all.filter((a) => a.slug.startsWith('many-'))).toHaveLength(articles)
}
