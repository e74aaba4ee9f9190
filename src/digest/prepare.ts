import type { Candidate, DayEntry } from './model'
import { priorShare } from './prior'
import { analyze, splitSentences, tokenize } from './text'

/** How an article's words are weighed for grouping, when it is written. */
const WEIGHING = {
  /** A headline word counts as this many words of the opening. */
  title: 3,
  /** Words further into the text count less: weight 1 / (1 + position / decay). */
  decay: 120,
  /** Words read from the text; the rest is detail, not which event the report is about. */
  words: 900,
  /** A word mostly written as a name or a number counts this much more. */
  name: 2,
  /** Terms kept per article (by weight times prior rarity): the DayEntry stays small. */
  keep: 48,
}

/** Sentences kept as summary candidates, from the opening of the text. */
const CANDIDATES = 5
/** Sentences looked at for candidates: the lead, not detail from deep in the article. */
const LOOK = 14
const SENTENCE = { min: 40, minCjk: 12, max: 320 }
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/** A line of newsroom furniture rather than news: notices, captions, credits, prompts. */
const BOILERPLATE = [
  /copyright|©|all rights reserved|ts\s?&\s?cs|terms (and|&) conditions|subscri(be|ption)|paywall|sign up|log ?in to|newsletter/i,
  /\badvertisement\b|\bsponsored\b|read more|click here|see also|related:|more on this|share this|follow (us|the latest)|live (blog|updates)|after the jump|stay tuned|watch:|listen:|video:|view all \d+ photos|image (copyright|caption)|media playback|jump media player/i,
  /\b(photo(graph)?|picture|image|illustration|video)s?\s*(:|by\b)|\b(getty|reuters|afp|ap|epa|pa)\s*(images|photo)\b|\[[A-Z/ ]{4,}\]|\((ap|afp|reuters|getty)[^)]*\)\s*$/i,
  /^(by|reporting by|editing by|additional reporting|written by|posted by|updated|published)\b/i,
  /@\w+|https?:\/\/|www\./i,
]

/** Is a sentence newsroom furniture rather than news? */
export const isBoilerplate = (s: string): boolean => BOILERPLATE.some((re) => re.test(s))

/** A sentence reads as a statement on its own: not a heading, not a question, not too long. */
function usable(s: string): boolean {
  const min = CJK.test(s) ? SENTENCE.minCjk : SENTENCE.min
  return s.length >= min && s.length <= SENTENCE.max && !/[?？]["”’»」]?$/.test(s) && /[.!。！"”»’」』]$/.test(s) && !isBoilerplate(s)
}

/** Rarity of a term by the prior alone: ranks an article's terms before any collection is known. */
const priorIdf = (term: string) => Math.log(1 / (priorShare(term) + 0.002))

type Input = Omit<DayEntry, 'terms' | 'sentences'> & { text: string }

/** Everything the digest needs of an article, found once when the article is written. */
export function prepareDayEntry(a: Input): DayEntry {
  const { text, ...meta } = a
  const all = splitSentences(text.slice(0, 20000))
  const sentences: Candidate[] = []
  for (let i = 0; i < all.length && i < LOOK && sentences.length < CANDIDATES; i++) {
    const s = all[i]!
    if (usable(s)) sentences.push({ text: s, terms: [...new Set(tokenize(s))], at: i })
  }
  return { ...meta, terms: weighTerms(a.title, all), sentences }
}

/** An article's terms with their weights in it, heaviest (by prior rarity too) first. */
function weighTerms(title: string, sentences: string[]): [string, number][] {
  const sum = new Map<string, number>()
  const named = new Map<string, number>()
  const add = (t: string, w: number, name: boolean) => {
    sum.set(t, (sum.get(t) ?? 0) + w)
    if (name) named.set(t, (named.get(t) ?? 0) + w)
  }
  let i = 0
  for (const s of sentences) {
    if (i >= WEIGHING.words) break
    if (isBoilerplate(s)) continue
    for (const tok of analyze(s)) {
      add(tok.term, 1 / (1 + i / WEIGHING.decay), tok.name)
      i++
    }
  }
  for (const tok of analyze(title)) {
    // A headline is written in title case: its capitals say nothing of names.
    add(tok.term, WEIGHING.title, /\d/.test(tok.term) || (named.get(tok.term) ?? 0) > 0)
  }
  const weights: [string, number][] = []
  for (const [t, s] of sum) {
    const name = (named.get(t) ?? 0) >= s / 2
    weights.push([t, Math.round(Math.sqrt(s) * (name ? WEIGHING.name : 1) * 100) / 100])
  }
  const rank = (x: [string, number]) => x[1] * priorIdf(x[0])
  weights.sort((x, y) => rank(y) - rank(x) || (x[0] < y[0] ? -1 : 1))
  return weights.slice(0, WEIGHING.keep)
}

/** The distinct terms one article contributes to collection-wide document frequencies. */
export function dfTermsOf(entry: Pick<DayEntry, 'terms'>): string[] {
  return (entry.terms ?? []).map(([t]) => t)
}
