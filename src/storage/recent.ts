import { getDocuments, type StoredDocuments } from './store'

/** Documents this isolate read lately, each until it expires, the most recently read last. */
const recent = new Map<string, { stored: StoredDocuments; until: number }>()
/** About 64 feeds' documents of 100–200 KB each format: some 40 MB of an isolate's 128 at most. */
const MOST = 64

/**
 * A feed's finished documents as `getDocuments` reads them, kept in this isolate for `ttlMs` (0: not kept),
 * so a feed that many readers poll at one location is read from KV once in that time. KV itself
 * may show a change up to a minute late at other locations; a second or two here adds little to
 * that, and a 304 stays exact for what is sent.
 */
export async function recentDocuments(kv: KVNamespace, feed: string, ttlMs: number): Promise<StoredDocuments | null> {
  if (ttlMs <= 0) return getDocuments(kv, feed)
  const now = Date.now()
  const hit = recent.get(feed)
  if (hit && hit.until > now) return hit.stored
  const stored = await getDocuments(kv, feed)
  recent.delete(feed)
  if (stored) {
    recent.set(feed, { stored, until: now + ttlMs })
    if (recent.size > MOST) recent.delete(recent.keys().next().value!)
  }
  return stored
}
