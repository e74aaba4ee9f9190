import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import type { Topic } from '../article/model'
import { isTopicSlug } from '../article/parse'
import { siteOf, type AppEnv, type Bindings, type Site } from '../bindings'
import { articleFeedFrame, feedBase, toFeedItem } from '../feeds/doc'
import { FEED_TYPES, type FeedDoc, type FeedFormat, type FeedFrame, type FeedItem } from '../feeds/model'
import { renderOpml } from '../feeds/opml'
import { canonicalQuery, parseFeedQuery } from '../feeds/query'
import { FEED_FORMATS, renderFeed, renderFrameBytes } from '../feeds/render'
import { etagOf, notModified, notModifiedFor } from '../http/conditional'
import { fromStorage, notFound } from '../http/errors'
import type { FeedLink } from '../pages/layout'
import { FeedPreviewPage } from '../pages/pages'
import { paths } from '../paths'
import { HEAD_MIN } from '../article/list'
import { getDocument, getFeedHeads, getFeedPage, getPageItems, getTopicIndex, type StoredDocument } from '../storage/store'
import { lists } from '../article/list'
import { recentDocument } from '../storage/recent'
import { hubLinkHeader, hubUrl } from '../websub/links'

/** Bump when the rendered bytes change for the same data, so ETags change with them. */
const RENDER_VERSION = '2'
/** Readers poll every 15–60 minutes: fresh for 10, then served stale while revalidating; a
 * shared cache (Workers Cache) for one, as long as KV itself may lag. */
const FEED_CACHE = 'public, max-age=600, s-maxage=60, stale-while-revalidate=3600'
const LABELS: Record<FeedFormat, string> = { atom: 'Atom', rss: 'RSS', json: 'JSON Feed' }
const LINK_TYPES = { atom: 'application/atom+xml', rss: 'application/rss+xml', json: 'application/feed+json' } as const

const links = (base: string, title: string): FeedLink[] =>
  FEED_FORMATS.map((f) => ({ title: `${title} (${LABELS[f]})`, href: `${base}.${f}`, type: LINK_TYPES[f] }))

/** The site-wide feeds, every page's autodiscovery: all articles and the daily digest. */
export const siteFeeds = (): FeedLink[] => [...links('/feed', 'All articles'), ...digestFeeds()]

/** The feeds of daily digests. */
export const digestFeeds = (): FeedLink[] => links('/digests/feed', 'Daily digest')

/** One topic's feeds. */
export const topicFeeds = (topic: Topic): FeedLink[] => links(paths.topicFeed(topic.slug), topic.name)

/** `/feed.*`, `/topics/:topic/feed.*` and `/opml.xml`. */
export const feeds = new Hono<AppEnv>()

feeds.use('/feed.json', cors())
feeds.use('/topics/:topic/feed.json', cors())
feeds.use('/digests/feed.json', cors())

for (const format of FEED_FORMATS) {
  feeds.get(`/feed.${format}`, (c) => serveFeed(c, format))
  feeds.get(`/topics/:topic/feed.${format}`, (c) => serveFeed(c, format, c.req.param('topic')))
}

feeds.get('/opml.xml', async (c) => {
  const site = c.var.site
  const index = await fromStorage(() => getTopicIndex(c.env.CONTENT))
  const body = renderOpml(
    site,
    [
      { title: site.title, feeds: [{ title: `${site.title}: all articles`, base: '/feed', home: '/' }] },
      { title: 'Daily digest', feeds: [{ title: `${site.title}: daily digest`, base: '/digests/feed', home: '/digests' }] },
      { title: 'Topics', feeds: index.topics.map((t) => ({ title: `${site.title}: ${t.name}`, base: paths.topicFeed(t.slug), home: paths.topic(t.slug) })) },
    ],
    index.topics.reduce<string | null>((a, t) => (a === null || t.latest > a ? t.latest : a), null),
  )
  return c.body(body, 200, { 'Content-Type': 'text/x-opml; charset=utf-8', 'Cache-Control': FEED_CACHE })
})

async function serveFeed(c: Context<AppEnv>, format: FeedFormat, topic?: string) {
  const site = c.var.site
  if (topic !== undefined && !isTopicSlug(topic)) throw notFound(`No topic "${topic}".`)
  const q = parseFeedQuery(new URL(c.req.url).searchParams, topic)
  const fixed = topic !== undefined
  const base = fixed ? paths.topicFeed(topic) : '/feed'
  // The default view (what readers poll) is stored finished by the writer: one read, no parsing.
  if (canonicalQuery(q, {}, fixed) === '' && q.cursor === null && q.before === null && c.req.header('Sec-Fetch-Dest') !== 'document') {
    const path = `${base}.${format}`
    const stored = await fromStorage(() => getDocument(c.env.CONTENT, path))
    if (stored) return sendDocument(c, stored, format, path)
  }
  const feedLists = q.topics.length === 0 ? [lists.all] : q.topics.map(lists.topic)
  const request = { after: q.cursor, before: q.before, limit: q.limit, require: q.match === 'all' ? q.topics : [], exclude: q.exclude }
  const heads = await fromStorage(() => getFeedHeads(c.env.CONTENT, feedLists))
  if (!heads) throw notFound(fixed ? `No topic "${topic}".` : `topics: no topic among "${q.topics.join(',')}" has articles.`)

  const query = canonicalQuery(q, { ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.before ? { before: q.before } : {}) }, fixed)
  const self = `${site.url}${base}.${format}${query}`
  // A first page that the heads alone hold (no filter that could reach past them, no more entries
  // than a head keeps) depends on the heads only: a poll that changed nothing is answered from
  // their hashes, before any parsing or rendering. Other pages get their ETag once read.
  const inHeads = q.limit <= HEAD_MIN && request.require.length === 0 && request.exclude.length === 0
  if (inHeads && q.cursor === null && q.before === null && c.req.header('Sec-Fetch-Dest') !== 'document') {
    const headers = { 'Cache-Control': FEED_CACHE, Vary: 'Sec-Fetch-Dest', Link: hubLinkHeader(hubUrl(site), self) }
    const cached = notModified(c, await feedEtag(c, format, self, heads.hashes), null, headers)
    if (cached) return cached
  }
  const page = await fromStorage(() => getFeedPage(c.env.CONTENT, heads, request))
  const names = q.topics.map((slug) => page.entries.flatMap((e) => e.topics).find((t) => t.slug === slug)?.name ?? slug)
  const frame = articleFeedFrame(site, q, topic, names, page)
  // The items as stored when their articles were written, most of them taken from the lists'
  // finished documents: put together, not rendered.
  const documents = feedLists.map((list, i) => ({ path: `${feedBase(list)}.${format}`, head: page.heads[i]! }))
  const body = async () => renderFrameBytes(frame, format, await fromStorage(() => getPageItems(c.env.CONTENT, page.entries, documents, format))).bytes
  const preview = () => page.entries.map((e) => toFeedItem({ ...e, summary: e.excerpt, html: '' }, site))
  return sendFeed(c, frame, format, page.hashes, page.changed, { preview, body })
}

/** Headers of every feed response, with the WebSub `Link` header. `s-maxage` bounds what
 * Workers Cache serves without running the Worker to KV's own propagation time; readers may keep
 * a copy for longer. */
const feedHeaders = (lastModified: string | null, link: string): Record<string, string> => ({
  'Cache-Control': FEED_CACHE,
  ...(lastModified ? { 'Last-Modified': new Date(lastModified).toUTCString() } : {}),
  Vary: 'Sec-Fetch-Dest',
  Link: link,
})

/** When a document last changed, never later than now (RFC 9110 §8.8.2.1). */
const notAfterNow = (changed: string | null): string | null => (changed ? new Date(Math.min(Date.now(), Date.parse(changed))).toISOString() : null)

/**
 * A finished document as stored, as the answer to `request`: its ETag is the hash the writer
 * stored with it (of what determines its bytes), its Last-Modified when it last changed, so
 * `If-None-Match` and `If-Modified-Since` agree. It carries what the app's middleware would add
 * to a feed (no sniffing, readable cross-origin, the JSON Feed by scripts too), since
 * `storedFeed` sends it without the app.
 */
export function documentResponse(request: Request, stored: StoredDocument, format: FeedFormat, site: Site, path: string): Response {
  const etag = `"${stored.hash}"`
  const lastModified = notAfterNow(stored.changed)
  const headers = {
    ...feedHeaders(lastModified, hubLinkHeader(hubUrl(site), `${site.url}${path}`)),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ...(format === 'json' ? { 'Access-Control-Allow-Origin': '*' } : {}),
  }
  const body = request.method === 'HEAD' ? null : stored.body
  return (
    notModifiedFor(request.headers, etag, lastModified, headers) ??
    new Response(body, { status: 200, headers: { ...headers, 'Content-Type': FEED_TYPES[format], ETag: etag } })
  )
}

/** Sends a stored document from within the app (a request the fast path passed on). */
export const sendDocument = (c: Context<AppEnv>, stored: StoredDocument, format: FeedFormat, path: string): Response =>
  documentResponse(c.req.raw, stored, format, c.var.site, path)

/**
 * What feed readers poll most, answered before the app as a static file would be: the default
 * view of the site feed, a topic's feed or the digest feed, stored finished by the writer, in
 * one KV read with no routing or middleware (or none, for a document this isolate read less
 * than `FEED_MEMORY_MS` ago). Anything else (a query, a browser's visit, a document not stored,
 * storage failing) is left to the app (null), which answers it in full.
 */
export async function storedFeed(request: Request, env: Bindings): Promise<Response | null> {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || request.headers.get('Sec-Fetch-Dest') === 'document') return null
  const url = new URL(request.url)
  const format = url.search === '' ? STORED_PATH.exec(url.pathname)?.[1] : undefined
  if (format === undefined) return null
  const stored = await recentDocument(env.CONTENT, url.pathname, Number(env.FEED_MEMORY_MS) || 0).catch(() => null)
  return stored && documentResponse(request, stored, format as FeedFormat, siteOf(env), url.pathname)
}

const STORED_PATH = /^\/(?:feed|topics\/[^/]+\/feed|digests\/feed)\.(rss|atom|json)$/

/** A strong ETag from what fully determines a feed's bytes: the values read, the view, the site. */
const feedEtag = (c: Context<AppEnv>, format: FeedFormat, self: string, hashes: string[]) =>
  etagOf(RENDER_VERSION, format, self, JSON.stringify(c.var.site), ...hashes)

/** A feed's items for a reader (its bytes) and for a person (a preview of its items). */
export interface FeedContent {
  body: () => string | Uint8Array | Promise<string | Uint8Array>
  preview: () => FeedItem[]
}

/** A whole document as feed content. */
export const docContent = (doc: FeedDoc, format: FeedFormat): FeedContent => ({ body: () => renderFeed(doc, format), preview: () => doc.items })

/**
 * Sends a feed document, or a 304 decided before its items are read or rendered. A browser
 * opening the feed (a top-level navigation, `Sec-Fetch-Dest: document`) gets a readable page
 * instead: browsers show feed types as raw text and are dropping XSLT, while readers never send
 * that header.
 */
export async function sendFeed(c: Context<AppEnv>, frame: FeedFrame, format: FeedFormat, hashes: string[], changed: string | null, content: FeedContent) {
  const site = c.var.site
  // When the document last changed (not its newest item's date, which a backdated publish or an
  // edit leaves alone), and never later than now.
  const lastModified = notAfterNow(changed ?? frame.updated)
  const headers = feedHeaders(lastModified, hubLinkHeader(frame.hub, frame.self[format]))
  if (c.req.header('Sec-Fetch-Dest') === 'document') {
    const doc = { ...frame, items: content.preview() }
    return c.html(<FeedPreviewPage site={site} doc={doc} format={format} path={new URL(frame.self[format]).pathname} />, 200, headers)
  }
  const etag = await feedEtag(c, format, frame.self[format], hashes)
  const cached = notModified(c, etag, lastModified, headers)
  if (cached) return cached
  return new Response(await content.body(), { status: 200, headers: { ...headers, 'Content-Type': FEED_TYPES[format], ETag: etag } })
}
