import { env } from 'cloudflare:test'
import { feedPathOf } from '../../src/read/feed'
import { getDocuments, keys } from '../../src/storage/store'

/** The KV key of the finished documents a feed URL's path is served from ("/feed.rss" → `v1/doc/feed`). */
export const documentKey = (path: string): string => keys.document(feedPathOf(path)!.base)

/** The finished document of a feed URL's path as stored, in its format, with the ETag a response
 * for it carries; null when the writer has stored none. */
export async function storedDocument(path: string): Promise<{ text: string; etag: string } | null> {
  const feed = feedPathOf(path)!
  const stored = await getDocuments(env.CONTENT, feed.base)
  return stored && { text: new TextDecoder().decode(stored.formats[feed.format]), etag: `"${stored.hash}.${feed.format}"` }
}
