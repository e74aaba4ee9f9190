import type { Site } from '../bindings'
import type { FeedFormat } from '../feeds/model'
import { isChunkKey, keys } from '../storage/store'
import { packItem } from '../feeds/render'
import { lists } from '../article/list'
import type { FragmentCache } from './cache'
import type { Db } from './db'
import { DIGEST_FEED_BASE, documentValue, listDocument, type ListDocument } from './documents'
import type { ViewValue } from './flush'
import { blobs, kindsOf } from './layout'
import { directoryValue, headEntries, segmentValue, type StoredEntry } from './lists'

/**
 * The values of views (KV keys) as one flush copies them: stored (digests, indexes), or derived
 * from the tables then (article records, lists' heads and chunks, feed items, feed documents), so
 * large values are not first copied through SQL. A list's document is framed once for its three
 * formats, from item fragments kept in `cache` when it has them. Null: the view has no value.
 */
export function viewValues(db: Db, site: Site, cache: FragmentCache): (key: string) => ViewValue | null {
  const documents = new Map<string, ListDocument | null>()
  const heads = new Map<string, StoredEntry[]>()
  const read: FlushReads = {
    documents,
    head: (list) => heads.get(list) ?? heads.set(list, headEntries(db, list, 'listing')).get(list)!,
  }
  return (key) => viewValue(db, site, key, read, cache)
}

/** What one flush reads once for several views: each list's document and head entries. */
interface FlushReads {
  documents: Map<string, ListDocument | null>
  head: (list: string) => StoredEntry[]
}

function viewValue(db: Db, site: Site, key: string, read: FlushReads, cache: FragmentCache): ViewValue | null {
  const stored = db.getView(key)
  if (stored !== null) return stored
  if (key.startsWith(keys.list(''))) {
    const rest = key.slice(keys.list('').length)
    const chunk = isChunkKey(key)
    const list = chunk ? rest.slice(0, rest.lastIndexOf('/')) : rest
    const [kind] = kindsOf(list)
    if (!kind) return null
    return chunk ? segmentValue(db, list, kind, Number(rest.slice(list.length + 1))) : segmentValue(db, list, kind, null, read.head(list))
  }
  if (key.startsWith(keys.directory(''))) {
    const list = key.slice(keys.directory('').length)
    const [kind] = kindsOf(list)
    return kind ? directoryValue(db, list, kind) : null
  }
  if (key.startsWith(keys.article(''))) {
    const slug = key.slice(keys.article('').length)
    return db.one('SELECT 1 FROM articles WHERE slug = ? AND draft = 0', slug) ? db.getText(blobs.article(slug)) : null
  }
  if (key.startsWith(keys.item(''))) {
    const fragments = db.getItem(key.slice(keys.item('').length))
    if (fragments === null) return null
    const item = packItem(fragments)
    return { value: item.value, meta: { parts: item.parts } }
  }
  const document = keys.document('')
  if (key.startsWith(document) && !key.startsWith(keys.document(`${DIGEST_FEED_BASE}.`))) {
    const m = /^(.*)\/feed\.(rss|atom|json)$/.exec(key.slice(document.length))
    if (!m) return null
    const list = m[1] === '' ? lists.all : lists.topic(decodeURIComponent(m[1]!.slice('/topics/'.length)))
    if (!read.documents.has(list)) read.documents.set(list, listDocument(db, site, list, read.head(list)))
    const doc = read.documents.get(list)!
    return doc && documentValue(db, site, doc, m[2] as FeedFormat, cache)
  }
  return null
}
