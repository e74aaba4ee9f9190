import { getDocument, type StoredDocument } from './store'

/** Documents this isolate read lately, each until it expires, the most recently read last. */
const recent = new Map<string, { stored: StoredDocument; until: number }>()
/** About 64 documents of 100–200 KB: a few MB of an isolate's 128. */
const MOST = 64

/**
 * A finished document as `getDocument` reads it, kept in this isolate for `ttlMs` (0: not kept),
 * so a feed that many readers poll at one location is read from KV once in that time. KV itself
 * may show a change up to a minute late at other locations; a second or two here adds little to
 * that, and a 304 stays exact for what is sent.
 */
export async function recentDocument(kv: KVNamespace, path: string, ttlMs: number): Promise<StoredDocument | null> {
  if (ttlMs <= 0) return getDocument(kv, path)
  const now = Date.now()
  const hit = recent.get(path)
  if (hit && hit.until > now) return hit.stored
  const stored = await getDocument(kv, path)
  recent.delete(path)
  if (stored) {
    recent.set(path, { stored, until: now + ttlMs })
    if (recent.size > MOST) recent.delete(recent.keys().next().value!)
  }
  return stored
}
