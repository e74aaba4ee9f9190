import { el, empty, esc, rfc3339 } from './xml'
import type { FeedDoc } from './model'

/**
 * Atom 1.0 (RFC 4287) with RFC 5005 paging links. Written here rather than by the `feed` package,
 * whose Atom output marks plain-text titles as HTML, breaks on a second `]]>`, and throws on ids
 * that are not URLs.
 */
export function renderAtom(doc: FeedDoc, stylesheet?: string): string {
  const entries = doc.items.map((i) =>
    [
      i.lang ? `<entry xml:lang="${esc(i.lang)}">` : '<entry>',
      el('id', i.id),
      el('title', i.title, { type: 'text' }),
      empty('link', { rel: 'alternate', type: 'text/html', href: i.url }),
      el('published', rfc3339(i.published)),
      el('updated', rfc3339(i.updated)),
      ...i.authors.map((a) => `<author>${el('name', a.name)}${a.url ? el('uri', a.url) : ''}</author>`),
      ...i.categories.map((c) => empty('category', { term: c.term, label: c.label, scheme: c.scheme })),
      el('summary', i.summary, { type: 'text' }),
      el('content', i.contentHtml, { type: 'html' }),
      '</entry>',
    ].join(''),
  )
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    stylesheet ? `<?xml-stylesheet type="text/xsl" href="${esc(stylesheet)}"?>\n` : '',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${esc(doc.language)}">`,
    el('id', doc.id),
    el('title', doc.title, { type: 'text' }),
    doc.description ? el('subtitle', doc.description, { type: 'text' }) : '',
    el('updated', rfc3339(doc.updated)),
    `<author>${el('name', doc.author.name)}${doc.author.url ? el('uri', doc.author.url) : ''}</author>`,
    el('generator', doc.generator.name, { uri: doc.generator.url, version: doc.generator.version }),
    doc.icon ? el('icon', doc.icon) : '',
    empty('link', { rel: 'self', type: 'application/atom+xml', href: doc.self.atom }),
    empty('link', { rel: 'alternate', type: 'text/html', href: doc.home }),
    empty('link', { rel: 'first', type: 'application/atom+xml', href: doc.first.atom }),
    doc.next ? empty('link', { rel: 'next', type: 'application/atom+xml', href: doc.next.atom }) : '',
    doc.prev ? empty('link', { rel: 'previous', type: 'application/atom+xml', href: doc.prev.atom }) : '',
    ...entries,
    '</feed>\n',
  ].join('')
}
