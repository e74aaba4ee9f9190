import { type ArticleEntry, timeOf } from './model'

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

/** The names of lists: every article, a topic's, an author's, a UTC day's (the day lists stay in the writer). */
export const lists = {
  all: 'all',
  topic: (slug: string) => `topic/${slug}`,
  author: (slug: string) => `author/${slug}`,
  day: (date: string) => `day/${new Date(timeOf(date)).toISOString().slice(0, 10)}`,
}
