import type { Ordered } from '../../article/list'
import type { RenderedArticle } from '../../article/model'
import type { Site } from '../../bindings'
import { feedBase } from '../../feeds/doc'
import { DEFAULT_FEED_LIMIT } from '../../feeds/query'
import { keys } from '../../storage/store'
import { itemOf, renderSignature } from '../articles/prepare'
import { markListDocuments } from '../documents/documents'
import { indexArticle, unindexArticle } from '../search/search'
import { ARTICLE_VIEW, blobs, type Db } from '../tables/db'
import { type IndexName, indexOf, updateIndexRow, writeIndex } from './indexes'
import { changeEntries, type EntryChange, isLaidOut, pageEndKey } from './layout'

// Pending rows applied: each (list, article) pair brought from what the articles want to what
// the views hold, the feed documents a change reaches marked, and articles' own values kept.

interface PendingRow {
  list: string
  slug: string
  /** Place wanted in the list (members), or null to take it out. */
  want: string | null
  /** Place the views have it in (placed), or null when they do not hold it. */
  have: string | null
}

/**
 * Brings the views up to the articles and memberships for at most `budget` pending rows, in one
 * synchronous step. The lists the newest writes changed first, whole (a list a rebuild lays out
 * is flushed only once whole), so a small publish is never queued behind a large change (a
 * rebuild, a big sync); a published article's own value before its lists (a list never names a
 * value not yet made), a removed one's after (its value goes only once no list view names it);
 * each list's entries oldest first (so a rebuild appends). A
 * list's finished feed documents are marked changed with it when its newest page changed.
 * Returns rows left.
 */
export function reconcile(db: Db, site: Site, version: number, budget: number, room: ReconcileRoom = UNBOUNDED): number {
  const rows = db.all<PendingRow & Record<string, SqlStorageValue>>(
    `WITH newest AS (SELECT list, max(version) AS version FROM pending GROUP BY list)
     SELECT p.list, p.slug, m.key AS want, pl.key AS have FROM pending p
     JOIN newest n ON n.list = p.list
     LEFT JOIN members m ON m.list = p.list AND m.slug = p.slug
     LEFT JOIN placed pl ON pl.list = p.list AND pl.slug = p.slug
     ORDER BY CASE WHEN p.list = ?1 THEN p.version ELSE n.version END DESC,
       CASE WHEN p.list != ?1 THEN 1 WHEN EXISTS (SELECT 1 FROM articles a WHERE a.slug = p.slug AND a.draft = 0) THEN 0 ELSE 2 END,
       p.list, coalesce(m.key, pl.key) DESC
     LIMIT ?2`,
    ARTICLE_VIEW,
    budget,
  )
  const byList = new Map<string, PendingRow[]>()
  for (const r of rows) byList.set(r.list, [...(byList.get(r.list) ?? []), r])

  const done: PendingRow[] = []
  const changedIndexes = new Set<IndexName>()
  // Lists whose views the next flush may write, changed so far: past `room.lists`, the rest waits.
  let flushable = 0
  for (const [list, changes] of byList) {
    if (list === ARTICLE_VIEW) continue
    if (!room.blocked.has(list)) {
      if (flushable >= room.lists && flushable > 0) continue
      flushable++
    }
    const entries: EntryChange[] = changes.map((c) => {
      if (c.want === null) return { slug: c.slug, key: null, changed: null }
      const e = db.getJson<Ordered>(blobs.entry('listing', c.slug))!
      return { slug: c.slug, key: c.want, changed: e.updated ?? e.date }
    })
    if (isLaidOut(list)) {
      // A feed's documents show its newest page and whether older entries follow: changes past
      // it (a backdated publish, an edit of an old article) in a list longer than a page leave
      // them as they are. `null` bounds: the list is no longer than a page.
      const documents = feedBase(list) !== null
      const pageEnd = () => pageEndKey(db, list, DEFAULT_FEED_LIMIT)
      const before = documents ? pageEnd() : null
      changeEntries(db, list, entries, version)
      if (documents) {
        const after = pageEnd()
        const onPage = (key: string | null, bound: string | null) => key !== null && (bound === null || key <= bound)
        if (before === null || after === null || changes.some((c) => onPage(c.have, before) || onPage(c.want, after))) markListDocuments(db, list, version)
      }
      const index = indexOf(list)
      if (index) {
        changedIndexes.add(index)
        updateIndexRow(db, index, list)
      }
    }
    for (const c of changes) {
      if (c.want === null) db.all('DELETE FROM placed WHERE list = ? AND slug = ?', list, c.slug)
      else db.all('INSERT INTO placed (list, slug, key) VALUES (?, ?, ?) ON CONFLICT (list, slug) DO UPDATE SET key = excluded.key', list, c.slug, c.want)
    }
    done.push(...changes)
  }
  // Articles' own values last in the step (one view each, never held back): a removed one's
  // waits for a later step while a list view still names it.
  for (const row of byList.get(ARTICLE_VIEW) ?? []) if (articleView(db, site, row.slug, version)) done.push(row)
  for (const r of done) db.all('DELETE FROM pending WHERE list = ? AND slug = ?', r.list, r.slug)
  for (const index of changedIndexes) writeIndex(db, index, version)
  return db.one<{ n: number }>('SELECT count(*) AS n FROM pending')!.n
}

/** How much one reconcile step may give the next flush: lists changed whose views it may write
 * (`lists`), apart from those a rebuild is still laying out (`blocked`), which it cannot yet. */
export interface ReconcileRoom {
  lists: number
  blocked: Set<string>
}

const UNBOUNDED: ReconcileRoom = { lists: Number.POSITIVE_INFINITY, blocked: new Set() }

/** An article's value (its page's record and its feed item): there while it is published (the
 * item rendered again if the site or renderers changed since), gone once no list names it.
 * False: not yet, a list view still names it. */
function articleView(db: Db, site: Site, slug: string, version: number): boolean {
  const row = db.one<{ draft: number }>('SELECT draft FROM articles WHERE slug = ?', slug)
  if (row && row.draft === 0) {
    db.markView(keys.article(slug), version)
    indexArticle(db, slug)
    const signature = renderSignature(site)
    if (db.one<{ signature: string }>('SELECT signature FROM items WHERE slug = ?', slug)?.signature !== signature)
      db.putItem(slug, signature, itemOf(db.getJson<RenderedArticle>(blobs.article(slug))!, site))
    return true
  }
  unindexArticle(db, slug)
  if (db.one('SELECT 1 FROM placed WHERE slug = ?', slug)) return false
  db.setView(keys.article(slug), null, version)
  return true
}
