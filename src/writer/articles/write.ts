import { lists, sortKey } from '../../article/list'
import type { ArticleEntry, Origin, RenderedArticle } from '../../article/model'
import { spelled } from '../../article/parse'
import type { Site } from '../../bindings'
import type { DayEntry } from '../../digest/model'
import { dfTermsOf } from '../../digest/prepare'
import { markFilesOf, removeFilesOf } from '../files/files'
import { ARTICLE_VIEW, blobs, type Db, type EntryKind } from '../tables/db'
import { type Conditions, precondition } from './conditions'
import { type ArticleViews, listsOf, viewsOf } from './prepare'

// One article's write or deletion, inside the caller's transaction: its conditions, its row and
// record, its entries and feed item, its memberships and the pending rows the next flush brings to
// KV, and the digest's term counts.

/** What a write did, or why it was refused (the route answers a refusal with its status). */
export type WriteResult =
  | {
      ok: true
      status: 'created' | 'updated' | 'unchanged' | 'deleted'
      draft: boolean
      /** When an article dated in the future is published (ISO), or null: it is now. */
      scheduled: string | null
      etag: string | null
      version: number
    }
  | { ok: false; status: 404 | 412 | 422; message: string }

/**
 * One article write, to run inside a transaction: conditions checked against the current ETag,
 * then the row, its record, entries and feed item, and its memberships; the lists it leaves or
 * joins are marked pending for the next flush.
 */
export function writeArticle(
  db: Db,
  a: RenderedArticle,
  origin: Origin,
  etag: string,
  views: ArticleViews | null,
  conditions: Conditions,
  file: string | null,
  now: number,
): WriteResult {
  const before = db.one<{ etag: string; draft: number; origin: string }>('SELECT etag, draft, origin FROM articles WHERE slug = ?', a.slug)
  const failed = precondition(conditions, before?.etag ?? null)
  if (failed) return { ok: false, status: 412, message: failed }
  // Dated in the future: kept as a draft is until then (`publishDue`).
  const due = a.draft ? null : Date.parse(a.date)
  const scheduled = due !== null && due > now ? new Date(due).toISOString() : null
  const draft = a.draft || scheduled ? 1 : 0
  const clash = a.draft ? null : (topicClash(db, a) ?? authorClash(db, a))
  if (clash) return { ok: false, status: 422, message: clash }
  if (before && before.etag === etag && before.origin === origin && before.draft === draft) {
    return { ok: true, status: 'unchanged', draft: a.draft, scheduled, etag, version: db.counter('version') }
  }
  const version = db.nextVersion()
  db.upsert('articles', 'slug', { slug: a.slug, origin, draft, etag, file, version, changed_at: Date.now() })
  db.putText(blobs.article(a.slug), JSON.stringify(a))
  markFilesOf(db, a.slug, version)
  unlistArticle(db, a.slug, version)
  if (scheduled) db.upsert('scheduled', 'slug', { slug: a.slug, due: due! })
  else db.all('DELETE FROM scheduled WHERE slug = ?', a.slug)
  if (views && !scheduled) {
    for (const [kind, json] of Object.entries(views.entries)) db.putText(blobs.entry(kind as EntryKind, a.slug), json)
    db.putItem(a.slug, views.signature, views.item)
    countTerms(db, JSON.parse(views.entries.day) as DayEntry, +1)
    const key = sortKey(a)
    for (const list of listsOf(a)) {
      db.all('INSERT INTO members (list, slug, key) VALUES (?, ?, ?)', list, a.slug, key)
      db.all(
        'INSERT INTO pending (list, slug, version) VALUES (?, ?, ?) ON CONFLICT (list, slug) DO UPDATE SET version = excluded.version',
        list,
        a.slug,
        version,
      )
    }
  }
  return { ok: true, status: before ? 'updated' : 'created', draft: a.draft, scheduled, etag, version }
}

/**
 * Publishes the scheduled articles whose time has come, inside the caller's transaction: each is
 * written again as it was, now no longer in the future, so it joins its lists, feeds, topics and
 * day as any publish does. Returns how many.
 */
export function publishDue(db: Db, site: Site, now: number): number {
  const due = db.all<{ slug: string }>('SELECT slug FROM scheduled WHERE due <= ? ORDER BY due', now)
  for (const { slug } of due) {
    const row = db.one<{ etag: string; origin: Origin; file: string | null }>('SELECT etag, origin, file FROM articles WHERE slug = ?', slug)
    const article = db.getJson<RenderedArticle>(blobs.article(slug))
    if (!row || !article) {
      db.all('DELETE FROM scheduled WHERE slug = ?', slug)
      continue
    }
    writeArticle(db, article, row.origin, row.etag, viewsOf(article, row.etag, site), {}, row.file, now)
  }
  return due.length
}

/** When the next scheduled article is due, or null when none is. */
export const nextDue = (db: Db): number | null => db.one<{ due: number | null }>('SELECT min(due) AS due FROM scheduled')?.due ?? null

/**
 * Two names for one topic must not merge silently: a topic name whose slug other articles
 * already use under another name (not just another case) is refused, naming both.
 */
function topicClash(db: Db, a: RenderedArticle): string | null {
  for (const t of a.topics) {
    const other = db.one<{ slug: string }>('SELECT slug FROM members WHERE list = ? AND slug != ? LIMIT 1', lists.topic(t.slug), a.slug)
    if (!other) continue
    const name = db.getJson<ArticleEntry>(blobs.entry('listing', other.slug))?.topics.find((x) => x.slug === t.slug)?.name
    if (name && name.toLowerCase() !== t.name.toLowerCase()) {
      return `topics: ${spelled(t.name)} and ${spelled(name)} (used by other articles) would be the same topic ("${t.slug}"): use "${name}"`
    }
  }
  return null
}

/** As `topicClash`, for authors: a name whose slug other articles use under another name is
 * refused, naming both. */
function authorClash(db: Db, a: RenderedArticle): string | null {
  for (const t of a.authors ?? []) {
    const other = db.one<{ slug: string }>('SELECT slug FROM members WHERE list = ? AND slug != ? LIMIT 1', lists.author(t.slug), a.slug)
    if (!other) continue
    const name = db.getJson<ArticleEntry>(blobs.entry('listing', other.slug))?.authors?.find((x) => x.slug === t.slug)?.name
    if (name && name.toLowerCase() !== t.name.toLowerCase()) {
      return `author: ${spelled(t.name)} and ${spelled(name)} (used by other articles) would be the same author ("${t.slug}"): use "${name}"`
    }
  }
  return null
}

/** Deletes an article, draft or published, if its ETag meets `conditions`; inside a transaction. */
export function removeArticle(db: Db, slug: string, conditions: Conditions): WriteResult {
  const before = db.one<{ etag: string }>('SELECT etag FROM articles WHERE slug = ?', slug)
  if (!before) return { ok: false, status: 404, message: `No article "${slug}".` }
  const failed = precondition(conditions, before.etag)
  if (failed) return { ok: false, status: 412, message: failed }
  const version = db.nextVersion()
  unlistArticle(db, slug, version)
  db.all('DELETE FROM articles WHERE slug = ?', slug)
  db.all('DELETE FROM scheduled WHERE slug = ?', slug)
  db.deleteText(blobs.article(slug))
  removeFilesOf(db, slug, version)
  return { ok: true, status: 'deleted', draft: false, scheduled: null, etag: null, version }
}

/** Takes an article out of every list (its views follow at the next flush). */
function unlistArticle(db: Db, slug: string, version: number): void {
  const lists = db.all<{ list: string }>('SELECT list FROM members WHERE slug = ?', slug).map((r) => r.list)
  db.all('DELETE FROM members WHERE slug = ?', slug)
  for (const list of [...lists, ARTICLE_VIEW]) {
    db.all('INSERT INTO pending (list, slug, version) VALUES (?, ?, ?) ON CONFLICT (list, slug) DO UPDATE SET version = excluded.version', list, slug, version)
  }
  const day = db.getJson<DayEntry>(blobs.entry('day', slug))
  if (day) countTerms(db, day, -1)
  for (const kind of ['listing', 'day'] as const) db.deleteText(blobs.entry(kind, slug))
  db.all('DELETE FROM items WHERE slug = ?', slug)
}

/** Adds (or takes away) a published article's terms to the collection's document frequencies,
 * in one statement whatever their number. */
function countTerms(db: Db, day: DayEntry, by: 1 | -1): void {
  const terms = JSON.stringify([...new Set(dfTermsOf(day))])
  db.all('INSERT INTO df (term, n) SELECT value, ?2 FROM json_each(?1) WHERE true ON CONFLICT (term) DO UPDATE SET n = n + ?2', terms, by)
  if (by < 0) db.all('DELETE FROM df WHERE term IN (SELECT value FROM json_each(?)) AND n <= 0', terms)
}
