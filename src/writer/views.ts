import type { Site } from '../bindings'
import type { FeedFormat } from '../feeds/model'
import { isChunkKey, keys, lists } from '../storage/store'
import type { Db } from './db'
import { DIGEST_FEED_BASE, listDocument } from './documents'
import { kindsOf } from './layout'
import { segmentValue } from './lists'

/**
 * The value of a view (a KV key) as the flush copies it: stored (articles, digests, indexes), or
 * derived from the tables when it is flushed (lists' heads and chunks, their feed documents),
 * so large values are not first copied through SQL. Null: the view has no value.
 */
export function viewValue(db: Db, site: Site, key: string): string | null {
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
    const m = /^(.*)\/feed\.(rss|atom|json)$/.exec(key.slice(document.length))!
    const list = m[1] === '' ? lists.all : lists.topic(decodeURIComponent(m[1]!.slice('/topics/'.length)))
    return listDocument(db, site, list, m[2] as FeedFormat)
  }
  return null
}
