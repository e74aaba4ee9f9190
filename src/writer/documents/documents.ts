import { sortKey } from '../../article/list'
import type { ArticleEntry } from '../../article/model'
import type { Site } from '../../bindings'
import { packParts } from '../../bytes'
import type { DigestFeedItem, StoryTimeline } from '../../digest/model'
import { articleFeedFrame, digestFeedDoc, feedBase, fixedOfList, storyFeedDoc } from '../../feeds/doc'
import type { FeedDoc, FeedFrame } from '../../feeds/model'
import { parseFeedQuery } from '../../feeds/query'
import { FEED_FORMATS, renderFeed, renderFrameBytes } from '../../feeds/render'
import { itemsFingerprint, keys } from '../../storage/store'
import { renderSignature } from '../articles/prepare'
import { headOf, newestEntries, type StoredEntry } from '../lists/layout'
import type { Db, ViewValue } from '../tables/db'
import type { FragmentCache } from './cache'

/**
 * Finished feed documents: the default view of the site feed, of each topic feed and of the
 * digest feed, in every format, made when what they show changes, so a request sends stored
 * bytes with their stored ETag and parses nothing. An article feed's document is its frame
 * around its newest items' fragments, which were rendered when each article was written: made
 * by concatenation.
 */

/** Marks a list's documents changed (or, when the list is gone, deleted): they are made when
 * flushed, by `listDocument`, every format in one value. */
export function markListDocuments(db: Db, list: string, version: number): void {
  const base = feedBase(list)
  if (base === null) return
  if (headOf(db, list) === null) db.setView(keys.document(base), null, version)
  else db.markView(keys.document(base), version)
}

/** What a list's default feed view shows: the frame (its newest entries, and the cursor of the
 * next page when there are more, as a request for that view would select them) and which items. */
export interface ListDocument {
  frame: FeedFrame
  slugs: string[]
  /** The ETags of those items' articles: with the frame, they determine the document's bytes. */
  etags: string[]
}

/** A list's default feed view, from the entries of its head (which the flush reads for the head
 * itself too); null when the list is empty. */
export function listDocument(db: Db, site: Site, list: string, headEntries: StoredEntry[]): ListDocument | null {
  const head = headOf(db, list)
  if (head === null) return null
  const fixed = fixedOfList(list)
  const topic = typeof fixed === 'string' ? fixed : undefined
  const author = typeof fixed === 'object' ? fixed.author : undefined
  const q = parseFeedQuery(new URLSearchParams(), topic)
  // The newest entries are the head's first, unless deletions left it shorter than a page.
  const rows = headEntries.length >= q.limit || headEntries.length === head.count ? headEntries.slice(0, q.limit) : newestEntries(db, list, q.limit)
  const entries = rows.map((r) => JSON.parse(r.text) as ArticleEntry)
  const next = head.count > entries.length ? sortKey(entries.at(-1)!) : null
  const names =
    author !== undefined
      ? [db.one<{ name: string }>('SELECT name FROM authors WHERE slug = ?', author)?.name ?? author]
      : topic === undefined
        ? []
        : [db.one<{ name: string }>('SELECT name FROM topics WHERE slug = ?', topic)?.name ?? topic]
  const frame = articleFeedFrame(site, q, fixed, names, { entries, next, prev: null, updated: head.updated })
  return { frame, slugs: rows.map((r) => r.slug), etags: rows.map((r) => r.etag) }
}

/** KV's limit on a value's metadata: a document's item layouts are left out past it. */
const METADATA_BYTES = 1024

/**
 * A list's documents in every format, back to back in one value: each its frame around its items'
 * stored fragments. Its hash is taken over what determines the bytes (the empty frames, the items'
 * ETags, the site and renderers), so the flush never hashes the documents themselves.
 */
export function documentsValue(db: Db, site: Site, doc: ListDocument, cache: FragmentCache): ViewValue {
  const signature = renderSignature(site)
  cache.renderedWith(signature)
  const framed = FEED_FORMATS.map((format) => {
    const keyOf = (i: number) => `${format} ${doc.slugs[i]} ${doc.etags[i]}`
    const items = doc.slugs.map((_, i) => cache.get(keyOf(i)))
    const stored = db.getItems(
      doc.slugs.filter((_, i) => items[i] === undefined),
      format,
    )
    const bytes = doc.slugs.map((slug, i) => {
      const item = items[i] ?? stored.get(slug)
      if (item === undefined) throw new Error(`item ${slug} is not stored`)
      if (items[i] === undefined) cache.set(keyOf(i), item)
      return item
    })
    return renderFrameBytes(doc.frame, format, bytes)
  })
  const packed = packParts(framed.map((f) => f.bytes))
  const items = { layouts: framed.map((f) => f.layout), of: itemsFingerprint(doc.slugs.map((slug, i) => ({ slug, etag: doc.etags[i]! }))) }
  // Room is left for the hash and change time the flush adds.
  const fits = JSON.stringify({ parts: packed.parts, items }).length < METADATA_BYTES - 160
  return {
    value: packed.value,
    digestOf: [signature, ...framed.map((f) => f.marked), ...doc.etags].join('\n'),
    meta: { parts: packed.parts, ...(fits ? { items } : {}) },
  }
}

/** The digest feed's documents in every format, back to back in one value, from its newest digests. */
export const digestDocumentsValue = (site: Site, items: DigestFeedItem[]): ViewValue => renderedDocuments(digestFeedDoc(site, items))

/** A story's feed documents in every format, back to back in one value. */
export const storyDocumentsValue = (site: Site, story: StoryTimeline): ViewValue => renderedDocuments(storyFeedDoc(site, story))

/** A whole document rendered in every format, back to back in one value. */
function renderedDocuments(doc: FeedDoc): ViewValue {
  const packed = packParts(FEED_FORMATS.map((format) => encoder.encode(renderFeed(doc, format))))
  return { value: packed.value, meta: { parts: packed.parts } }
}

const encoder = new TextEncoder()
