import { type ListDirectory, type ListHead, type Ordered, olderBeyond, sortKey } from '../article/list'

/** One list's part of a feed page: its head and the segment (head or chunk) the page falls in. */
export interface ListSegment<E extends Ordered> {
  head: ListHead<E>
  /** The list's directory, when the page needed it (null: the segment is the head alone). */
  directory: ListDirectory | null
  entries: E[]
  /** True when the segment is an archived chunk, so newer entries exist outside it. */
  archived: boolean
}

export interface PageRequest {
  /** Entries older than this sort key (the `cursor` of a next link). */
  after: string | null
  /** Entries newer than this sort key (the `before` of a prev link). */
  before: string | null
  limit: number
  /** Every one of these topics must be on an entry (match=all). */
  require: string[]
  /** None of these topics may be on an entry. */
  exclude: string[]
}

export interface SelectedPage<E> {
  entries: E[]
  /** Sort key to continue with older entries, or null at the end. */
  next: string | null
  /** Sort key to go back to newer entries, or null on the first page. */
  prev: string | null
}

type Keyed<E> = { e: E; key: string }

/**
 * Merges the segments of one or more lists into one page of a filtered feed, newest first. Only
 * entries up to the nearest segment boundary are used, since beyond it a list may hold entries
 * that were not read: a page can be short, and its `next` then continues from that boundary.
 */
export function selectPage<E extends Ordered & { topics: { slug: string }[] }>(segments: ListSegment<E>[], r: PageRequest): SelectedPage<E> {
  const keep = (e: E) => {
    const topics = new Set(e.topics.map((t) => t.slug))
    return r.require.every((t) => topics.has(t)) && !r.exclude.some((t) => topics.has(t))
  }
  const keyed = (entries: E[]): Keyed<E>[] => entries.map((e) => ({ e, key: sortKey(e) }))
  const merge = (parts: Keyed<E>[][]): Keyed<E>[] => {
    const seen = new Set<string>()
    return parts
      .flat()
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .filter(({ e, key }) => !seen.has(key) && seen.add(key) && keep(e))
  }

  if (r.before !== null) {
    const before = r.before
    // Newer entries than a chunk's first may sit in newer chunks: stop at the newest such boundary.
    let bound: string | null = null
    const parts = segments.map((s) => {
      const items = keyed(s.entries).filter((k) => k.key < before)
      if (s.archived && items.length > 0 && (bound === null || items[0]!.key > bound)) bound = items[0]!.key
      return items
    })
    const merged = merge(parts).filter((k) => bound === null || k.key >= bound)
    const page = merged.slice(Math.max(0, merged.length - r.limit))
    const first = page[0]
    const moreNewer = merged.length > r.limit || bound !== null
    return {
      entries: page.map((k) => k.e),
      next: page.length > 0 ? page[page.length - 1]!.key : before,
      prev: moreNewer ? (first?.key ?? bound) : null,
    }
  }

  const after = r.after
  let bound: string | null = null
  const parts = segments.map((s) => {
    const items = keyed(s.entries).filter((k) => after === null || k.key > after)
    const last = items[items.length - 1]
    if (last && olderBeyond(s.head, s.directory)(last.key) && (bound === null || last.key < bound)) bound = last.key
    return items
  })
  const merged = merge(parts).filter((k) => bound === null || k.key <= bound)
  const page = merged.slice(0, r.limit)
  let next: string | null = null
  if (merged.length > r.limit) next = page[page.length - 1]!.key
  else if (bound !== null) next = bound
  return {
    entries: page.map((k) => k.e),
    next,
    prev: after !== null && page.length > 0 ? page[0]!.key : null,
  }
}
