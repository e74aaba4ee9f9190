import { keys, kvTarget, type ValueMeta } from '../storage/store'
import { syncArticles, type SyncResult } from '../sync/sync'

/**
 * Recomputes every derived view (lists, feeds, topic index) from the articles stored in KV,
 * re-rendered from their Markdown sources: recovery after a failed write or a renderer change.
 */
export async function rebuildViews(kv: KVNamespace): Promise<SyncResult & { sources: number }> {
  const sources: { file: string; bytes: string }[] = []
  let cursor: string | undefined
  do {
    const page: KVNamespaceListResult<ValueMeta> = await kv.list<ValueMeta>({ prefix: keys.article(''), cursor })
    const values = await Promise.all(page.keys.map((k) => kv.get<{ slug: string; markdown: string }>(k.name, 'json')))
    for (const a of values) if (a) sources.push({ file: `${a.slug}.md`, bytes: a.markdown })
    cursor = page.list_complete ? undefined : page.cursor
  } while (cursor)
  return { ...(await syncArticles(kvTarget(kv), sources)), sources: sources.length }
}
