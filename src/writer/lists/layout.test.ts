import { DatabaseSync } from 'node:sqlite'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sqlStorage } from '../../../tests/support/sqlite'
import { byNewest, type ChunkRef, type ListChunk, type ListHead, type Ordered, sortKey } from '../../article/list'
import { keys } from '../../storage/store'
import { blobs, Db, type ViewValue } from '../tables/db'
import { changeEntries, directoryValue, newestEntries, newestSlugs, segmentValue } from './layout'

const text = (v: ViewValue | null): string | null =>
  v === null || typeof v === 'string' ? v : typeof v.value === 'string' ? v.value : new TextDecoder().decode(v.value)
/** A list's head and directory as a reader gets them. */
function read(db: Db): { head: ListHead<Ordered>; directory: ChunkRef[] } {
  return { head: JSON.parse(text(segmentValue(db, 'l', null))!), directory: JSON.parse(directoryValue(db, 'l') ?? '[]') }
}

/** A small shape, so a few dozen entries make many chunks, splits and archives. */
const shape = { chunk: 10, headMin: 5 }
const entry = (slug: string, hour: number): Ordered => ({ slug, date: new Date(Date.UTC(2024, 0, 1) + hour * 3_600_000).toISOString() })

/** Applies changes one by one, as pending rows reach the writer, and reads back every view. */
function apply(ops: { n: number; hour: number; del: boolean }[]) {
  const db = new Db(sqlStorage(new DatabaseSync(':memory:')))
  const current = new Map<string, Ordered>()
  let version = 0
  for (const { n, hour, del } of ops) {
    const slug = `a-${n}`
    const e = entry(slug, hour)
    if (!del) {
      db.putText(blobs.entry('listing', slug), JSON.stringify(e))
      // Segments are joined with their articles (for each entry's ETag).
      db.all(`INSERT OR IGNORE INTO articles (slug, origin, draft, etag, version, changed_at) VALUES (?, 'api', 0, '"e"', 1, 0)`, slug)
    }
    changeEntries(db, 'l', [{ slug, key: del ? null : sortKey(e), changed: del ? null : e.date }], ++version, shape)
    if (del) current.delete(slug)
    else current.set(slug, e)
  }
  const live = db.all<{ key: string }>('SELECT key FROM views WHERE deleted = 0').map((r) => r.key)
  return { db, current, live }
}

describe('changeEntries', () => {
  it('keeps every entry once, newest first, whatever the order of publishes, edits and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 80 }), hour: fc.integer({ min: 0, max: 500 }), del: fc.boolean() }), { maxLength: 150 }),
        (ops) => {
          const { db, current, live } = apply(ops)
          if (current.size === 0) {
            expect(segmentValue(db, 'l', null)).toBeNull()
            expect(directoryValue(db, 'l')).toBeNull()
            expect(live).toEqual([])
            return
          }
          const { head, directory } = read(db)
          expect(head.chunks).toBe(directory.length)
          const chunks = directory.map((ref) => JSON.parse(text(segmentValue(db, 'l', ref.id))!) as ListChunk<Ordered>)
          const all = [...head.entries, ...chunks.flatMap((c) => c.entries)]
          const expected = [...current.values()].sort(byNewest)
          expect(all.map((e) => e.slug)).toEqual(expected.map((e) => e.slug))
          expect(all).toEqual(expected)
          expect(head.count).toBe(current.size)
          directory.forEach((ref, i) => {
            const c = chunks[i]!.entries
            expect(ref).toEqual({ id: ref.id, count: c.length, newest: sortKey(c[0]!), oldest: sortKey(c.at(-1)!) })
            expect(c.length).toBeLessThanOrEqual(20)
          })
          expect(head.entries.length).toBeLessThan(15)
          // Exactly the head, the chunks the directory names and the directory (when there are
          // chunks) are live views; emptied chunks were deleted.
          const chunkViews = directory.map((c) => keys.chunk('l', c.id))
          expect(live.sort()).toEqual([keys.list('l'), ...chunkViews, ...(directory.length > 0 ? [keys.directory('l')] : [])].sort())
          expect(newestSlugs(db, 'l', 7)).toEqual(expected.slice(0, 7).map((e) => e.slug))
          expect(newestEntries(db, 'l', 7).map((e) => JSON.parse(e.text))).toEqual(expected.slice(0, 7))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('reads an entry stored in several parts whole, with its ETag', () => {
    const { db } = apply([
      { n: 1, hour: 1, del: false },
      { n: 2, hour: 2, del: false },
    ])
    const long = { ...entry('a-1', 1), excerpt: 'x'.repeat(900_000) }
    db.putText(blobs.entry('listing', 'a-1'), JSON.stringify(long))
    expect(db.one<{ n: number }>("SELECT count(*) AS n FROM blobs WHERE name = 'entry:listing:a-1'")!.n).toBeGreaterThan(1)
    const entries = newestEntries(db, 'l', 5)
    expect(entries.map((e) => [e.slug, e.etag])).toEqual([
      ['a-2', '"e"'],
      ['a-1', '"e"'],
    ])
    expect(JSON.parse(entries[1]!.text)).toEqual(long)
    expect(JSON.parse(text(segmentValue(db, 'l', null))!).entries[1]).toEqual(long)
  })

  it('splits a chunk that backdated entries grow past twice its size', () => {
    const newer = Array.from({ length: 30 }, (_, i) => ({ n: i, hour: 100 + i, del: false }))
    const older = Array.from({ length: 25 }, (_, i) => ({ n: 100 + i, hour: 50 - i, del: false }))
    const { db } = apply([...newer, ...older])
    const { head, directory } = read(db)
    expect(directory.length).toBeGreaterThan(2)
    for (const ref of directory) expect(ref.count, `chunk ${ref.id}`).toBeLessThanOrEqual(20)
    expect(head.count).toBe(55)
  })

  it('appends in order like a fresh layout: full chunks of the oldest, the newest in the head', () => {
    const { db } = apply(Array.from({ length: 137 }, (_, i) => ({ n: i, hour: i, del: false })))
    const { head, directory } = read(db)
    expect(head.entries.length).toBeLessThan(15)
    expect(directory.every((c) => c.count === 10)).toBe(true)
    expect(directory.map((c) => c.id)).toEqual([...directory.map((c) => c.id)].sort((a, b) => b - a))
  })
})
