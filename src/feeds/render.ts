import { atomEntry, atomFeed } from './atom'
import { jsonFeed, jsonItem } from './json'
import type { FeedDoc, FeedFormat, FeedFrame, FeedItem } from './model'
import { rssFeed, rssItem } from './rss'

/** The three formats every feed is offered in. */
export const FEED_FORMATS: FeedFormat[] = ['atom', 'rss', 'json']

/** One item in one format: a fragment that any document of that format can carry as it is. */
export function renderItem(item: FeedItem, format: FeedFormat): string {
  return format === 'rss' ? rssItem(item) : format === 'atom' ? atomEntry(item) : jsonItem(item)
}

/** An item's fragments in every format, made once when its article is written. */
export type ItemFragments = Record<FeedFormat, string>

export const renderItemFragments = (item: FeedItem): ItemFragments => ({
  atom: atomEntry(item),
  rss: rssItem(item),
  json: jsonItem(item),
})

/** A document around fragments already rendered (by `renderItem`): concatenation, no escaping. */
export function renderFrame(frame: FeedFrame, format: FeedFormat, items: string[]): string {
  return format === 'rss' ? rssFeed(frame, items) : format === 'atom' ? atomFeed(frame, items) : jsonFeed(frame, items)
}

/** A feed document's bytes in one format. */
export function renderFeed(doc: FeedDoc, format: FeedFormat): string {
  return renderFrame(
    doc,
    format,
    doc.items.map((i) => renderItem(i, format)),
  )
}
