import type { Site } from '../../bindings'
import { paths } from '../../paths'
import { keys, parseKey } from '../../storage/store'
import { renderSignature } from '../articles/prepare'
import { markDigestsForRecompose } from '../digests/compose'
import { staleFileViews } from '../files/files'
import { clearLists } from '../lists/layout'
import { ARTICLE_VIEW, type Db } from '../tables/db'

// Rebuilds: every list and index laid out again from the tables, asked for (`POST /api/rebuild`)
// or started when the site's settings or the renderers change.

/**
 * Starts a rebuild, in one transaction: every membership and article is marked pending, so the
 * next steps lay every list out again from empty, oldest first, in batches; every list, feed
 * and topic view is dropped (KV keeps each list's old values until its new ones are complete:
 * `blockedLists`). With `verify` (a rebuild asked for, to repair KV), KV itself is checked page
 * by page first; a rebuild for new settings trusts what the writer knows KV holds.
 */
export function startRebuild(db: Db, verify: boolean): { articles: number; version: number } {
  const version = db.nextVersion()
  db.all('DELETE FROM placed')
  db.all('DELETE FROM topics')
  db.all('DELETE FROM authors')
  clearLists(db)
  db.all(
    'INSERT INTO pending (list, slug, version) SELECT list, slug, ? FROM members WHERE true ON CONFLICT (list, slug) DO UPDATE SET version = excluded.version',
    version,
  )
  db.all(
    'INSERT INTO pending (list, slug, version) SELECT ?, slug, ? FROM articles WHERE true ON CONFLICT (list, slug) DO UPDATE SET version = excluded.version',
    ARTICLE_VIEW,
    version,
  )
  const remade = [
    `${keys.list('')}*`,
    `${keys.directory('')}*`,
    keys.topics(),
    keys.authors(),
    // The article feeds' finished documents, made again with their lists (the digest feed's stay).
    keys.document(paths.feed),
    `${keys.document('/topics/')}*`,
    `${keys.document('/authors/')}*`,
  ]
  // Articles' values of slugs no longer published.
  const unpublished = [keys.article('')]
  const stale = db.all<{ key: string }>(
    `SELECT key FROM views WHERE deleted = 0 AND (${[
      ...remade.map(() => 'key GLOB ?'),
      ...unpublished.map(() => '(key GLOB ? AND substr(key, ?) NOT IN (SELECT slug FROM articles WHERE draft = 0))'),
    ].join(' OR ')})`,
    ...remade,
    ...unpublished.flatMap((prefix) => [`${prefix}*`, prefix.length + 1]),
  )
  for (const { key } of stale) db.setView(key, null, version)
  // Files whose file or article is gone, or whose article is not published.
  for (const key of staleFileViews(db)) db.setView(key, null, version)
  // Keys of a layout no longer written (`parseKey` knows no such form) go too.
  for (const { key } of db.all<{ key: string }>('SELECT key FROM views WHERE deleted = 0')) if (parseKey(key) === null) db.setView(key, null, version)
  if (verify) {
    // Nothing is assumed of KV until it has been listed: see `recordKvPage`.
    db.all('UPDATE views SET kv_hash = NULL, flushed = 0')
    db.setCounter('verify', 1)
    db.deleteText('verify-cursor')
  }
  // Until a list's rows are all brought in, its views are not flushed (`blockedLists`).
  db.all('INSERT OR IGNORE INTO rebuilding (list) SELECT DISTINCT list FROM members')
  return { articles: db.one<{ n: number }>('SELECT count(*) AS n FROM articles')!.n, version }
}

/**
 * Makes every stored fragment and document again when the site's settings (address, title,
 * language…) or the renderers are not those they were made with: after a deploy that changes
 * them. A rebuild, in steps, since every article's item is rendered again; every digest is
 * composed again too, a few a step, since its links and language follow the settings.
 */
export function renderForSite(db: Db, site: Site, version: () => number): void {
  const signature = renderSignature(site)
  const before = db.getText('site')
  if (before === signature) return
  if (before !== null) {
    startRebuild(db, false)
    markDigestsForRecompose(db)
  }
  if (db.getView(keys.digestsFeed()) !== null) db.markView(keys.document(paths.digestFeed), version())
  db.putText('site', signature)
}

/**
 * The lists a rebuild is still laying out (some of their rows are still pending): their views,
 * the topic index while any topic is among them (the author index while any author is), and every deletion are not flushed, so KV keeps
 * the old values until the new ones are whole. Other lists, and writes after the rebuild to
 * lists it has finished, flush as usual.
 */
export function blockedLists(db: Db): Set<string> {
  db.all('DELETE FROM rebuilding WHERE list NOT IN (SELECT list FROM pending)')
  return new Set(db.all<{ list: string }>('SELECT list FROM rebuilding').map((r) => r.list))
}
