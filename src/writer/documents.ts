import type { Site } from '../bindings'
import { articleFeedDoc, digestFeedDoc } from '../feeds/doc'
import type { FeedDoc, FeedEntry } from '../feeds/model'
import { parseFeedQuery } from '../feeds/query'
import { FEED_FORMATS, renderFeed } from '../feeds/render'
import { paths } from '../paths'
import { sortKey } from '../storage/lists'
import { keys, lists, type DigestFeedItem } from '../storage/store'
import type { Db } from './db'
import { blobs } from './layout'
import { headOf, newestSlugs } from './lists'

/**
 * Finished feed documents: the default view of the site feed, of each topic feed and of the
 * digest feed, rendered in every format when what they show changes, so a request sends stored
 * bytes with their stored ETag and parses nothing.
 */

/** Where a list's feed documents live, without the format extension; null for lists with no feed. */
export function feedBase(list: string): string | null {
  if (list === lists.all) return '/feed'
  return list.startsWith('topic/') ? paths.topicFeed(list.slice('topic/'.length)) : null
}

export const DIGEST_FEED_BASE = '/digests/feed'

/** Marks a list's documents changed (or, when the list is gone, deleted): they are rendered
 * when flushed, by `listDocument`. */
export function markListDocuments(db: Db, list: string, version: number): void {
  const base = feedBase(list)
  if (base === null) return
  const gone = headOf(db, list, 'feed') === null
  for (const format of FEED_FORMATS) {
    const key = keys.document(`${base}.${format}`)
    if (gone) db.setView(key, null, version)
    else db.markView(key, version)
  }
}

/** The document of a list's default feed view: its newest entries, and the cursor of the next
 * page when there are more, as a request for that view would select them. */
export function listDocument(db: Db, site: Site, list: string): FeedDoc | null {
  const head = headOf(db, list, 'feed')
  if (head === null) return null
  const topic = list === lists.all ? undefined : list.slice('topic/'.length)
  const q = parseFeedQuery(new URLSearchParams(), topic)
  const entries = newestSlugs(db, list, 'feed', q.limit).map((slug) => db.getJson<FeedEntry>(blobs.entry('feed', slug))!)
  const next = head.count > entries.length ? sortKey(entries.at(-1)!) : null
  const names = topic === undefined ? [] : [db.one<{ name: string }>('SELECT name FROM topics WHERE slug = ?', topic)?.name ?? topic]
  return articleFeedDoc(site, q, topic, names, { entries, next, prev: null, updated: head.updated })
}

/** The digest feed's documents, from its newest digests. */
export function writeDigestDocuments(db: Db, site: Site, items: DigestFeedItem[], version: number): void {
  const doc = digestFeedDoc(site, items)
  for (const format of FEED_FORMATS) db.setView(keys.document(`${DIGEST_FEED_BASE}.${format}`), renderFeed(doc, format), version)
}

/**
 * Renders every document again when the site's settings (address, title, language…) are not
 * those they were rendered with: after a deploy that changes them, or the first time.
 */
export function renderForSite(db: Db, site: Site, version: () => number): void {
  const signature = JSON.stringify(site)
  if (db.getText('site') === signature) return
  const v = version()
  markListDocuments(db, lists.all, v)
  for (const { slug } of db.all<{ slug: string }>('SELECT slug FROM topics')) markListDocuments(db, lists.topic(slug), v)
  const feed = db.getView(keys.digestsFeed())
  if (feed !== null) writeDigestDocuments(db, site, (JSON.parse(feed) as { items: DigestFeedItem[] }).items, v)
  db.putText('site', signature)
}
