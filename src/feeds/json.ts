import { Feed } from 'feed'
import type { FeedDoc, FeedFrame, FeedItem } from './model'
import { xmlSafe } from './xml'

/**
 * JSON Feed 1.1. The `feed` package lays out the document and each item; its output is JSON Feed
 * 1.0 with one author per item, so it is upgraded here: version 1.1, `authors`, `language`,
 * paging, and no `author`. Text is cleaned of XML-forbidden characters too, so all three formats
 * say the same. Items are laid out on their own (`jsonItem`), once, when an article is written;
 * a document is its frame around them.
 */
export function renderJsonFeed(doc: FeedDoc): string {
  return jsonFeed(doc, doc.items.map(jsonItem))
}

/** One item of a JSON Feed, as JSON. */
export function jsonItem(i: FeedItem): string {
  const feed = new Feed({ id: i.id, title: '', copyright: '' })
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
  const item = (JSON.parse(feed.json1()) as { items: Record<string, unknown>[] }).items[0]!
  delete item.author
  // JSON Feed 1.1: authors, if present, holds at least one author.
  if (i.authors.length > 0) item.authors = i.authors.map((a) => ({ name: xmlSafe(a.name), ...(a.url ? { url: a.url } : {}) }))
  if (i.lang) item.language = i.lang
  if (i.image) item.image = i.image.url
  return JSON.stringify(item)
}

/** A JSON Feed document: the frame's fields, then `items`, the items given (from `jsonItem`) as they are. */
export function jsonFeed(frame: FeedFrame, items: string[]): string {
  const feed = new Feed({
    id: frame.id,
    title: xmlSafe(frame.title),
    description: xmlSafe(frame.description),
    link: frame.home,
    language: frame.language,
    updated: new Date(frame.updated),
    copyright: '',
    feedLinks: { json: frame.self.json },
    ...(frame.icon ? { image: frame.icon, favicon: frame.icon } : {}),
  })
  const { author: _author, items: _items, ...head } = JSON.parse(feed.json1()) as Record<string, unknown>
  const fields = JSON.stringify({
    ...head,
    version: 'https://jsonfeed.org/version/1.1',
    language: frame.language,
    authors: [{ name: xmlSafe(frame.author.name), ...(frame.author.url ? { url: frame.author.url } : {}) }],
    ...(frame.hub ? { hubs: [{ type: 'WebSub', url: frame.hub }] } : {}),
    ...(frame.next ? { next_url: frame.next.json } : {}),
  })
  return `${fields.slice(0, -1)},"items":[${items.join(',')}]}\n`
}
