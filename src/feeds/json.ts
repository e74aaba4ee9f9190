import { Feed } from 'feed'
import { xmlSafe } from './xml'
import type { FeedDoc } from './model'

/**
 * JSON Feed 1.1. The `feed` package lays out the document; its output is JSON Feed 1.0 with one
 * author per item, so it is upgraded here: version 1.1, `authors`, `language`, paging, and no
 * `author`. Text is cleaned of XML-forbidden characters too, so all three formats say the same.
 */
export function renderJsonFeed(doc: FeedDoc): string {
  const feed = new Feed({
    id: doc.id,
    title: xmlSafe(doc.title),
    description: xmlSafe(doc.description),
    link: doc.home,
    language: doc.language,
    updated: new Date(doc.updated),
    copyright: '',
    feedLinks: { json: doc.self.json },
    ...(doc.icon ? { image: doc.icon, favicon: doc.icon } : {}),
  })
  for (const i of doc.items) {
    feed.addItem({
      id: i.id,
      link: i.url,
      title: xmlSafe(i.title),
      description: xmlSafe(i.summary),
      content: xmlSafe(i.contentHtml),
      date: new Date(i.updated),
      published: new Date(i.published),
      category: i.categories.map((c) => ({ name: xmlSafe(c.label), term: c.term })),
    })
  }
  const json = JSON.parse(feed.json1()) as Record<string, unknown> & { items: Record<string, unknown>[] }
  delete json.author
  json.items.forEach((item, n) => {
    const source = doc.items[n]!
    delete item.author
    // JSON Feed 1.1: authors, if present, holds at least one author.
    if (source.authors.length > 0) item.authors = source.authors.map((a) => ({ name: xmlSafe(a.name), ...(a.url ? { url: a.url } : {}) }))
    if (source.lang) item.language = source.lang
  })
  const { items, ...head } = json
  return `${JSON.stringify(
    {
      ...head,
      version: 'https://jsonfeed.org/version/1.1',
      language: doc.language,
      authors: [{ name: xmlSafe(doc.author.name), ...(doc.author.url ? { url: doc.author.url } : {}) }],
      hubs: [{ type: 'WebSub', url: doc.hub }],
      ...(doc.next ? { next_url: doc.next.json } : {}),
      items,
    },
    null,
    2,
  )}\n`
}
