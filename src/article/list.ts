import { timeOf, type ArticleEntry } from './model'

/** Entries per archived chunk. A chunk of listing entries stays well under 50 KB. */
export const CHUNK_SIZE = 50
/** The head keeps at least this many entries so the newest page (20 by default) needs no second read. */
export const HEAD_MIN = 25

/** What every list entry has: its place in the order. */
export interface Ordered {
  slug: string
  date: string
  updated?: string
}

/** How a list is cut: archived chunks of `chunk` entries, a head of at least `headMin`. */
export interface ListShape {
  chunk: number
  headMin: number
}

/** The shape of listing and day lists. */
export const LISTING: ListShape = { chunk: CHUNK_SIZE, headMin: HEAD_MIN }

/** Where an archived chunk sits in its list, so a cursor finds it without reading it. */
export interface ChunkRef {
  id: number
  count: number
  newest: string
  oldest: string
}

/** The newest entries of a list. */
export interface ListHead<E extends Ordered = ArticleEntry> {
  count: number
  /** The newest `updated` (or `date`) of any entry: the list's Last-Modified. */
  updated: string | null
  entries: E[]
  /** How many archived chunks follow the head, every one older than its entries. Where each
   * sits is the list's directory, a value of its own read only to page past the head, so a head
   * stays the same size however long its list grows. */
  chunks: number
}

/** Where each archived chunk of a list sits, newest chunk first. */
export type ListDirectory = ChunkRef[]

/** An archived run of a list's entries, newest first. */
export interface ListChunk<E extends Ordered = ArticleEntry> {
  entries: E[]
}

/** A list laid out for KV: one head, its directory and its chunks by id. */
export interface ListLayout<E extends Ordered = ArticleEntry> {
  head: ListHead<E>
  directory: ListDirectory
  chunks: Map<number, ListChunk<E>>
}

/**
 * The order of every list, newest first: by date, then by slug so equal dates stay stable.
 * Sort keys compare as strings: a fixed-width inverted time, then the slug.
 */
export function sortKey(e: Pick<Ordered, 'date' | 'slug'>): string {
  const inverted = 8_640_000_000_000_000 - timeOf(e.date)
  return `${inverted.toString().padStart(17, '0')}~${e.slug}`
}

export const byNewest = (a: Ordered, b: Ordered): number => {
  const ka = sortKey(a)
  const kb = sortKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

const lastChange = (e: Ordered): string => e.updated ?? e.date

/** Lays a list out in chunks of CHUNK_SIZE counted from the oldest entry, so that archived
 * chunks keep their ids as new entries arrive at the head. */
export function layoutList<E extends Ordered>(entries: E[], shape: ListShape = LISTING): ListLayout<E> {
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
  for (const e of sorted) if (updated === null || timeOf(lastChange(e)) > timeOf(updated)) updated = lastChange(e)
  return {
    head: { count: sorted.length, updated, entries: oldestFirst.slice(archived).reverse(), chunks: refs.length },
    directory: refs,
    chunks,
  }
}

/** A page of a list: the entries and the cursor of the next page, if any. */
export interface ListPage<E extends Ordered = ArticleEntry> {
  entries: E[]
  next: string | null
}

/** Whether the page after `cursor` (null: the first page) starts among the head's entries. */
export function startsInHead(head: ListHead<Ordered>, cursor: string | null): boolean {
  return cursor === null || (head.entries.length > 0 && sortKey(head.entries[head.entries.length - 1]!) > cursor)
}

/** Which chunk holds the entries after `cursor`, past the head; undefined when nothing follows it. */
export function chunkAfter(directory: ListDirectory, cursor: string): number | undefined {
  return directory.find((c) => c.oldest > cursor)?.id
}

/** Whether entries older than `key` exist beyond a segment: in the head, any chunk at all; in a
 * chunk, a chunk reaching past it. */
export const olderBeyond = (head: ListHead<Ordered>, directory: ListDirectory | null) => (key: string) =>
  directory === null ? head.chunks > 0 : directory.some((c) => c.oldest > key)

/** The page after `cursor` within one segment (the head or a chunk) of a list. */
export function pageOf<E extends Ordered>(segment: E[], cursor: string | null, limit: number, older: (key: string) => boolean): ListPage<E> {
  const rest = cursor === null ? segment : segment.filter((e) => sortKey(e) > cursor)
  const entries = rest.slice(0, limit)
  const last = entries[entries.length - 1]
  if (!last) return { entries, next: null }
  const key = sortKey(last)
  return { entries, next: rest.length > limit || older(key) ? key : null }
}

/** Which chunk holds the entries just newer than `before` (null: the head). */
export function chunkBefore(directory: ListDirectory, before: string): number | null {
  // Chunks are newest first; the oldest chunk whose newest entry is still newer than `before`.
  const candidates = directory.filter((c) => c.newest < before)
  return candidates.length > 0 ? candidates[candidates.length - 1]!.id : null
}

/** The names of lists: every article, a topic's, a UTC day's (the day lists stay in the writer). */
export const lists = {
  all: 'all',
  topic: (slug: string) => `topic/${slug}`,
  day: (date: string) => `day/${new Date(timeOf(date)).toISOString().slice(0, 10)}`,
}
