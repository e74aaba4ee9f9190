import { type Context, Hono } from 'hono'
import { lists } from '../article/list'
import type { AuthorSummary } from '../article/model'
import { isAuthorSlug } from '../article/parse'
import type { AppEnv } from '../bindings'
import { fromStorage, notFound } from '../http/errors'
import { cursorParam, limitParam, splitFormat } from '../http/query'
import { TopicPage, TopicsPage } from '../pages/pages'
import { paths } from '../paths'
import { getAuthorIndex, getListPage } from '../storage/store'
import { authorFeeds, siteFeeds } from './feeds'
import { authorSummaryResource, entryResource, nextUrl } from './resources'

const DEFAULT_LIMIT = 20

/** `/authors`: every author, and each author's articles, as HTML and JSON (as `/topics`). */
export const authors = new Hono<AppEnv>()

authors.get('/authors', (c) => authorIndex(c, 'html'))
authors.get('/authors.json', (c) => authorIndex(c, 'json'))

authors.get('/authors/:name', async (c) => {
  const { name, format } = splitFormat(c.req.param('name'))
  const site = c.var.site
  const limit = limitParam(c, DEFAULT_LIMIT)
  const cursor = cursorParam(c)
  const page = isAuthorSlug(name) ? await fromStorage(() => getListPage(c.env.CONTENT, lists.author(name), cursor, limit)) : null
  const first = page?.head.entries[0]
  if (!page || !first) throw notFound(`No author "${name}".`)
  const found = first.authors?.find((t) => t.slug === name) ?? { slug: name, name }
  const author: AuthorSummary = { ...found, count: page.head.count, latest: first.date }
  if (format === 'md') throw notFound(`No Markdown form of author "${name}".`)
  if (format === 'json') {
    return c.json({
      author: authorSummaryResource(site, author),
      articles: page.entries.map((e) => entryResource(site, e)),
      next: nextUrl(site, `${paths.author(name)}.json`, page.next, limit, DEFAULT_LIMIT),
    })
  }
  return c.html(<TopicPage site={site} kind="author" topic={author} entries={page.entries} next={page.next} feeds={[...authorFeeds(author), ...siteFeeds()]} />)
})

async function authorIndex(c: Context<AppEnv>, format: 'html' | 'json') {
  const site = c.var.site
  const index = await fromStorage(() => getAuthorIndex(c.env.CONTENT))
  if (format === 'json') return c.json({ authors: index.authors.map((t) => authorSummaryResource(site, t)) })
  return c.html(<TopicsPage site={site} kind="author" topics={index.authors} feeds={siteFeeds()} />)
}
