import { type ArticleEntry, type RenderedArticle, toEntry } from '../article/model'
import type { Site } from '../bindings'
import { searchFeedFrame } from '../feeds/doc'
import { FEED_TYPES, type FeedFormat } from '../feeds/model'
import { RENDER_VERSION, renderFrameBytes } from '../feeds/render'
import { etagOf, notModifiedFor } from '../http/conditional'
import { fromStorage } from '../http/errors'
import { excerptOf, type Highlighted, highlight } from '../search/excerpt'
import { searchIndex } from '../search/index'
import { type SearchQuery, searchQueryString } from '../search/query'
import { getArticle, getArticleWithItem, getSearchDelta, getSearchIndex } from '../storage/store'
import { hubLinkHeader } from '../websub/links'
import { feedHeaders, notAfterNow } from './feed'

/**
 * Search as a request answers it, at the edge: the index the writer keeps in KV read (its delta,
 * then its base's directory and the shards of the query's terms, at once: 2 + terms reads at any
 * size), the matches ranked, then the page's articles read for their excerpts (or their stored
 * feed items, for a search feed). The writer is never asked.
 */

/** One article found, with its title and an excerpt, the query's words marked in both. */
export interface SearchResult {
  entry: ArticleEntry
  title: Highlighted
  excerpt: Highlighted
  score: number
}

/** A page of a search's results. */
export interface SearchPage {
  results: SearchResult[]
  /** How many articles match in all. */
  total: number
  page: number
  pages: number
}

/** The page `s.page` of what `s` finds. Throws a `StorageError` when KV fails. */
export async function searchPage(kv: KVNamespace, s: SearchQuery): Promise<SearchPage> {
  const index = await fromStorage(() => getSearchIndex(kv, s.terms))
  const hits = index ? searchIndex(index, s.terms, s.filter, s.sort) : null
  const total = hits?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / s.limit))
  const onPage = hits?.slice((s.page - 1) * s.limit, s.page * s.limit) ?? []
  const articles = await fromStorage(() => Promise.all(onPage.map((h) => getArticle(kv, h.slug))))
  const terms = new Set(s.terms)
  const results = onPage.flatMap((h, i) => {
    const a = articles[i]
    // Gone since the index was read (KV shows the deletion first): left out.
    return a
      ? [{ entry: entryOf(a), title: highlight(a.title, terms), excerpt: excerptOf(`${a.summary ? `${a.summary} ` : ''}${a.text}`, terms), score: h.score }]
      : []
  })
  return { results, total, page: s.page, pages }
}

/** A listing entry of an article as read (its ETag is not needed by a search's page). */
const entryOf = (a: RenderedArticle): ArticleEntry => toEntry(a, '')

/**
 * A search's feed (`/search.rss?q=…`) as a reader gets it: its newest matches' items as the
 * writer stored them. Its ETag is made from the index's delta (any change of what matches, or of
 * a matching article, changes it, and it names the base it goes with), so a poll that changed
 * nothing is a 304 after one read.
 */
export async function searchFeedResponse(request: Request, kv: KVNamespace, site: Site, s: SearchQuery, format: FeedFormat): Promise<Response> {
  const delta = await fromStorage(() => getSearchDelta(kv))
  const self = `${site.url}/search.${format}${searchQueryString(s, 1, true)}`
  const lastModified = notAfterNow(delta?.changed ?? null)
  const headers = { ...feedHeaders(lastModified, hubLinkHeader(null, self)), 'X-Content-Type-Options': 'nosniff' }
  const etag = await etagOf(String(RENDER_VERSION), format, self, JSON.stringify(site), delta?.hash ?? 'none')
  const cached = notModifiedFor(request.headers, etag, lastModified, headers)
  if (cached) return cached
  const index = await fromStorage(() => getSearchIndex(kv, s.terms, delta))
  const hits = index ? searchIndex(index, s.terms, s.filter, 'date').slice(0, s.limit) : []
  const read = await fromStorage(() => Promise.all(hits.map((h) => getArticleWithItem(kv, h.slug, format))))
  const found = read.filter((r) => r !== null)
  const frame = searchFeedFrame(
    site,
    s,
    found.map((r) => r.article),
    delta?.changed ?? null,
  )
  const body =
    request.method === 'HEAD'
      ? null
      : renderFrameBytes(
          frame,
          format,
          found.map((r) => r.item),
        ).bytes
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': FEED_TYPES[format], ETag: etag } })
}
