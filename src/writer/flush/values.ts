import type { Site } from '../../bindings'
import { packParts } from '../../bytes'
import type { DigestFeedItem } from '../../digest/model'
import { listOfFeed } from '../../feeds/doc'
import { paths } from '../../paths'
import { keys, parseKey } from '../../storage/store'
import { renderSignature } from '../articles/prepare'
import { storyTimeline } from '../digests/stories'
import type { FragmentCache } from '../documents/cache'
import { digestDocumentsValue, documentsValue, listDocument, storyDocumentsValue } from '../documents/documents'
import { fileValue } from '../files/files'
import { directoryValue, headEntries, isLaidOut, type StoredEntry, segmentValue } from '../lists/layout'
import { searchDeltaValue } from '../search/search'
import { blobs, type Db, type ViewValue } from '../tables/db'

/**
 * The values of views (KV keys) as one flush copies them: stored (digests, indexes), or derived
 * from the tables then (article records, lists' heads and chunks, feed items, feed documents), so
 * large values are not first copied through SQL. A list's documents are framed in their three
 * formats, from item fragments kept in `cache` when it has them. Null: the view has no value.
 */
export function viewValues(db: Db, site: Site, cache: FragmentCache): (key: string) => ViewValue | null {
  const heads = new Map<string, StoredEntry[]>()
  const read: FlushReads = {
    head: (list) => heads.get(list) ?? heads.set(list, headEntries(db, list)).get(list)!,
  }
  return (key) => viewValue(db, site, key, read, cache)
}

/** What one flush reads once for several views: each list's head entries. */
interface FlushReads {
  head: (list: string) => StoredEntry[]
}

/** An article's value: its record, then its feed item in every format, in one value (one write).
 * Hashed over the record and what the item was rendered with, which determine it. */
function articleValue(db: Db, site: Site, slug: string): ViewValue | null {
  const record = db.getText(blobs.article(slug))
  const fragments = db.getItem(slug)
  if (record === null || fragments === null) return null
  const packed = packParts([encoder.encode(record), ...fragments])
  return { value: packed.value, digestOf: `${renderSignature(site)}\n${record}`, meta: { parts: packed.parts } }
}

const encoder = new TextEncoder()

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
      return db.one('SELECT 1 FROM articles WHERE slug = ? AND draft = 0', named.slug) ? articleValue(db, site, named.slug) : null
    case 'file':
      return fileValue(db, named.slug, named.name)
    case 'search':
      return searchDeltaValue(db)
    case 'story': {
      const story = storyTimeline(db, named.id)
      return story && JSON.stringify(story)
    }
    case 'document': {
      const story = /^\/stories\/([^/]+)\/feed$/.exec(named.path)
      if (story) {
        const timeline = storyTimeline(db, story[1]!)
        return timeline && storyDocumentsValue(site, timeline)
      }
      if (named.path === paths.digestFeed) {
        const feed = db.getView(keys.digestsFeed())
        return feed && digestDocumentsValue(site, (JSON.parse(feed) as { items: DigestFeedItem[] }).items)
      }
      const list = listOfFeed(named.path)
      if (list === null) return null
      const doc = listDocument(db, site, list, read.head(list))
      return doc && documentsValue(db, site, doc, cache)
    }
    default:
      return null
  }
}
