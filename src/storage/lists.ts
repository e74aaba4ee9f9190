import { timeOf, type ArticleEntry } from '../article/model'

/** Entries per archived chunk. A chunk of listing entries stays well under 100 KB. */
export const CHUNK_SIZE = 100
/** The head keeps at least this many entries so the newest page needs no second read. */
export const HEAD_MIN = 50

/** Where an archived chunk sits in its list, so a cursor finds it without reading it. */
export interface ChunkRef {
  id: number
  count: number
  newest: string
  oldest: string
}

/** The newest entries of a list, plus a directory of its older chunks (newest chunk first). */
export interface ListHead {
  count: number
  /** The newest `updated` (or `date`) of any entry: the list's Last-Modified. */
  updated: string | null
  entries: ArticleEntry[]
  chunks: ChunkRef[]
}

/** An archived run of a list's entries, newest first. */
export interface ListChunk {
  entries: ArticleEntry[]
}

/** A list laid out for KV: one head and its chunks by id. */
export interface ListLayout {
  head: ListHead
  chunks: Map<number, ListChunk>
}

/**
 * The order of every list, newest first: by date, then by slug so equal dates stay stable.
 * Sort keys compare as strings: a fixed-width inverted time, then the slug.
 */
export function sortKey(e: Pick<ArticleEntry, 'date' | 'slug'>): string {
  const inverted = 8_640_000_000_000_000 - timeOf(e.date)
  return `${inverted.toString().padStart(17, '0')}~${e.slug}`
}

export const byNewest = (a: ArticleEntry, b: ArticleEntry): number => {
  const ka = sortKey(a)
  const kb = sortKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

const lastChange = (e: ArticleEntry): string => e.updated ?? e.date

/** Lays a list out in chunks of CHUNK_SIZE counted from the oldest entry, so that archived
 * chunks keep their ids as new entries arrive at the head. */
export function layoutList(entries: ArticleEntry[]): ListLayout {
  const sorted = [...entries].sort(byNewest)
  const oldestFirst = [...sorted].reverse()
  let archived = Math.floor(oldestFirst.length / CHUNK_SIZE) * CHUNK_SIZE
  if (oldestFirst.length - archived < HEAD_MIN) archived = Math.max(0, archived - CHUNK_SIZE)
  const chunks = new Map<number, ListChunk>()
  const refs: ChunkRef[] = []
  for (let id = 0; id * CHUNK_SIZE < archived; id++) {
    const part = oldestFirst.slice(id * CHUNK_SIZE, (id + 1) * CHUNK_SIZE).reverse()
    chunks.set(id, { entries: part })
    refs.unshift({ id, count: part.length, newest: sortKey(part[0]!), oldest: sortKey(part[part.length - 1]!) })
  }
  let updated: string | null = null
  for (const e of sorted) if (updated === null || timeOf(lastChange(e)) > timeOf(updated)) updated = lastChange(e)
  return {
    head: { count: sorted.length, updated, entries: oldestFirst.slice(archived).reverse(), chunks: refs },
    chunks,
  }
}

/** A page of a list: the entries and the cursor of the next page, if any. */
export interface ListPage {
  entries: ArticleEntry[]
  next: string | null
}

/**
 * Which chunk holds the entries after `cursor` (a sort key), or null when the head does.
 * Returns undefined when nothing follows the cursor.
 */
export function chunkAfter(head: ListHead, cursor: string | null): number | null | undefined {
  if (cursor === null) return null
  const inHead = head.entries.length > 0 && sortKey(head.entries[head.entries.length - 1]!) > cursor
  if (inHead) return null
  const chunk = head.chunks.find((c) => c.oldest > cursor)
  return chunk ? chunk.id : undefined
}

/** The page after `cursor` within one segment (the head or a chunk) of a list. */
export function pageOf(head: ListHead, segment: ArticleEntry[], cursor: string | null, limit: number): ListPage {
  const rest = cursor === null ? segment : segment.filter((e) => sortKey(e) > cursor)
  const entries = rest.slice(0, limit)
  const last = entries[entries.length - 1]
  if (!last) return { entries, next: null }
  const key = sortKey(last)
  const more = rest.length > limit || head.chunks.some((c) => c.oldest > key)
  return { entries, next: more ? key : null }
}
