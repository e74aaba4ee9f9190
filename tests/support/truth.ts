import { env, runInDurableObject } from 'cloudflare:test'
import { expect } from 'vitest'
import { byNewest, type ListChunk, type ListDirectory, type ListHead, type Ordered, sortKey } from '../../src/article/list'
import type { AuthorIndex, RenderedArticle, TopicIndex } from '../../src/article/model'
import { siteOf } from '../../src/bindings'
import { unpackParts } from '../../src/bytes'
import { dfTermsOf } from '../../src/digest/prepare'
import { articleFeedDoc, feedBase, fixedOfList } from '../../src/feeds/doc'
import { toFeedEntry } from '../../src/feeds/model'
import { parseFeedQuery } from '../../src/feeds/query'
import { FEED_FORMATS, renderFeed } from '../../src/feeds/render'
import { type IndexRead, type SearchDelta, type SearchDirectory, SHARDS, searchIndex } from '../../src/search/index'
import { queryTerms } from '../../src/search/terms'
import { getArticle, getDocuments, keys, PREFIX, type ValueMeta } from '../../src/storage/store'
import { entriesOf, itemOf, listsOf, toDayEntry } from '../../src/writer/articles/prepare'
import { isLaidOut } from '../../src/writer/lists/layout'
import type { Writer } from '../../src/writer/object/writer'
import { blobs } from '../../src/writer/tables/db'
import { settle, writer } from './writer'

const decoder = new TextDecoder()

/** Every published article as the writer holds it: the source of truth. */
export async function publishedArticles(): Promise<RenderedArticle[]> {
  return runInDurableObject(writer(), (w: Writer) =>
    w.db.all<{ slug: string }>('SELECT slug FROM articles WHERE draft = 0').map((r) => w.db.getJson<RenderedArticle>(blobs.article(r.slug))!),
  )
}

async function allKeys(prefix: string): Promise<string[]> {
  const out: string[] = []
  let cursor: string | undefined
  do {
    const page: KVNamespaceListResult<unknown> = await env.CONTENT.list({ prefix, cursor })
    out.push(...page.keys.map((k) => k.name))
    cursor = page.list_complete ? undefined : page.cursor
  } while (cursor)
  return out
}

/**
 * After the writer has flushed: every KV view equals a fresh layout of the writer's state. Each
 * list read through its head and chunks holds exactly its articles, newest first, with entries
 * equal to the articles'; every article value equals its record; the topic and author indexes
 * count right;
 * the digest's term counts are right; no key is left over.
 */
export async function expectKvMatchesWriter(): Promise<RenderedArticle[]> {
  const status = await settle()
  expect(status).toMatchObject({ pending: 0, dirty: 0 })
  const articles = await publishedArticles()
  const etags = await runInDurableObject(writer(), (w: Writer) =>
    Object.fromEntries(w.db.all<{ slug: string; etag: string }>('SELECT slug, etag FROM articles').map((r) => [r.slug, r.etag])),
  )
  const members = new Map<string, RenderedArticle[]>()
  for (const a of articles) for (const list of listsOf(a)) members.set(list, [...(members.get(list) ?? []), a])
  const expectedKeys = new Set<string>(articles.map((a) => keys.article(a.slug)))

  for (const [list, inList] of members) {
    const sorted = [...inList].sort(byNewest)
    if (isLaidOut(list)) {
      const head = await env.CONTENT.get<ListHead<Ordered>>(keys.list(list), 'json')
      expect(head, keys.list(list)).not.toBeNull()
      expectedKeys.add(keys.list(list))
      const entries = [...head!.entries]
      const directory = (await env.CONTENT.get<ListDirectory>(keys.directory(list), 'json')) ?? []
      expect(directory.length, keys.directory(list)).toBe(head!.chunks)
      if (directory.length > 0) expectedKeys.add(keys.directory(list))
      for (const ref of directory) {
        const chunk = await env.CONTENT.get<ListChunk<Ordered>>(keys.chunk(list, ref.id), 'json')
        expect(chunk, keys.chunk(list, ref.id)).not.toBeNull()
        const [newest, oldest] = [chunk!.entries[0]!, chunk!.entries.at(-1)!]
        expect(ref, keys.directory(list)).toEqual({ id: ref.id, count: chunk!.entries.length, newest: sortKey(newest), oldest: sortKey(oldest) })
        expectedKeys.add(keys.chunk(list, ref.id))
        entries.push(...chunk!.entries)
      }
      expect(head!.count, keys.list(list)).toBe(sorted.length)
      expect(entries, keys.list(list)).toEqual(sorted.map((a) => JSON.parse(entriesOf(a, etags[a.slug]!).listing)))
      if (feedBase(list) !== null) await expectDocuments(list, sorted, head!.updated, expectedKeys)
    }
  }
  for (const a of articles) {
    expect(await getArticle(env.CONTENT, a.slug), a.slug).toEqual(a)
    // Its record, then its feed item in every format, as a fresh rendering for the site would give it.
    const stored = await env.CONTENT.getWithMetadata<ValueMeta>(keys.article(a.slug), 'arrayBuffer')
    const [record, ...fragments] = unpackParts(new Uint8Array(stored.value!), stored.metadata!.parts!)
    const item = itemOf(a, siteOf(env))
    expect(JSON.parse(decoder.decode(record)), a.slug).toEqual(a)
    expect(
      fragments.map((f) => decoder.decode(f)),
      a.slug,
    ).toEqual(FEED_FORMATS.map((f) => item[f]))
  }
  const topics = (await env.CONTENT.get<TopicIndex>(keys.topics(), 'json'))?.topics ?? []
  expect(Object.fromEntries(topics.map((t) => [t.slug, t.count]))).toEqual(
    Object.fromEntries([...members].filter(([l]) => l.startsWith('topic/')).map(([l, m]) => [l.slice('topic/'.length), m.length])),
  )
  // The author index counts each author's articles and names them as the newest does.
  const authors = (await env.CONTENT.get<AuthorIndex>(keys.authors(), 'json'))?.authors ?? []
  const authorLists = [...members].filter(([l]) => l.startsWith('author/'))
  expect(Object.fromEntries(authors.map((t) => [t.slug, [t.name, t.count]])), keys.authors()).toEqual(
    Object.fromEntries(
      authorLists.map(([l, m]) => {
        const slug = l.slice('author/'.length)
        return [slug, [[...m].sort(byNewest)[0]!.authors!.find((x) => x.slug === slug)!.name, m.length]]
      }),
    ),
  )
  // The digest's document frequencies count each term once per published article.
  const df = new Map<string, number>()
  for (const a of articles) for (const term of new Set(dfTermsOf(toDayEntry(a)))) df.set(term, (df.get(term) ?? 0) + 1)
  const storedDf = await runInDurableObject(writer(), (w: Writer) => w.db.all<{ term: string; n: number }>('SELECT term, n FROM df'))
  expect(new Map(storedDf.map((r) => [r.term, r.n])), 'df').toEqual(df)
  // Every file beside a published article, with its bytes' size and its media type.
  const files = await runInDurableObject(writer(), (w: Writer) =>
    w.db.all<{ slug: string; name: string; type: string; size: number }>(
      'SELECT f.slug, f.name, f.type, f.size FROM files f JOIN articles a ON a.slug = f.slug WHERE a.draft = 0',
    ),
  )
  for (const f of files) {
    const key = keys.file(f.slug, f.name)
    expectedKeys.add(key)
    const stored = await env.CONTENT.getWithMetadata<ValueMeta>(key, 'arrayBuffer')
    expect([stored.value?.byteLength, stored.metadata?.type], key).toEqual([f.size, f.type])
  }
  await expectSearchIndex(articles, expectedKeys)
  const stored = (await allKeys(PREFIX)).filter(
    (k) =>
      !k.startsWith(keys.digest('')) &&
      !k.startsWith(keys.digests()) &&
      !k.startsWith(keys.document('/digests/')) &&
      !k.startsWith(keys.story('')) &&
      !k.startsWith(keys.stories()) &&
      !k.startsWith(keys.document('/stories/')) &&
      k !== keys.topics() &&
      k !== keys.authors(),
  )
  expect(stored.sort()).toEqual([...expectedKeys].sort())
  return articles
}

/** A list's finished feed documents equal its newest page rendered afresh, whole, from its
 * articles (the writer puts them together from stored fragments). */
async function expectDocuments(list: string, articles: RenderedArticle[], updated: string | null, expectedKeys: Set<string>): Promise<void> {
  const fixed = fixedOfList(list)
  const topic = typeof fixed === 'string' ? fixed : undefined
  const author = typeof fixed === 'object' ? fixed.author : undefined
  const q = parseFeedQuery(new URLSearchParams(), topic)
  const entries = articles.map(toFeedEntry)
  const page = entries.slice(0, q.limit)
  const names =
    author !== undefined
      ? [entries[0]!.authors!.find((t) => t.slug === author)!.name]
      : topic === undefined
        ? []
        : [entries[0]!.topics.find((t) => t.slug === topic)!.name]
  const next = entries.length > q.limit ? sortKey(page.at(-1)!) : null
  const doc = articleFeedDoc(siteOf(env), q, fixed, names, { entries: page, next, prev: null, updated })
  const key = keys.document(feedBase(list)!)
  expectedKeys.add(key)
  const stored = await getDocuments(env.CONTENT, feedBase(list)!)
  for (const format of FEED_FORMATS) expect(stored && decoder.decode(stored.formats[format]), `${key} ${format}`).toBe(renderFeed(doc, format))
}

/** The search index in KV: its delta and the base generation it names hold exactly the published
 * articles (the base's copies of changed ones masked), each found by the words of its title; the
 * generation before it may stay (a query may still read it), no other. */
async function expectSearchIndex(articles: RenderedArticle[], expectedKeys: Set<string>): Promise<void> {
  const delta = await env.CONTENT.get<SearchDelta>(keys.search(), 'json')
  if (articles.length === 0 && delta === null) return
  expect(delta, keys.search()).not.toBeNull()
  expectedKeys.add(keys.search())
  const read: IndexRead = { delta: delta!, directory: null, shards: new Map() }
  if (delta!.gen > 0) {
    read.directory = await env.CONTENT.get<SearchDirectory>(keys.searchPart(delta!.gen, 'docs'), 'json')
    expect(read.directory, 'search directory').not.toBeNull()
    for (let s = 0; s < SHARDS; s++) {
      const text = await env.CONTENT.get(keys.searchPart(delta!.gen, s), 'text')
      expect(text, keys.searchPart(delta!.gen, s)).not.toBeNull()
      read.shards.set(s, text!)
    }
    for (const gen of [delta!.gen, delta!.gen - 1]) for (const key of await allKeys(keys.searchGeneration(gen))) expectedKeys.add(key)
  }
  const masked = new Set(delta!.masked)
  const slugsOf = (docs: string) => (docs === '' ? [] : docs.split('\n').map((line) => line.split('\t')[0]!))
  const live = [...slugsOf(read.directory?.docs ?? '').filter((_, id) => !masked.has(id)), ...slugsOf(delta!.docs)]
  expect(live.sort(), 'search: the articles indexed').toEqual(articles.map((a) => a.slug).sort())
  const none = { anyOf: [], require: [], exclude: [] }
  for (const a of articles) {
    const terms = queryTerms(a.title).slice(0, 8)
    if (terms.length > 0)
      expect(
        searchIndex(read, terms, none, 'date')
          .slice(0, Number.POSITIVE_INFINITY)
          .map((h) => h.slug),
        `search: ${a.title}`,
      ).toContain(a.slug)
  }
}
