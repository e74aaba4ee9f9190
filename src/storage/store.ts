import type { RenderedArticle, Topic } from '../article/model'
import { metaOf, timeOf, toEntry } from '../article/model'
import type { DayEntry, Digest } from '../digest/model'
import { prepareDayEntry } from '../digest/prepare'
import { toFeedEntry, type FeedEntry } from '../feeds/model'
import { selectPage, type ListSegment, type PageRequest, type SelectedPage } from '../feeds/select'
import { chunkAfter, chunkBefore, layoutList, pageOf, type ListChunk, type ListHead, type ListLayout, type ListPage, type ListShape, type Ordered } from './lists'

/**
 * Every KV key edgefeed uses lives here, under one versioned prefix: a new layout gets a new
 * prefix and a rebuild, never a migration in place.
 *
 *   v1/article/<slug>             the rendered article (source, HTML, text, metadata)
 *   v1/list/<list>                head of a list: newest entries and a directory of chunks
 *   v1/list/<list>/<n>            an archived chunk of a list, oldest chunk = 0
 *   v1/topics                     every topic with its count, most used first
 *   v1/feed/<list>                head of a feed list: newest items with their HTML
 *   v1/feed/<list>/<n>            an archived chunk of a feed list
 *   v1/digest/<YYYY-MM-DD>        one day's digest: model, Markdown, HTML
 *   v1/digests                    every digest's date and counts, newest first
 *   v1/digests-feed               the newest digests with their HTML, for the digest feeds
 *
 * Lists are `all`, `topic/<topic>` and `day/<YYYY-MM-DD>` (UTC day of `date`); feed lists are
 * `all` and `topic/<topic>`.
 */
export const PREFIX = 'v1/'

export const keys = {
  article: (slug: string) => `${PREFIX}article/${slug}`,
  list: (list: string) => `${PREFIX}list/${list}`,
  chunk: (list: string, id: number) => `${PREFIX}list/${list}/${id}`,
  topics: () => `${PREFIX}topics`,
  feed: (list: string) => `${PREFIX}feed/${list}`,
  feedChunk: (list: string, id: number) => `${PREFIX}feed/${list}/${id}`,
  digest: (date: string) => `${PREFIX}digest/${date}`,
  digests: () => `${PREFIX}digests`,
  digestsFeed: () => `${PREFIX}digests-feed`,
}

/** Feed lists carry full HTML, so they are cut smaller: a head of 20–44 items, chunks of 25,
 * about 200 KB at most for 5 KB articles. The default page of 20 is one read. */
export const FEED_SHAPE: ListShape = { chunk: 25, headMin: 20 }

/** Day lists carry each article's words and candidate sentences (about 4 KB): chunks of 50. */
export const DAY_SHAPE: ListShape = { chunk: 50, headMin: 25 }

export const lists = {
  all: 'all',
  topic: (slug: string) => `topic/${slug}`,
  day: (date: string) => `day/${new Date(timeOf(date)).toISOString().slice(0, 10)}`,
}

/** A topic as listed on the topics page. */
export interface TopicSummary extends Topic {
  count: number
  /** Date of the newest article in the topic. */
  latest: string
}

export interface TopicIndex {
  topics: TopicSummary[]
}

/** Metadata kept on every value so a sync can tell what changed without reading values. */
export interface ValueMeta {
  hash: string
}

/** One value to write. */
export interface KvWrite {
  key: string
  value: string
}

/** Reads of the request path: each is one KV get. */
export async function getArticle(kv: KVNamespace, slug: string): Promise<RenderedArticle | null> {
  return kv.get<RenderedArticle>(keys.article(slug), 'json')
}

export async function getListHead(kv: KVNamespace, list: string): Promise<ListHead | null> {
  return kv.get<ListHead>(keys.list(list), 'json')
}

export async function getTopicIndex(kv: KVNamespace): Promise<TopicIndex> {
  return (await kv.get<TopicIndex>(keys.topics(), 'json')) ?? { topics: [] }
}

/** A page of a list after `cursor`, newest first, in at most two reads. Null if the list does not exist. */
export async function getListPage(
  kv: KVNamespace,
  list: string,
  cursor: string | null,
  limit: number,
): Promise<(ListPage & { head: ListHead }) | null> {
  const head = await getListHead(kv, list)
  if (!head) return null
  const where = chunkAfter(head, cursor)
  if (where === undefined) return { head, entries: [], next: null }
  if (where === null) return { head, ...pageOf(head, head.entries, cursor, limit) }
  const chunk = await kv.get<ListChunk>(keys.chunk(list, where), 'json')
  // A chunk missing under a head means a rebuild is half-way through: the caller reports a 503.
  if (!chunk) throw new Error(`list ${list}: chunk ${where} is missing`)
  return { head, ...pageOf(head, chunk.entries, cursor, limit) }
}

/** A feed page and the content hashes of every value it was made from (for its ETag). */
export interface FeedPage extends SelectedPage<FeedEntry> {
  hashes: string[]
  /** Newest change in any list read, for an empty page's `updated`. */
  updated: string | null
}

/** The heads of the feed lists, unparsed, with their content hashes. */
export interface FeedHeads {
  heads: { list: string; text: string }[]
  hashes: string[]
}

/**
 * Reads the head of each feed list: one read per list. Null if a list does not exist. The heads
 * stay unparsed so a conditional request can be answered from the hashes alone.
 */
export async function getFeedHeads(kv: KVNamespace, feedLists: string[]): Promise<FeedHeads | null> {
  const read = await Promise.all(feedLists.map((list) => kv.getWithMetadata<ValueMeta>(keys.feed(list), 'text')))
  if (read.some((r) => r.value === null)) return null
  return { heads: read.map((r, i) => ({ list: feedLists[i]!, text: r.value! })), hashes: read.map((r) => r.metadata?.hash ?? '') }
}

/**
 * One page of the feed made of the lists whose heads were read (any-of), filtered: reads the one
 * chunk per list a cursor points into, if any.
 */
export async function getFeedPage(kv: KVNamespace, read: FeedHeads, r: PageRequest): Promise<FeedPage> {
  const hashes = [...read.hashes]
  const segments: ListSegment<FeedEntry>[] = await Promise.all(
    read.heads.map(async ({ list, text }) => {
      const head = JSON.parse(text) as ListHead<FeedEntry>
      const where = r.before !== null ? chunkBefore(head, r.before) : chunkAfter(head, r.after)
      if (where === null || where === undefined) return { head, entries: where === undefined ? [] : head.entries, archived: false }
      const { value: chunk, metadata } = await kv.getWithMetadata<ListChunk<FeedEntry>, ValueMeta>(keys.feedChunk(list, where), 'json')
      if (!chunk) throw new Error(`feed ${list}: chunk ${where} is missing`)
      hashes.push(metadata?.hash ?? '')
      return { head, entries: chunk.entries, archived: true }
    }),
  )
  const updated = segments.map((s) => s.head.updated).reduce<string | null>((a, b) => (b !== null && (a === null || Date.parse(b) > Date.parse(a)) ? b : a), null)
  return { ...selectPage(segments, r), hashes, updated }
}

/**
 * Every value derived from the full set of published articles, in the order they must be
 * written so readers never meet an index that points past what exists: articles, then chunks,
 * then the heads and the topic index that point to them.
 */
export function buildValues(articles: RenderedArticle[]): KvWrite[][] {
  const published = articles.filter((a) => !a.draft)
  const members = new Map<string, RenderedArticle[]>([[lists.all, []]])
  const add = (list: string, a: RenderedArticle) => members.set(list, [...(members.get(list) ?? []), a])
  for (const a of published) {
    add(lists.all, a)
    add(lists.day(a.date), a)
    for (const t of a.topics) add(lists.topic(t.slug), a)
  }

  const chunkWrites: KvWrite[] = []
  const headWrites: KvWrite[] = []
  const write = <E extends Ordered>(layout: ListLayout<E>, headKey: string, chunkKey: (id: number) => string) => {
    for (const [id, chunk] of layout.chunks) chunkWrites.push({ key: chunkKey(id), value: JSON.stringify(chunk) })
    headWrites.push({ key: headKey, value: JSON.stringify(layout.head) })
  }
  const topics: TopicSummary[] = []
  for (const [list, articles] of [...members].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (list.startsWith('day/')) {
      // Day lists feed the digest, which needs each article's lead text but no HTML.
      write(layoutList(articles.map(toDayEntry), DAY_SHAPE), keys.list(list), (id) => keys.chunk(list, id))
      continue
    }
    const listing = layoutList(articles.map(toEntry))
    write(listing, keys.list(list), (id) => keys.chunk(list, id))
    write(layoutList(articles.map(toFeedEntry), FEED_SHAPE), keys.feed(list), (id) => keys.feedChunk(list, id))
    if (list.startsWith('topic/')) {
      const slug = list.slice('topic/'.length)
      const topic = articles[0]!.topics.find((t) => t.slug === slug)!
      topics.push({ ...topic, count: listing.head.count, latest: listing.head.entries[0]!.date })
    }
  }
  topics.sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : 1))
  headWrites.push({ key: keys.topics(), value: JSON.stringify({ topics } satisfies TopicIndex) })
  const articleWrites = published.map((a) => ({ key: keys.article(a.slug), value: JSON.stringify(a) }))
  return [articleWrites, chunkWrites, headWrites]
}

/** What the digest needs of an article. */
export function toDayEntry(a: RenderedArticle): DayEntry {
  return prepareDayEntry({ ...metaOf(a), text: a.text })
}

/** Writes a value as JSON with its content hash as metadata, as every value is written. */
export async function putValue(kv: KVNamespace, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value)
  await kv.put(key, text, { metadata: { hash: await hashOf(text) } satisfies ValueMeta })
}

/** A short content hash, kept as KV metadata and used as an ETag. */
export async function hashOf(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 12)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

/** The keys a sync owns: everything derived from `articles/` (digests are the cron's). */
export const SYNCED_PREFIXES = [keys.article(''), `${PREFIX}list/`, `${PREFIX}feed/`, keys.topics()]

/** What a sync needs of a store: a listing with metadata and batched writes. The Worker and the
 * local sync use a KV binding (`kvTarget`); `sync --remote` uses wrangler's bulk commands. */
export interface KvTarget {
  /** Every key under `prefix` with the hash kept in its metadata. */
  hashes(prefix: string): Promise<Map<string, string>>
  putMany(writes: (KvWrite & ValueMeta)[]): Promise<void>
  deleteMany(keys: string[]): Promise<void>
}

/** A KvTarget over a KV binding, with a bounded number of operations in flight. */
export function kvTarget(kv: KVNamespace, concurrency = 32): KvTarget {
  const run = async <T>(items: T[], op: (item: T) => Promise<unknown>) => {
    for (let i = 0; i < items.length; i += concurrency) await Promise.all(items.slice(i, i + concurrency).map(op))
  }
  return {
    async hashes(prefix) {
      const found = new Map<string, string>()
      let cursor: string | undefined
      do {
        const page: KVNamespaceListResult<ValueMeta> = await kv.list<ValueMeta>({ prefix, cursor })
        for (const k of page.keys) found.set(k.name, k.metadata?.hash ?? '')
        cursor = page.list_complete ? undefined : page.cursor
      } while (cursor)
      return found
    },
    putMany: (writes) => run(writes, (w) => kv.put(w.key, w.value, { metadata: { hash: w.hash } satisfies ValueMeta })),
    deleteMany: (keys) => run(keys, (key) => kv.delete(key)),
  }
}

/** The hash of every value a sync owns, from the store's listing (metadata only, no value reads). */
export async function listHashes(target: KvTarget): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  for (const prefix of SYNCED_PREFIXES) for (const [k, h] of await target.hashes(prefix)) found.set(k, h)
  return found
}

/** What a sync will do to KV, and its counts of articles. */
export interface SyncPlan {
  phases: (KvWrite & ValueMeta)[][]
  deletes: string[]
  articles: { added: string[]; changed: string[]; removed: string[]; unchanged: number }
}
/** Compares the wanted values with what KV holds and keeps only the writes and deletes needed. */
export async function planSync(wanted: KvWrite[][], existing: Map<string, string>): Promise<SyncPlan> {
  const articlePrefix = keys.article('')
  const plan: SyncPlan = { phases: [], deletes: [], articles: { added: [], changed: [], removed: [], unchanged: 0 } }
  const keep = new Set<string>()
  for (const phase of wanted) {
    const writes: (KvWrite & ValueMeta)[] = []
    for (const w of phase) {
      keep.add(w.key)
      const hash = await hashOf(w.value)
      const before = existing.get(w.key)
      const isArticle = w.key.startsWith(articlePrefix)
      const slug = w.key.slice(articlePrefix.length)
      if (before === hash) {
        if (isArticle) plan.articles.unchanged++
        continue
      }
      if (isArticle) (before === undefined ? plan.articles.added : plan.articles.changed).push(slug)
      writes.push({ ...w, hash })
    }
    plan.phases.push(writes)
  }
  for (const key of existing.keys()) {
    if (keep.has(key)) continue
    plan.deletes.push(key)
    if (key.startsWith(articlePrefix)) plan.articles.removed.push(key.slice(articlePrefix.length))
  }
  return plan
}

/** Writes a plan phase by phase, then deletes what is gone: a failure stops before the next phase. */
export async function applyPlan(target: KvTarget, plan: SyncPlan): Promise<void> {
  for (const phase of plan.phases) if (phase.length > 0) await target.putMany(phase)
  if (plan.deletes.length > 0) await target.deleteMany(plan.deletes)
}

/** A digest as stored: the model and what was rendered from it when it was composed. */
export interface StoredDigest {
  digest: Digest
  markdown: string
  html: string
  /** Identifies the inputs it was composed from: the same signature means the same bytes. */
  signature: string
  /** Instants of the day's start and end, and of the newest change among its articles. */
  start: string
  end: string
  updated: string
}

/** One line of the digest archive. */
export interface DigestSummary {
  date: string
  title: string
  stories: number
  articles: number
  updated: string
}

export interface DigestIndex {
  digests: DigestSummary[]
}

/** How many digests the digest feeds carry (newest first). */
export const DIGEST_FEED_SIZE = 20

export interface DigestFeedItem extends DigestSummary {
  overview: string
  html: string
  start: string
  end: string
}

/** The day-index entries of the UTC dates given (head and every chunk), and their hashes. */
export async function getDayEntries(kv: KVNamespace, utcDates: string[]): Promise<{ entries: DayEntry[]; hashes: string[] }> {
  const entries: DayEntry[] = []
  const hashes: string[] = []
  for (const date of utcDates) {
    const list = `day/${date}`
    const { value: head, metadata } = await kv.getWithMetadata<ListHead<DayEntry>, ValueMeta>(keys.list(list), 'json')
    hashes.push(metadata?.hash ?? 'none')
    if (!head) continue
    entries.push(...head.entries)
    const chunks = await Promise.all(head.chunks.map((c) => kv.get<ListChunk<DayEntry>>(keys.chunk(list, c.id), 'json')))
    for (const c of chunks) {
      if (!c) throw new Error(`list ${list}: a chunk is missing`)
      entries.push(...c.entries)
    }
  }
  return { entries, hashes }
}

export async function getDigest(kv: KVNamespace, date: string): Promise<StoredDigest | null> {
  return kv.get<StoredDigest>(keys.digest(date), 'json')
}

export async function getDigestIndex(kv: KVNamespace): Promise<DigestIndex> {
  return (await kv.get<DigestIndex>(keys.digests(), 'json')) ?? { digests: [] }
}

export async function getDigestFeed(kv: KVNamespace): Promise<{ items: DigestFeedItem[]; hash: string }> {
  const { value, metadata } = await kv.getWithMetadata<{ items: DigestFeedItem[] }, ValueMeta>(keys.digestsFeed(), 'json')
  return { items: value?.items ?? [], hash: metadata?.hash ?? 'none' }
}

/**
 * Stores a digest: the digest itself first, then the archive index and the feed that point to
 * it, so a failure part-way leaves every reader on a consistent (older) state.
 */
export async function putDigest(kv: KVNamespace, stored: StoredDigest): Promise<void> {
  const put = (key: string, value: unknown) => putValue(kv, key, value)
  await put(keys.digest(stored.digest.date), stored)
  const d = stored.digest
  const summary: DigestSummary = { date: d.date, title: d.title, stories: d.counts.stories, articles: d.counts.articles, updated: stored.updated }
  const index = await getDigestIndex(kv)
  const digests = [summary, ...index.digests.filter((x) => x.date !== d.date)].sort((a, b) => (a.date < b.date ? 1 : -1))
  await put(keys.digests(), { digests } satisfies DigestIndex)
  const feed = await getDigestFeed(kv)
  const item: DigestFeedItem = { ...summary, overview: d.overview, html: stored.html, start: stored.start, end: stored.end }
  const items = [item, ...feed.items.filter((x) => x.date !== d.date)].sort((a, b) => (a.date < b.date ? 1 : -1)).slice(0, DIGEST_FEED_SIZE)
  await put(keys.digestsFeed(), { items })
}
