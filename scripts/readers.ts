// The reader's view of a feed: what Universal Feed Parser, an npm reader (rss-parser) and the
// plain XML text say each item's title and link are, compared with what `/articles` says the
// article is. Any difference is a title or link a reader would show wrongly.
import { decodeHTML } from 'entities'
import Parser from 'rss-parser'
import { child, childrenNamed, type XmlElement } from './xml-tree'

/** An article as `/articles` lists it. */
export interface ListedArticle {
  slug: string
  url: string
  title: string
  /** The article's picture, its URL absolute, or null. */
  image: { url: string } | null
}

/** Every article of the site by URL, following the list's `next` links. */
export async function listedArticles(site: string): Promise<Map<string, ListedArticle>> {
  const byUrl = new Map<string, ListedArticle>()
  for (let next: string | null = `${site}/articles?limit=100`; next; ) {
    const page = (await (await fetch(next)).json()) as { articles: ListedArticle[]; next: string | null }
    for (const a of page.articles) byUrl.set(a.url, a)
    next = page.next
  }
  return byUrl
}

/** One entry as scripts/feedcheck.py reports it. */
export interface FeedparserEntry {
  title: string | null
  titleType: string | null
  link: string | null
  id: string | null
  summary: string | null
  author: string | null
  /** media:content URLs. */
  media: string[]
  enclosures: { href: string | null; type: string | null; length: string | null }[]
}

/**
 * RSS cannot say a title is plain text, so Universal Feed Parser guesses: a title holding a
 * character reference as written ("a &amp; b") is taken for HTML and shown as "a & b". No RSS
 * spelling satisfies both it and readers that take titles as text (rss-parser, newsboat); RSS
 * follows the RSS profile (text), and the difference, which the content causes, is listed.
 */
export const RSS_TITLES_GUESSED_HTML = new Set(['hostile-literal-entity'])
export const expectedDifferences: string[] = []

/** Counts what was compared, for the closing summary. */
export const compared = { items: 0, documents: 0, pictures: 0 }

/** A mismatch, as the script prints it: where, which item, what was expected and what came. */
const mismatch = (path: string, reader: string, item: string, field: string, expected: string, got: unknown): string =>
  `${path}: ${reader}: item ${item}: ${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`

/** The article an item stands for, or a problem when its URL is not one `/articles` lists. */
function articleOf(path: string, reader: string, url: string | null | undefined, articles: Map<string, ListedArticle>, problems: string[]) {
  const article = url ? articles.get(url) : undefined
  if (!article) problems.push(`${path}: ${reader}: item link ${JSON.stringify(url)} is not an article /articles lists`)
  return article
}

/**
 * (a) Universal Feed Parser. It hands over HTML titles (Atom `type="html"`, and RSS titles it
 * guesses are HTML) still escaped, for the reader to render: decoded once, that is the text.
 */
export function checkFeedparser(path: string, entries: FeedparserEntry[], articles: Map<string, ListedArticle>): string[] {
  const problems: string[] = []
  for (const e of entries) {
    const article = articleOf(path, 'feedparser', e.link, articles, problems)
    if (!article) continue
    if (e.id !== article.url) problems.push(mismatch(path, 'feedparser', article.slug, 'id', article.url, e.id))
    problems.push(...checkPicture(path, 'feedparser', article, [...e.media, ...e.enclosures.map((n) => n.href)]))
    const shown = e.titleType === 'text/html' ? decodeHTML(e.title ?? '') : e.title
    if (shown === article.title) continue
    const difference = mismatch(path, 'feedparser', article.slug, `title (${e.titleType})`, article.title, e.title)
    if (/\.rss/.test(path) && e.titleType === 'text/html' && RSS_TITLES_GUESSED_HTML.has(article.slug)) expectedDifferences.push(difference)
    else problems.push(difference)
  }
  return problems
}

/**
 * The item's picture as a reader found it: every URL it names (RSS media:content and enclosure,
 * Atom enclosure links) is the article's picture, and an article with one has it in the item.
 */
function checkPicture(path: string, reader: string, article: ListedArticle, found: (string | null | undefined)[]): string[] {
  const want = article.image?.url ?? null
  const urls = [...new Set(found.filter((u) => u))]
  if (want === null && urls.length === 0) return []
  if (want !== null && urls.length === 1 && urls[0] === want) {
    compared.pictures++
    return []
  }
  return [mismatch(path, reader, article.slug, 'picture', String(want), urls)]
}

/** (d) JSON Feed's `image`, as any JSON reader takes it. */
export function checkJsonPictures(path: string, feed: { items: { url?: string; image?: string }[] }, articles: Map<string, ListedArticle>): string[] {
  return feed.items.flatMap((item) => {
    const article = item.url ? articles.get(item.url) : undefined
    return article ? checkPicture(path, 'JSON Feed', article, [item.image]) : []
  })
}

// Readers that show thumbnails ask rss-parser for Media RSS by name; it reads RSS enclosures itself.
const rssParser = new Parser<Record<string, never>, { media?: { $: { url: string } } }>({ customFields: { item: [['media:content', 'media']] } })

/** (b) rss-parser, an npm reader, reads RSS and Atom: it shows the title as given, whatever
 * Atom's `type` says; in RSS it finds the picture (it reads no Atom enclosure links). */
export async function checkRssParser(path: string, body: string, articles: Map<string, ListedArticle>): Promise<string[]> {
  const problems: string[] = []
  const feed = await rssParser.parseString(body)
  for (const item of feed.items) {
    const article = articleOf(path, 'rss-parser', item.link, articles, problems)
    if (article && item.title !== article.title) problems.push(mismatch(path, 'rss-parser', article.slug, 'title', article.title, item.title))
    if (article && /\.rss/.test(path)) problems.push(...checkPicture(path, 'rss-parser', article, [item.media?.$.url, item.enclosure?.url]))
  }
  return problems
}

/**
 * (c) The title as plain XML text, after XML's own decoding only: exactly the article's title in
 * RSS; in Atom after applying `type` (text as is, html decoded once); JSON Feed's `title` as is.
 */
export function checkPlainTitles(path: string, root: XmlElement | null, json: unknown, articles: Map<string, ListedArticle>): string[] {
  const problems: string[] = []
  const items: { url: string | undefined; title: string | undefined }[] = []
  if (root?.name === 'rss') {
    for (const item of childrenNamed(child(root, 'channel')!, 'item')) items.push({ url: child(item, 'link')?.text, title: child(item, 'title')?.text })
  } else if (root?.name === 'feed') {
    for (const entry of childrenNamed(root, 'entry')) {
      const title = child(entry, 'title')
      const text = title && title.attrs.type === 'html' ? decodeHTML(title.text) : title?.text
      const alternate = childrenNamed(entry, 'link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate')
      items.push({ url: alternate?.attrs.href, title: text })
    }
  } else {
    for (const item of (json as { items: { url?: string; title?: string }[] }).items) items.push({ url: item.url, title: item.title })
  }
  for (const { url, title } of items) {
    compared.items++
    const article = articleOf(path, 'plain text', url, articles, problems)
    if (article && title !== article.title) problems.push(mismatch(path, 'plain text', article.slug, 'title', article.title, title))
  }
  compared.documents++
  return problems
}
