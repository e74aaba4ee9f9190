import { termSpans } from './terms'

/** A piece of text with the places a query matched (UTF-16 offsets into `text`, in order). */
export interface Highlighted {
  text: string
  marks: [number, number][]
}

/** Where `terms` appear in `text`, overlapping and touching places joined. */
export function highlight(text: string, terms: Set<string>): Highlighted {
  const marks: [number, number][] = []
  for (const s of termSpans(text)) {
    if (!terms.has(s.term)) continue
    const last = marks[marks.length - 1]
    if (last && s.start <= last[1]) last[1] = Math.max(last[1], s.end)
    else marks.push([s.start, s.end])
  }
  return { text, marks }
}

/**
 * The part of `text` about `size` characters long that holds the most of the query's terms
 * (each counted once), cut at word boundaries, with "…" where it was cut, and its matches
 * marked. Its start: the text's own when no term is in it.
 */
export function excerptOf(text: string, terms: Set<string>, size = 240): Highlighted {
  const spans = termSpans(text).filter((s) => terms.has(s.term))
  let best = { start: 0, found: 0 }
  for (let i = 0; i < spans.length; i++) {
    const found = new Set<string>()
    for (let j = i; j < spans.length && spans[j]!.end - spans[i]!.start <= size; j++) found.add(spans[j]!.term)
    if (found.size > best.found) best = { start: spans[i]!.start, found: found.size }
  }
  // A little context before the first match, from a word's start.
  let start = Math.max(0, best.start - 40)
  if (start > 0) {
    const space = text.lastIndexOf(' ', best.start - 1)
    start = space >= start ? space + 1 : start
  }
  let end = Math.min(text.length, start + size)
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end)
    if (space > best.start) end = space
  }
  const cut = text.slice(start, end).trim()
  const lead = start > 0 ? '…' : ''
  const piece = `${lead}${cut}${end < text.length ? '…' : ''}`
  return highlight(piece, terms)
}
