import { HTTPException } from 'hono/http-exception'
import { isAuthorSlug, isTopicSlug } from '../article/parse'
import type { Site } from '../bindings'
import { isStoryId } from '../digest/model'
import { articleFeedQuery, canonicalQuery, parseFeedQuery } from '../feeds/query'
import { paths } from '../paths'

/** A feed a subscriber may follow: its canonical URL, and the feed lists whose change changes it. */
export interface FeedTopic {
  /** Exactly the feed's `rel="self"` URL: the form every equivalent URL is brought to. */
  url: string
  /**
   * The site feeds (paths without format or query: "/feed", "/topics/x/feed", "/authors/x/feed",
   * "/digests/feed", "/stories/<id>/feed")
   * whose change is a change of this one. A filtered view `/feed.rss?topics=a,b` reads the lists
   * of topics a and b, so either changing counts; without `topics` it reads the list of all.
   */
  feeds: string[]
}

export type TopicResult = ({ ok: true } & FeedTopic) | { ok: false; status: 400 | 404 | 422; detail: string }

const FEED_PATH = /^\/(?:feed|topics\/([^/]+)\/feed|(digests)\/feed|authors\/([^/]+)\/feed|stories\/([^/]+)\/feed)\.(rss|atom|json)$/

/**
 * Reads a `hub.topic`: a feed URL of this site, in any form the feed itself accepts (names or
 * slugs, any order, unknown parameters), brought to the canonical URL the feed names as its self.
 * Archive pages (`cursor`, `before`) are refused: they never gain items. Messages never repeat
 * what was sent.
 */
export function canonicalTopic(raw: string, site: Site): TopicResult {
  const notOurs = { ok: false, status: 404, detail: `hub.topic: not a feed of this site; feeds are ${site.url}/feed.rss and the like` } as const
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, status: 400, detail: 'hub.topic: not an absolute URL' }
  }
  const root = new URL(`${site.url}/`)
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname) || url.hash) return notOurs
  const match = FEED_PATH.exec(`/${url.pathname.slice(root.pathname.length)}`)
  if (!match) return notOurs
  const [, encodedTopic, digests, encodedAuthor, story, format] = match
  if (digests) return { ok: true, url: `${site.url}${paths.digestFeed}.${format}`, feeds: [paths.digestFeed] }
  if (story !== undefined)
    return isStoryId(story) ? { ok: true, url: `${site.url}${paths.storyFeed(story)}.${format}`, feeds: [paths.storyFeed(story)] } : notOurs
  if (encodedAuthor !== undefined) {
    let author: string
    try {
      author = decodeURIComponent(encodedAuthor)
    } catch {
      return notOurs
    }
    if (!isAuthorSlug(author)) return notOurs
    try {
      const q = articleFeedQuery(url.searchParams, { author })
      if (q.cursor !== null || q.before !== null)
        return { ok: false, status: 422, detail: 'hub.topic: an archive page never changes; subscribe to the feed itself' }
      const base = paths.authorFeed(author)
      return { ok: true, url: `${site.url}${base}.${format}${canonicalQuery(q, {}, true)}`, feeds: [base] }
    } catch (e) {
      if (e instanceof HTTPException) return { ok: false, status: 400, detail: `hub.topic: ${e.message}` }
      throw e
    }
  }

  let topic: string | undefined
  if (encodedTopic !== undefined) {
    try {
      topic = decodeURIComponent(encodedTopic)
    } catch {
      return notOurs
    }
    if (!isTopicSlug(topic)) return notOurs
  }
  try {
    const q = parseFeedQuery(url.searchParams, topic)
    if (q.cursor !== null || q.before !== null)
      return { ok: false, status: 422, detail: 'hub.topic: an archive page never changes; subscribe to the feed itself' }
    const base = topic === undefined ? paths.feed : paths.topicFeed(topic)
    const feeds = q.topics.length === 0 ? [paths.feed] : q.topics.map(paths.topicFeed)
    return { ok: true, url: `${site.url}${base}.${format}${canonicalQuery(q, {}, topic !== undefined)}`, feeds }
  } catch (e) {
    // The feed's own 400s name the parameter and never its value.
    if (e instanceof HTTPException) return { ok: false, status: 400, detail: `hub.topic: ${e.message}` }
    throw e
  }
}
