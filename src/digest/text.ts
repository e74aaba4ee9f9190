import { wordsOf } from '../article/words'

/** Words and sentences for grouping and summarising: no NLP packages. Runs when an article is
 * written (see `prepareDayEntry`), never when a digest is composed. */

// Function words and newsroom filler that say nothing about which event a report is about.
const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each even few for from further had has have having he her here hers herself him himself his how however i if in into is it its itself just like many me more most much must my myself new no nor not now of off on once one only or other our ours ourselves out over own said same says she should so some such than that the their theirs them themselves then there these they this those through to too two under until up upon us very was we were what when where which while who whom why will with within without would year years yet you your yours yourself
  according across added adding against ago already although among another around asked away back called came come despite did during early either else ever every first former get go going got however including instead last later least less let made make may might mr mrs ms near nearly next often per perhaps put rather really recent recently saying see seen several since still take taken tell thing things though three time told took toward towards via want way week weeks well whether whose yesterday today tomorrow monday tuesday wednesday thursday friday saturday sunday`.split(/\s+/),
)

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' })

/** Crude English stemming: enough to make "pacts"/"pact" and "leaders'"/"leader" meet. */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`
  if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1)
  return w
}

/** The content words of a text: lower case, apostrophes and stop words gone, lightly stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const token of wordsOf(text.normalize('NFKC').toLowerCase())) {
    const w = token.replace(/['’]s?$/u, '')
    if (w.length < 2 || STOP.has(w)) continue
    out.push(stem(w))
  }
  return out
}

/** The sentences of a text, as written (trimmed), paragraph breaks respected. */
export function splitSentences(text: string): string[] {
  const out: string[] = []
  for (const para of text.split(/\n{2,}/)) {
    for (const s of sentences.segment(para.replace(/\s*\n\s*/g, ' '))) {
      const t = s.segment.trim()
      if (t) out.push(t)
    }
  }
  return out
}

export type Vector = Map<string, number>

/** Term counts of a list of tokens. */
export function counts(tokens: string[]): Vector {
  const v: Vector = new Map()
  for (const t of tokens) v.set(t, (v.get(t) ?? 0) + 1)
  return v
}

/** Scales a vector to unit length (in place) and returns it. */
export function normalize(v: Vector): Vector {
  let sum = 0
  for (const x of v.values()) sum += x * x
  const n = Math.sqrt(sum) || 1
  for (const [k, x] of v) v.set(k, x / n)
  return v
}

/** Dot product; of unit vectors, the cosine similarity. */
export function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let s = 0
  for (const [k, x] of small) {
    const y = large.get(k)
    if (y !== undefined) s += x * y
  }
  return s
}
