import { lists } from '../../article/list'
import { metaOf, type RenderedArticle, sourceEtag, toEntry } from '../../article/model'
import type { Site } from '../../bindings'
import type { DayEntry } from '../../digest/model'
import { prepareDayEntry } from '../../digest/prepare'
import { toFeedItem } from '../../feeds/doc'
import { toFeedEntry } from '../../feeds/model'
import { type ItemFragments, RENDER_VERSION, renderItemFragments } from '../../feeds/render'
import type { EntryKind } from '../tables/db'

/**
 * An article's views, made once when it is written: which lists it is in, its entry in the
 * listings (`all` and its topics', which pages show and feeds pick items from), its day entry
 * (what the digest needs: words and candidate sentences), and its feed item in every format with
 * the render signature it was made with. A Worker makes them (`prepareArticle`), so the one
 * writer spends its time on writing; the writer keeps them only if they fit (`viewsFor`).
 */

/** The lists a published article belongs to. */
export function listsOf(a: RenderedArticle): string[] {
  return [lists.all, lists.day(a.date), ...a.topics.map((t) => lists.topic(t.slug)), ...(a.authors ?? []).map((x) => lists.author(x.slug))]
}

/** What the digest needs of an article. */
export function toDayEntry(a: RenderedArticle): DayEntry {
  return prepareDayEntry({ ...metaOf(a), text: a.text })
}

/** Each kind's entry of an article, as JSON, made once when the article is written. */
export function entriesOf(a: RenderedArticle, etag: string): Record<EntryKind, string> {
  return { listing: JSON.stringify(toEntry(a, etag)), day: JSON.stringify(toDayEntry(a)) }
}

/** What a published article's write stores besides its record: its entry in each kind of list,
 * and its feed item with the signature it was rendered with. */
export interface ArticleViews {
  entries: Record<EntryKind, string>
  item: ItemFragments
  signature: string
}

/** An article's views, made once when it is written (in the writer, which knows the site). */
export const viewsOf = (a: RenderedArticle, etag: string, site: Site): ArticleViews => ({
  entries: entriesOf(a, etag),
  item: itemOf(a, site),
  signature: renderSignature(site),
})

/**
 * An article as a Worker sends it to the writer: rendered, with its ETag and the views its write
 * stores. Workers make the views, so the one writer spends its time on writing alone.
 */
export interface PreparedArticle {
  article: RenderedArticle
  etag: string
  views: ArticleViews | null
}

/** Makes an article's views, for the writer to store (a draft has none). */
export async function prepareArticle(article: RenderedArticle, site: Site): Promise<PreparedArticle> {
  const etag = await sourceEtag(article.markdown)
  return { article, etag, views: article.draft ? null : viewsOf(article, etag, site) }
}

/** The views the writer stores for an article whose ETag is `etag`: those it was sent when they
 * were made for that ETag and for the site and renderers it has (a Worker of another deploy may
 * differ), else made here. */
export function viewsFor(p: PreparedArticle, etag: string, site: Site): ArticleViews | null {
  if (p.article.draft) return null
  return p.views && p.etag === etag && p.views.signature === renderSignature(site) ? p.views : viewsOf(p.article, etag, site)
}

/** An article's feed item in every format, for the site it is rendered for. */
export const itemOf = (a: RenderedArticle, site: Site): ItemFragments => renderItemFragments(toFeedItem(toFeedEntry(a), site))

/**
 * What stored fragments were rendered with: the site's settings and the renderers' version. When
 * it changes (a deploy with another address or title, or a change to how items are written),
 * every item and document is made again.
 */
export const renderSignature = (site: Site): string => JSON.stringify({ site, render: RENDER_VERSION })
