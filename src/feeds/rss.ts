import type { Image } from '../article/model'
import { escapeHtml } from '../html'
import type { FeedDoc, FeedFrame, FeedItem } from './model'
import { cdata, el, empty, esc, rfc822, xmlSafe } from './xml'

/**
 * RSS 2.0 with content:encoded, dc:creator and atom:link (self, first, next, previous). Written
 * here rather than by the `feed` package, whose RSS output breaks on a second `]]>` in CDATA and
 * puts names in `<author>`, which RSS reserves for e-mail addresses.
 *
 * RSS never said whether its text elements hold text or HTML, so readers differ. Following the
 * RSS Advisory Board's profile, `&` and `<` in them are written as `&#x26;` and `&#x3C;`, and a
 * title is plain text escaped once, as XML text: escaping it as HTML too made readers that take
 * titles as text (newsboat, rss-parser) show `&lt;b&gt;`. `description` is HTML: the summary is
 * HTML-escaped into it. An item's picture is Media RSS (`xmlns:media`), declared on every
 * document since items are rendered on their own.
 */
export function renderRss(doc: FeedDoc): string {
  return rssFeed(doc, doc.items.map(rssItem))
}

/** One `<item>`. */
export function rssItem(i: FeedItem): string {
  return [
    '<item>',
    text('title', i.title),
    el('link', i.url),
    el('guid', i.id, { isPermaLink: String(i.id === i.url) }),
    el('pubDate', rfc822(i.published)),
    ...i.authors.map((a) => text('dc:creator', a.name)),
    ...i.categories.map((c) => `<category domain="${esc(c.scheme)}">${plain(c.label)}</category>`),
    el('description', escapeHtml(i.summary)),
    cdata('content:encoded', i.contentHtml),
    i.image ? rssImage(i.image) : '',
    '</item>',
  ].join('')
}

/** An item's picture: Media RSS's `media:content`, which feed readers show as its thumbnail, and
 * an `enclosure` too when its size is known (RSS requires a length, and the W3C validator takes
 * 0 for an error). No `media:description` for the alt text: Universal Feed Parser would take it
 * for the item's summary. */
function rssImage(image: Image): string {
  const size = image.length !== undefined && image.length > 0 ? String(image.length) : undefined
  const enclosure = size && image.type ? empty('enclosure', { url: image.url, length: size, type: image.type }) : ''
  return `${enclosure}${empty('media:content', { url: image.url, medium: 'image', ...(image.type ? { type: image.type } : {}), ...(size ? { fileSize: size } : {}) })}`
}

/** An RSS document: the frame's channel around the items given (from `rssItem`). */
export function rssFeed(doc: FeedFrame, items: string[]): string {
  const links = [
    empty('atom:link', { href: doc.self.rss, rel: 'self', type: 'application/rss+xml' }),
    doc.hub ? empty('atom:link', { href: doc.hub, rel: 'hub' }) : '',
    empty('atom:link', { href: doc.first.rss, rel: 'first', type: 'application/rss+xml' }),
    doc.next ? empty('atom:link', { href: doc.next.rss, rel: 'next', type: 'application/rss+xml' }) : '',
    doc.prev ? empty('atom:link', { href: doc.prev.rss, rel: 'previous', type: 'application/rss+xml' }) : '',
  ]
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">',
    '<channel>',
    text('title', doc.title),
    el('link', doc.home),
    el('description', escapeHtml(doc.description || doc.title)),
    el('language', doc.language),
    el('lastBuildDate', rfc822(doc.updated)),
    el('generator', `${doc.generator.name} ${doc.generator.version}`),
    el('docs', 'https://www.rssboard.org/rss-specification'),
    ...links,
    doc.icon ? `<image>${el('url', doc.icon)}${text('title', doc.title)}${el('link', doc.home)}</image>` : '',
    ...items,
    '</channel></rss>\n',
  ].join('')
}

/** Plain text in an RSS element, `&` and `<` as hexadecimal references. */
const plain = (s: string): string => xmlSafe(s).replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
const text = (name: string, s: string): string => `<${name}>${plain(s)}</${name}>`
