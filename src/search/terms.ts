import { stem } from '../digest/text'

// The terms of search, one analysis for what is indexed and what is asked, so both meet: Unicode
// words, case and compatibility forms folded (NFKC: NFC and NFD spellings are one term), accents
// on Latin, Greek and Cyrillic letters dropped ("café" finds "cafe"), English plurals folded as
// the digest does; scripts written without spaces (Chinese, Japanese, Korean, Thai…) cut into
// overlapping pairs of characters, each character on its own too, as CJK search engines do
// without a dictionary, so "東京都" is found by "東京" and by "京都".

/** A run of letters, digits and the marks on them. */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu
/** Scripts whose words are not spaced: indexed by characters and pairs of them. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u
const ACCENTED = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{Mn}+/gu
const LATIN_WORD = /^[a-z]+$/
const ASCII_WORD = /^[A-Za-z0-9]+$/

/** A term and where its text sits in what was analysed (UTF-16 offsets). */
export interface TermSpan {
  term: string
  start: number
  end: number
  /** A character of an unspaced script alone: indexed, but asked for only when a query has no pair. */
  single?: boolean
}

/** One word as a term: folded and, when plain English letters, lightly stemmed. */
function foldWord(word: string): string {
  // Plain ASCII (most words of most articles) needs no Unicode normalising.
  if (ASCII_WORD.test(word)) {
    const lower = word.toLowerCase()
    return LATIN_WORD.test(lower) ? stem(lower) : lower
  }
  const folded = word.normalize('NFKC').toLowerCase().normalize('NFD').replace(ACCENTED, '$1').normalize('NFC')
  return LATIN_WORD.test(folded) ? stem(folded) : folded
}

/** Every term of `text`, in order, with where it sits. */
export function termSpans(text: string): TermSpan[] {
  const out: TermSpan[] = []
  for (const m of text.matchAll(WORD)) {
    const word = m[0]
    const at = m.index
    if (!UNSPACED.test(word)) {
      out.push({ term: foldWord(word), start: at, end: at + word.length })
      continue
    }
    // Split into spaced and unspaced runs; an unspaced run gives its characters and their pairs.
    let i = 0
    while (i < word.length) {
      const cp = word.codePointAt(i)!
      const ch = String.fromCodePoint(cp)
      if (!UNSPACED.test(ch)) {
        let j = i
        while (j < word.length && !UNSPACED.test(String.fromCodePoint(word.codePointAt(j)!))) j += word.codePointAt(j)! > 0xffff ? 2 : 1
        out.push({ term: foldWord(word.slice(i, j)), start: at + i, end: at + j })
        i = j
        continue
      }
      const chars: { ch: string; start: number }[] = []
      while (i < word.length) {
        const c = String.fromCodePoint(word.codePointAt(i)!)
        if (!UNSPACED.test(c) && !/\p{M}/u.test(c)) break
        // A mark belongs to the character before it (Thai vowels and tones).
        if (/\p{M}/u.test(c) && chars.length > 0) chars[chars.length - 1]!.ch += c
        else chars.push({ ch: c, start: i })
        i += c.length
      }
      chars.forEach((c, k) => {
        const start = at + c.start
        const fold = (s: string) => s.normalize('NFKC').toLowerCase()
        out.push({ term: fold(c.ch), start, end: start + c.ch.length, single: true })
        const next = chars[k + 1]
        if (next) out.push({ term: fold(c.ch + next.ch), start, end: at + next.start + next.ch.length })
      })
    }
  }
  return out
}

/** The terms a query asks for, each once: an unspaced run by its pairs (a lone character alone). */
export function queryTerms(query: string): string[] {
  const spans = termSpans(query)
  const terms: string[] = []
  spans.forEach((s, i) => {
    // A lone character is asked for only when no pair starts or ends with it.
    if (s.single && (spans[i + 1]?.start === s.start || spans[i - 1]?.end === s.end)) return
    terms.push(s.term)
  })
  return [...new Set(terms)]
}

/** How often each term appears in `text`. */
export function termCounts(text: string, into: Map<string, number> = new Map(), weight = 1): Map<string, number> {
  for (const s of termSpans(text)) into.set(s.term, (into.get(s.term) ?? 0) + weight)
  return into
}
