import { runInDurableObject, } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Writer } from '../../src/writer/writer'
import { expectKvMatchesWriter } from '../support/truth'
import { writer } from '../support/writer'
import { md, put, } from '../support/publish'

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
