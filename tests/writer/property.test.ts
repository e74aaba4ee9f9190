import { SELF } from 'cloudflare:test'
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { articleFile } from '../support/articles'
import { del, md, put } from '../support/publish'
import { expectKvMatchesWriter } from '../support/truth'
import { AUTH, SITE, seed } from '../support/writer'

describe('random interleavings (fast-check)', () => {
  it('after any mix of publish, edit, delete, draft, sync and rebuild from several clients, every KV view equals a fresh layout of the writer', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('put' as const),
        n: fc.integer({ min: 0, max: 12 }),
        hour: fc.integer({ min: 0, max: 60 }),
        topics: fc.subarray(['A', 'B', 'C', 'D']),
        authors: fc.subarray(['Ann', 'Bo']),
        draft: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 12 }) }),
      fc.record({
        kind: fc.constant('sync' as const),
        ns: fc.uniqueArray(fc.integer({ min: 10, max: 16 }), { maxLength: 4 }),
        hour: fc.integer({ min: 0, max: 60 }),
      }),
      fc.record({ kind: fc.constant('rebuild' as const) }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { maxLength: 5 }), { minLength: 1, maxLength: 3 }), async (clients) => {
        await Promise.all(
          clients.map(async (ops) => {
            for (const o of ops) {
              if (o.kind === 'put')
                await put(
                  `p-${o.n}`,
                  md(
                    `P ${o.n} at ${o.hour}`,
                    o.topics,
                    new Date(Date.UTC(2024, 9, 1, o.hour)).toISOString(),
                    `${o.draft ? 'draft: true\n' : ''}${o.authors.length > 0 ? `author: ${JSON.stringify(o.authors)}\n` : ''}`,
                  ),
                )
              else if (o.kind === 'delete') await del(`p-${o.n}`)
              else if (o.kind === 'sync')
                await seed(
                  o.ns.map((n) => articleFile(`p-${n}`, { title: `Synced ${n}`, date: new Date(Date.UTC(2024, 9, 2, o.hour)).toISOString(), topics: ['S'] })),
                )
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
