import { topicSlug } from '../article/parse'
import { badRequest } from '../http/errors'
import { once, readCursor, readLimit } from '../http/query'

export const DEFAULT_FEED_LIMIT = 20
const MAX_FEED_LIMIT = 100
/** Each topic of an any-of filter costs one KV read. */
const MAX_FILTER_TOPICS = 10

/** A feed view: which articles, how many, from where. */
export interface FeedQuery {
  topics: string[]
  match: 'any' | 'all'
  exclude: string[]
  limit: number
  cursor: string | null
  before: string | null
}

/**
 * Reads the feed filters from a query string. Topic names are normalised to slugs, lists are
 * sorted and deduplicated, so equivalent queries give one canonical view. Unknown parameters
 * (say, a reader's tracking tags) are ignored; bad values get a 400 naming the parameter.
 */
export function parseFeedQuery(params: URLSearchParams, fixedTopic?: string): FeedQuery {
  const list = (name: string): string[] => {
    const raw = params.getAll(name).flatMap((v) => v.split(','))
    const slugs = raw
      .map((v) => v.trim())
      .filter(Boolean)
      .map(topicSlug)
    if (slugs.some((s) => s === '')) throw badRequest(`${name}: each topic needs letters or digits`)
    return [...new Set(slugs)].sort()
  }
  if (fixedTopic && params.has('topics')) throw badRequest('topics: not allowed on a topic feed; use /feed.rss?topics=…')
  const topics = fixedTopic ? [fixedTopic] : list('topics')
  if (topics.length > MAX_FILTER_TOPICS) throw badRequest(`topics: at most ${MAX_FILTER_TOPICS}`)
  const exclude = list('exclude')
  if (exclude.some((t) => topics.includes(t))) throw badRequest('exclude: a topic cannot be both asked for and excluded')

  const match = once(params.getAll('match'), 'match') ?? 'any'
  if (match !== 'any' && match !== 'all') throw badRequest('match: must be "any" or "all"')
  const limit = readLimit(params.getAll('limit'), DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT)
  const cursor = readCursor(params.getAll('cursor'), 'cursor', 'a feed link')
  const before = readCursor(params.getAll('before'), 'before', 'a feed link')
  if (cursor !== null && before !== null) throw badRequest('cursor: cannot be combined with before')
  return {
    topics,
    match: topics.length > 1 ? match : 'any',
    exclude,
    limit,
    cursor,
    before,
  }
}

/** The query of an article feed: an author's feed is one list, filtered by topics to exclude at
 * most (`topics` and `match` belong to the site feed). */
export function articleFeedQuery(params: URLSearchParams, feed: { topic?: string; author?: string }): FeedQuery {
  if (feed.author !== undefined && params.has('topics')) throw badRequest('topics: not allowed on an author feed; use /feed.rss?topics=…')
  return parseFeedQuery(params, feed.topic)
}

/** The canonical query string of a view ("" for the default), with a page position if given. */
export function canonicalQuery(q: FeedQuery, page: { cursor?: string; before?: string } = {}, fixedTopic = false): string {
  const parts: string[] = []
  if (!fixedTopic && q.topics.length > 0) parts.push(`topics=${q.topics.map(encodeURIComponent).join(',')}`)
  if (q.match === 'all') parts.push('match=all')
  if (q.exclude.length > 0) parts.push(`exclude=${q.exclude.map(encodeURIComponent).join(',')}`)
  if (q.limit !== DEFAULT_FEED_LIMIT) parts.push(`limit=${q.limit}`)
  if (page.cursor) parts.push(`cursor=${page.cursor}`)
  if (page.before) parts.push(`before=${page.before}`)
  return parts.length > 0 ? `?${parts.join('&')}` : ''
}
