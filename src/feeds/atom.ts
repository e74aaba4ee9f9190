import type { FeedDoc, FeedFrame, FeedItem, Person } from './model'
import { cdata, el, empty, esc, rfc3339 } from './xml'

/**
 * Atom 1.0 (RFC 4287) with RFC 5005 paging links. Written here rather than by the `feed` package,
 * whose Atom output marks plain-text titles as HTML, breaks on a second `]]>`, and throws on ids
 * that are not URLs.
 */
export function renderAtom(doc: FeedDoc): string {
  return atomFeed(doc, doc.items.map(atomEntry))
}

/** One `<entry>`. */
export function atomEntry(i: FeedItem): string {
  return [
    i.lang ? `<entry xml:lang="${esc(i.lang)}">` : '<entry>',
    el('id', i.id),
    textConstruct('title', i.title),
    empty('link', { rel: 'alternate', type: 'text/html', href: i.url }),
    i.image
      ? empty('link', {
          rel: 'enclosure',
          ...(i.image.type ? { type: i.image.type } : {}),
          ...(i.image.length ? { length: String(i.image.length) } : {}),
          href: i.image.url,
        })
      : '',
    el('published', rfc3339(i.published)),
    el('updated', rfc3339(i.updated)),
    ...i.authors.map(person),
    ...i.categories.map((c) => empty('category', { term: c.term, label: c.label, scheme: c.scheme })),
    textConstruct('summary', i.summary),
    cdata('content', i.contentHtml, { type: 'html' }),
    '</entry>',
  ].join('')
}

/** An Atom document: the frame's feed elements around the entries given (from `atomEntry`). */
export function atomFeed(doc: FeedFrame, entries: string[]): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${esc(doc.language)}">`,
    el('id', doc.id),
    textConstruct('title', doc.title),
    doc.description ? textConstruct('subtitle', doc.description) : '',
    el('updated', rfc3339(doc.updated)),
    person(doc.author),
    el('generator', doc.generator.name, { ...(doc.generator.url ? { uri: doc.generator.url } : {}), version: doc.generator.version }),
    doc.icon ? el('icon', doc.icon) : '',
    empty('link', { rel: 'self', type: 'application/atom+xml', href: doc.self.atom }),
    doc.hub ? empty('link', { rel: 'hub', href: doc.hub }) : '',
    empty('link', { rel: 'alternate', type: 'text/html', href: doc.home }),
    empty('link', { rel: 'first', type: 'application/atom+xml', href: doc.first.atom }),
    doc.next ? empty('link', { rel: 'next', type: 'application/atom+xml', href: doc.next.atom }) : '',
    doc.prev ? empty('link', { rel: 'previous', type: 'application/atom+xml', href: doc.prev.atom }) : '',
    ...entries,
    '</feed>\n',
  ].join('')
}

/** A text construct, always plain text (`type="text"`): readers that ignore `type` (rss-parser)
 * showed titles sent as escaped HTML with their `&lt;` and `&amp;`. */
const textConstruct = (name: string, text: string): string => el(name, text, { type: 'text' })

const person = (p: Person): string => `<author>${el('name', p.name)}${p.email ? el('email', p.email) : ''}${p.url ? el('uri', p.url) : ''}</author>`
