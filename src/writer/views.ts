import type { Site } from '../bindings'
import type { FeedDoc, FeedFormat } from '../feeds/model'
import { renderFeed } from '../feeds/render'
import { isChunkKey, keys, lists } from '../storage/store'
import type { Db } from './db'
import { DIGEST_FEED_BASE, listDocument } from './documents'
import { kindsOf } from './layout'
import { segmentValue } from './lists'

/**
 * The values of views (KV keys) as one flush copies them: stored (articles, digests, indexes),
 * or derived from the tables then (lists' heads and chunks, their feed documents), so large
 * values are not first copied through SQL. A list's feed document is laid out once for its
 * three formats. Null: the view has no value.
 */
export function viewValues(db: Db, site: Site): (key: string) => string | null {
  const documents = new Map<string, FeedDoc | null>()
  return (key) => viewValue(db, site, key, documents)
}

function viewValue(db: Db, site: Site, key: string, documents: Map<string, FeedDoc | null>): string | null {
  const stored = db.getView(key)
  if (stored !== null) return stored
  for (const [prefix, feedKind] of [
    [keys.list(''), false],
    [keys.feed(''), true],
  ] as const) {
    if (!key.startsWith(prefix)) continue
    const rest = key.slice(prefix.length)
    const chunk = isChunkKey(key)
    const list = chunk ? rest.slice(0, rest.lastIndexOf('/')) : rest
    const kind = kindsOf(list).find((k) => (k.name === 'feed') === feedKind)!
    return segmentValue(db, list, kind, chunk ? Number(rest.slice(list.length + 1)) : null)
  }
  const document = keys.document('')
  if (key.startsWith(document) && !key.startsWith(keys.document(`${DIGEST_FEED_BASE}.`))) {
    const m = /^(.*)\/feed\.(rss|atom|json)$/.exec(key.slice(document.length))
    if (!m) return null
    const list = m[1] === '' ? lists.all : lists.topic(decodeURIComponent(m[1]!.slice('/topics/'.length)))
    if (!documents.has(list)) documents.set(list, listDocument(db, site, list))
    const doc = documents.get(list)!
    return doc && renderFeed(doc, m[2] as FeedFormat)
  }
  return null
}
