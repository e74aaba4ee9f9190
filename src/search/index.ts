import { fingerprint } from '../hash'

// The search index as KV holds it: a base generation, cut by term into shards (a query reads the
// shards of its terms only) with a directory of its documents, and a delta of the documents
// written since it was made, which every query reads too. A publish rewrites the delta alone (one
// write); the writer makes a new base when the delta has grown, so a query's reads stay few and
// small at any size. Text, not JSON, so a query finds a term's line with one `indexOf` and parses
// that line alone.

/** Bump when terms or the layout change: the writer indexes every article again. */
export const INDEX_VERSION = 2

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

/** Where the documents of a generation are and how long they are: a base's directory, or the
 * delta's documents. Each line of `docs` is one document, its id the line's number: "slug \t
 * topic numbers (in `topics`) \t inverted time in base 36"; `lens` their lengths, by id. */
export interface DocTable {
  count: number
  totalLen: number
  lens: number[]
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
    return `${d.slug}\t${topics.join(',')}\t${Number(stamp).toString(36)}`
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
  const lens = docs.map((d) => d.len)
  const table = { count: docs.length, totalLen: lens.reduce((a, l) => a + l, 0), lens, topics: [...topicIds.keys()], docs: lines.join('\n') }
  return { table, shards }
}

/** The postings of `term` in a shard's (or the delta's) text: ids ascending and their counts, or
 * none. Read character by character: a common term's line holds one pair per article. */
export function postingsOf(text: string, term: string): { ids: Int32Array; counts: Int32Array } {
  const at = text.indexOf(`\n${term}\t`)
  if (at < 0) return { ids: new Int32Array(0), counts: new Int32Array(0) }
  const from = at + term.length + 2
  let end = text.indexOf('\n', from)
  if (end < 0) end = text.length
  let n = 1
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === 44) n++
  const ids = new Int32Array(n)
  const counts = new Int32Array(n)
  let [k, value, id] = [0, 0, 0]
  for (let i = from; i <= end; i++) {
    const c = i === end ? 44 : text.charCodeAt(i)
    if (c === 58) {
      id = value
      value = 0
    } else if (c === 44) {
      ids[k] = id
      counts[k++] = value
      value = 0
    } else value = value * 10 + (c - 48)
  }
  return { ids, counts }
}

/** One document of a table: its slug, topics and sort key. */
interface DocRow {
  slug: string
  topics: string[]
  key: string
}

/** A table's documents, each read from its line only when asked for. */
function docRows(table: DocTable): (id: number) => DocRow {
  const starts: number[] = [0]
  for (let at = table.docs.indexOf('\n'); at >= 0; at = table.docs.indexOf('\n', at + 1)) starts.push(at + 1)
  return (id) => {
    const end = id + 1 < starts.length ? starts[id + 1]! - 1 : table.docs.length
    const [slug, topics, stamp] = table.docs.slice(starts[id], end).split('\t') as [string, string, string]
    const inverted = Number.parseInt(stamp, 36).toString().padStart(17, '0')
    return { slug, topics: topics === '' ? [] : topics.split(',').map((n) => table.topics[Number(n)]!), key: `${inverted}~${slug}` }
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

/** What a query found: how many, and any stretch of them in order, read only when asked for. */
export interface SearchHits {
  total: number
  slice: (from: number, to: number) => SearchHit[]
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
 * writer weighed them) or by date, newest first. A document changed since the base is the
 * delta's, its base copy masked (one value holds both, so they never disagree). Only the
 * documents asked for (`slice`) are read from their lines, so a word in every article costs a
 * pass over its postings, not a parse of the directory.
 */
export function searchIndex(read: IndexRead, terms: string[], filter: SearchFilter, order: 'relevance' | 'date'): SearchHits {
  if (terms.length === 0) return { total: 0, slice: () => [] }
  const masked = new Set(read.delta.masked)
  const n = Math.max(1, (read.directory?.count ?? 0) - masked.size + read.delta.count)
  const avgLen = Math.max(1, ((read.directory?.totalLen ?? 0) + read.delta.totalLen) / n)
  const segments = [
    ...(read.directory ? [{ table: read.directory as DocTable, text: (t: string) => read.shards.get(shardOf(t)) ?? '', hidden: masked }] : []),
    { table: read.delta as DocTable, text: () => read.delta.postings, hidden: new Set<number>() },
  ].map((s) => ({ ...s, rows: docRows(s.table), lists: terms.map((t) => postingsOf(s.text(t), t)) }))
  const df = terms.map((_, i) =>
    segments.reduce((a, s) => {
      const { ids } = s.lists[i]!
      let hidden = 0
      if (s.hidden.size > 0) for (const id of ids) if (s.hidden.has(id)) hidden++
      return a + ids.length - hidden
    }, 0),
  )
  const idf = df.map((d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)))
  const filtered = filter.anyOf.length + filter.require.length + filter.exclude.length > 0
  const keep = (topics: string[]) =>
    (filter.anyOf.length === 0 || filter.anyOf.some((t) => topics.includes(t))) &&
    filter.require.every((t) => topics.includes(t)) &&
    !filter.exclude.some((t) => topics.includes(t))

  // Found: segment, id and score, side by side.
  const found: { seg: number[]; id: number[]; score: number[] } = { seg: [], id: [], score: [] }
  segments.forEach((s, si) => {
    const lists = s.lists
    const shortest = lists.reduce((a, l, i) => (l.ids.length < lists[a]!.ids.length ? i : a), 0)
    const at = new Int32Array(lists.length)
    const tf = new Float64Array(lists.length)
    next: for (let k = 0; k < lists[shortest]!.ids.length; k++) {
      const id = lists[shortest]!.ids[k]!
      if (s.hidden.has(id)) continue
      // Ids ascend in every list: each pointer only moves forward.
      for (let i = 0; i < lists.length; i++) {
        const { ids, counts } = lists[i]!
        let p = at[i]!
        while (p < ids.length && ids[p]! < id) p++
        at[i] = p
        if (p === ids.length || ids[p] !== id) continue next
        tf[i] = counts[p]!
      }
      if (filtered && !keep(s.rows(id).topics)) continue
      const norm = K1 * (1 - B + (B * s.table.lens[id]!) / avgLen)
      let score = 0
      for (let i = 0; i < lists.length; i++) score += (idf[i]! * tf[i]! * (K1 + 1)) / (tf[i]! + norm)
      found.seg.push(si)
      found.id.push(id)
      found.score.push(score)
    }
  })
  const hit = (i: number): SearchHit => {
    const row = segments[found.seg[i]!]!.rows(found.id[i]!)
    return { ...row, score: found.score[i]! }
  }
  const total = found.id.length
  if (order === 'relevance') {
    // Ties: the base before the delta, then by id (a base's ids are its date order).
    const ranked = Array.from({ length: total }, (_, i) => i).sort((a, b) => found.score[b]! - found.score[a]! || a - b)
    return { total, slice: (from, to) => ranked.slice(from, to).map(hit) }
  }
  // Newest first: each segment's hits are in date order already (ids are), so the two are merged,
  // reading keys only as far as the stretch asked for.
  return {
    total,
    slice: (from, to) => {
      const heads = segments.map((_, si) => found.seg.indexOf(si)).map((i) => (i < 0 ? total : i))
      const ends = segments.map((_, si) => found.seg.lastIndexOf(si) + 1)
      const out: SearchHit[] = []
      const cached = new Map<number, SearchHit>()
      const at = (i: number) => cached.get(i) ?? cached.set(i, hit(i)).get(i)!
      while (out.length < to) {
        let best = -1
        for (let si = 0; si < heads.length; si++) if (heads[si]! < ends[si]! && (best < 0 || at(heads[si]!).key < at(heads[best]!).key)) best = si
        if (best < 0) break
        out.push(at(heads[best]!))
        heads[best]!++
      }
      return out.slice(from, to)
    },
  }
}
