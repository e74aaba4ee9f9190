import type { Candidate, DayEntry } from './model'
import { priorShare } from './prior'
import { splitSentences, tokenize } from './text'

/** How an article's words are counted for grouping, when it is written (tuned with GROUPING). */
export const COUNTING = {
  /** Characters of text read: the rest is detail, not which event the report is about. */
  chars: 20000,
  /** Terms kept per article (by count times prior rarity): the DayEntry stays small. */
  keep: 150,
}

/** Sentences kept as summary candidates, from the opening of the text. */
const CANDIDATES = 5
/** Sentences looked at for candidates: the lead, not detail from deep in the article. */
const LOOK = 14
/** A lead of up to `max` characters is kept whole: a long opening is still the news, and
 * dropping it would make the summary open mid-thought. */
const SENTENCE = { min: 40, minCjk: 12, max: 600 }
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/** A line of newsroom furniture rather than news: notices, captions, credits, prompts. */
const BOILERPLATE = [
  /copyright|©|all rights reserved|ts\s?&\s?cs|terms (and|&) conditions|subscri(be|ber|ption)|paywall|sign up|log ?in to|newsletter/i,
  /free articles?|continue reading|keep reading|unlimited (digital )?access|create an? (free )?account|registered users|(only|available) (to|for) (members|subscribers)|this (content|article) is (only )?available|already a member|please (log|sign) in|to read (this|the full)|cookies|javascript|your browser/i,
  /\badvertisement\b|\bsponsored\b|read more|click here|see also|related:|more on this|share this|follow (us|the latest)|live (blog|updates)|after the jump|stay tuned|watch:|listen:|video:|view all \d+ photos|image (copyright|caption)|media playback|jump media player/i,
  /\b(photo(graph)?|picture|image|illustration|video)s?\s*(:|by\b)|\b(getty|reuters|afp|ap|epa|pa)\s*(images|photo)\b|\[[A-Z/ ]{4,}\]|\((ap|afp|reuters|getty)[^)]*\)\s*$/i,
  /^(by|reporting by|editing by|additional reporting|written by|posted by|updated|published)\b/i,
  /@\w+|https?:\/\/|www\./i,
]

/** Is a sentence newsroom furniture rather than news? */
export const isBoilerplate = (s: string): boolean => BOILERPLATE.some((re) => re.test(s))

/** A dateline or an agency credit before the news: "PARIS (Reuters) -", "WASHINGTON —",
 * "KUALA LUMPUR, Malaysia (AP) —", "(CNN) --", "Nov. 11 (Bloomberg) --", "BREAKING:". */
const LEAD_IN =
  /^(?:(?:\p{Lu}[\p{Lu}.'’/-]*\s*){1,4}(?:,\s*\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)?)?\s*(?:\([^)]{1,40}\)\s*)?(?:[-–—:|]+|\s-\s)\s*|(?:\p{Lu}\p{Ll}{2}\.? \d{1,2},?\s*)?\([\p{L} .]{2,30}\)\s*(?:[-–—]+|:)\s*)/u

/** A sentence without the dateline or capitals lead-in it opens with; the rest verbatim. */
export function withoutLeadIn(s: string): string {
  const m = LEAD_IN.exec(s)
  // A place in capitals ("PARIS") or a credit in brackets: "U.S. - China talks" is no dateline.
  if (!m || !/\p{Lu}{3}|\(/u.test(m[0])) return s
  const rest = s.slice(m[0].length)
  // Only a lead-in: what follows starts a sentence and is one ("U.S. - China talks" is not).
  return /^[\p{Lu}\p{N}"“‘'(]/u.test(rest) && rest.length >= SENTENCE.min ? rest : s
}

/** Opens with two words in capitals, "DAVE BASSETT'S stunt…": a shouted lead-in this cannot cut cleanly. */
const SHOUTING = /^[“"]?\p{Lu}{3,}[\p{Lu}'’.,-]*\s+\p{Lu}{2,}[\p{Lu}'’.,-]*\s/u

/** A sentence reads as a statement on its own: not a heading, not a question, not too long. */
function usable(s: string): boolean {
  const min = CJK.test(s) ? SENTENCE.minCjk : SENTENCE.min
  return s.length >= min && s.length <= SENTENCE.max && !/[?？]["”’»」]?$/.test(s) && /[.!。！"”»’」』]$/.test(s) && !isBoilerplate(s) && !SHOUTING.test(s)
}

/** Rarity of a term by the prior alone: ranks an article's terms before any collection is known. */
const priorIdf = (term: string) => Math.log(1 / (priorShare(term) + 0.002))

type Input = Omit<DayEntry, 'terms' | 'sentences'> & { text: string }

/** Everything the digest needs of an article, found once when the article is written. */
export function prepareDayEntry(a: Input): DayEntry {
  const { text, ...meta } = a
  const all = splitSentences(text.slice(0, 20000))
  const sentences: Candidate[] = []
  // `at` counts the statements before a sentence, not headings, captions or notices: a report
  // that opens with a byline still has its lead at 0.
  let at = 0
  for (let i = 0; i < all.length && i < LOOK && sentences.length < CANDIDATES; i++) {
    const s = withoutLeadIn(all[i]!)
    if (usable(s)) sentences.push({ text: s, terms: [...new Set(tokenize(s))], at })
    if (s.length >= (CJK.test(s) ? SENTENCE.minCjk : SENTENCE.min) && !isBoilerplate(s)) at++
  }
  return { ...meta, terms: countTerms(a.title, text), sentences }
}

/** An article's terms with their counts in its headline and text, the most telling (by prior
 * rarity too) first. */
function countTerms(title: string, text: string): [string, number][] {
  const counts = new Map<string, number>()
  for (const t of tokenize(`${title}\n${text.slice(0, COUNTING.chars)}`)) counts.set(t, (counts.get(t) ?? 0) + 1)
  const rank = (x: [string, number]) => x[1] * priorIdf(x[0])
  return [...counts].sort((x, y) => rank(y) - rank(x) || (x[0] < y[0] ? -1 : 1)).slice(0, COUNTING.keep)
}

/** The distinct terms one article contributes to collection-wide document frequencies. */
export function dfTermsOf(entry: Pick<DayEntry, 'terms'>): string[] {
  return (entry.terms ?? []).map(([t]) => t)
}
