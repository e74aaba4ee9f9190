import { PREFIX, type ValueMeta } from '../../storage/store'
import type { Db } from '../tables/db'

// After a rebuild, the writer assumes nothing of what KV holds: it lists KV page by page, records
// the hash each key really has, and marks for deletion what no view holds, so the flush rewrites
// only what differs.

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
