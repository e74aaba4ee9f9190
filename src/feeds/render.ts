import { atomEntry, atomFeed } from './atom'
import { jsonFeed, jsonItem } from './json'
import type { FeedDoc, FeedFormat, FeedFrame, FeedItem } from './model'
import { rssFeed, rssItem } from './rss'

/**
 * Bump when the renderers write other bytes for the same data: every stored item and document is
 * rendered again (the writer's render signature) and every feed ETag changes.
 */
export const RENDER_VERSION = 3

/** The three formats every feed is offered in. */
export const FEED_FORMATS: FeedFormat[] = ['atom', 'rss', 'json']

/** One item in one format: a fragment that any document of that format can carry as it is. */
function renderItem(item: FeedItem, format: FeedFormat): string {
  return format === 'rss' ? rssItem(item) : format === 'atom' ? atomEntry(item) : jsonItem(item)
}

/** An item's fragments in every format, made once when its article is written. */
export type ItemFragments = Record<FeedFormat, string>

export const renderItemFragments = (item: FeedItem): ItemFragments =>
  Object.fromEntries(FEED_FORMATS.map((format) => [format, renderItem(item, format)])) as ItemFragments

/** A document around fragments already rendered (by `renderItem`): concatenation, no escaping. */
function renderFrame(frame: FeedFrame, format: FeedFormat, items: string[]): string {
  return format === 'rss' ? rssFeed(frame, items) : format === 'atom' ? atomFeed(frame, items) : jsonFeed(frame, items)
}

const encoder = new TextEncoder()
const MARK = ['\u0000item-1\u0000', '\u0000item-2\u0000']

/** Where a document's items sit in its bytes: the first at `at`, each `gap` bytes after the one
 * before (JSON Feed's comma), each of its length. */
export interface ItemLayout {
  at: number
  gap: number
  lengths: number[]
}

/** The bytes of each item of a document laid out as `layout` says. */
export const itemsOf = (bytes: Uint8Array, layout: ItemLayout): Uint8Array[] => {
  let at = layout.at
  return layout.lengths.map((length) => {
    const item = bytes.subarray(at, at + length)
    at += length + layout.gap
    return item
  })
}

/**
 * A document around fragments already encoded as UTF-8, as bytes, and where its items sit: the
 * frame is rendered around two marks to learn what comes before the items, between two and after,
 * then the pieces are copied end to end. Equal to encoding `renderFrame(frame, format, items)`,
 * without making the document a string. `marked` is that frame around the marks: with the items,
 * it determines the bytes.
 */
export function renderFrameBytes(frame: FeedFrame, format: FeedFormat, items: Uint8Array[]): { bytes: Uint8Array; layout: ItemLayout; marked: string } {
  const framed = renderFrame(frame, format, MARK)
  const [start, rest] = [framed.indexOf(MARK[0]!), framed.indexOf(MARK[1]!)]
  const before = encoder.encode(framed.slice(0, start))
  const between = encoder.encode(framed.slice(start + MARK[0]!.length, rest))
  const after = encoder.encode(framed.slice(rest + MARK[1]!.length))
  const parts = items.length === 0 ? [before, after] : [before, ...items.flatMap((item, i) => (i === 0 ? [item] : [between, item])), after]
  return { bytes: concatBytes(parts), layout: { at: before.length, gap: between.length, lengths: items.map((i) => i.length) }, marked: framed }
}

/** A feed document's bytes in one format. */
export function renderFeed(doc: FeedDoc, format: FeedFormat): string {
  return renderFrame(
    doc,
    format,
    doc.items.map((i) => renderItem(i, format)),
  )
}

/** Byte arrays copied end to end into one. */
function concatBytes(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.length
  }
  return bytes
}

/** An item's fragments (UTF-8, in `FEED_FORMATS` order) back to back, and the length in bytes of
 * each, as `v1/item/<slug>` holds them. */
export function packItem(fragments: Uint8Array[]): { value: Uint8Array; parts: number[] } {
  return { value: concatBytes(fragments), parts: fragments.map((f) => f.length) }
}
