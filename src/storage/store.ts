import {
  chunkAfter,
  chunkBefore,
  type ListChunk,
  type ListDirectory,
  type ListHead,
  type ListPage,
  olderBeyond,
  pageOf,
  sortKey,
  startsInHead,
} from '../article/list'
import type { ArticleEntry, AuthorIndex, RenderedArticle, TopicIndex } from '../article/model'
import { unpackParts } from '../bytes'
import type { DigestFeedItem, DigestIndex, StoredDigest, StoryIndex, StoryTimeline } from '../digest/model'
import type { FeedFormat } from '../feeds/model'
import { FEED_FORMATS, type ItemLayout, itemsOf } from '../feeds/render'
import { type ListSegment, type PageRequest, type SelectedPage, selectPage } from '../feeds/select'
import { fingerprint } from '../hash'
import { type IndexRead, type SearchDelta, type SearchDirectory, shardOf } from '../search/index'

/**
 * Every KV key edgefeed uses lives here, under one versioned prefix: a new layout gets a new
 * prefix and a rebuild, never a migration in place.
 *
 *   v1/article/<slug>             the rendered article (source, HTML, text, metadata) and its
 *                                 feed item in every format, back to back (metadata `parts` says
 *                                 where each ends): the page's record first, then the fragments a
 *                                 filtered or archive feed page is put together from
 *   v1/list/<list>                head of a list: its newest entries, and how many chunks follow
 *   v1/list/<list>/<n>            an archived chunk of a list, oldest chunk = 0
 *   v1/dir/<list>                 where each chunk of a list sits (read only to page past its head)
 *   v1/topics                     every topic with its count, most used first
 *   v1/authors                    every author with its count, most prolific first
 *   v1/digest/<YYYY-MM-DD>        one day's digest: model, Markdown, HTML
 *   v1/digests                    every digest's date and counts, newest first
 *   v1/digests-feed               the newest digests with their HTML, for the digest feeds
 *   v1/story/<id>                 a story across the days it ran: its timeline (`StoryTimeline`)
 *   v1/stories                    the stories that ran most recently, newest first
 *   v1/doc/<feed>                 a feed's finished documents, sent as stored: the default view of
 *                                 the site feed, each topic feed and the digest feed in every
 *                                 format back to back (`v1/doc/feed`, `v1/doc/topics/<topic>/feed`),
 *                                 so a change is one write, not one per format
 *   v1/file/<slug>/<name>         a file published beside an article (a picture), its bytes as
 *                                 sent; metadata `type` is its media type, `hash` its ETag
 *   v1/search                     the search index's delta: the articles written since its base
 *                                 generation was made, and which generation that is (`SearchDelta`)
 *   v1/search/<gen>/docs          a base generation's directory of articles (`SearchDirectory`)
 *   v1/search/<gen>/<shard>       its postings of the terms in one shard (`shardOf`), as text
 *
 * Lists in KV are `all`, `topic/<topic>` and `author/<author>` (day lists stay in the writer's tables). Only the
 * writer (src/writer) writes these values; everything here reads.
 */
export const PREFIX = 'v1/'

export const keys = {
  article: (slug: string) => `${PREFIX}article/${slug}`,
  list: (list: string) => `${PREFIX}list/${list}`,
  chunk: (list: string, id: number) => `${PREFIX}list/${list}/${id}`,
  directory: (list: string) => `${PREFIX}dir/${list}`,
  topics: () => `${PREFIX}topics`,
  authors: () => `${PREFIX}authors`,
  digest: (date: string) => `${PREFIX}digest/${date}`,
  digests: () => `${PREFIX}digests`,
  digestsFeed: () => `${PREFIX}digests-feed`,
  story: (id: string) => `${PREFIX}story/${id}`,
  stories: () => `${PREFIX}stories`,
  /** A feed's finished documents by its path on the site, less the format ("/feed"). */
  document: (feed: string) => `${PREFIX}doc${feed}`,
  /** A file beside an article, by its name there ("photo.jpg", "images/map.png"). */
  file: (slug: string, name: string) => `${PREFIX}file/${slug}/${name}`,
  /** The search index's delta, and a part of one of its base generations (its directory or a shard). */
  search: () => `${PREFIX}search`,
  searchPart: (gen: number, part: 'docs' | number) => `${PREFIX}search/${gen}/${part}`,
  /** Where every part of a base generation starts (for listing or deleting them all). */
  searchGeneration: (gen: number) => `${PREFIX}search/${gen}/`,
}

/** A key read back into what `keys` built it from. */
export type ParsedKey =
  | { kind: 'article'; slug: string }
  | { kind: 'list' | 'directory'; list: string }
  | { kind: 'chunk'; list: string; id: number }
  | { kind: 'digest'; date: string }
  | { kind: 'story'; id: string }
  | { kind: 'document'; path: string }
  | { kind: 'file'; slug: string; name: string }
  | { kind: 'searchPart'; gen: number; part: 'docs' | number }
  | { kind: 'topics' | 'authors' | 'digests' | 'digestsFeed' | 'stories' | 'search' }

/** The inverse of `keys`: what a key names, or null for a key of no known form. A list's name is
 * `all`, `topic/<topic>` or `author/<author>`, so a chunk is told from a head by its number after the list. */
export function parseKey(key: string): ParsedKey | null {
  if (!key.startsWith(PREFIX)) return null
  const rest = key.slice(PREFIX.length)
  const slash = rest.indexOf('/')
  const [head, tail] = slash < 0 ? [rest, ''] : [rest.slice(0, slash), rest.slice(slash + 1)]
  if (slash < 0)
    return head === 'topics'
      ? { kind: 'topics' }
      : head === 'authors'
        ? { kind: 'authors' }
        : head === 'digests'
          ? { kind: 'digests' }
          : head === 'digests-feed'
            ? { kind: 'digestsFeed' }
            : head === 'stories'
              ? { kind: 'stories' }
              : head === 'search'
                ? { kind: 'search' }
                : null
  // A feed's path less its format: a key of an older layout (`v1/doc/feed.rss`) is of no known form.
  if (head === 'doc') return /\.(rss|atom|json)$/.test(tail) ? null : { kind: 'document', path: `/${tail}` }
  if (head === 'article') return { kind: head, slug: tail }
  if (head === 'file') {
    const at = tail.indexOf('/')
    return at > 0 && at < tail.length - 1 ? { kind: 'file', slug: tail.slice(0, at), name: tail.slice(at + 1) } : null
  }
  if (head === 'digest') return { kind: 'digest', date: tail }
  if (head === 'search') {
    const m = /^([1-9]\d*)\/(docs|0|[1-9]\d*)$/.exec(tail)
    return m ? { kind: 'searchPart', gen: Number(m[1]), part: m[2] === 'docs' ? 'docs' : Number(m[2]) } : null
  }
  if (head === 'story') return { kind: 'story', id: tail }
  if (head === 'dir') return { kind: 'directory', list: tail }
  if (head !== 'list') return null
  const parts = tail.split('/')
  const chunked = parts.length === (parts[0] === 'all' ? 2 : 3)
  return chunked ? { kind: 'chunk', list: parts.slice(0, -1).join('/'), id: Number(parts.at(-1)) } : { kind: 'list', list: tail }
}

/** Metadata kept on every value so a sync can tell what changed without reading values. */
export interface ValueMeta {
  hash: string
  /** When the value last changed (was written with a new hash): a feed's Last-Modified. */
  changed?: string
  /** A value of several (`packParts`): the length of each. An article's: its record, then its feed
   * item in each format of `FEED_FORMATS`; a feed's documents: one per format. */
  parts?: number[]
  /** A list's documents (`v1/doc/…`): where their items sit in each format, and a fingerprint of
   * which they are (`itemsFingerprint` of their entries), so a filtered page can take them from
   * them. Left out when it would not fit KV's 1,024 bytes of metadata. */
  items?: { layouts: ItemLayout[]; of: string }
  /** A file's (`v1/file/…`) media type. */
  type?: string
}

/** What identifies the items of a page: each entry's slug and its article's ETag. */
export const itemsFingerprint = (entries: { slug: string; etag: string }[]): string => fingerprint(entries.map((e) => `${e.slug} ${e.etag}`).join('\n'))

/** The latest of some `changed` times, if any is known. */
const latestChange = (metas: (ValueMeta | null | undefined)[]): string | null =>
  metas.reduce<string | null>((a, m) => (m?.changed && (a === null || m.changed > a) ? m.changed : a), null)

/** Reads of the request path: each is one KV get. */
export async function getArticle(kv: KVNamespace, slug: string): Promise<RenderedArticle | null> {
  const { value, metadata } = await kv.getWithMetadata<ValueMeta>(keys.article(slug), 'arrayBuffer')
  if (value === null) return null
  const [record] = unpackParts(new Uint8Array(value), metadata?.parts ?? [value.byteLength])
  return JSON.parse(decoder.decode(record)) as RenderedArticle
}

const decoder = new TextDecoder()

async function getListHead(kv: KVNamespace, list: string): Promise<ListHead | null> {
  return kv.get<ListHead>(keys.list(list), 'json')
}

/** A list's head and its directory (empty when it has no chunks), or null when the list does not
 * exist: the outline of every entry it holds, in two reads at once. */
export async function getListOutline(kv: KVNamespace, list: string): Promise<{ head: ListHead; directory: ListDirectory } | null> {
  const [head, directory] = await Promise.all([getListHead(kv, list), kv.get<ListDirectory>(keys.directory(list), 'json')])
  return head && { head, directory: head.chunks === 0 ? [] : (directory ?? []) }
}

/** One archived chunk of a list, or null when there is none by that id. */
export async function getListChunk(kv: KVNamespace, list: string, id: number): Promise<ListChunk | null> {
  return kv.get<ListChunk>(keys.chunk(list, id), 'json')
}

export async function getTopicIndex(kv: KVNamespace): Promise<TopicIndex> {
  return (await kv.get<TopicIndex>(keys.topics(), 'json')) ?? { topics: [] }
}

export async function getAuthorIndex(kv: KVNamespace): Promise<AuthorIndex> {
  return (await kv.get<AuthorIndex>(keys.authors(), 'json')) ?? { authors: [] }
}

/**
 * A page of a list after `cursor`, newest first. Null if the list does not exist. The first page
 * is one read; a later one reads the head and the directory at once, then the chunk it falls in.
 */
export async function getListPage(kv: KVNamespace, list: string, cursor: string | null, limit: number): Promise<(ListPage & { head: ListHead }) | null> {
  const [head, directory] = await Promise.all([getListHead(kv, list), cursor === null ? null : kv.get<ListDirectory>(keys.directory(list), 'json')])
  if (!head) return null
  if (startsInHead(head, cursor)) return { head, ...pageOf(head.entries, cursor, limit, olderBeyond(head, null)) }
  if (head.chunks === 0) return { head, entries: [], next: null }
  if (directory === null) throw new Error(`list ${list}: its directory is missing`)
  const where = chunkAfter(directory, cursor!)
  if (where === undefined) return { head, entries: [], next: null }
  const chunk = await kv.get<ListChunk>(keys.chunk(list, where), 'json')
  // A chunk missing under a head means a rebuild is half-way through: the caller reports a 503.
  if (!chunk) throw new Error(`list ${list}: chunk ${where} is missing`)
  return { head, ...pageOf(chunk.entries, cursor, limit, olderBeyond(head, directory)) }
}

/** A feed page and the content hashes of every value it was made from (for its ETag). */
export interface FeedPage extends SelectedPage<ArticleEntry> {
  /** The heads read, in the order of the lists. */
  heads: ListHead[]
  hashes: string[]
  /** Newest change in any list read, for an empty page's `updated`. */
  updated: string | null
  /** When any value the page was made from last changed, if known: its Last-Modified. */
  changed: string | null
}

/** The heads of the lists a feed is made from, unparsed, with their content hashes. */
export interface FeedHeads {
  heads: { list: string; text: string }[]
  hashes: string[]
  metas: (ValueMeta | null)[]
}

/**
 * Reads the head of each list: one read per list. Null if a list does not exist. The heads stay
 * unparsed so a conditional request can be answered from the hashes alone (an entry carries its
 * article's ETag, so a head changes whenever one of its items does).
 */
export async function getFeedHeads(kv: KVNamespace, feedLists: string[]): Promise<FeedHeads | null> {
  const read = await Promise.all(feedLists.map((list) => kv.getWithMetadata<ValueMeta>(keys.list(list), 'text')))
  if (read.some((r) => r.value === null)) return null
  return {
    heads: read.map((r, i) => ({ list: feedLists[i]!, text: r.value! })),
    hashes: read.map((r) => r.metadata?.hash ?? ''),
    metas: read.map((r) => r.metadata),
  }
}

/** Chunks read per list at most for one page: chunks hold 50 entries, a page at most 100. */
const MAX_CHUNKS_PER_PAGE = 3

/**
 * One page of the feed made of the lists whose heads were read (any-of), filtered. Reads, for
 * each list, the chunk a cursor points into, and then older chunks while the page is short of
 * `limit` entries, so `limit=N` gives N items whenever N exist (readers that do not follow RFC
 * 5005 links see as many as they asked for).
 */
export async function getFeedPage(kv: KVNamespace, read: FeedHeads, r: PageRequest): Promise<FeedPage> {
  const hashes = [...read.hashes]
  const metas = [...read.metas]
  // A value the page is made from: its hash goes into the page's ETag. Missing under a head, it
  // means a rebuild is half-way through: the caller reports a 503.
  const readPart = async <T>(key: string, what: string): Promise<T> => {
    const { value, metadata } = await kv.getWithMetadata<T, ValueMeta>(key, 'json')
    if (!value) throw new Error(`${what} is missing`)
    hashes.push(metadata?.hash ?? '')
    metas.push(metadata)
    return value
  }
  const chunk = async (list: string, id: number) => (await readPart<ListChunk>(keys.chunk(list, id), `list ${list}: chunk ${id}`)).entries
  const directoryOf = (list: string) => readPart<ListDirectory>(keys.directory(list), `list ${list}: its directory`)
  const segments: ListSegment<ArticleEntry>[] = await Promise.all(
    read.heads.map(async ({ list, text }): Promise<ListSegment<ArticleEntry>> => {
      const head = JSON.parse(text) as ListHead
      const inHead = (key: string | null) => startsInHead(head, key)
      const fresh = (entries: ArticleEntry[]) => (r.after === null ? entries.length : entries.filter((e) => sortKey(e) > r.after!).length)
      // The head alone answers a page that starts and ends in it (no directory read).
      if (head.chunks === 0 || (r.before === null && inHead(r.after) && fresh(head.entries) >= r.limit))
        return { head, directory: null, entries: head.entries, archived: false }
      const directory = await directoryOf(list)
      if (r.before !== null) {
        const where = chunkBefore(directory, r.before)
        return where === null
          ? { head, directory, entries: head.entries, archived: false }
          : { head, directory, entries: await chunk(list, where), archived: true }
      }
      const where = inHead(r.after) ? null : chunkAfter(directory, r.after!)
      if (where === undefined) return { head, directory, entries: [], archived: false }
      const entries = where === null ? [...head.entries] : await chunk(list, where)
      // Chunks are listed newest first; keep reading older ones while the page is short.
      let at = where === null ? 0 : directory.findIndex((c) => c.id === where) + 1
      for (let reads = 0; fresh(entries) < r.limit && at < directory.length && reads < MAX_CHUNKS_PER_PAGE; at++, reads++)
        entries.push(...(await chunk(list, directory[at]!.id)))
      return { head, directory, entries, archived: where !== null }
    }),
  )
  const updated = segments
    .map((s) => s.head.updated)
    .reduce<string | null>((a, b) => (b !== null && (a === null || Date.parse(b) > Date.parse(a)) ? b : a), null)
  return { ...selectPage(segments, r), heads: segments.map((s) => s.head), hashes, updated, changed: latestChange(metas) }
}

/**
 * The fragments (UTF-8) of a page's items in one format, in order, never decoded. Most are taken
 * from the finished documents of the lists the page was picked from (`documents`: each one's feed
 * and head), which hold their newest items: a document counts only if its fingerprint says it
 * holds the very entries its head starts with (KV may show one newer than the other). The rest
 * are read from their articles' values, in parallel. An item missing means a list was read before
 * a write of it was complete (a rebuild half-way through): the caller reports a 503.
 */
export async function getPageItems(
  kv: KVNamespace,
  entries: ArticleEntry[],
  documents: { feed: string; head: ListHead }[],
  format: FeedFormat,
): Promise<Uint8Array[]> {
  const at = FEED_FORMATS.indexOf(format)
  const found = new Map<string, Uint8Array>()
  await Promise.all(
    documents.map(async ({ feed, head }) => {
      const stored = await getDocuments(kv, feed)
      const layout = stored?.items?.layouts[at]
      if (!stored || !layout || stored.items!.of !== itemsFingerprint(head.entries.slice(0, layout.lengths.length))) return
      itemsOf(stored.formats[format], layout).forEach((item, i) => found.set(head.entries[i]!.slug, item))
    }),
  )
  return Promise.all(
    entries.map(async ({ slug }) => {
      const known = found.get(slug)
      if (known) return known
      const { value, metadata } = await kv.getWithMetadata<ValueMeta>(keys.article(slug), 'arrayBuffer')
      if (value === null || metadata?.parts?.length !== FEED_FORMATS.length + 1) throw new Error(`item ${slug} is missing`)
      // The record first, then the item in each format.
      return unpackParts(new Uint8Array(value), metadata.parts)[at + 1]!
    }),
  )
}

/** A feed's finished documents as stored (bytes, never decoded), with their hash and when they
 * last changed. */
export interface StoredDocuments {
  formats: Record<FeedFormat, Uint8Array>
  hash: string
  changed: string | null
  items: ValueMeta['items'] | null
}

/** One read: the finished documents of `feed` ("/feed"), or null when the writer has made none. */
export async function getDocuments(kv: KVNamespace, feed: string): Promise<StoredDocuments | null> {
  const { value, metadata } = await kv.getWithMetadata<ValueMeta>(keys.document(feed), 'arrayBuffer')
  if (value === null || !metadata?.hash || metadata.parts?.length !== FEED_FORMATS.length) return null
  const parts = unpackParts(new Uint8Array(value), metadata.parts)
  const formats = Object.fromEntries(FEED_FORMATS.map((f, i) => [f, parts[i]!])) as Record<FeedFormat, Uint8Array>
  return { formats, hash: metadata.hash, changed: metadata.changed ?? null, items: metadata.items ?? null }
}

/** One read: a file beside an article, its bytes as a stream, with its media type and hash. */
export async function getFile(kv: KVNamespace, slug: string, name: string): Promise<{ body: ReadableStream; type: string; hash: string } | null> {
  const { value, metadata } = await kv.getWithMetadata<ValueMeta>(keys.file(slug, name), 'stream')
  if (value === null) return null
  if (!metadata?.hash || !metadata.type) {
    await value.cancel()
    return null
  }
  return { body: value, type: metadata.type, hash: metadata.hash }
}

export async function getDigest(kv: KVNamespace, date: string): Promise<StoredDigest | null> {
  return kv.get<StoredDigest>(keys.digest(date), 'json')
}

export async function getDigestIndex(kv: KVNamespace): Promise<DigestIndex> {
  return (await kv.get<DigestIndex>(keys.digests(), 'json')) ?? { digests: [] }
}

export async function getStory(kv: KVNamespace, id: string): Promise<StoryTimeline | null> {
  return kv.get<StoryTimeline>(keys.story(id), 'json')
}

export async function getStoryIndex(kv: KVNamespace): Promise<StoryIndex> {
  return (await kv.get<StoryIndex>(keys.stories(), 'json')) ?? { stories: [] }
}

export async function getDigestFeed(kv: KVNamespace): Promise<{ items: DigestFeedItem[]; hash: string; changed: string | null }> {
  const { value, metadata } = await kv.getWithMetadata<{ items: DigestFeedItem[] }, ValueMeta>(keys.digestsFeed(), 'json')
  return { items: value?.items ?? [], hash: metadata?.hash ?? 'none', changed: latestChange([metadata]) }
}

/** The search index as a query of `terms` reads it: the delta first (unless `known`), then the
 * directory of its base generation and the shards of the terms, at once. Null when the writer has
 * made no index yet. A part missing under its delta means KV
 * has not caught up with a new generation yet: thrown, so the caller answers 503. */
export async function getSearchIndex(kv: KVNamespace, terms: string[], known?: SearchDeltaRead | null): Promise<IndexRead | null> {
  const read = known === undefined ? await getSearchDelta(kv) : known
  if (read === null) return null
  const { delta } = read
  if (delta.gen === 0) return { delta, directory: null, shards: new Map() }
  const shards = [...new Set(terms.map(shardOf))]
  const [directory, ...texts] = await Promise.all([
    kv.getWithMetadata<SearchDirectory, ValueMeta>(keys.searchPart(delta.gen, 'docs'), 'json'),
    ...shards.map((s) => kv.getWithMetadata<ValueMeta>(keys.searchPart(delta.gen, s), 'text')),
  ])
  if (directory.value === null || texts.some((t) => t.value === null)) throw new Error(`search: generation ${delta.gen} is not all in KV yet`)
  return { delta, directory: directory.value, shards: new Map(shards.map((s, i) => [s, texts[i]!.value!])) }
}

/** The search index's delta as read, with its hash and when it changed. */
export interface SearchDeltaRead {
  delta: SearchDelta
  hash: string
  changed: string | null
}

/** One read: the search index's delta. Its hash identifies the whole index a query reads (it
 * names its base generation, whose values never change), so a search feed's ETag is made from it
 * alone. Null when the writer has made no index yet. */
export async function getSearchDelta(kv: KVNamespace): Promise<SearchDeltaRead | null> {
  const { value, metadata } = await kv.getWithMetadata<SearchDelta, ValueMeta>(keys.search(), 'json')
  return value && { delta: value, hash: metadata?.hash ?? '', changed: latestChange([metadata]) }
}

/** One read: an article's record and its stored feed item in `format` (UTF-8), or null. */
export async function getArticleWithItem(kv: KVNamespace, slug: string, format: FeedFormat): Promise<{ article: RenderedArticle; item: Uint8Array } | null> {
  const { value, metadata } = await kv.getWithMetadata<ValueMeta>(keys.article(slug), 'arrayBuffer')
  if (value === null || metadata?.parts?.length !== FEED_FORMATS.length + 1) return null
  const parts = unpackParts(new Uint8Array(value), metadata.parts)
  return { article: JSON.parse(decoder.decode(parts[0])) as RenderedArticle, item: parts[FEED_FORMATS.indexOf(format) + 1]! }
}
