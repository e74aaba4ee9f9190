import { renderAtom } from './atom'
import { renderJsonFeed } from './json'
import type { FeedDoc, FeedFormat } from './model'
import { renderRss } from './rss'

/** The three formats every feed is offered in. */
export const FEED_FORMATS: FeedFormat[] = ['atom', 'rss', 'json']

/** A feed document's bytes in one format. */
export function renderFeed(doc: FeedDoc, format: FeedFormat): string {
  return format === 'rss' ? renderRss(doc) : format === 'atom' ? renderAtom(doc) : renderJsonFeed(doc)
}
