import { type Context, Hono } from 'hono'
import { lists } from '../article/list'
import type { TopicSummary } from '../article/model'
import { isTopicSlug } from '../article/parse'
import type { AppEnv } from '../bindings'
import { fromStorage, notFound } from '../http/errors'
import { cursorParam, limitParam, splitFormat } from '../http/query'
import { TopicPage, TopicsPage } from '../pages/pages'
import { paths } from '../paths'
import { getListPage, getTopicIndex } from '../storage/store'
import { siteFeeds, topicFeeds } from './feeds'
import { entryResource, nextUrl, topicSummaryResource } from './resources'

const DEFAULT_LIMIT = 20

/** `/topics`: every topic, and each topic's articles, as HTML and JSON. */
export const topics = new Hono<AppEnv>()

topics.get('/topics', (c) => topicIndex(c, 'html'))
topics.get('/topics.json', (c) => topicIndex(c, 'json'))

topics.get('/topics/:name', async (c) => {
  const { name, format } = splitFormat(c.req.param('name'))
  const site = c.var.site
  const limit = limitParam(c, DEFAULT_LIMIT)
  const cursor = cursorParam(c)
  const page = isTopicSlug(name) ? await fromStorage(() => getListPage(c.env.CONTENT, lists.topic(name), cursor, limit)) : null
  const first = page?.head.entries[0]
  if (!page || !first) throw notFound(`No topic "${name}".`)
  const found = first.topics.find((t) => t.slug === name) ?? { slug: name, name }
  const topic: TopicSummary = { ...found, count: page.head.count, latest: first.date }
  if (format === 'md') throw notFound(`No Markdown form of topic "${name}".`)
  if (format === 'json') {
    return c.json({
      topic: topicSummaryResource(site, topic),
      articles: page.entries.map((e) => entryResource(site, e)),
      next: nextUrl(site, `${paths.topic(name)}.json`, page.next, limit, DEFAULT_LIMIT),
    })
  }
  return c.html(<TopicPage site={site} topic={topic} entries={page.entries} next={page.next} feeds={[...topicFeeds(topic), ...siteFeeds()]} />)
})

async function topicIndex(c: Context<AppEnv>, format: 'html' | 'json') {
  const site = c.var.site
  const index = await fromStorage(() => getTopicIndex(c.env.CONTENT))
  if (format === 'json') return c.json({ topics: index.topics.map((t) => topicSummaryResource(site, t)) })
  return c.html(<TopicsPage site={site} topics={index.topics} feeds={siteFeeds()} />)
}
