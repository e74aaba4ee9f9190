import { DayTerms, DenseVector, grow, normalizeRange } from './sparse'
import type { Vector } from './text'

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
  headlineIdfFloor: 7,
  /** Two groups merge when their reports are this similar on average. */
  threshold: 0.05,
  /** The same for two groups of headline-only reports, tuned on its own with
   * `headlineIdfFloor` (`npm run eval:grouping -- --sweep`). */
  headlineThreshold: 0.045,
  /** …times (1 + the larger group's size / this): the bigger a story of headlines, the more alike
   * what joins it must be, so it does not take in a neighbouring story (or stray headlines) on
   * one shared name. */
  headlineGrowth: 640,
  /** A report of at most this many terms is headline-only. */
  headlineTerms: 16,
  /** Reports this similar are the same report (copies, small corrections): always together. */
  duplicate: 0.9,
  /** Reports less alike than this count as unlike (0) in the averages: a big day keeps few pairs
   * (at most the thresholds: a pair that alike alone allows no merge). */
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
  return (t) => Math.max(g.minIdf, Math.log(docs / Math.max(1, count(t))))
}

/** Unit vectors of a day's reports, one after another: report i's terms are
 * `ids[start[i], start[i + 1])`, in the order of its `terms`. */
export interface ReportVectors {
  terms: DayTerms
  start: Int32Array
  ids: Int32Array
  weights: Float64Array
  /** Every term of each report (`Report.terms`, with the ones weighing nothing), by id. */
  termIds: Int32Array[]
}

/** Unit TF-IDF vectors of reports (rarity from `terms`: the day's when not given). */
export function vectorize(reports: Report[], terms = new DayTerms(idfOf(reports)), g = GROUPING): ReportVectors {
  return vectorsFrom(
    reports.map((r) => r.terms),
    terms,
    (r, c, id) => c * (terms.idf(id) + (reports[r]!.terms.length <= g.headlineTerms ? g.headlineIdfFloor : 0)),
  )
}

/** Vectors of given weights, as they are (for vectors made elsewhere). */
export function vectorsOf(vectors: Vector[]): ReportVectors {
  return vectorsFrom(
    vectors.map((v) => [...v]),
    new DayTerms(() => 0),
    (_, x) => x,
    false,
  )
}

/** Each list of terms and counts as a unit vector of `weightOf` each; a term twice is weighed
 * by its last count, in the place of its first (as a `Map` of them would be). */
function vectorsFrom(
  lists: [string, number][][],
  terms: DayTerms,
  weightOf: (report: number, count: number, id: number) => number,
  unit = true,
): ReportVectors {
  let total = 0
  for (const l of lists) total += l.length
  const start = new Int32Array(lists.length + 1)
  const ids = new Int32Array(total)
  const weights = new Float64Array(total)
  // Where each term is in the vector being made, stamped with that vector's number.
  let at = new Int32Array(1024)
  let owner = new Int32Array(1024)
  let k = 0
  const termIds = lists.map((list, r) => {
    const all = new Int32Array(list.length)
    list.forEach(([t, c], j) => {
      const id = terms.id(t)
      all[j] = id
      if (id >= at.length) {
        at = grow(at, new Int32Array(Math.max(id + 1, at.length * 2)))
        owner = grow(owner, new Int32Array(at.length))
      }
      const w = weightOf(r, c, id)
      if (!(w > 0)) return
      if (owner[id] === r + 1) weights[at[id]!] = w
      else {
        owner[id] = r + 1
        at[id] = k
        ids[k] = id
        weights[k++] = w
      }
    })
    if (unit) normalizeRange(weights, start[r]!, k)
    start[r + 1] = k
    return all
  })
  return { terms, start, ids, weights, termIds }
}

/** The few heaviest terms of report i, in order: what copies of one report share. */
function heaviest(v: ReportVectors, i: number, k: number): string {
  const top: number[] = []
  const names = v.terms.names
  const w = v.weights
  for (let e = v.start[i]!; e < v.start[i + 1]!; e++) {
    if (top.length === k && w[e]! <= w[top[k - 1]!]!) continue
    let j = top.length < k ? top.length : k - 1
    top[j] = e
    while (j > 0 && (w[top[j]!]! > w[top[j - 1]!]! || (w[top[j]!]! === w[top[j - 1]!]! && names[v.ids[top[j]!]!]! < names[v.ids[top[j - 1]!]!]!))) {
      ;[top[j], top[j - 1]] = [top[j - 1]!, top[j]!]
      j--
    }
  }
  return top
    .map((e) => v.ids[e]!)
    .sort((x, y) => x - y)
    .join(' ')
}

/** The cosine of reports i and j: summed over the one with fewer terms (i on a tie), in its
 * order. `spare` is an empty dense vector. */
function cosine(v: ReportVectors, i: number, j: number, spare: DenseVector): number {
  const [small, large] = v.start[i + 1]! - v.start[i]! <= v.start[j + 1]! - v.start[j]! ? [i, j] : [j, i]
  for (let e = v.start[large]!; e < v.start[large + 1]!; e++) spare.add(v.ids[e]!, v.weights[e]!)
  let s = 0
  for (let e = v.start[small]!; e < v.start[small + 1]!; e++) {
    const y = spare.weight(v.ids[e]!)
    if (y !== 0) s += v.weights[e]! * y
  }
  spare.clear()
  return s
}

/**
 * Groups reports of the same event from their vectors (see `vectorize`): identical and
 * near-identical reports first, then average-link agglomeration (the two groups most similar on
 * average merge first, until no two are `threshold` alike, `headlineThreshold` for headline-only groups). Pairs that share none of their
 * heaviest terms count as unlike. Returns groups of indexes, each sorted, in order of their
 * first member. Deterministic.
 */
export function groupReports(v: ReportVectors, g = GROUPING): number[][] {
  const n = v.start.length - 1
  const sizeOf = (i: number) => v.start[i + 1]! - v.start[i]!
  const parent = Array.from({ length: n }, (_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)))

  // Copies and near-copies: reports with the same few heaviest terms are compared with the
  // first of them (linear however many copies), and joined when they are the same report.
  const buckets = new Map<string, number>()
  const spare = new DenseVector(v.terms.size)
  for (let i = 0; i < n; i++) {
    const key = heaviest(v, i, 6)
    const first = buckets.get(key)
    if (first === undefined) buckets.set(key, i)
    else if (cosine(v, i, first, spare) >= g.duplicate) parent[i] = find(first)
  }
  const reps = parent.filter((p, i) => p === i)
  // Per group, by the index of its first report: how many reports (copies counted), their
  // terms in all, whether all are headline-only, and a stamp that changes when the group does.
  const weight = new Float64Array(n)
  const terms = new Float64Array(n)
  const short = new Uint8Array(n).fill(1)
  const version = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const r = find(i)
    weight[r]!++
    terms[r]! += sizeOf(i)
    if (sizeOf(i) > g.headlineTerms) short[r] = 0
  }

  // Similarities of every two representatives, by their shared terms: each report's terms are
  // looked up in the postings of the reports before it and the products summed (no pair is
  // visited that shares no term). A term on very many of a day's reports is little evidence of
  // one event and would make this quadratic: it is left out. Pairs less alike than `floor` count
  // as unlike, so a big day keeps few pairs.
  const maxDf = Math.max(g.maxPostings, Math.ceil(reps.length / 10))
  const vocabulary = v.terms.size
  const df = new Int32Array(vocabulary)
  for (const i of reps) for (let e = v.start[i]!; e < v.start[i + 1]!; e++) df[v.ids[e]!]!++
  const start = new Int32Array(vocabulary + 1)
  for (let id = 0; id < vocabulary; id++) start[id + 1] = start[id]! + (df[id]! <= maxDf ? df[id]! : 0)
  const fill = start.slice(0, vocabulary)
  const postDoc = new Int32Array(start[vocabulary]!)
  const postWeight = new Float64Array(start[vocabulary]!)
  const acc = new Float64Array(reps.length)
  const touched: number[] = []
  const pairs = new Pairs(n)
  reps.forEach((i, a) => {
    for (let e = v.start[i]!; e < v.start[i + 1]!; e++) {
      const id = v.ids[e]!
      if (df[id]! > maxDf) continue
      const w = v.weights[e]!
      for (let p = start[id]!; p < fill[id]!; p++) {
        const b = postDoc[p]!
        if (acc[b] === 0) touched.push(b)
        acc[b] = acc[b]! + w * postWeight[p]!
      }
      postDoc[fill[id]!] = a
      postWeight[fill[id]!++] = w
    }
    for (const b of touched) {
      if (acc[b]! >= g.floor) {
        const j = reps[b]!
        pairs.add(i, j, acc[b]! * weight[i]! * weight[j]!)
      }
      acc[b] = 0
    }
    touched.length = 0
  })

  // Average link: the pair of groups with the highest mean similarity merges first. A heap of
  // pairs stamped with their groups' versions: a pair whose group has changed since is skipped
  // (the changed group's pairs were pushed again).
  const enough = (a: number, b: number, x: number) => {
    if (short[a] && short[b]) return x >= g.headlineThreshold * (1 + Math.max(weight[a]!, weight[b]!) / g.headlineGrowth)
    // Short reports must be more alike: by the mean length of the shorter group's reports.
    const len = Math.min(terms[a]! / weight[a]!, terms[b]! / weight[b]!)
    return x >= Math.min(g.shortMax, g.threshold * Math.max(1, g.shortTerms / len) ** 2)
  }
  const heap = new PairHeap(n)
  const average = (a: number, b: number, sum: number) => sum / (weight[a]! * weight[b]!)
  for (let p = 0; p < pairs.size; p++) {
    const i = pairs.one[p]!
    const j = pairs.other[p]!
    const [a, b] = i < j ? [i, j] : [j, i]
    const x = average(a, b, pairs.sum[p]!)
    if (enough(a, b, x)) heap.add(x, a, b, 0, 0)
  }
  heap.build()
  // Per group, where its pair with each neighbour is while a merge runs (-1: none).
  const pairWith = new Int32Array(n).fill(-1)
  while (heap.pop()) {
    const { a, b } = heap
    if (version[a] !== heap.va || version[b] !== heap.vb) continue
    // The group with more neighbours is kept and the other's pairs moved to it: each merge
    // costs the two groups' pairs, never their neighbours' rows.
    const na = pairs.neighbours[a]!
    const nb = pairs.neighbours[b]!
    const keep = na > nb || (na === nb && a < b) ? a : b
    const drop = keep === a ? b : a
    parent[drop] = keep
    const kept = pairs.live(keep)
    for (const p of kept) pairWith[pairs.otherEnd(p, keep)] = p
    for (const p of pairs.live(drop)) {
      const c = pairs.otherEnd(p, drop)
      if (c === keep) {
        pairs.remove(p)
        continue
      }
      const q = pairWith[c]!
      if (q >= 0) {
        // Both had c for a neighbour: one pair of sums, c one neighbour fewer.
        pairs.sum[q] = pairs.sum[q]! + pairs.sum[p]!
        pairs.remove(p)
        pairs.neighbours[c]!--
      } else {
        // Only the dropped group had: the pair is now the kept group's (c's row names it still).
        pairs.moveEnd(p, drop, keep)
        kept.push(p)
        pairs.neighbours[keep]!++
      }
    }
    for (const p of pairs.live(keep)) pairWith[pairs.otherEnd(p, keep)] = -1
    pairWith[drop] = -1
    pairs.neighbours[keep]!--
    weight[keep]! += weight[drop]!
    terms[keep]! += terms[drop]!
    short[keep] = short[keep]! & short[drop]!
    version[keep]!++
    version[drop] = -1
    for (const p of kept) {
      const c = pairs.otherEnd(p, keep)
      const x = average(keep, c, pairs.sum[p]!)
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

/** The pairs of groups that are alike at all, with the sum of their reports' similarities: in
 * typed arrays, so a big day makes no garbage per pair. Each group lists the pairs it is in; a
 * pair removed stays in lists until they are next read (`live`), and a pair moved from one group
 * to another needs no change in the other end's list. */
class Pairs {
  one = new Int32Array(1024)
  other = new Int32Array(1024)
  sum = new Float64Array(1024)
  size = 0
  /** Per group: the pairs it is in (some removed, see `live`). */
  private rows: number[][]
  /** Per group: how many groups it is in a pair with. */
  neighbours: Int32Array
  constructor(groups: number) {
    this.rows = Array.from({ length: groups }, () => [])
    this.neighbours = new Int32Array(groups)
  }
  add(i: number, j: number, sum: number): void {
    if (this.size === this.sum.length) {
      this.one = grow(this.one, new Int32Array(this.size * 2))
      this.other = grow(this.other, new Int32Array(this.size * 2))
      this.sum = grow(this.sum, new Float64Array(this.size * 2))
    }
    const p = this.size++
    this.one[p] = i
    this.other[p] = j
    this.sum[p] = sum
    this.rows[i]!.push(p)
    this.rows[j]!.push(p)
    this.neighbours[i]!++
    this.neighbours[j]!++
  }
  otherEnd(p: number, g: number): number {
    return this.one[p] === g ? this.other[p]! : this.one[p]!
  }
  /** The group's pairs, with the removed ones dropped from its list. */
  live(g: number): number[] {
    const row = this.rows[g]!
    let k = 0
    for (const p of row) if (this.one[p] === g || this.other[p] === g) row[k++] = p
    row.length = k
    return row
  }
  remove(p: number): void {
    this.one[p] = -1
    this.other[p] = -1
  }
  moveEnd(p: number, from: number, to: number): void {
    if (this.one[p] === from) this.one[p] = to
    else this.other[p] = to
  }
}

/** A max-heap of (similarity, a, b) and the versions of a and b when pushed, in typed arrays,
 * ties broken by the lower pair, so merging is deterministic and a big day makes no garbage per
 * pair. `pop` leaves the top in `s`, `a`, `b`, `va`, `vb`. */
class PairHeap {
  private sims = new Float64Array(1024)
  /** a × groups + b: one number orders by a, then b. */
  private keys = new Float64Array(1024)
  private vas = new Int32Array(1024)
  private vbs = new Int32Array(1024)
  private size = 0
  s = 0
  a = 0
  b = 0
  va = 0
  vb = 0
  constructor(private groups: number) {}
  /** Adds an entry without keeping the heap in order: `build` orders them all at once. */
  add(s: number, a: number, b: number, va: number, vb: number): void {
    if (this.size === this.sims.length) {
      this.sims = grow(this.sims, new Float64Array(this.size * 2))
      this.keys = grow(this.keys, new Float64Array(this.size * 2))
      this.vas = grow(this.vas, new Int32Array(this.size * 2))
      this.vbs = grow(this.vbs, new Int32Array(this.size * 2))
    }
    const i = this.size++
    this.sims[i] = s
    this.keys[i] = a * this.groups + b
    this.vas[i] = va
    this.vbs[i] = vb
  }
  build(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i)
  }
  push(s: number, a: number, b: number, va: number, vb: number): void {
    this.add(s, a, b, va, vb)
    let i = this.size - 1
    const key = this.keys[i]!
    const vai = this.vas[i]!
    const vbi = this.vbs[i]!
    while (i > 0) {
      const p = (i - 1) >> 1
      const ps = this.sims[p]!
      if (!(s > ps || (s === ps && key < this.keys[p]!))) break
      this.move(p, i)
      i = p
    }
    this.sims[i] = s
    this.keys[i] = key
    this.vas[i] = vai
    this.vbs[i] = vbi
  }
  pop(): boolean {
    if (this.size === 0) return false
    this.s = this.sims[0]!
    const key = this.keys[0]!
    this.a = Math.floor(key / this.groups)
    this.b = key - this.a * this.groups
    this.va = this.vas[0]!
    this.vb = this.vbs[0]!
    this.size--
    if (this.size > 0) {
      this.move(this.size, 0)
      this.down(0)
    }
    return true
  }
  private move(from: number, to: number): void {
    this.sims[to] = this.sims[from]!
    this.keys[to] = this.keys[from]!
    this.vas[to] = this.vas[from]!
    this.vbs[to] = this.vbs[from]!
  }
  /** Sifts entry i down to its place. */
  private down(i: number): void {
    const s = this.sims[i]!
    const key = this.keys[i]!
    const va = this.vas[i]!
    const vb = this.vbs[i]!
    const size = this.size
    for (;;) {
      const l = 2 * i + 1
      if (l >= size) break
      let m = l
      const r = l + 1
      if (r < size) {
        const ls = this.sims[l]!
        const rs = this.sims[r]!
        if (rs > ls || (rs === ls && this.keys[r]! < this.keys[l]!)) m = r
      }
      const ms = this.sims[m]!
      if (!(ms > s || (ms === s && this.keys[m]! < key))) break
      this.move(m, i)
      i = m
    }
    this.sims[i] = s
    this.keys[i] = key
    this.vas[i] = va
    this.vbs[i] = vb
  }
}
