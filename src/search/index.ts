import { fingerprint } from '../hash'

// The search index as KV holds it: a base generation, cut by term into shards (a query reads the
// shards of its terms only) with a directory of its documents, and a delta of the documents
// written since it was made, which every query reads too. A publish rewrites the delta alone (one
// write); the writer makes a new base when the delta has grown, so a query's reads stay few and
// small at any size. Text, not JSON, so a query finds a term's line with one `indexOf` and parses
// that line alone.

/** Bump when terms or the layout change: the writer indexes every article again. */
export const INDEX_VERSION = 1

/** Shards of a base generation: a query reads one per distinct term. */
export const SHARDS = 64

/** BM25's usual constants. */
const K1 = 1.2
const B = 0.75

/** A document as the writer keeps it for the index. `terms` is `encodeTerms`'s. */
export interface IndexedDoc {
  slug: string
  /** Its list sort key (`sortKey`): newest first. */
  key: string
  /** Its length in (weighted) terms. */
  len: number
  topics: string[]
  terms: string
}

/** The shard a term is kept in. */
export const shardOf = (term: string): number => Number.parseInt(fingerprint(term).slice(0, 8), 16) % SHARDS

/** A document's term counts as stored: "term:count" pairs, shard by shard, shards parted by "|"
 * (so a new base takes each shard's part of every document without splitting the rest). */
export function encodeTerms(counts: Map<string, number>): string {
  const parts: string[][] = Array.from({ length: SHARDS }, () => [])
  for (const [term, n] of counts) parts[shardOf(term)]!.push(`${term}:${n}`)
  return parts.map((p) => p.join(' ')).join('|')
}

/** Where the documents of a generation are and how long they are on average: a base's directory,
 * or the delta's documents. Each line of `docs` is one document, its id the line's number:
 * "slug \t length \t topic numbers (in `topics`) \t inverted time in base 36". */
export interface DocTable {
  count: number
  totalLen: number
  topics: string[]
  docs: string
}

/** A base generation's directory (`v1/search/<gen>/docs`). */
export interface SearchDirectory extends DocTable {
  gen: number
}

/** The delta (`v1/search`): the generation it goes with, the base ids it hides (edited or gone
 * since), its own documents and their postings. `gen` 0: there is no base yet. */
export interface SearchDelta extends DocTable {
  gen: number
  masked: number[]
  postings: string
}

/** The documents' table and postings of `docs`, in order (an id is a place in it): the postings
 * of each shard, "\n" + one line per term: "term \t id:count,id:count…". */
export function buildSegment(docs: IndexedDoc[]): { table: DocTable; shards: string[] } {
  const topicIds = new Map<string, number>()
  const lines = docs.map((d) => {
    const topics = d.topics.map((t) => topicIds.get(t) ?? topicIds.set(t, topicIds.size).get(t)!)
    const [stamp] = d.key.split('~')
    return `${d.slug}\t${d.len}\t${topics.join(',')}\t${Number(stamp).toString(36)}`
  })
  // Each document's terms are read shard by shard from where the last shard ended.
  const cursors = new Int32Array(docs.length)
  const shards: string[] = []
  for (let s = 0; s < SHARDS; s++) {
    const postings = new Map<string, string[]>()
    docs.forEach((d, id) => {
      const from = cursors[id]!
      let to = d.terms.indexOf('|', from)
      if (to < 0) to = d.terms.length
      cursors[id] = to + 1
      if (to === from) return
      for (const pair of d.terms.slice(from, to).split(' ')) {
        const at = pair.lastIndexOf(':')
        const term = pair.slice(0, at)
        const list = postings.get(term)
        const entry = `${id}:${pair.slice(at + 1)}`
        if (list) list.push(entry)
        else postings.set(term, [entry])
      }
    })
    const terms = [...postings.keys()].sort()
    shards.push(`\n${terms.map((t) => `${t}\t${postings.get(t)!.join(',')}`).join('\n')}\n`)
  }
  const table = { count: docs.length, totalLen: docs.reduce((a, d) => a + d.len, 0), topics: [...topicIds.keys()], docs: lines.join('\n') }
  return { table, shards }
}

/** The postings of `term` in a shard's (or the delta's) text: [id, count] pairs, or none. */
export function postingsOf(text: string, term: string): [number, number][] {
  const at = text.indexOf(`\n${term}\t`)
  if (at < 0) return []
  const from = at + term.length + 2
  const end = text.indexOf('\n', from)
  return text
    .slice(from, end < 0 ? text.length : end)
    .split(',')
    .map((p) => {
      const colon = p.indexOf(':')
      return [Number(p.slice(0, colon)), Number(p.slice(colon + 1))]
    })
}

/** One document of a table: its slug, length, topics and sort key. */
interface DocRow {
  slug: string
  len: number
  topics: string[]
  key: string
}

function docRows(table: DocTable): (id: number) => DocRow | null {
  const lines = table.docs === '' ? [] : table.docs.split('\n')
  return (id) => {
    const line = lines[id]
    if (line === undefined) return null
    const [slug, len, topics, stamp] = line.split('\t') as [string, string, string, string]
    const inverted = Number.parseInt(stamp, 36).toString().padStart(17, '0')
    return { slug, len: Number(len), topics: topics === '' ? [] : topics.split(',').map((n) => table.topics[Number(n)]!), key: `${inverted}~${slug}` }
  }
}

/** What a query keeps: every one of `require`, any of `anyOf` (none given: all), none of `exclude`. */
export interface SearchFilter {
  anyOf: string[]
  require: string[]
  exclude: string[]
}

/** A document found: its slug, sort key, topics and BM25 score. */
export interface SearchHit {
  slug: string
  key: string
  topics: string[]
  score: number
}

/** The index as one query reads it: the delta, and the base's directory and the shards of its terms. */
export interface IndexRead {
  delta: SearchDelta
  directory: SearchDirectory | null
  /** Shard texts by shard number (those of the query's terms). */
  shards: Map<number, string>
}

/**
 * Every document holding all `terms`, filtered, ranked by BM25 (titles count three times, as the
 * writer weighed them) or by date, newest first. A document in both the base and the delta is
 * the delta's: the base's copy is masked.
 */
export function searchIndex(read: IndexRead, terms: string[], filter: SearchFilter, order: 'relevance' | 'date'): SearchHit[] {
  if (terms.length === 0) return []
  const masked = new Set(read.delta.masked)
  const baseCount = read.directory?.count ?? 0
  const n = Math.max(1, baseCount - masked.size + read.delta.count)
  const avgLen = Math.max(1, ((read.directory?.totalLen ?? 0) + read.delta.totalLen) / n)
  const segments = [
    ...(read.directory
      ? [{ table: read.directory, rows: docRows(read.directory), postings: (t: string) => read.shards.get(shardOf(t)) ?? '', base: true }]
      : []),
    { table: read.delta as DocTable, rows: docRows(read.delta), postings: () => read.delta.postings, base: false },
  ]
  // Per segment: each term's postings (the base's without masked ids), then df over both.
  const lists = segments.map((s) => terms.map((t) => postingsOf(s.postings(t), t).filter(([id]) => !(s.base && masked.has(id)))))
  const df = terms.map((_, i) => lists.reduce((a, l) => a + l[i]!.length, 0))
  const idf = df.map((d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)))
  const keep = (topics: string[]) =>
    (filter.anyOf.length === 0 || filter.anyOf.some((t) => topics.includes(t))) &&
    filter.require.every((t) => topics.includes(t)) &&
    !filter.exclude.some((t) => topics.includes(t))

  const hits: SearchHit[] = []
  segments.forEach((s, si) => {
    const perTerm = lists[si]!
    // Documents holding every term: walk the shortest list, look the others up.
    const order_ = perTerm.map((_, i) => i).sort((a, b) => perTerm[a]!.length - perTerm[b]!.length)
    const maps = perTerm.map((l) => new Map(l))
    for (const [id] of perTerm[order_[0]!]!) {
      if (!order_.every((i) => maps[i]!.has(id))) continue
      const row = s.rows(id)
      if (!row || !keep(row.topics)) continue
      const norm = K1 * (1 - B + (B * row.len) / avgLen)
      const score = terms.reduce((a, _, i) => {
        const tf = maps[i]!.get(id)!
        return a + (idf[i]! * tf * (K1 + 1)) / (tf + norm)
      }, 0)
      hits.push({ slug: row.slug, key: row.key, topics: row.topics, score })
    }
  })
  // A slug in both (an edit between the base's making and the delta's masking reaching KV): the newest key wins.
  const seen = new Set<string>()
  const byKey = (a: SearchHit, b: SearchHit) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  const sorted = hits.sort(order === 'date' ? byKey : (a, b) => b.score - a.score || byKey(a, b))
  return sorted.filter((h) => !seen.has(h.slug) && seen.add(h.slug))
}
