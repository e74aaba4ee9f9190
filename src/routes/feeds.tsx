import { type Context, Hono } from 'hono'
import { cors } from 'hono/cors'
import type { Author, Topic } from '../article/model'
import type { AppEnv } from '../bindings'
import type { FeedFormat } from '../feeds/model'
import { renderOpml } from '../feeds/opml'
import { FEED_FORMATS } from '../feeds/render'
import { fromStorage } from '../http/errors'
import type { FeedLink } from '../pages/layout'
import { FeedPreviewPage } from '../pages/pages'
import { paths } from '../paths'
import { FEED_CACHE, feedResponse, madeFeedHeaders, makeFeed } from '../read/feed'
import { getAuthorIndex, getStoryIndex, getTopicIndex } from '../storage/store'

const LABELS: Record<FeedFormat, string> = { atom: 'Atom', rss: 'RSS', json: 'JSON Feed' }
const LINK_TYPES = { atom: 'application/atom+xml', rss: 'application/rss+xml', json: 'application/feed+json' } as const

const links = (base: string, title: string, query = ''): FeedLink[] =>
  FEED_FORMATS.map((f) => ({ title: `${title} (${LABELS[f]})`, href: `${base}.${f}${query}`, type: LINK_TYPES[f] }))

/** The site-wide feeds, every page's autodiscovery: all articles and the daily digest. */
export const siteFeeds = (): FeedLink[] => [...links(paths.feed, 'All articles'), ...digestFeeds()]

/** The feeds of daily digests. */
export const digestFeeds = (): FeedLink[] => links(paths.digestFeed, 'Daily digest')

/** One topic's feeds. */
export const topicFeeds = (topic: Topic): FeedLink[] => links(paths.topicFeed(topic.slug), topic.name)

/** One author's feeds. */
export const authorFeeds = (author: Author): FeedLink[] => links(paths.authorFeed(author.slug), `Articles by ${author.name}`)

/** A search's feeds (`query`: its canonical query string). */
export const searchFeeds = (q: string, query: string): FeedLink[] => links(paths.search, `Search “${q}”`, query)

/** One story's feeds. */
export const storyFeeds = (id: string, headline: string): FeedLink[] => links(paths.storyFeed(id), `Story: ${headline}`)

/** `/feed.*`, `/topics/:topic/feed.*`, `/authors/:author/feed.*`, `/digests/feed.*`, `/stories/:id/feed.*` and `/opml.xml`. */
export const feeds = new Hono<AppEnv>()

feeds.use('/feed.json', cors())
feeds.use('/topics/:topic/feed.json', cors())
feeds.use('/authors/:author/feed.json', cors())
feeds.use('/digests/feed.json', cors())
feeds.use('/stories/:id/feed.json', cors())

for (const format of FEED_FORMATS) {
  feeds.get(`/feed.${format}`, serveFeed)
  feeds.get(`/topics/:topic/feed.${format}`, serveFeed)
  feeds.get(`/authors/:author/feed.${format}`, serveFeed)
  feeds.get(`/digests/feed.${format}`, serveFeed)
  // A story's feed is only ever its stored documents: a browser gets them too.
  feeds.get(`/stories/:id/feed.${format}`, (c) => feedResponse(c.req.raw, c.env.CONTENT, c.var.site))
}

feeds.get('/opml.xml', async (c) => {
  const site = c.var.site
  const [index, authors, stories] = await fromStorage(() =>
    Promise.all([getTopicIndex(c.env.CONTENT), getAuthorIndex(c.env.CONTENT), getStoryIndex(c.env.CONTENT)]),
  )
  const body = renderOpml(
    site,
    [
      { title: site.title, feeds: [{ title: `${site.title}: all articles`, base: paths.feed, home: '/' }] },
      { title: 'Daily digest', feeds: [{ title: `${site.title}: daily digest`, base: paths.digestFeed, home: '/digests' }] },
      { title: 'Topics', feeds: index.topics.map((t) => ({ title: `${site.title}: ${t.name}`, base: paths.topicFeed(t.slug), home: paths.topic(t.slug) })) },
      {
        title: 'Authors',
        feeds: authors.authors.map((t) => ({ title: `${site.title}: articles by ${t.name}`, base: paths.authorFeed(t.slug), home: paths.author(t.slug) })),
      },
      {
        title: 'Stories',
        feeds: stories.stories.map((s) => ({ title: `${site.title}: ${s.headline}`, base: paths.storyFeed(s.id), home: paths.story(s.id) })),
      },
    ],
    [...index.topics, ...authors.authors].reduce<string | null>((a, t) => (a === null || t.latest > a ? t.latest : a), null),
  )
  return c.body(body, 200, { 'Content-Type': 'text/x-opml; charset=utf-8', 'Cache-Control': FEED_CACHE })
})

/**
 * A feed, as `feedResponse` answers it to a reader. A browser opening the feed (a top-level
 * navigation, `Sec-Fetch-Dest: document`) gets a readable page of the same items instead:
 * browsers show feed types as raw text and are dropping XSLT, while readers never send that header.
 */
async function serveFeed(c: Context<AppEnv>) {
  const site = c.var.site
  if (c.req.header('Sec-Fetch-Dest') !== 'document') return feedResponse(c.req.raw, c.env.CONTENT, site)
  const made = await makeFeed(new URL(c.req.url), c.env.CONTENT, site)
  if (made instanceof Response) return made
  const doc = { ...made.frame, items: made.content.preview() }
  const path = new URL(made.frame.self[made.format]).pathname
  return c.html(<FeedPreviewPage site={site} doc={doc} format={made.format as FeedFormat} path={path} />, 200, madeFeedHeaders(made))
}
