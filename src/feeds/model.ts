import { type ArticleMeta, type Image, metaOf, type RenderedArticle } from '../article/model'
import { escapeHtml } from '../html'

/** What a feed needs of an article, prepared when the article is written: no Markdown at request time. */
export interface FeedEntry extends ArticleMeta {
  summary: string
  /** Rendered HTML; links and images are absolute or root-relative ("/articles/x"). */
  html: string
  lang?: string
  /** The article's picture (its URL absolute or root-relative, as stored). */
  cover?: Image
}

/** Characters of HTML one feed item carries at most: a reader polls 20 items at a time, so one
 * very long article must not make every poll megabytes. Beyond it, the item holds the excerpt
 * and a link to the whole article. */
export const FEED_ITEM_MAX_CHARS = 50_000

export function toFeedEntry(a: RenderedArticle): FeedEntry {
  const html =
    a.html.length <= FEED_ITEM_MAX_CHARS
      ? a.html
      : `<p>${escapeHtml(a.excerpt)}</p>\n<p><a href="/articles/${a.slug}">Read the whole article (${a.words.toLocaleString('en')} words, about ${a.readingMinutes} minutes).</a></p>\n`
  return { ...metaOf(a), summary: a.excerpt, html, lang: a.lang, ...(a.cover ? { cover: a.cover } : {}) }
}

export interface Person {
  name: string
  url?: string
  email?: string
}

/** One item, in the terms all three formats share. */
export interface FeedItem {
  /** Stable: the article's permalink, which never changes once published. */
  id: string
  url: string
  title: string
  summary: string
  /** HTML with absolute URLs only. */
  contentHtml: string
  published: string
  updated: string
  authors: Person[]
  categories: { term: string; label: string; scheme: string }[]
  lang?: string
  /** The item's picture, its URL absolute: RSS media:content (and an enclosure when its size is
   * known), an Atom enclosure link, JSON Feed `image`. */
  image?: Image
}

export type FeedFormat = 'rss' | 'atom' | 'json'

/** A feed document but its items: what a document says around them. */
export interface FeedFrame {
  /** Stable id of the feed (Atom `id`): its canonical URL without format. */
  id: string
  title: string
  description: string
  language: string
  /** The HTML page this feed follows. */
  home: string
  /** The canonical URL of this document, per format, so each can name the others. */
  self: Record<FeedFormat, string>
  /** The WebSub hub that tells subscribers when this feed changes (null: none does, as for a search). */
  hub: string | null
  /** RFC 5005 paging: the newest page, and the next (older) page when there is one. */
  first: Record<FeedFormat, string>
  next: Record<FeedFormat, string> | null
  prev: Record<FeedFormat, string> | null
  /** Newest change of any item; the epoch when there are none (never "now"). */
  updated: string
  icon: string | null
  author: Person
  generator: { name: string; url: string; version: string }
}

/** A whole feed document: one model, rendered by one pure function per format. */
export interface FeedDoc extends FeedFrame {
  items: FeedItem[]
}

/** Content types of the three formats. */
export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
}
