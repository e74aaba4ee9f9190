import type { StoryLink } from './model'
import type { DayTerms, DenseVector } from './sparse'
import { dot, normalize } from './text'

/** Terms a story keeps so that a later day can tell it continues the story. */
export const STORY_TERMS = 20
/** A story continues an earlier one when their kept terms (`storyTerms`) are this
 * similar: chosen on the tuning part of uci-dev (scripts/grouping-eval.ts). */
export const CONTINUES = 0.5

/** A story of an earlier day's digest, as `previousStoriesOf` makes it. */
export interface PreviousStory extends StoryLink {
  terms: [string, number][]
  /** The identity of the story it belongs to across days (absent before threads were kept:
   * then its `id`). */
  thread?: string
}

/**
 * What a story keeps for later days: its reports' term counts summed, each weighed by its
 * rarity plus one (so the names every report of a small site shares still count), the
 * heaviest few, unit length and rounded. `ids` are each report's terms numbered in `terms`;
 * `sum` is an empty dense vector, left empty.
 */
export function storyTerms(reports: { terms: [string, number][]; ids: ArrayLike<number> }[], terms: DayTerms, sum: DenseVector): [string, number][] {
  for (const r of reports) r.terms.forEach(([, c], k) => sum.add(r.ids[k]!, c * (terms.idf(r.ids[k]!) + 1)))
  const names = terms.names
  const heavier = (a: number, b: number) => sum.weights[b]! - sum.weights[a]! || (names[a]! < names[b]! ? -1 : 1)
  // The heaviest few, in order, without sorting them all.
  const top: number[] = []
  for (const id of sum.ids) {
    if (top.length === STORY_TERMS && heavier(id, top[STORY_TERMS - 1]!) >= 0) continue
    let k = Math.min(top.length, STORY_TERMS - 1)
    while (k > 0 && heavier(id, top[k - 1]!) < 0) {
      top[k] = top[k - 1]!
      k--
    }
    top[k] = id
  }
  const weights = top.map((id) => sum.weights[id]!)
  sum.clear()
  const norm = Math.sqrt(weights.reduce((s, x) => s + x * x, 0)) || 1
  return top.map((id, k): [string, number] => [names[id]!, Math.round((weights[k]! / norm) * 1000) / 1000])
}

/**
 * Which earlier story each of a day's stories continues, one to one: the most similar pairs
 * first, and each thread (an earlier story and its own continuations) is taken by at most one
 * story of the day, so an event split in two does not make two stories of one identity.
 * Returns, per story, the link or undefined.
 */
export function continuations(terms: [string, number][][], previous: PreviousStory[], threshold = CONTINUES): (PreviousStory | undefined)[] {
  const prev = previous.map((p) => normalize(new Map(p.terms)))
  const pairs: { story: number; p: number; sim: number }[] = []
  terms.forEach((t, story) => {
    const v = normalize(new Map(t))
    prev.forEach((pv, p) => {
      const sim = dot(v, pv)
      if (sim >= threshold) pairs.push({ story, p, sim })
    })
  })
  const threadOf = (p: PreviousStory) => p.thread ?? p.id
  pairs.sort(
    (a, b) =>
      b.sim - a.sim ||
      (previous[a.p]!.date > previous[b.p]!.date ? -1 : previous[a.p]!.date < previous[b.p]!.date ? 1 : 0) ||
      a.story - b.story ||
      (previous[a.p]!.id < previous[b.p]!.id ? -1 : 1),
  )
  const out: (PreviousStory | undefined)[] = terms.map(() => undefined)
  const taken = new Set<string>()
  for (const { story, p } of pairs) {
    const link = previous[p]!
    if (out[story] || taken.has(threadOf(link))) continue
    out[story] = link
    taken.add(threadOf(link))
  }
  return out
}
