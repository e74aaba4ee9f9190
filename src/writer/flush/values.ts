import { lists } from '../../article/list'
import type { Site } from '../../bindings'
import { packItem } from '../../feeds/render'
import { feedPathOf } from '../../read/feed'
import { parseKey } from '../../storage/store'
import type { FragmentCache } from '../documents/cache'
import { documentValue, type ListDocument, listDocument } from '../documents/documents'
import { directoryValue, headEntries, isLaidOut, type StoredEntry, segmentValue } from '../lists/layout'
import { blobs, type Db, type ViewValue } from '../tables/db'

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
    head: (list) => heads.get(list) ?? heads.set(list, headEntries(db, list)).get(list)!,
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
  const named = parseKey(key)
  switch (named?.kind) {
    case 'list':
      return isLaidOut(named.list) ? segmentValue(db, named.list, null, read.head(named.list)) : null
    case 'chunk':
      return isLaidOut(named.list) ? segmentValue(db, named.list, named.id) : null
    case 'directory':
      return isLaidOut(named.list) ? directoryValue(db, named.list) : null
    case 'article':
      return db.one('SELECT 1 FROM articles WHERE slug = ? AND draft = 0', named.slug) ? db.getText(blobs.article(named.slug)) : null
    case 'item': {
      const fragments = db.getItem(named.slug)
      if (fragments === null) return null
      const item = packItem(fragments)
      return { value: item.value, meta: { parts: item.parts } }
    }
    case 'document': {
      const feed = feedPathOf(named.path)
      if (feed?.feed !== 'articles') return null
      const list = feed.topic === undefined ? lists.all : lists.topic(feed.topic)
      if (!read.documents.has(list)) read.documents.set(list, listDocument(db, site, list, read.head(list)))
      const doc = read.documents.get(list)!
      return doc && documentValue(db, site, doc, feed.format, cache)
    }
    default:
      return null
  }
}
