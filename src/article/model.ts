import { hashOf } from '../hash'

/** A topic as written by the author (`name`) and as used in URLs and KV keys (`slug`). */
export interface Topic {
  slug: string
  name: string
}

/** An author as written (`name`) and as used in URLs and KV keys (`slug`, made as a topic's). */
export type Author = Topic

/** The outlet an article comes from. */
export interface Source {
  name: string
  url?: string
}

/** What every view of an article carries: who, what, when, on which topics. */
export interface ArticleMeta {
  slug: string
  title: string
  /** RFC 3339 with offset, as written. */
  date: string
  updated?: string
  /** Every author's name, joined with ", ": what pages show on one line. */
  author?: string
  /** Each author, in the order written (absent when there is none, as in records stored before). */
  authors?: Author[]
  source?: Source
  topics: Topic[]
}

/** The metadata of an article, for building a view of it. */
export const metaOf = ({ slug, title, date, updated, author, authors, source, topics }: ArticleMeta): ArticleMeta => ({
  slug,
  title,
  date,
  updated,
  author,
  ...(authors ? { authors } : {}),
  source,
  topics,
})

/** The names of an article's authors: each it names, or, for a record stored before authors
 * were, its one `author` line. */
export const authorNames = (a: Pick<ArticleMeta, 'author' | 'authors'>): string[] => a.authors?.map((x) => x.name) ?? (a.author ? [a.author] : [])

/** An article's picture, as pages and feeds show it. */
export interface Image {
  /** An absolute http(s) URL, or a root-relative path for a file beside the article
   * ("/articles/<slug>/photo.jpg"), which pages and feeds make absolute with a plain prefix. */
  url: string
  /** What the picture shows, for those who cannot see it; empty when the author gave none. */
  alt: string
  /** Its media type, when its file name says it ("image/jpeg"). */
  type?: string
  /** Its size in bytes, when known (a file published with the article): RSS enclosures need it. */
  length?: number
}

/** An article as parsed from its Markdown file: front matter checked, body untouched. */
export interface Article extends ArticleMeta {
  summary?: string
  lang?: string
  draft: boolean
  /** Front matter `image` as written (checked): an http(s) URL, or a file beside the article. */
  image?: string
  /** Front matter `image_alt`. */
  imageAlt?: string
  /** The Markdown body, without front matter. */
  body: string
  /** The whole file as written: served at `/articles/:slug.md`. */
  markdown: string
}

/** An article with everything derived at write time, as stored in KV. */
export interface RenderedArticle extends Article {
  html: string
  text: string
  /** `summary` when given, else derived from the text. */
  excerpt: string
  words: number
  readingMinutes: number
  /** `image` when given, else the body's first image; none when neither. */
  cover?: Image
}

/** What a listing needs of an article: no body, no HTML. */
export interface ArticleEntry extends ArticleMeta {
  excerpt: string
  readingMinutes: number
  cover?: Image
  /** The article's ETag (a hash of its source): a list holding the entry changes whenever the
   * article does, so a view made from the list and the article's stored item changes with it. */
  etag: string
}

/** One problem with one article file. */
export interface ArticleError {
  file: string
  field: string
  message: string
}

/** Milliseconds since the epoch of an RFC 3339 timestamp already validated by the parser. */
export const timeOf = (rfc3339: string): number => Date.parse(rfc3339)

/** The listing entry of an article. */
export function toEntry(a: RenderedArticle, etag: string): ArticleEntry {
  return { ...metaOf(a), excerpt: a.excerpt, readingMinutes: a.readingMinutes, ...(a.cover ? { cover: a.cover } : {}), etag }
}

/** An article's ETag: the hash of its Markdown source, so equal sources have equal ETags. */
export const sourceEtag = async (markdown: string): Promise<string> => `"${await hashOf(markdown)}"`

/** A topic as listed on the topics page. */
export interface TopicSummary extends Topic {
  count: number
  /** Date of the newest article in the topic. */
  latest: string
}

export interface TopicIndex {
  topics: TopicSummary[]
}

/** An author as listed on the authors page: as a topic is. */
export type AuthorSummary = TopicSummary

export interface AuthorIndex {
  authors: AuthorSummary[]
}

/** Where an article came from: `npm run sync` owns the `sync` ones, the API the rest. */
export type Origin = 'sync' | 'api'
