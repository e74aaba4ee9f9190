import { describe, expect, it } from 'vitest'
import {
  byNewest,
  CHUNK_SIZE,
  type ChunkRef,
  chunkAfter,
  HEAD_MIN,
  LISTING,
  type ListChunk,
  type ListDirectory,
  type ListHead,
  type ListPage,
  type ListShape,
  type Ordered,
  olderBeyond,
  pageOf,
  sortKey,
  startsInHead,
} from './list'
import { type ArticleEntry, timeOf } from './model'

/** A list laid out at once, as the writer's layout would hold it after appending its entries in
 * order: the reference the paging functions are read against. */
/** A list laid out for KV: one head, its directory and its chunks by id. */
interface ListLayout<E extends Ordered = ArticleEntry> {
  head: ListHead<E>
  directory: ListDirectory
  chunks: Map<number, ListChunk<E>>
}

/* Lays a list out in chunks of CHUNK_SIZE counted from the oldest entry, so that archived
 * chunks keep their ids as new entries arrive at the head. */
function layoutList<E extends Ordered>(entries: E[], shape: ListShape = LISTING): ListLayout<E> {
  const { chunk: size, headMin } = shape
  const sorted = [...entries].sort(byNewest)
  const oldestFirst = [...sorted].reverse()
  let archived = Math.floor(oldestFirst.length / size) * size
  if (oldestFirst.length - archived < headMin) archived = Math.max(0, archived - size)
  const chunks = new Map<number, ListChunk<E>>()
  const refs: ChunkRef[] = []
  for (let id = 0; id * size < archived; id++) {
    const part = oldestFirst.slice(id * size, (id + 1) * size).reverse()
    chunks.set(id, { entries: part })
    refs.unshift({ id, count: part.length, newest: sortKey(part[0]!), oldest: sortKey(part[part.length - 1]!) })
  }
  let updated: string | null = null
  const lastChange = (e: Ordered): string => e.updated ?? e.date
  for (const e of sorted) if (updated === null || timeOf(lastChange(e)) > timeOf(updated)) updated = lastChange(e)
  return {
    head: { count: sorted.length, updated, entries: oldestFirst.slice(archived).reverse(), chunks: refs.length },
    directory: refs,
    chunks,
  }
}

const entry = (i: number): ArticleEntry => ({
  slug: `a-${String(i).padStart(5, '0')}`,
  title: `Article ${i}`,
  // One article an hour, i = 0 the oldest.
  date: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
  topics: [],
  etag: '"e"',
  excerpt: '',
  readingMinutes: 1,
})
const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i))

/** Reads a whole list page by page, as a client following `next` would. */
function walk(n: number, limit: number) {
  const { head, directory, chunks } = layoutList(entries(n))
  const seen: string[] = []
  let cursor: string | null = null
  for (let guard = 0; guard < 1000; guard++) {
    const where = startsInHead(head, cursor) ? null : chunkAfter(directory, cursor!)
    if (where === undefined) break
    const segment = where === null ? head.entries : chunks.get(where)!.entries
    const page: ListPage = pageOf(segment, cursor, limit, olderBeyond(head, where === null ? null : directory))
    seen.push(...page.entries.map((e) => e.slug))
    if (!page.next) break
    cursor = page.next
  }
  return seen
}

describe('layoutList, the reference the paging is read against', () => {
  it('sorts newest first with slug as tie-break', () => {
    const same = [entry(1), { ...entry(1), slug: 'b' }, { ...entry(1), slug: 'a' }, entry(2)]
    expect(layoutList(same).head.entries.map((e) => e.slug)).toEqual(['a-00002', 'a', 'a-00001', 'b'])
  })

  it.each([0, 1, 49, 50, 99, 100, 149, 150, 151, 1234])('keeps every one of %i entries, chunks full and the head at least HEAD_MIN', (n) => {
    const { head, directory, chunks } = layoutList(entries(n))
    const total = head.entries.length + [...chunks.values()].reduce((s, c) => s + c.entries.length, 0)
    expect(total).toBe(n)
    expect(head.count).toBe(n)
    expect(head.entries.length).toBeGreaterThanOrEqual(Math.min(n, HEAD_MIN))
    for (const c of chunks.values()) expect(c.entries.length).toBe(CHUNK_SIZE)
    expect(directory.map((c) => c.id)).toEqual([...chunks.keys()].sort((a, b) => b - a))
    expect(head.chunks).toBe(chunks.size)
  })

  it('gives chunks ids from the oldest so they keep them as the list grows', () => {
    const before = layoutList(entries(125)).chunks.get(0)
    const after = layoutList(entries(200)).chunks.get(0)
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
