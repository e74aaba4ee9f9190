import { metaOf, toEntry, type RenderedArticle } from '../article/model'
import type { DayEntry } from '../digest/model'
import { prepareDayEntry } from '../digest/prepare'
import { toFeedEntry } from '../feeds/model'
import { LISTING, type ListShape } from '../storage/lists'
import { isChunkKey, keys, lists } from '../storage/store'

/**
 * What views the site has and how they are laid out: the writer's side of the KV layout.
 *
 * `all` and each topic list are kept twice, as a listing (no HTML) and as a feed list (with
 * HTML); a day list holds what the digest needs of each article of that UTC day.
 */

/** Feed lists carry full HTML, so they are cut smaller: a head of 20–44 items, chunks of 25. */
export const FEED_SHAPE: ListShape = { chunk: 25, headMin: 20 }

/** Day lists carry each article's words and candidate sentences (about 4 KB): chunks of 50. */
export const DAY_SHAPE: ListShape = { chunk: 50, headMin: 25 }

/** One way of keeping a list in KV: where its head and chunks live, how it is cut, and the
 * blob holding each article's entry in it. */
export interface ListKind {
  name: 'listing' | 'feed' | 'day'
  head: (list: string) => string
  chunk: (list: string, id: number) => string
  shape: ListShape
}

const listing: ListKind = { name: 'listing', head: keys.list, chunk: keys.chunk, shape: LISTING }
const feed: ListKind = { name: 'feed', head: keys.feed, chunk: keys.feedChunk, shape: FEED_SHAPE }
const day: ListKind = { name: 'day', head: keys.list, chunk: keys.chunk, shape: DAY_SHAPE }

/** The kinds a list is kept as. */
export const kindsOf = (list: string): ListKind[] => (list.startsWith('day/') ? [day] : [listing, feed])

/** The lists a published article belongs to. */
export function listsOf(a: RenderedArticle): string[] {
  return [lists.all, lists.day(a.date), ...a.topics.map((t) => lists.topic(t.slug))]
}

/** What the digest needs of an article. */
export function toDayEntry(a: RenderedArticle): DayEntry {
  return prepareDayEntry({ ...metaOf(a), text: a.text })
}

/** Each kind's entry of an article, as JSON, made once when the article is written. */
export function entriesOf(a: RenderedArticle): Record<ListKind['name'], string> {
  return { listing: JSON.stringify(toEntry(a)), feed: JSON.stringify(toFeedEntry(a)), day: JSON.stringify(toDayEntry(a)) }
}

/** Blob names of an article's record and entries in the writer's tables. */
export const blobs = {
  article: (slug: string) => `article:${slug}`,
  entry: (kind: ListKind['name'], slug: string) => `entry:${kind}:${slug}`,
}

/** A list's views are flushed in this order so a reader never meets a name before its value:
 * values that lists name first, then chunks, then the heads and indexes that point to chunks,
 * then deletions of lists, then of the values they named. */
export function flushPhase(key: string, deleted: boolean): number {
  const named = key.startsWith(keys.article('')) || key.startsWith(keys.digest(''))
  if (deleted) return named ? 4 : 3
  if (named) return 0
  return isChunkKey(key) ? 1 : 2
}
