import { el, empty, esc, rfc822 } from './xml'
import type { FeedDoc } from './model'

/**
 * RSS 2.0 with content:encoded, dc:creator and atom:link (self, next, first). Written here rather
 * than by the `feed` package, whose RSS output breaks on a second `]]>` in CDATA and puts names in
 * `<author>`, which RSS reserves for e-mail addresses.
 */
export function renderRss(doc: FeedDoc, stylesheet?: string): string {
  const links = [
    empty('atom:link', { href: doc.self.rss, rel: 'self', type: 'application/rss+xml' }),
    empty('atom:link', { href: doc.first.rss, rel: 'first', type: 'application/rss+xml' }),
    doc.next ? empty('atom:link', { href: doc.next.rss, rel: 'next', type: 'application/rss+xml' }) : '',
    doc.prev ? empty('atom:link', { href: doc.prev.rss, rel: 'previous', type: 'application/rss+xml' }) : '',
  ]
  const items = doc.items.map((i) =>
    [
      '<item>',
      el('title', i.title),
      el('link', i.url),
      el('guid', i.id, { isPermaLink: String(i.id === i.url) }),
      el('pubDate', rfc822(i.published)),
      ...i.authors.map((a) => el('dc:creator', a.name)),
      ...i.categories.map((c) => el('category', c.label, { domain: c.scheme })),
      el('description', i.summary),
      el('content:encoded', i.contentHtml),
      '</item>',
    ].join(''),
  )
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    stylesheet ? `<?xml-stylesheet type="text/xsl" href="${esc(stylesheet)}"?>\n` : '',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    el('title', doc.title),
    el('link', doc.home),
    el('description', doc.description || doc.title),
    el('language', doc.language),
    el('lastBuildDate', rfc822(doc.updated)),
    el('generator', `${doc.generator.name} ${doc.generator.version}`),
    el('docs', 'https://www.rssboard.org/rss-specification'),
    ...links,
    doc.icon ? `<image>${el('url', doc.icon)}${el('title', doc.title)}${el('link', doc.home)}</image>` : '',
    ...items,
    '</channel></rss>\n',
  ].join('')
}
