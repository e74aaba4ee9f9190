import { describe, expect, it } from 'vitest'
import type { ArticleEntry } from '../article/model'
import fc from 'fast-check'
import {
  CHUNK_SIZE,
  HEAD_MIN,
  byNewest,
  changeList,
  chunkAfter,
  layoutList,
  pageOf,
  sortKey,
  type ListChunk,
  type ListHead,
  type ListPage,
  type ListUpdate,
} from './lists'

const entry = (i: number): ArticleEntry => ({
  slug: `a-${String(i).padStart(5, '0')}`,
  title: `Article ${i}`,
  // One article an hour, i = 0 the oldest.
  date: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
  topics: [],
  excerpt: '',
  readingMinutes: 1,
})
const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i))

/** Reads a whole list page by page, as a client following `next` would. */
function walk(n: number, limit: number) {
  const { head, chunks } = layoutList(entries(n))
  const seen: string[] = []
  let cursor: string | null = null
  for (let guard = 0; guard < 1000; guard++) {
    const where = chunkAfter(head, cursor)
    if (where === undefined) break
    const segment = where === null ? head.entries : chunks.get(where)!.entries
    const page: ListPage = pageOf(head, segment, cursor, limit)
    seen.push(...page.entries.map((e) => e.slug))
    if (!page.next) break
    cursor = page.next
  }
  return seen
}

describe('layoutList', () => {
  it('sorts newest first with slug as tie-break', () => {
    const same = [entry(1), { ...entry(1), slug: 'b' }, { ...entry(1), slug: 'a' }, entry(2)]
    expect(layoutList(same).head.entries.map((e) => e.slug)).toEqual(['a-00002', 'a', 'a-00001', 'b'])
  })

  it.each([0, 1, 49, 50, 99, 100, 149, 150, 151, 1234])('keeps every one of %i entries, chunks full and the head at least HEAD_MIN', (n) => {
    const { head, chunks } = layoutList(entries(n))
    const total = head.entries.length + [...chunks.values()].reduce((s, c) => s + c.entries.length, 0)
    expect(total).toBe(n)
    expect(head.count).toBe(n)
    expect(head.entries.length).toBeGreaterThanOrEqual(Math.min(n, HEAD_MIN))
    for (const c of chunks.values()) expect(c.entries.length).toBe(CHUNK_SIZE)
    expect(head.chunks.map((c) => c.id)).toEqual([...chunks.keys()].sort((a, b) => b - a))
  })

  it('gives chunks ids from the oldest so they keep them as the list grows', () => {
    const before = layoutList(entries(250)).chunks.get(0)
    const after = layoutList(entries(400)).chunks.get(0)
    expect(after).toEqual(before)
  })

  it('records the newest change as updated', () => {
    const list = [entry(1), { ...entry(0), updated: '2025-01-01T00:00:00Z' }]
    expect(layoutList(list).head.updated).toBe('2025-01-01T00:00:00Z')
  })
})

describe('paging', () => {
  it.each([
    [1234, 100],
    [1234, 7],
    [151, 100],
    [60, 20],
    [0, 20],
  ])('a client reading %i entries %i at a time sees each once, newest first', (n, limit) => {
    const seen = walk(n, limit)
    expect(seen).toEqual(
      entries(n)
        .reverse()
        .map((e) => e.slug),
    )
  })

  it('sort keys order by date, newest first', () => {
    expect(sortKey(entry(2)) < sortKey(entry(1))).toBe(true)
  })
})

describe('changeList', () => {
  /** Applies changes one by one, as the publishing API does, keeping chunks in a map. */
  async function apply(changes: { slug: string; entry: ArticleEntry | null }[], shape = { chunk: 10, headMin: 5 }) {
    let head: ListHead | null = null
    const store = new Map<number, ListChunk>()
    const current = new Map<string, ArticleEntry>()
    for (const c of changes) {
      const old = current.get(c.slug)
      const update: ListUpdate<ArticleEntry> = changeList(
        head,
        { slug: c.slug, oldKey: old ? sortKey(old) : null, entry: c.entry },
        (id) => store.get(id)!,
        shape,
      )
      head = update.head
      for (const [id, chunk] of update.chunks) chunk ? store.set(id, chunk) : store.delete(id)
      if (c.entry) current.set(c.slug, c.entry)
      else current.delete(c.slug)
    }
    return { head: head ?? { count: 0, updated: null, entries: [], chunks: [] }, store, current }
  }
  const flatten = (head: ListHead, store: Map<number, ListChunk>) => [...head.entries, ...head.chunks.flatMap((c) => store.get(c.id)!.entries)]

  it('keeps every entry once, newest first, whatever the order of publishes, edits and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 80 }), hour: fc.integer({ min: 0, max: 500 }), del: fc.boolean() }), { maxLength: 150 }),
        async (ops) => {
          const changes = ops.map(({ n, hour, del }) => ({ slug: `a-${n}`, entry: del ? null : { ...entry(hour), slug: `a-${n}` } }))
          const { head, store, current } = await apply(changes)
          const all = flatten(head, store)
          expect(all.map((e) => e.slug)).toEqual([...current.values()].sort(byNewest).map((e) => e.slug))
          expect(head.count).toBe(current.size)
          for (const ref of head.chunks) {
            const c = store.get(ref.id)!
            expect(ref).toEqual({ id: ref.id, count: c.entries.length, newest: sortKey(c.entries[0]!), oldest: sortKey(c.entries.at(-1)!) })
            expect(c.entries.length).toBeLessThanOrEqual(20)
          }
          expect(head.entries.length).toBeLessThan(15)
          expect([...store.keys()].sort()).toEqual(head.chunks.map((c) => c.id).sort())
        },
      ),
      { numRuns: 200 },
    )
  })

  it('pages like a freshly laid-out list after many publishes', async () => {
    const { head, store } = await apply(
      entries(137).map((e) => ({ slug: e.slug, entry: e })),
      { chunk: CHUNK_SIZE, headMin: HEAD_MIN },
    )
    expect(flatten(head, store).map((e) => e.slug)).toEqual(
      layoutList(entries(137))
        .head.entries.concat(...[...layoutList(entries(137)).chunks.values()].reverse().map((c) => c.entries))
        .map((e) => e.slug),
    )
  })
})
