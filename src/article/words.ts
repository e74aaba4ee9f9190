// Scripts written without spaces between words need Intl.Segmenter's dictionaries; for the rest
// a regular expression finds the same words about 50 times faster (measured: 2 ms against
// 0.04 ms for a 4.5 KB article), which matters on the write path's CPU budget.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*/gu
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' })

/** The words of a text, in order, as written. */
export function wordsOf(text: string): string[] {
  if (UNSPACED.test(text)) return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment)
  return text.match(WORD) ?? []
}
