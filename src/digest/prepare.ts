import type { Candidate, DayEntry } from './model'
import { splitSentences, tokenize } from './text'

/** Words of the lead kept for grouping. */
export const LEAD_WORDS = 350
/** Sentences of the lead kept as summary candidates. */
const CANDIDATES = 10
const SENTENCE = { min: 40, max: 320 }

/** A sentence reads as a statement on its own: not a heading, not a question, not too long. */
const usable = (s: string) => s.length >= SENTENCE.min && s.length <= SENTENCE.max && !s.endsWith('?') && /[.!"”»’]$/.test(s)

/** Everything the digest needs of an article, found once when the article is written. */
export function prepareDayEntry(a: Omit<DayEntry, 'titleTerms' | 'leadTerms' | 'sentences'> & { text: string }): DayEntry {
  const { text, ...meta } = a
  const sentences: Candidate[] = []
  for (const s of splitSentences(text.slice(0, 6000))) {
    if (sentences.length === CANDIDATES) break
    if (usable(s)) sentences.push({ text: s, terms: tokenize(s) })
  }
  return { ...meta, titleTerms: tokenize(a.title), leadTerms: tokenize(text.slice(0, 4000)).slice(0, LEAD_WORDS), sentences }
}
