import { priorShare } from './prior'
import { dot, normalize, type Vector } from './text'

/** What grouping needs of a report: its weighted terms, found when it was written. */
export interface Report {
  terms: [string, number][]
}

/** Collection-wide document frequencies: how many of `docs` articles contain a term. */
export interface DocumentFrequencies {
  docs: number
  count: (term: string) => number
}

/** One default for every site and every length of report; see cluster.test.ts and
 * tests/node/wikiref.test.ts for what it is measured on. */
export const GROUPING = {
  /** Documents the general word-frequency prior stands for: on a small site it dominates
   * rarity, on a large one the site's own frequencies do. */
  priorDocs: 1000,
  /** Each report is compared on its most distinctive terms only: the same number for a short
   * and a long report, so the scale of a similarity does not depend on length. */
  topTerms: 40,
  /** Of those, the few most distinctive find the candidate pairs: near-linear CPU. */
  indexTerms: 12,
  /** No term weighs more than this in a report's unit vector. */
  cap: 0.3,
  /** Two groups merge when their reports are this similar on average. */
  threshold: 0.19,
  /** A small group joins a bigger one when their centres are this similar. */
  attach: 0.3,
  /** Reports this similar are the same report (copies, small corrections): always together. */
  duplicate: 0.9,
}

/** The rarity of each term: the site's document frequencies (or, without them, the day's) on
 * top of a general English prior, so neither a small site nor a busy event zeroes a word. */
export function idfOf(reports: Report[], df?: DocumentFrequencies, g = GROUPING): (term: string) => number {
  let docs: number
  let count: (t: string) => number
  if (df) {
    docs = df.docs
    count = df.count
  } else {
    const day = new Map<string, number>()
    for (const r of reports) for (const [t] of r.terms) day.set(t, (day.get(t) ?? 0) + 1)
    docs = reports.length
    count = (t) => day.get(t) ?? 0
  }
  const cache = new Map<string, number>()
  return (t) => {
    let x = cache.get(t)
    if (x === undefined) cache.set(t, (x = Math.log((docs + g.priorDocs + 1) / (count(t) + g.priorDocs * priorShare(t) + 1))))
    return x
  }
}

/** Unit vectors of reports on their most distinctive terms, terms in order of weight. */
export function vectorize(reports: Report[], idf: (term: string) => number = idfOf(reports), g = GROUPING): Vector[] {
  return reports.map((r) => {
    const weighted = r.terms.map(([t, w]): [string, number] => [t, w * idf(t)])
    weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    return capped(normalize(new Map(weighted.slice(0, g.topTerms))), g.cap)
  })
}

/** Caps each component of a unit vector and scales it back to unit length, a few times: no
 * single word (a company's, a country's name) can make two reports alike on its own. */
function capped(v: Vector, cap: number): Vector {
  for (let round = 0; round < 4; round++) {
    let over = false
    for (const [t, x] of v) if (x > cap) v.set(t, cap), (over = true)
    if (!over) break
    normalize(v)
  }
  return v
}

/**
 * Groups reports of the same event from their vectors (see `vectorize`): identical and
 * near-identical reports first, then average-link agglomeration over the similar pairs, most
 * similar first, so a chain of loosely related reports does not pull two events together.
 * Returns groups of indexes, each sorted, in order of their first member. Deterministic.
 */
export function groupReports(vectors: Vector[], g = GROUPING): number[][] {
  const n = vectors.length
  const group = vectors.map((_, i) => i)
  const members = new Map<number, number[]>(vectors.map((_, i) => [i, [i]]))
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i]!)))
  const union = (a: number, b: number) => {
    const [keep, drop] = a < b ? [a, b] : [b, a]
    group[drop] = keep
    const kept = members.get(keep)!
    for (const i of members.get(drop)!) kept.push(i)
    members.delete(drop)
  }

  // Copies and near-copies: reports with the same few heaviest terms are compared with the
  // first of them (linear however many copies), and joined when they are the same report.
  const buckets = new Map<string, number>()
  vectors.forEach((v, i) => {
    const key = [...v.keys()].slice(0, 6).sort().join(' ')
    const first = buckets.get(key)
    if (first === undefined) buckets.set(key, i)
    else if (dot(v, vectors[first]!) >= g.duplicate) union(find(first), find(i))
  })
  // One representative per set of copies takes part in the grouping below.
  const reps = [...members.keys()]

  // Candidate pairs share one of their most distinctive terms: an inverted index avoids
  // comparing every pair. A term on very many of a day's reports is no evidence of one event,
  // and its postings would make the pairs quadratic: it finds no pairs. "Very many" is twice the
  // square root of the day (a fifth of a day of 100), at most 64, so the pairs grow linearly.
  const maxDf = Math.max(12, Math.min(64, Math.ceil(2 * Math.sqrt(reps.length))))
  const postings = new Map<string, number[]>()
  for (const i of reps) {
    for (const t of [...vectors[i]!.keys()].slice(0, g.indexTerms)) {
      const list = postings.get(t)
      if (list) list.push(i)
      else postings.set(t, [i])
    }
  }
  const sim = new Map<number, number>()
  const pairKey = (i: number, j: number) => (i < j ? i * n + j : j * n + i)
  for (const list of postings.values()) {
    if (list.length > maxDf) continue
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const k = pairKey(list[a]!, list[b]!)
        if (!sim.has(k)) sim.set(k, dot(vectors[list[a]!]!, vectors[list[b]!]!))
      }
    }
  }
  const edges = [...sim].filter(([, s]) => s >= g.threshold).sort((a, b) => b[1] - a[1] || a[0] - b[0])

  // Average link over representatives, each weighted by its copies. Between every two groups
  // the weighted sum of their pairs' similarities is kept and added up as groups merge, so each
  // edge is decided in constant time however large the groups grow (pairs never compared count 0).
  const weight = new Map<number, number>(reps.map((i) => [i, members.get(i)!.length]))
  const between = new Map<number, Map<number, number>>(reps.map((i) => [i, new Map()]))
  for (const [k, s] of sim) {
    const [i, j] = [Math.floor(k / n), k % n]
    const w = s * weight.get(i)! * weight.get(j)!
    between.get(i)!.set(j, w)
    between.get(j)!.set(i, w)
  }
  for (const [k] of edges) {
    const a = find(Math.floor(k / n))
    const b = find(k % n)
    if (a === b) continue
    if ((between.get(a)!.get(b) ?? 0) / (weight.get(a)! * weight.get(b)!) < g.threshold) continue
    union(a, b)
    const keep = find(a)
    const drop = keep === a ? b : a
    const kept = between.get(keep)!
    for (const [c, x] of between.get(drop)!) {
      if (c === keep) continue
      const sum = (kept.get(c) ?? 0) + x
      kept.set(c, sum)
      const other = between.get(c)!
      other.delete(drop)
      other.set(keep, sum)
    }
    kept.delete(drop)
    between.delete(drop)
    weight.set(keep, weight.get(keep)! + weight.get(drop)!)
  }
  return attach([...members.values()], vectors, g).sort((x, y) => x[0]! - y[0]!)
}

/**
 * A report (or a small group) that is loosely like each report of a story but close to the
 * story as a whole (its centroid: the words the story's reports share) joins it. One pass,
 * each group to its best bigger group: no chains.
 */
function attach(groups: number[][], vectors: Vector[], g: typeof GROUPING): number[][] {
  const centers = groups.map((m) => capped(centroid(m.map((i) => vectors[i]!)), g.cap))
  const postings = new Map<string, number[]>()
  centers.forEach((c, k) => {
    if (groups[k]!.length < 2) return
    for (const t of [...c].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, g.indexTerms)) {
      const list = postings.get(t[0])
      if (list) list.push(k)
      else postings.set(t[0], [k])
    }
  })
  const best = groups.map(() => ({ to: -1, sim: 0 }))
  centers.forEach((c, k) => {
    const seen = new Set<number>()
    for (const t of [...c.keys()].slice(0, g.indexTerms)) {
      for (const other of postings.get(t) ?? []) {
        if (seen.has(other) || groups[other]!.length <= groups[k]!.length) continue
        seen.add(other)
        const s = dot(c, centers[other]!)
        if (s >= g.attach && (s > best[k]!.sim || (s === best[k]!.sim && other < best[k]!.to))) best[k] = { to: other, sim: s }
      }
    }
  })
  // Only groups that do not take part in a move themselves receive: no chains.
  const moving = new Set(best.flatMap((b, k) => (b.to >= 0 ? [k] : [])))
  const out = groups.map((m) => [...m])
  best.forEach((b, k) => {
    if (b.to < 0 || moving.has(b.to)) return
    out[b.to]!.push(...groups[k]!)
    out[k] = []
  })
  return out.filter((m) => m.length > 0).map((m) => m.sort((x, y) => x - y))
}

/** The centroid of some vectors, unit length. */
export function centroid(vectors: Vector[]): Vector {
  const c: Vector = new Map()
  for (const v of vectors) for (const [t, x] of v) c.set(t, (c.get(t) ?? 0) + x)
  return normalize(c)
}
