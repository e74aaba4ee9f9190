import { articleEtag, sourceEtagOf } from '../../article/files'
import { bundlePath } from '../../article/image'
import type { Origin, RenderedArticle } from '../../article/model'
import type { Site } from '../../bindings'
import { type ArticleViews, type PreparedArticle, viewsFor, viewsOf } from '../articles/prepare'
import { type WriteResult, writeArticle } from '../articles/write'
import { blobs, type Db } from '../tables/db'

// An article's cover that is a file beside it: its size and media type in the stored article
// (and so in its RSS `enclosure`), kept up to date as the article or the file is written.

/**
 * An article with its cover's size and media type taken from the file beside it that the cover
 * names (so RSS gets an `enclosure`), or without a size when there is no such file; the article
 * itself when nothing changes.
 */
export function withCoverFile(db: Db, a: RenderedArticle): RenderedArticle {
  const base = bundlePath(a.slug)
  if (!a.cover?.url.startsWith(base)) return a
  const name = a.cover.url.slice(base.length).replace(/[?#].*$/, '')
  const row = db.one<{ type: string; size: number }>('SELECT type, size FROM files WHERE slug = ? AND name = ?', a.slug, name)
  const { length, ...cover } = a.cover
  if (row ? length === row.size && a.cover.type === row.type : length === undefined) return a
  return { ...a, cover: row ? { ...cover, type: row.type, length: row.size } : cover }
}

/** What the writer stores of a prepared article: the article with its cover file's size
 * (`withCoverFile`), its ETag with that size (`articleEtag`), and its views made for both. */
export function withCover(db: Db, p: PreparedArticle, sourceEtag: string, site: Site): { article: RenderedArticle; etag: string; views: ArticleViews | null } {
  const article = withCoverFile(db, p.article)
  const etag = articleEtag(sourceEtag, article)
  return { article, etag, views: viewsFor(article === p.article ? p : { ...p, article, views: null }, etag, site) }
}

/** The articles whose cover is one of the files just written or deleted, written again with its
 * size (or without it) and so a new ETag, inside the caller's transaction; what each write did. */
export function refreshCovers(db: Db, site: Site, slugs: Iterable<string>, now: number): WriteResult[] {
  const results: WriteResult[] = []
  for (const slug of new Set(slugs)) {
    const row = db.one<{ etag: string; origin: Origin; file: string | null }>('SELECT etag, origin, file FROM articles WHERE slug = ?', slug)
    const before = db.getJson<RenderedArticle>(blobs.article(slug))
    if (!row || !before) continue
    const article = withCoverFile(db, before)
    if (article === before) continue
    const etag = articleEtag(sourceEtagOf(row.etag), article)
    results.push(writeArticle(db, article, row.origin, etag, article.draft ? null : viewsOf(article, etag, site), {}, row.file, now))
  }
  return results
}
