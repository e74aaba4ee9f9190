import { canonicalQuery, DEFAULT_FEED_LIMIT, type FeedQuery, parseFeedQuery } from '../feeds/query'
import { badRequest } from '../http/errors'
import { once } from '../http/query'
import type { SearchFilter } from './index'
import { queryTerms } from './terms'

/** Longest query read, and most terms: each term's shard is one KV read. */
const MAX_QUERY = 200
const MAX_TERMS = 8
/** Results a page shows: each is one KV read (its article, for the excerpt). A feed shows the feeds' 20. */
const PAGE_LIMIT = 10
/** Results are ranked in full each time; pages past this are not offered. */
const MAX_PAGE = 50

/** A search: the words asked for, the feeds' topic filters, the order and the page. */
export interface SearchQuery {
  q: string
  terms: string[]
  topics: FeedQuery
  filter: SearchFilter
  sort: 'relevance' | 'date'
  page: number
  limit: number
}

/**
 * Reads `/search?q=…` (and its feeds'): `q`, the topic filters every feed takes (`topics`,
 * `match`, `exclude`), `sort` (`relevance` or `date`; a feed is always by date), `limit` (10 a page, a feed's 20) and
 * `page` (from 1). Bad values get a 400 naming the parameter.
 */
export function parseSearchQuery(params: URLSearchParams, feed = false): SearchQuery {
  const q = (once(params.getAll('q'), 'q') ?? '').normalize('NFC').trim().replace(/\s+/g, ' ')
  if (q === '') throw badRequest('q: give the words to search for')
  if (q.length > MAX_QUERY) throw badRequest(`q: at most ${MAX_QUERY} characters`)
  const terms = queryTerms(q)
  if (terms.length === 0) throw badRequest('q: needs letters or digits')
  if (terms.length > MAX_TERMS) throw badRequest(`q: at most ${MAX_TERMS} words`)
  const topics = parseFeedQuery(params)
  if (topics.cursor !== null || topics.before !== null) throw badRequest('cursor: a search pages with page=')
  const sort = once(params.getAll('sort'), 'sort') ?? (feed ? 'date' : 'relevance')
  if (sort !== 'relevance' && sort !== 'date') throw badRequest('sort: must be "relevance" or "date"')
  if (feed && sort !== 'date') throw badRequest('sort: a search feed is always newest first')
  const rawPage = once(params.getAll('page'), 'page') ?? '1'
  if (!/^\d{1,3}$/.test(rawPage) || Number(rawPage) < 1 || Number(rawPage) > MAX_PAGE) throw badRequest(`page: must be a whole number from 1 to ${MAX_PAGE}`)
  if (feed && rawPage !== '1') throw badRequest('page: a search feed has one page, its newest')
  const filter: SearchFilter =
    topics.match === 'all' ? { anyOf: [], require: topics.topics, exclude: topics.exclude } : { anyOf: topics.topics, require: [], exclude: topics.exclude }
  const limit = feed || params.has('limit') ? topics.limit : PAGE_LIMIT
  return { q, terms, topics, filter, sort, page: Number(rawPage), limit }
}

/** The canonical query string of a search ("?q=…"), at `page` when given. */
export function searchQueryString(s: SearchQuery, page = s.page, feed = false): string {
  const filters = canonicalQuery({ ...s.topics, limit: DEFAULT_FEED_LIMIT, cursor: null, before: null }).replace(/^\?/, '')
  const parts = [`q=${encodeURIComponent(s.q)}`, ...(filters ? [filters] : [])]
  if (!feed && s.sort === 'date') parts.push('sort=date')
  if (s.limit !== (feed ? DEFAULT_FEED_LIMIT : PAGE_LIMIT)) parts.push(`limit=${s.limit}`)
  if (!feed && page > 1) parts.push(`page=${page}`)
  return `?${parts.join('&')}`
}
