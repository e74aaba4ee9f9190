import { dot, normalize, type Vector } from './text'

/** What grouping needs of a report: its terms with their counts in it, found when it was written. */
export interface Report {
  terms: [string, number][]
}

/** Collection-wide document frequencies: how many of `docs` articles contain a term. */
export interface DocumentFrequencies {
  docs: number
  count: (term: string) => number
}

/**
 * Plain TF-IDF, cosine and average link, with settings chosen on the tuning parts of the
 * development sets (scripts/grouping-eval.ts; docs/digest.md has the figures). One default for
 * every site and every length of report.
 */
export const GROUPING = {
  /** No term weighs less: a word on every report of the day still makes copies alike. */
  minIdf: 0.01,
  /** Added to every rarity in a headline-only report (smoothed idf): in a few words, one shared
   * common word is evidence too. Full-length reports take rarity as it is. */
  headlineIdfFloor: 3,
  /** Two groups merge when their reports are this similar on average. */
  threshold: 0.05,
  /** The same for two groups of headline-only reports (few terms, so their cosines run higher
   * between stories and lower within one: tuned on its own). */
  headlineThreshold: 0.02,
  /** A report of at most this many terms is headline-only. */
  headlineTerms: 16,
  /** Reports this similar are the same report (copies, small corrections): always together. */
  duplicate: 0.9,
  /** Reports less alike than this count as unlike (0) in the averages: a big day keeps few pairs
   * (no lower than `headlineThreshold`, so no merge it allows is lost). */
  floor: 0.02,
  /** A term on more of a day's reports than this (or a tenth of them) finds no pairs. */
  maxPostings: 300,
  /** Short reports (a few paragraphs) share a larger part of their few terms by chance, and their
   * cosines run higher: two groups whose shorter reports have on average fewer than this many
   * terms must be (shortTerms / terms)² times `threshold` alike (chosen with our own fixture of
   * short reports with hard negatives: two earthquakes, two central banks, one carmaker's
   * recall and its results). */
  shortTerms: 60,
  /** …but never more than this (the fixture's reports of one event are 0.26 alike and more, its
   * look-alike events 0.16 at most): a day of a few very short reports still gathers them. */
  shortMax: 0.22,
  /** Two groups of headlines must be (1 + the smaller one's size / this) times
   * `headlineThreshold` alike: a big story of headlines does not swallow another big one on a
   * few shared words (the strongest such guard that costs the uci-dev tuning part nothing). */
  headlineGrowth: 20,
}

/** The rarity of each term, log(N / df): the site's document frequencies (or, without them, the
 * day's). */
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
    if (x === undefined) {
      x = Math.max(g.minIdf, Math.log(docs / Math.max(1, count(t))))
      cache.set(t, x)
    }
    return x
  }
}

/** Unit TF-IDF vectors of reports. */
export function vectorize(reports: Report[], idf: (term: string) => number = idfOf(reports), g = GROUPING): Vector[] {
  return reports.map((r) => {
    const floor = r.terms.length <= g.headlineTerms ? g.headlineIdfFloor : 0
    const v: Vector = new Map()
    for (const [t, c] of r.terms) {
      const w = c * (idf(t) + floor)
      if (w > 0) v.set(t, w)
    }
    return normalize(v)
  })
}

/** The few heaviest terms of a vector, in order: what copies of one report share. */
function heaviest(v: Vector, k: number): string {
  const top: [string, number][] = []
  for (const e of v) {
    if (top.length === k && e[1] <= top[k - 1]![1]) continue
    let i = top.length < k ? top.length : k - 1
    top[i] = e
    while (i > 0 && (top[i]![1] > top[i - 1]![1] || (top[i]![1] === top[i - 1]![1] && top[i]![0] < top[i - 1]![0]))) {
      ;[top[i], top[i - 1]] = [top[i - 1]!, top[i]!]
      i--
    }
  }
  return top
    .map((e) => e[0])
    .sort()
    .join(' ')
}

/**
 * Groups reports of the same event from their vectors (see `vectorize`): identical and
 * near-identical reports first, then average-link agglomeration (the two groups most similar on
 * average merge first, until no two are `threshold` alike, `headlineThreshold` for headline-only groups). Pairs that share none of their
 * heaviest terms count as unlike. Returns groups of indexes, each sorted, in order of their
 * first member. Deterministic.
 */
export function groupReports(vectors: Vector[], g = GROUPING): number[][] {
  const n = vectors.length
  const parent = vectors.map((_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)))

  // Copies and near-copies: reports with the same few heaviest terms are compared with the
  // first of them (linear however many copies), and joined when they are the same report.
  const buckets = new Map<string, number>()
  vectors.forEach((v, i) => {
    const key = heaviest(v, 6)
    const first = buckets.get(key)
    if (first === undefined) buckets.set(key, i)
    else if (dot(v, vectors[first]!) >= g.duplicate) parent[i] = find(first)
  })
  const reps = vectors.map((_, i) => i).filter((i) => parent[i] === i)
  // Per group, by the index of its first report: how many reports (copies counted), their
  // terms in all, whether all are headline-only, and a stamp that changes when the group does.
  const weight = new Float64Array(n)
  const terms = new Float64Array(n)
  const short = new Uint8Array(n).fill(1)
  const version = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const r = find(i)
    weight[r]!++
    terms[r]! += vectors[i]!.size
    if (vectors[i]!.size > g.headlineTerms) short[r] = 0
  }

  // Similarities of every two representatives, by their shared terms: each report's terms are
  // looked up in the postings of the reports before it and the products summed (no pair is
  // visited that shares no term). A term on very many of a day's reports is little evidence of
  // one event and would make this quadratic: it is left out. Pairs less alike than `floor` count
  // as unlike, so a big day keeps few pairs.
  const maxDf = Math.max(g.maxPostings, Math.ceil(reps.length / 10))
  const ids = new Map<string, number>()
  const docs = reps.map((i) => {
    const v = vectors[i]!
    const terms = new Int32Array(v.size)
    const weights = new Float64Array(v.size)
    let k = 0
    for (const [t, x] of v) {
      let id = ids.get(t)
      if (id === undefined) ids.set(t, (id = ids.size))
      terms[k] = id
      weights[k++] = x
    }
    return { terms, weights }
  })
  const df = new Int32Array(ids.size)
  for (const d of docs) for (const id of d.terms) df[id]!++
  const start = new Int32Array(ids.size + 1)
  for (let id = 0; id < ids.size; id++) start[id + 1] = start[id]! + (df[id]! <= maxDf ? df[id]! : 0)
  const fill = start.slice(0, ids.size)
  const postDoc = new Int32Array(start[ids.size]!)
  const postWeight = new Float64Array(start[ids.size]!)
  const acc = new Float64Array(reps.length)
  const touched: number[] = []
  const between = new Map<number, Map<number, number>>(reps.map((i) => [i, new Map()]))
  docs.forEach((d, a) => {
    for (let k = 0; k < d.terms.length; k++) {
      const id = d.terms[k]!
      if (df[id]! > maxDf) continue
      const w = d.weights[k]!
      for (let p = start[id]!; p < fill[id]!; p++) {
        const b = postDoc[p]!
        if (acc[b] === 0) touched.push(b)
        acc[b] = acc[b]! + w * postWeight[p]!
      }
      postDoc[fill[id]!] = a
      postWeight[fill[id]!++] = w
    }
    const i = reps[a]!
    for (const b of touched) {
      if (acc[b]! >= g.floor) {
        const j = reps[b]!
        const s = acc[b]! * weight[i]! * weight[j]!
        between.get(i)!.set(j, s)
        between.get(j)!.set(i, s)
      }
      acc[b] = 0
    }
    touched.length = 0
  })

  // Average link: the pair of groups with the highest mean similarity merges first. A heap of
  // pairs stamped with their groups' versions: a pair whose group has changed since is skipped
  // (the changed group's pairs were pushed again).
  const enough = (a: number, b: number, x: number) => {
    if (short[a] && short[b]) return x >= g.headlineThreshold * (1 + Math.min(weight[a]!, weight[b]!) / g.headlineGrowth)
    // Short reports must be more alike: by the mean length of the shorter group's reports.
    const len = Math.min(terms[a]! / weight[a]!, terms[b]! / weight[b]!)
    return x >= Math.min(g.shortMax, g.threshold * Math.max(1, g.shortTerms / len) ** 2)
  }
  const heap = new PairHeap()
  const average = (a: number, b: number, sum: number) => sum / (weight[a]! * weight[b]!)
  for (const [i, row] of between) {
    for (const [j, sum] of row) {
      const x = average(i, j, sum)
      if (i < j && enough(i, j, x)) heap.push(x, i, j, 0, 0)
    }
  }
  while (heap.pop()) {
    const { a, b } = heap
    if (version[a] !== heap.va || version[b] !== heap.vb) continue
    // The group with more neighbours is kept and the other's row moved into it: each merge
    // costs the smaller row, not the larger.
    const na = between.get(a)!.size
    const nb = between.get(b)!.size
    const keep = na > nb || (na === nb && a < b) ? a : b
    const drop = keep === a ? b : a
    parent[drop] = keep
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
    weight[keep]! += weight[drop]!
    terms[keep]! += terms[drop]!
    short[keep] = short[keep]! & short[drop]!
    version[keep]!++
    version[drop] = -1
    for (const [c, sum] of kept) {
      const x = average(keep, c, sum)
      if (enough(keep, c, x)) {
        if (keep < c) heap.push(x, keep, c, version[keep]!, version[c]!)
        else heap.push(x, c, keep, version[c]!, version[keep]!)
      }
    }
  }
  const groups = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const r = find(i)
    const list = groups.get(r)
    if (list) list.push(i)
    else groups.set(r, [i])
  }
  return [...groups.values()].sort((x, y) => x[0]! - y[0]!)
}

function swapInts(x: Int32Array, i: number, j: number): void {
  const t = x[i]!
  x[i] = x[j]!
  x[j] = t
}

/** A max-heap of (similarity, a, b) and the versions of a and b when pushed, in typed arrays,
 * ties broken by the lower pair, so merging is deterministic and a big day makes no garbage per
 * pair. `pop` leaves the top in `s`, `a`, `b`, `va`, `vb`. */
class PairHeap {
  private sims = new Float64Array(1024)
  private as = new Int32Array(1024)
  private bs = new Int32Array(1024)
  private vas = new Int32Array(1024)
  private vbs = new Int32Array(1024)
  private size = 0
  s = 0
  a = 0
  b = 0
  va = 0
  vb = 0
  private before(i: number, j: number): boolean {
    const x = this.sims[i]!
    const y = this.sims[j]!
    return x > y || (x === y && (this.as[i]! < this.as[j]! || (this.as[i] === this.as[j] && this.bs[i]! < this.bs[j]!)))
  }
  private swap(i: number, j: number): void {
    const s = this.sims[i]!
    this.sims[i] = this.sims[j]!
    this.sims[j] = s
    swapInts(this.as, i, j)
    swapInts(this.bs, i, j)
    swapInts(this.vas, i, j)
    swapInts(this.vbs, i, j)
  }
  push(s: number, a: number, b: number, va: number, vb: number): void {
    if (this.size === this.sims.length) {
      const grow = <T extends Float64Array | Int32Array>(x: T, y: T): T => {
        y.set(x)
        return y
      }
      this.sims = grow(this.sims, new Float64Array(this.size * 2))
      this.as = grow(this.as, new Int32Array(this.size * 2))
      this.bs = grow(this.bs, new Int32Array(this.size * 2))
      this.vas = grow(this.vas, new Int32Array(this.size * 2))
      this.vbs = grow(this.vbs, new Int32Array(this.size * 2))
    }
    let i = this.size++
    this.sims[i] = s
    this.as[i] = a
    this.bs[i] = b
    this.vas[i] = va
    this.vbs[i] = vb
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.before(i, p)) break
      this.swap(i, p)
      i = p
    }
  }
  pop(): boolean {
    if (this.size === 0) return false
    this.s = this.sims[0]!
    this.a = this.as[0]!
    this.b = this.bs[0]!
    this.va = this.vas[0]!
    this.vb = this.vbs[0]!
    this.size--
    if (this.size > 0) {
      this.swap(0, this.size)
      for (let i = 0; ; ) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < this.size && this.before(l, m)) m = l
        if (r < this.size && this.before(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return true
  }
}

/** The centroid of some vectors, unit length. */
export function centroid(vectors: Vector[]): Vector {
  const c: Vector = new Map()
  for (const v of vectors) for (const [t, x] of v) c.set(t, (c.get(t) ?? 0) + x)
  return normalize(c)
}
