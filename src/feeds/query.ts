import { topicSlug } from '../article/parse'
import { badRequest } from '../http/errors'

export const DEFAULT_FEED_LIMIT = 20
export const MAX_FEED_LIMIT = 100
/** Each topic of an any-of filter costs one KV read. */
export const MAX_FILTER_TOPICS = 10
const KEY = /^\d{17}~[a-z0-9]+(?:-[a-z0-9]+)*$/

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
  const one = (name: string): string | null => {
    const values = params.getAll(name)
    if (values.length > 1) throw badRequest(`${name}: give it once`)
    return values[0] ?? null
  }
  if (fixedTopic && params.has('topics')) throw badRequest('topics: not allowed on a topic feed; use /feed.rss?topics=…')
  const topics = fixedTopic ? [fixedTopic] : list('topics')
  if (topics.length > MAX_FILTER_TOPICS) throw badRequest(`topics: at most ${MAX_FILTER_TOPICS}`)
  const exclude = list('exclude')
  if (exclude.some((t) => topics.includes(t))) throw badRequest('exclude: a topic cannot be both asked for and excluded')

  const match = one('match') ?? 'any'
  if (match !== 'any' && match !== 'all') throw badRequest('match: must be "any" or "all"')
  const rawLimit = one('limit')
  if (rawLimit !== null && (!/^\d{1,3}$/.test(rawLimit) || +rawLimit < 1 || +rawLimit > MAX_FEED_LIMIT)) {
    throw badRequest(`limit: must be a whole number from 1 to ${MAX_FEED_LIMIT}`)
  }
  const cursor = one('cursor')
  const before = one('before')
  if (cursor !== null && !KEY.test(cursor)) throw badRequest('cursor: not a cursor from a feed link')
  if (before !== null && !KEY.test(before)) throw badRequest('before: not a cursor from a feed link')
  if (cursor !== null && before !== null) throw badRequest('cursor: cannot be combined with before')
  return {
    topics,
    match: topics.length > 1 ? match : 'any',
    exclude,
    limit: rawLimit === null ? DEFAULT_FEED_LIMIT : Number(rawLimit),
    cursor,
    before,
  }
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
