import { counts, dot, normalize, type Vector } from './text'

/** What grouping needs of a report: its words, found when it was written. */
export interface Report {
  titleTerms: string[]
  leadTerms: string[]
}

/** Tuned on the labelled fixture (tests/fixtures/grouping.json); see cluster.test.ts. */
export const GROUPING = {
  /** Title words count this many times as body words: a headline names its event. */
  titleWeight: 3,
  /** Each report keeps its most distinctive terms only. */
  topTerms: 80,
  /** Of those, the few most distinctive find the candidate pairs (pairs sharing none of them are
   * far below the threshold): this keeps the pairs, and the CPU, near linear in a busy day. */
  indexTerms: 25,
  /** Documents assumed besides the day's own when weighing rarity: a day of five reports of one
   * event must not make that event's words look common. */
  idfPrior: 20,
  /** Two groups merge when their reports are this similar on average. On the fixture, every
   * threshold from 0.18 to 0.22 gives precision and recall 1: this is the middle. */
  threshold: 0.2,
}

/** TF-IDF vectors of reports over the day's vocabulary, each cut to its top terms, unit length. */
export function vectorize(reports: Report[], g = GROUPING): Vector[] {
  const tfs = reports.map((r) => {
    const tf = counts(r.leadTerms)
    for (const t of r.titleTerms) tf.set(t, (tf.get(t) ?? 0) + g.titleWeight)
    return tf
  })
  const df = new Map<string, number>()
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1)
  const n = reports.length + g.idfPrior
  return tfs.map((tf) => {
    const weighted = [...tf].map(([t, c]): [string, number] => [t, (1 + Math.log(c)) * Math.log(n / df.get(t)!)])
    weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    return normalize(new Map(weighted.slice(0, g.topTerms)))
  })
}

/**
 * Groups reports of the same event from their vectors (see `vectorize`): average-link
 * agglomeration over the similar pairs, most similar first, so a chain of loosely related
 * reports does not pull two events together. Returns groups of indexes, each sorted, in order
 * of their first member. Deterministic.
 */
export function groupReports(vectors: Vector[], g = GROUPING): number[][] {
  const reports = vectors
  // Candidate pairs share at least one term: an inverted index avoids comparing every pair. A
  // term on a fifth of a large day's reports is no evidence of one event, and its postings
  // would make the pairs quadratic: it is left out of the index (not of the similarity).
  const maxDf = Math.max(10, Math.ceil(reports.length / 5))
  const postings = new Map<string, number[]>()
  vectors.forEach((v, i) => {
    // A vector's terms are in order of weight (see vectorize), so the first are its most distinctive.
    for (const t of [...v.keys()].slice(0, g.indexTerms)) {
      const list = postings.get(t)
      if (list) list.push(i)
      else postings.set(t, [i])
    }
  })
  const sim = new Map<number, number>()
  const pairKey = (i: number, j: number) => (i < j ? i * reports.length + j : j * reports.length + i)
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

  const group = reports.map((_, i) => i)
  const members = new Map<number, number[]>(reports.map((_, i) => [i, [i]]))
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i]!)))
  for (const [k] of edges) {
    const a = find(Math.floor(k / reports.length))
    const b = find(k % reports.length)
    if (a === b) continue
    const ma = members.get(a)!
    const mb = members.get(b)!
    let total = 0
    for (const i of ma) for (const j of mb) total += sim.get(pairKey(i, j)) ?? 0
    if (total / (ma.length * mb.length) < g.threshold) continue
    const [keep, drop] = a < b ? [a, b] : [b, a]
    group[drop] = keep
    members.set(keep, [...members.get(keep)!, ...members.get(drop)!].sort((x, y) => x - y))
    members.delete(drop)
  }
  return [...members.values()].sort((x, y) => x[0]! - y[0]!)
}

/** The centroid of some vectors, unit length. */
export function centroid(vectors: Vector[]): Vector {
  const c: Vector = new Map()
  for (const v of vectors) for (const [t, x] of v) c.set(t, (c.get(t) ?? 0) + x)
  return normalize(c)
}
