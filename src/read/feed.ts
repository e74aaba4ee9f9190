import { HEAD_MIN, lists } from '../article/list'
import { isAuthorSlug, isTopicSlug } from '../article/parse'
import type { Site } from '../bindings'
import { isStoryId } from '../digest/model'
import { articleFeedFrame, digestFeedDoc, feedBase, toFeedItem } from '../feeds/doc'
import { FEED_TYPES, type FeedFormat, type FeedFrame, type FeedItem } from '../feeds/model'
import { articleFeedQuery, canonicalQuery } from '../feeds/query'
import { RENDER_VERSION, renderFeed, renderFrameBytes } from '../feeds/render'
import { etagOf, notModifiedFor } from '../http/conditional'
import { fromStorage, notFound } from '../http/errors'
import { paths } from '../paths'
import { recentDocuments } from '../storage/recent'
import { getDigestFeed, getFeedHeads, getFeedPage, getPageItems, type StoredDocuments } from '../storage/store'
import { hubLinkHeader, hubUrl } from '../websub/links'

/**
 * A feed as a GET of its URL returns it to a feed reader, made from what the writer stored: its
 * finished document when the URL is a default view (one KV read), else assembled from the lists'
 * values and the items' stored fragments. The Worker's fast path, the app's feed routes and the
 * WebSub hub's deliveries all answer through here, so a subscriber gets the bytes a reader gets.
 */

/** Readers poll every 15–60 minutes: fresh for 10, then served stale while revalidating; a
 * shared cache (Workers Cache) for one, as long as KV itself may lag. */
export const FEED_CACHE = 'public, max-age=600, s-maxage=60, stale-while-revalidate=3600'

/** Which feed a path names: a format and the site's article feed, a topic's, or the digests'.
 * `base` is the path less its format ("/feed"): the name of the feed's stored documents. */
export type FeedPath = { format: FeedFormat; path: string; base: string } & (
  | { feed: 'articles'; topic?: string; author?: string }
  | { feed: 'digests' }
  | { feed: 'story'; id: string }
)

const FEED_PATH = /^\/(?:feed|topics\/([^/]+)\/feed|(digests)\/feed|authors\/([^/]+)\/feed|stories\/([^/]+)\/feed)\.(rss|atom|json)$/

/** The feed at `pathname`, or null when the path is no feed's. */
export function feedPathOf(pathname: string): FeedPath | null {
  const m = FEED_PATH.exec(pathname)
  if (!m) return null
  const [, encoded, digests, encodedAuthor, story, format] = m as unknown as [
    string,
    string | undefined,
    string | undefined,
    string | undefined,
    string | undefined,
    FeedFormat,
  ]
  const named = { format, path: pathname, base: pathname.slice(0, -format.length - 1) }
  if (digests) return { ...named, feed: 'digests' }
  if (story !== undefined) return { ...named, feed: 'story', id: story }
  if (encoded === undefined && encodedAuthor === undefined) return { ...named, feed: 'articles' }
  try {
    if (encodedAuthor !== undefined) return { ...named, feed: 'articles', author: decodeURIComponent(encodedAuthor) }
    return { ...named, feed: 'articles', topic: decodeURIComponent(encoded!) }
  } catch {
    return null
  }
}

/** Headers of every feed response, with the WebSub `Link` header. `s-maxage` bounds what
 * Workers Cache serves without running the Worker to KV's own propagation time; readers may keep
 * a copy for longer. */
export const feedHeaders = (lastModified: string | null, link: string): Record<string, string> => ({
  'Cache-Control': FEED_CACHE,
  ...(lastModified ? { 'Last-Modified': new Date(lastModified).toUTCString() } : {}),
  Vary: 'Sec-Fetch-Dest',
  Link: link,
})

/** When a document last changed, never later than now (RFC 9110 §8.8.2.1). */
export const notAfterNow = (changed: string | null): string | null => (changed ? new Date(Math.min(Date.now(), Date.parse(changed))).toISOString() : null)

/**
 * A finished document as stored, as the answer to `request`: its ETag is the hash the writer
 * stored with the feed's documents (of what determines their bytes) and its format, its
 * Last-Modified when they last changed, so
 * `If-None-Match` and `If-Modified-Since` agree. It carries what the app's middleware would add
 * to a feed (no sniffing, readable cross-origin, the JSON Feed by scripts too), since the fast
 * path sends it without the app.
 */
function documentResponse(request: Request, stored: StoredDocuments, format: FeedFormat, site: Site, path: string): Response {
  const etag = `"${stored.hash}.${format}"`
  const lastModified = notAfterNow(stored.changed)
  const headers = {
    ...feedHeaders(lastModified, hubLinkHeader(hubUrl(site), `${site.url}${path}`)),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ...(format === 'json' ? { 'Access-Control-Allow-Origin': '*' } : {}),
  }
  const body = request.method === 'HEAD' ? null : stored.formats[format]
  return (
    notModifiedFor(request.headers, etag, lastModified, headers) ??
    new Response(body, { status: 200, headers: { ...headers, 'Content-Type': FEED_TYPES[format], ETag: etag } })
  )
}

/** The stored document of `feed` as `request`'s answer, or null when the writer has stored none. */
async function storedResponse(request: Request, feed: FeedPath, kv: KVNamespace, site: Site, memoryMs: number): Promise<Response | null> {
  const stored = await recentDocuments(kv, feed.base, memoryMs)
  return stored && documentResponse(request, stored, feed.format, site, feed.path)
}

/**
 * The Worker's fast path: the finished document of a feed URL with no query, as `request`'s
 * answer, or null for any other URL or a document the writer has not stored. `memoryMs`: how long
 * this isolate may keep a document it read (see `recentDocument`). A failure of KV is thrown as it
 * is: the caller leaves such a request to the app.
 */
export async function storedFeedResponse(request: Request, kv: KVNamespace, site: Site, memoryMs: number): Promise<Response | null> {
  const url = new URL(request.url)
  const feed = url.search === '' ? feedPathOf(url.pathname) : null
  return feed && storedResponse(request, feed, kv, site, memoryMs)
}

/** The feed at `pathname`, or a 404 naming what is not there. */
function feedAt(pathname: string): FeedPath {
  const feed = feedPathOf(pathname)
  if (feed === null) throw notFound(`Nothing at ${pathname}.`)
  if (feed.feed === 'articles' && feed.topic !== undefined && !isTopicSlug(feed.topic)) throw notFound(`No topic "${feed.topic}".`)
  if (feed.feed === 'story' && !isStoryId(feed.id)) throw notFound(`No story "${feed.id}".`)
  if (feed.feed === 'articles' && feed.author !== undefined && !isAuthorSlug(feed.author)) throw notFound(`No author "${feed.author}".`)
  return feed
}

/** Whether `url` asks for a feed's default view, which the writer stores finished: the digest feed
 * has no other; an article feed's query may hold only what changes nothing (a reader's tags). */
function isDefaultView(feed: FeedPath, url: URL): boolean {
  if (feed.feed !== 'articles') return true
  const q = articleFeedQuery(url.searchParams, feed)
  return canonicalQuery(q, {}, feed.topic !== undefined) === '' && q.cursor === null && q.before === null
}

/** A feed's items for a reader (its bytes) and for a person (a preview of its items). */
export interface FeedContent {
  body: () => string | Uint8Array | Promise<string | Uint8Array>
  preview: () => FeedItem[]
}

/** A feed made from the values it was read from: its frame, its items, and those values' hashes. */
export interface MadeFeed {
  frame: FeedFrame
  format: FeedFormat
  /** The content hashes of every value it was made from: with the view and the site, its ETag. */
  hashes: string[]
  /** When any of those values last changed, if known: its Last-Modified. */
  changed: string | null
  content: FeedContent
}

/** A strong ETag from what fully determines a feed's bytes: the values read, the view, the site. */
const feedEtag = (site: Site, format: FeedFormat, self: string, hashes: string[]) =>
  etagOf(String(RENDER_VERSION), format, self, JSON.stringify(site), ...hashes)

/**
 * Makes the feed at `url` from the lists' values (never its stored document). Throws a 404 for a
 * feed with no articles and a 400 for a bad query. With `conditional` (a reader's request), a
 * first page that the heads alone hold is answered 304 from their hashes when it is unchanged,
 * before any item is read.
 */
export async function makeFeed(
  url: URL,
  kv: KVNamespace,
  site: Site,
  conditional: Request | null = null,
  feed = feedAt(url.pathname),
): Promise<MadeFeed | Response> {
  const { format } = feed
  // A story's feed has no other view than its stored documents.
  if (feed.feed === 'story') throw notFound(`No story "${feed.id}".`)
  if (feed.feed === 'digests') {
    const { items, hash, changed } = await fromStorage(() => getDigestFeed(kv))
    const doc = digestFeedDoc(site, items)
    return { frame: doc, format, hashes: [hash], changed, content: { body: () => renderFeed(doc, format), preview: () => doc.items } }
  }
  const { topic, author } = feed
  const q = articleFeedQuery(url.searchParams, feed)
  const fixed = topic !== undefined || author !== undefined
  const base = author !== undefined ? paths.authorFeed(author) : topic !== undefined ? paths.topicFeed(topic) : paths.feed
  const feedLists = author !== undefined ? [lists.author(author)] : q.topics.length === 0 ? [lists.all] : q.topics.map(lists.topic)
  const request = { after: q.cursor, before: q.before, limit: q.limit, require: q.match === 'all' ? q.topics : [], exclude: q.exclude }
  const heads = await fromStorage(() => getFeedHeads(kv, feedLists))
  if (!heads)
    throw notFound(
      author !== undefined ? `No author "${author}".` : fixed ? `No topic "${topic}".` : `topics: no topic among "${q.topics.join(',')}" has articles.`,
    )

  // A first page that the heads alone hold (no filter that could reach past them, no more entries
  // than a head keeps) depends on the heads only: a poll that changed nothing is answered from
  // their hashes, before any parsing or rendering. Other pages get their ETag once read.
  const inHeads = q.limit <= HEAD_MIN && request.require.length === 0 && request.exclude.length === 0
  if (conditional && inHeads && q.cursor === null && q.before === null) {
    const self = `${site.url}${base}.${format}${canonicalQuery(q, {}, fixed)}`
    const etag = await feedEtag(site, format, self, heads.hashes)
    const cached = notModifiedFor(conditional.headers, etag, null, feedHeaders(null, hubLinkHeader(hubUrl(site), self)))
    if (cached) return cached
  }
  const page = await fromStorage(() => getFeedPage(kv, heads, request))
  const names =
    author !== undefined
      ? [page.heads[0]?.entries[0]?.authors?.find((x) => x.slug === author)?.name ?? author]
      : q.topics.map((slug) => page.entries.flatMap((e) => e.topics).find((t) => t.slug === slug)?.name ?? slug)
  const frame = articleFeedFrame(site, q, author !== undefined ? { author } : topic, names, page)
  // The items as stored when their articles were written, most of them taken from the lists'
  // finished documents: put together, not rendered.
  const documents = feedLists.map((list, i) => ({ feed: feedBase(list)!, head: page.heads[i]! }))
  const body = async () => renderFrameBytes(frame, format, await fromStorage(() => getPageItems(kv, page.entries, documents, format))).bytes
  const preview = () => page.entries.map((e) => toFeedItem({ ...e, summary: e.excerpt, html: '' }, site))
  return { frame, format, hashes: page.hashes, changed: page.changed, content: { preview, body } }
}

/** When a made feed last changed: its values' change (not its newest item's date, which a
 * backdated publish or an edit leaves alone), never later than now. */
const lastModifiedOf = (made: MadeFeed): string | null => notAfterNow(made.changed ?? made.frame.updated)

/** Headers a made feed is sent with: its Last-Modified and its hub. */
export const madeFeedHeaders = (made: MadeFeed): Record<string, string> =>
  feedHeaders(lastModifiedOf(made), hubLinkHeader(made.frame.hub, made.frame.self[made.format]))

/**
 * The feed at `request`'s URL as a feed reader gets it: the stored document of a default view,
 * else the feed made from the lists, or a 304 decided before its items are read or rendered.
 * Throws a 404 for no such feed, a 400 for a bad query, a `StorageError` when KV fails.
 */
export async function feedResponse(request: Request, kv: KVNamespace, site: Site): Promise<Response> {
  const url = new URL(request.url)
  const feed = feedAt(url.pathname)
  const stored = isDefaultView(feed, url) ? await fromStorage(() => storedResponse(request, feed, kv, site, 0)) : null
  if (stored) return stored
  const made = await makeFeed(url, kv, site, request, feed)
  if (made instanceof Response) return made
  const headers = madeFeedHeaders(made)
  const etag = await feedEtag(site, made.format, made.frame.self[made.format], made.hashes)
  const cached = notModifiedFor(request.headers, etag, lastModifiedOf(made), headers)
  if (cached) return cached
  const body = request.method === 'HEAD' ? null : await made.content.body()
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': FEED_TYPES[made.format], ETag: etag } })
}
