import type { DayEntry } from './model'
import { type DayTerms, type DenseVector, dotDense, normalizeRange, type SparseVector } from './sparse'
import { tokenize } from './text'

/** A summary of several sentences stops growing at this length (its opening alone may be longer). */
const SUMMARY_MAX_CHARS = 420
/** Reports whose sentences are read, the most representative first: a big story's summary
 * comes from its core, and composing a busy day stays fast. */
const READ_REPORTS = 24
/** A sentence this far into its report or nearer counts as its lead. */
const LEAD_SENTENCES = 2
/** Two sentences this alike say the same thing: the second adds nothing. */
const REPEATS = 0.35
/** A headline adds to a summary when at least this share of its words are new to it. */
const ADDS = 0.6
/** An opening that starts like this refers to something said before it: it cannot open. */
const MID_THOUGHT =
  /^(?:[“"‘']?)(?:Mr|Mrs|Ms|Dr|He|She|They|It|Its|This|That|These|Those|There|But|And|Also|However|Meanwhile|Still|Yet|Instead|Then|His|Her|Their)\b/

interface Choice {
  text: string
  terms: string[]
  report: number
  at: number
  /** Found when first needed: most sentences are never compared. */
  vector?: SparseVector
  relevance?: number
}

/** A headline as a sentence of a summary: ends with a full stop unless it ends with a mark. */
const asSentence = (h: string) => (/[.!?…"”’»]$/.test(h) ? h : `${h}.`)

/**
 * Two or three of the reports' own sentences, leading with the news: the opening of the most
 * representative report, then what other reports add that is not said yet (then what its own
 * next sentences add). A story of headline-only reports is summarised by its best headline and
 * the others' headlines that add to it. `order` lists the members most representative first;
 * `center` is the story's centre (`spare` an empty dense vector), `headline` a member's cleaned
 * title. Returns the summary and the report it opens with.
 */
export function summarize(
  members: DayEntry[],
  order: number[],
  center: DenseVector,
  spare: DenseVector,
  terms: DayTerms,
  headline: (member: number) => string,
): { text: string; from: number } {
  const vectorOf = (c: Choice) => (c.vector ??= sentenceVector(c.terms, terms))
  const relevanceOf = (c: Choice) => {
    if (c.relevance === undefined) {
      const v = vectorOf(c)
      c.relevance = dotDense(v.ids, v.weights, 0, v.ids.length, center, spare)
    }
    return c.relevance
  }
  const choices: Choice[] = []
  for (const r of order.slice(0, READ_REPORTS)) {
    members[r]!.sentences.forEach((s, k) => {
      choices.push({ text: s.text, terms: s.terms, report: r, at: s.at ?? k })
    })
  }
  if (choices.length === 0) return fromHeadlines(order, headline)
  const rank = new Map(order.map((r, k) => [r, k]))
  // The opening: the lead of the most representative report that has one that stands alone.
  const leads = choices.filter((c) => c.at <= LEAD_SENTENCES)
  const opening = leads.find((c) => !MID_THOUGHT.test(c.text)) ?? leads[0] ?? choices[0]!
  const chosen: Choice[] = [opening]
  let length = opening.text.length
  const fits = (c: Choice) => length + 1 + c.text.length <= SUMMARY_MAX_CHARS
  const repeats = (c: Choice) =>
    chosen.some((x) => x.text === c.text || x.text.includes(c.text) || c.text.includes(x.text) || dot(vectorOf(x), vectorOf(c)) > REPEATS)
  const sameReport = choices.filter((c) => c.report === opening.report && c.at > opening.at)
  // What other reports add: their leads, the most relevant first, none that leans on what its
  // own report said before it.
  const others = choices.filter((c) => c.report !== opening.report && c.at <= LEAD_SENTENCES + 1 && !MID_THOUGHT.test(c.text))
  for (const c of others) relevanceOf(c)
  others.sort((a, b) => b.relevance! - a.relevance! || rank.get(a.report)! - rank.get(b.report)! || a.at - b.at)
  for (const c of [...others, ...sameReport]) {
    if (chosen.length === 3) break
    if (!fits(c) || repeats(c)) continue
    chosen.push(c)
    length += 1 + c.text.length
  }
  return { text: chosen.map((c) => c.text).join(' '), from: opening.report }
}

/** A sentence's distinct terms, each weighed by its rarity, unit length. */
function sentenceVector(words: string[], terms: DayTerms): SparseVector {
  const ids = new Int32Array(words.length)
  const weights = new Float64Array(words.length)
  let k = 0
  for (const w of words) {
    const id = terms.id(w)
    if (ids.subarray(0, k).includes(id)) continue
    ids[k] = id
    weights[k++] = terms.idf(id) || 1e-3
  }
  normalizeRange(weights, 0, k)
  return { ids: ids.subarray(0, k), weights: weights.subarray(0, k) }
}

/** The cosine of two short vectors, summed over the one with fewer terms (a on a tie), in its order. */
function dot(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.ids.length <= b.ids.length ? [a, b] : [b, a]
  let s = 0
  for (let k = 0; k < small.ids.length; k++) {
    const j = large.ids.indexOf(small.ids[k]!)
    if (j >= 0) s += small.weights[k]! * large.weights[j]!
  }
  return s
}

/** The best headline, then up to two others that say something it does not: most of their
 * words new to the summary. */
function fromHeadlines(order: number[], headline: (member: number) => string): { text: string; from: number } {
  const from = order.find((r) => headline(r)) ?? order[0] ?? 0
  const chosen: string[] = []
  const said = new Set<string>()
  let length = 0
  for (const r of [from, ...order.filter((r) => r !== from)]) {
    if (chosen.length === 3) break
    const text = headline(r)
    if (!text) continue
    const terms = [...new Set(tokenize(text))]
    const fresh = terms.filter((t) => !said.has(t)).length
    if (chosen.length > 0 && (fresh < 2 || fresh < terms.length * ADDS || length + 1 + text.length > SUMMARY_MAX_CHARS)) continue
    chosen.push(asSentence(text))
    for (const t of terms) said.add(t)
    length += text.length + 2
  }
  return { text: chosen.join(' '), from }
}
