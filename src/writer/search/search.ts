import { sortKey } from '../../article/list'
import { authorNames, type RenderedArticle } from '../../article/model'
import { buildSegment, encodeTerms, INDEX_VERSION, type IndexedDoc, type SearchDelta, type SearchDirectory } from '../../search/index'
import { termCounts } from '../../search/terms'
import { keys } from '../../storage/store'
import { ARTICLE_VIEW, blobs, type Db } from '../tables/db'

// The search index the writer keeps in KV (see src/search/index.ts): each published article's
// terms counted once when its value is made, a delta of what changed since the base generation
// rewritten with each flush (one write a publish), and a new base made when the delta has grown,
// once the writer has nothing else queued (a sync of 10,000 makes one, not 150).

/** A new base once the delta holds this much and nothing else is queued… */
const SOFT = { docs: 64, bytes: 256 * 1024 }
/** …or at once past this, so the delta every query reads stays small during a long load. */
const HARD = { docs: 1000, bytes: 4 * 1024 * 1024 }

/** Titles weigh three times a word of the text, summaries two: BM25F's fields, folded into counts. */
const WEIGHTS = { title: 3, summary: 2, text: 1 }

/** A published article's row in the index, made again only when its ETag changed. Its copy in the
 * base, if any, is masked until the next base. */
export function indexArticle(db: Db, slug: string): void {
  const etag = db.one<{ etag: string }>('SELECT etag FROM articles WHERE slug = ?', slug)?.etag
  const had = db.one<{ etag: string; base: number | null }>('SELECT etag, base FROM search_docs WHERE slug = ?', slug)
  if (etag === undefined || had?.etag === etag) return
  const a = db.getJson<RenderedArticle>(blobs.article(slug))!
  const counts = termCounts(a.title, new Map(), WEIGHTS.title)
  if (a.summary) termCounts(a.summary, counts, WEIGHTS.summary)
  termCounts(a.text, counts, WEIGHTS.text)
  for (const name of [...a.topics.map((t) => t.name), ...authorNames(a)]) termCounts(name, counts)
  let len = 0
  for (const n of counts.values()) len += n
  if (had?.base != null) db.all('INSERT OR IGNORE INTO search_masked (id) VALUES (?)', had.base)
  db.upsert('search_docs', 'slug', {
    slug,
    etag,
    key: sortKey(a),
    len,
    topics: JSON.stringify(a.topics.map((t) => t.slug)),
    terms: encodeTerms(counts),
    base: null,
    fresh: 1,
  })
  db.setCounter('search-changed', 1)
}

/** An article no longer published leaves the index (its base copy masked). */
export function unindexArticle(db: Db, slug: string): void {
  const had = db.one<{ base: number | null }>('SELECT base FROM search_docs WHERE slug = ?', slug)
  if (!had) return
  if (had.base !== null) db.all('INSERT OR IGNORE INTO search_masked (id) VALUES (?)', had.base)
  db.all('DELETE FROM search_docs WHERE slug = ?', slug)
  db.setCounter('search-changed', 1)
}

/**
 * After a step's reconcile: the delta marked for the flush when it changed, or a new base made
 * when the delta has grown (`idle`: nothing else is queued). While a long load runs past the
 * soft limit, the delta waits for the base made at its end, so queries keep reading a small one.
 * A change of how terms are made indexes every article again.
 */
export function keepSearchIndex(db: Db, version: () => number, idle: boolean): void {
  if (db.counter('search-version') !== INDEX_VERSION) {
    db.all("UPDATE search_docs SET etag = ''")
    db.all(
      'INSERT INTO pending (list, slug, version) SELECT ?, slug, ? FROM articles WHERE draft = 0 ON CONFLICT (list, slug) DO UPDATE SET version = excluded.version',
      ARTICLE_VIEW,
      version(),
    )
    db.setCounter('search-version', INDEX_VERSION)
    return
  }
  const fresh = db.one<{ n: number; bytes: number }>('SELECT count(*) AS n, coalesce(sum(length(terms)), 0) AS bytes FROM search_docs WHERE fresh = 1')!
  const over = (limit: { docs: number; bytes: number }) => fresh.n >= limit.docs || fresh.bytes >= limit.bytes
  if (over(HARD) || (idle && over(SOFT))) makeBase(db, version())
  else if (db.counter('search-changed') === 1 && (idle || !over(SOFT))) {
    db.markView(keys.search(), version())
    db.setCounter('search-changed', 0)
  }
}

const docsOf = (db: Db, where: string): IndexedDoc[] =>
  db
    .all<{ slug: string; key: string; len: number; topics: string; terms: string }>(
      `SELECT slug, key, len, topics, terms FROM search_docs WHERE ${where} ORDER BY key`,
    )
    .map((r) => ({ ...r, topics: JSON.parse(r.topics) as string[] }))

/**
 * A new base generation of every indexed article, ids in sort order (newest first), stored as the
 * views the flush copies: its directory and shards (new keys, so written before the delta that
 * names them), an empty delta pointing to it, and the generation before the last deleted (a query
 * may still be reading the last).
 */
function makeBase(db: Db, version: number): void {
  const gen = db.counter('search-gen') + 1
  db.all(
    'UPDATE search_docs SET base = r.id, fresh = 0 FROM (SELECT slug, row_number() OVER (ORDER BY key) - 1 AS id FROM search_docs) AS r WHERE r.slug = search_docs.slug',
  )
  const { table, shards } = buildSegment(docsOf(db, 'true'))
  db.setView(keys.searchPart(gen, 'docs'), JSON.stringify({ gen, ...table } satisfies SearchDirectory), version)
  shards.forEach((text, s) => db.setView(keys.searchPart(gen, s), text, version))
  const old = db.all<{ key: string }>('SELECT key FROM views WHERE key GLOB ? AND deleted = 0', `${keys.searchGeneration(gen - 2)}*`)
  for (const { key } of old) db.setView(key, null, version)
  db.all('DELETE FROM search_masked')
  db.setCounter('search-gen', gen)
  db.setCounter('search-changed', 0)
  db.markView(keys.search(), version)
}

/** The delta's value as the flush writes it, from the tables then: the articles changed since
 * the base, the base ids they hide. */
export function searchDeltaValue(db: Db): string {
  const { table, shards } = buildSegment(docsOf(db, 'fresh = 1'))
  const masked = db.all<{ id: number }>('SELECT id FROM search_masked ORDER BY id').map((r) => r.id)
  return JSON.stringify({ gen: db.counter('search-gen'), masked, ...table, postings: shards.join('') } satisfies SearchDelta)
}
