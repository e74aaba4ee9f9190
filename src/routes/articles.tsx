import { Hono } from 'hono'
import { lists } from '../article/list'
import { isSlug } from '../article/parse'
import type { AppEnv } from '../bindings'
import { fromStorage, notFound } from '../http/errors'
import { cursorParam, limitParam, splitFormat } from '../http/query'
import { ArticlePage } from '../pages/pages'
import { getArticle, getListPage } from '../storage/store'
import { siteFeeds, topicFeeds } from './feeds'
import { articleResource, entryResource, nextUrl } from './resources'

const DEFAULT_LIMIT = 20

/** `/articles`: the JSON list, and each article as HTML, JSON and Markdown. */
export const articles = new Hono<AppEnv>()

articles.get('/articles', async (c) => {
  const site = c.var.site
  const limit = limitParam(c, DEFAULT_LIMIT)
  const cursor = cursorParam(c)
  const page = await fromStorage(() => getListPage(c.env.CONTENT, lists.all, cursor, limit))
  return c.json({
    count: page?.head.count ?? 0,
    articles: (page?.entries ?? []).map((e) => entryResource(site, e)),
    next: nextUrl(site, '/articles', page?.next ?? null, limit, DEFAULT_LIMIT),
  })
})

articles.get('/articles/:name', async (c) => {
  const { name: slug, format } = splitFormat(c.req.param('name'))
  const article = isSlug(slug) ? await fromStorage(() => getArticle(c.env.CONTENT, slug)) : null
  if (!article) throw notFound(`No article "${slug}".`)
  const site = c.var.site
  if (format === 'json') return c.json(articleResource(site, article))
  if (format === 'md') return c.body(article.markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8' })
  return c.html(<ArticlePage site={site} article={article} feeds={[...siteFeeds(), ...article.topics.flatMap(topicFeeds)]} />)
})
