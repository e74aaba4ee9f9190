import { wordsOf } from '../article/words'

/** Words and sentences for grouping and summarising: no NLP packages. Runs when an article is
 * written (see `prepareDayEntry`), never when a digest is composed. */

// Function words and newsroom filler that say nothing about which event a report is about.
const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each even few for from further had has have having he her here hers herself him himself his how however i if in into is it its itself just like many me more most much must my myself new no nor not now of off on once one only or other our ours ourselves out over own said same says she should so some such than that the their theirs them themselves then there these they this those through to too two under until up upon us very was we were what when where which while who whom why will with within without would year years yet you your yours yourself
  according across added adding against ago already although among another around asked away back called came come despite did during early either else ever every first former get go going got however including instead last later least less let made make may might mr mrs ms dr near nearly next often per perhaps put rather really recent recently saying see seen several since still take taken tell thing things though three time told took toward towards via want way week weeks well whether whose yesterday today tomorrow monday tuesday wednesday thursday friday saturday sunday
  january february march april june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec don't didn't doesn't isn't wasn't can't won't it's that's i'm we're they're he's she's there's`.split(
    /\s+/,
  ),
)

/** Crude English stemming: enough to make "pacts"/"pact" and "leaders'"/"leader" meet. */
export function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`
  if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1)
  return w
}

/** Digits grouped with commas or points ("115,000", "1.5") are one number, not two words. */
const GROUPED = /(\d)[,.](?=\d)/g

/** A content word and whether it was written as a name or a number would be. */
export interface Token {
  term: string
  /** Written capitalised inside a sentence, in capitals, or with digits: a name or a number. */
  name: boolean
  /** The token starts a sentence. */
  start: boolean
}

const UPPER = /^\p{Lu}/u
const DIGIT = /\d/

/** The content words of a text, each with whether it looks like a name or a number. */
export function analyze(text: string): Token[] {
  const out: Token[] = []
  for (const sentence of splitSentences(text)) {
    let first = true
    for (const raw of wordsOf(sentence.normalize('NFKC').replace(GROUPED, '$1'))) {
      const atStart = first
      first = false
      const lower = raw.toLowerCase().replace(/['’]s?$/u, '')
      if (lower.length < 2 || STOP.has(lower)) continue
      const digits = DIGIT.test(raw)
      // Lone small numbers ("13", "2") say little about which event; "2015", "MH370", "777" do.
      if (digits && /^\d{1,2}$/.test(lower)) continue
      const name = digits || (!atStart && UPPER.test(raw)) || (raw.length > 1 && raw === raw.toUpperCase() && /\p{Lu}/u.test(raw))
      out.push({ term: stem(lower), name, start: atStart })
    }
  }
  return out
}

/** The content words of a text: lower case, apostrophes and stop words gone, lightly stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const token of wordsOf(text.normalize('NFKC').replace(GROUPED, '$1').toLowerCase())) {
    const w = token.replace(/['’]s?$/u, '')
    if (w.length < 2 || STOP.has(w) || /^\d{1,2}$/.test(w)) continue
    out.push(stem(w))
  }
  return out
}

// Abbreviations after which a full stop does not end a sentence (lower case, no stop).
const ABBREVIATIONS = new Set(
  `mr mrs ms dr prof gov sen rep gen col lt sgt capt cmdr adm maj cpl pvt rev fr st mt ft jr sr hon pres supt insp det messrs mme mlle
  inc corp co ltd plc llc bros dept univ assn est approx appt apt vs etc cf al ca
  jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
  no nos vol pp para fig art ch sec op ed eds ave blvd rd hwy`.split(/\s+/),
)
// Abbreviations that often end a sentence too: after them a new sentence needs a clear start.
const FINAL_ABBREVIATIONS = new Set(['etc', 'inc', 'corp', 'co', 'ltd', 'plc', 'llc', 'bros', 'jr', 'sr', 'al'])
// Words that begin a sentence far more often than they follow "U.S." or an initial in one.
const STARTERS = new Set(
  `the a an it its he she they we i you this that these those there in on at but and or so yet if when while after before as for his her their our my mr mrs ms dr however meanwhile still then some many most no not one two three all both each officials police`.split(
    /\s+/,
  ),
)

const CLOSERS = `"'”’)]»」』）〕】`
const OPENERS = `"'“‘([«「『（〔【¿¡`
const CJK_END = /[。！？｡]/
const END = /[.!?…。！？｡]/

/** Does a sentence end at the terminator run text[i..j) (j after any closing quotes)? */
function endsAt(block: string, i: number, j: number): boolean {
  const mark = block[i]!
  if (CJK_END.test(mark)) return true
  if (j < block.length && !/\s/.test(block[j]!)) return false
  let k = j
  while (k < block.length && /\s/.test(block[k]!)) k++
  if (k >= block.length) return true
  const next = block[k]!
  if (/\p{Ll}/u.test(next)) return false
  if (!(/[\p{Lu}\p{Lo}\p{N}]/u.test(next) || OPENERS.includes(next))) return false
  if (mark !== '.' || j > i + 1) return true
  // A full stop right after a word: an abbreviation, an initial, or the end of a sentence?
  const before = /([\p{L}.]+)$/u.exec(block.slice(0, i))?.[1] ?? ''
  const word = before.toLowerCase()
  const nextWord = (/^[\p{L}]+/u.exec(block.slice(k).replace(/^[^\p{L}\p{N}]+/u, ''))?.[0] ?? '').toLowerCase()
  if (/^\d/.test(next) && (word === 'no' || word === 'nos' || word === 'vol' || word === 'art' || word === 'fig' || word === 'p' || word === 'pp')) return false
  if (ABBREVIATIONS.has(word) && word !== 'no') return FINAL_ABBREVIATIONS.has(word) && STARTERS.has(nextWord)
  // Initials and abbreviations written with stops: "P.K. Roy", "U.S. officials", "J. Smith".
  if (/^(\p{L}\.)+\p{L}$/u.test(before) || /^\p{Lu}$/u.test(before)) return STARTERS.has(nextWord) && before.length > 1
  return true
}

/** The sentences of one paragraph, as written (trimmed). */
function sentencesOf(block: string): string[] {
  const out: string[] = []
  let from = 0
  for (let i = 0; i < block.length; i++) {
    if (!END.test(block[i]!)) continue
    let j = i + 1
    while (j < block.length && (END.test(block[j]!) || CLOSERS.includes(block[j]!))) j++
    if (endsAt(block, i, j)) {
      const s = block.slice(from, j).trim()
      if (s) out.push(s)
      from = j
    }
    i = j - 1
  }
  const rest = block.slice(from).trim()
  if (rest) out.push(rest)
  return out
}

/** The sentences of a text, as written (trimmed); a line break always ends one. Knows
 * abbreviations ("Mr.", "Gov.", "U.S."), initials, decimals, quotes and CJK full stops. */
export function splitSentences(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\n/)) {
    const block = line.replace(/\s+/g, ' ').trim()
    if (block) out.push(...sentencesOf(block))
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
