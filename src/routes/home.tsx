import { type Context, Hono } from 'hono'
import { lists } from '../article/list'
import type { AppEnv } from '../bindings'
import { fromStorage } from '../http/errors'
import { cursorParam } from '../http/query'
import { FAVICON, STYLE } from '../pages/assets'
import { HomePage } from '../pages/pages'
import { getListPage, getTopicIndex } from '../storage/store'
import { siteFeeds } from './feeds'
import { entryResource, nextUrl, topicSummaryResource } from './resources'

const HOME_LIMIT = 20

/** `/`: the newest articles and the topics, as HTML and as `/index.json`; and the page assets. */
export const home = new Hono<AppEnv>()

// The first page shows the topics too; older pages show only articles, so no page reads more than 2 values.
const load = async (c: Context<AppEnv>) => {
  const kv = c.env.CONTENT
  const cursor = cursorParam(c)
  const [page, index] = await fromStorage(() => Promise.all([getListPage(kv, lists.all, cursor, HOME_LIMIT), cursor ? null : getTopicIndex(kv)]))
  return { entries: page?.entries ?? [], next: page?.next ?? null, topics: index?.topics ?? [] }
}

home.get('/', async (c) => {
  const { entries, next, topics } = await load(c)
  return c.html(<HomePage site={c.var.site} entries={entries} next={next} topics={topics} feeds={siteFeeds()} />)
})

home.get('/index.json', async (c) => {
  const site = c.var.site
  const { entries, next, topics } = await load(c)
  return c.json({
    title: site.title,
    description: site.description,
    url: `${site.url}/`,
    articles: entries.map((e) => entryResource(site, e)),
    next: nextUrl(site, '/index.json', next, HOME_LIMIT, HOME_LIMIT),
    topics: topics.map((t) => topicSummaryResource(site, t)),
  })
})

const ASSET_CACHE = 'public, max-age=86400'
home.get('/style.css', (c) => c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': ASSET_CACHE }))
home.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': ASSET_CACHE }))
home.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301))
