import { keys, PREFIX, type ValueMeta } from '../storage/store'
import type { Db } from './db'
import { clearLists } from './lists'
import { ARTICLE_VIEW } from './reconcile'

/**
 * Starts a rebuild, in one transaction: every membership and article is marked pending, so the
 * next steps lay every list out again from empty, oldest first, in batches; every list, feed
 * and topic view is dropped (KV keeps the old values until the new ones are complete, because
 * nothing is flushed while anything is pending). Then KV itself is checked page by page.
 */
export function startRebuild(db: Db): { articles: number; version: number } {
  const version = db.nextVersion()
  db.all('DELETE FROM placed')
  db.all('DELETE FROM topics')
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
    // The article feeds' finished documents, made again with their lists (the digest feed's stay).
    `${keys.document('/feed')}.*`,
    `${keys.document('/topics/')}*`,
    // Feed lists with HTML, which writers before stored items kept (`v1/feed/<list>…`).
    `${PREFIX}feed/*`,
  ]
  // Articles' values and items of slugs no longer published.
  const unpublished = [keys.article(''), keys.item('')]
  const stale = db.all<{ key: string }>(
    `SELECT key FROM views WHERE deleted = 0 AND (${[
      ...remade.map(() => 'key GLOB ?'),
      ...unpublished.map(() => '(key GLOB ? AND substr(key, ?) NOT IN (SELECT slug FROM articles WHERE draft = 0))'),
    ].join(' OR ')})`,
    ...remade,
    ...unpublished.flatMap((prefix) => [`${prefix}*`, prefix.length + 1]),
  )
  for (const { key } of stale) db.setView(key, null, version)
  // Nothing is assumed of KV until it has been listed: see `recordKvPage`.
  db.all('UPDATE views SET kv_hash = NULL, flushed = 0')
  db.setCounter('verify', 1)
  db.deleteText('verify-cursor')
  return { articles: db.one<{ n: number }>('SELECT count(*) AS n FROM articles')!.n, version }
}

/** One page (1,000 keys, one KV operation) of what KV holds, from where the last page ended. */
export async function listKvPage(db: Db, kv: KVNamespace): Promise<KVNamespaceListResult<ValueMeta>> {
  return kv.list<ValueMeta>({ prefix: PREFIX, cursor: db.getText('verify-cursor') ?? undefined })
}

/**
 * Records the hash KV really has for each listed key (listing reads metadata only), and marks
 * keys KV has but no view holds for deletion, so the flush makes KV equal the views and rewrites
 * only what differs.
 */
export function recordKvPage(db: Db, page: KVNamespaceListResult<ValueMeta>): void {
  const version = db.nextVersion()
  for (const k of page.keys) {
    const hash = k.metadata?.hash ?? 'unknown'
    if (db.one('SELECT 1 FROM views WHERE key = ?', k.name)) db.all('UPDATE views SET kv_hash = ? WHERE key = ?', hash, k.name)
    else db.all('INSERT INTO views (key, version, deleted, kv_hash) VALUES (?, ?, 1, ?)', k.name, version, hash)
  }
  if (page.list_complete) {
    db.setCounter('verify', 0)
    db.deleteText('verify-cursor')
  } else db.putText('verify-cursor', page.cursor)
}

/** The layout of the writer's tables and KV values: a writer that kept an older one rebuilds. */
const LAYOUT = 2

/**
 * A writer whose lists were laid out before the current layout (1: lists kept in SQL, `laid`;
 * 2: feed items stored once each, no feed lists) lays everything out again, once: a rebuild,
 * which rewrites in KV only what differs and deletes what is no longer used.
 */
export function migrateLists(db: Db): void {
  if (db.counter('layout') === LAYOUT) return
  if (db.one('SELECT 1 FROM articles LIMIT 1')) startRebuild(db)
  db.setCounter('layout', LAYOUT)
}
