import { Hono } from 'hono'
import { lists } from '../article/list'
import type { ArticleEntry } from '../article/model'
import type { AppEnv } from '../bindings'
import { fromStorage, notFound } from '../http/errors'
import { paths } from '../paths'
import { NEWS_MAX_URLS, NEWS_WINDOW_MS, renderNewsSitemap, renderSitemap, renderSitemapIndex, type SitemapUrl, sitemapParts } from '../sitemap/render'
import { renderRobots } from '../sitemap/robots'
import { newsEntries } from '../sitemap/urls'
import { getAuthorIndex, getDigestIndex, getListChunk, getListOutline, getListPage, getStoryIndex, getTopicIndex } from '../storage/store'

/**
 * What crawlers read before the pages: `robots.txt` and the sitemaps it names. The sitemaps are
 * the writer's own values read as they are: the site's pages from the topic, digest and story indexes,
 * the articles one part per segment of the site list (its head, then each archived chunk of 50),
 * so every part is one or two KV reads however large the site, and a publish writes nothing more.
 */
export const crawlers = new Hono<AppEnv>()

const XML = { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }
const changed = (e: ArticleEntry) => e.updated ?? e.date
const newestOf = (entries: ArticleEntry[]) =>
  entries.map(changed).reduce<string | undefined>((n, d) => (n === undefined || Date.parse(d) > Date.parse(n) ? d : n), undefined)

crawlers.get('/robots.txt', (c) => c.text(renderRobots(c.var.site.url), 200, { 'Cache-Control': 'public, max-age=86400' }))

/** The site's pages apart from the articles: home, the topics and each topic, the authors and each
 * author, the digests and each digest. */
async function pageUrls(kv: KVNamespace, site: string): Promise<SitemapUrl[]> {
  const [outline, topics, digests, authors, stories] = await fromStorage(() =>
    Promise.all([getListOutline(kv, lists.all), getTopicIndex(kv), getDigestIndex(kv), getAuthorIndex(kv), getStoryIndex(kv)]),
  )
  const newest = outline?.head.updated ?? undefined
  const at = (path: string, lastmod: string | undefined): SitemapUrl => ({ loc: `${site}${path}`, ...(lastmod ? { lastmod } : {}) })
  return [
    at('/', newest),
    at('/topics', newest),
    ...topics.topics.map((t) => at(paths.topic(t.slug), t.latest)),
    ...(authors.authors.length > 0 ? [at('/authors', newest)] : []),
    ...authors.authors.map((t) => at(paths.author(t.slug), t.latest)),
    ...(digests.digests.length > 0 ? [at('/digests', digests.digests[0]!.updated)] : []),
    ...digests.digests.map((d) => at(paths.digest(d.date), d.updated)),
    ...(stories.stories.length > 0 ? [at(paths.stories, digests.digests[0]?.updated)] : []),
    ...stories.stories.map((s) => at(paths.story(s.id), undefined)),
  ]
}

crawlers.get(paths.sitemap, async (c) => {
  const site = c.var.site.url
  const kv = c.env.CONTENT
  const [pages, outline] = await Promise.all([pageUrls(kv, site), fromStorage(() => getListOutline(kv, lists.all))])
  const entries = outline?.head.entries ?? []
  const recent = entries.some((e) => Date.parse(e.date) <= Date.now() && Date.parse(e.date) > Date.now() - NEWS_WINDOW_MS)
  const parts: SitemapUrl[] = [
    ...sitemapParts(pages).map((part, i) => ({ loc: `${site}${paths.sitemapPart(i + 1)}`, lastmod: part[0]!.lastmod })),
    ...(outline ? [{ loc: `${site}${paths.articlesSitemap(null)}`, ...(newestOf(entries) ? { lastmod: newestOf(entries) } : {}) }] : []),
    ...(outline?.directory ?? []).map((chunk) => ({ loc: `${site}${paths.articlesSitemap(chunk.id)}` })),
    ...(recent ? [{ loc: `${site}${paths.newsSitemap}` }] : []),
  ]
  return c.body(renderSitemapIndex(parts), 200, XML)
})

crawlers.get('/sitemaps/:name{[a-z0-9-]+\\.xml}', async (c) => {
  const name = c.req.param('name')
  const site = c.var.site.url
  const kv = c.env.CONTENT
  const articleUrls = (entries: ArticleEntry[]) => entries.map((e) => ({ loc: `${site}${paths.article(e.slug)}`, lastmod: changed(e) }))
  const pages = /^pages-([1-9][0-9]*)\.xml$/.exec(name)
  if (pages) {
    const part = sitemapParts(await pageUrls(kv, site))[Number(pages[1]) - 1]
    if (!part) throw notFound(`No sitemap ${name}.`)
    return c.body(renderSitemap(part), 200, XML)
  }
  const articles = /^articles(?:-(0|[1-9][0-9]*))?\.xml$/.exec(name)
  if (articles) {
    const entries =
      articles[1] === undefined
        ? (await fromStorage(() => getListOutline(kv, lists.all)))?.head.entries
        : (await fromStorage(() => getListChunk(kv, lists.all, Number(articles[1]))))?.entries
    if (!entries || entries.length === 0) throw notFound(`No sitemap ${name}.`)
    return c.body(renderSitemap(articleUrls(entries)), 200, XML)
  }
  if (name === 'news.xml') {
    // The articles of the last two days, newest first: a page of the site list at a time.
    const recent: ArticleEntry[] = []
    let cursor: string | null = null
    for (let pages = 0; pages < NEWS_MAX_URLS / 100; pages++) {
      const page = await fromStorage(() => getListPage(kv, lists.all, cursor, 100))
      if (!page) break
      recent.push(...page.entries)
      cursor = page.next
      if (cursor === null || Date.parse(page.entries.at(-1)!.date) <= Date.now() - NEWS_WINDOW_MS) break
    }
    const xml = renderNewsSitemap(newsEntries(site, recent), c.var.site, Date.now())
    if (xml === null) throw notFound('No article of the last two days.')
    return c.body(xml, 200, XML)
  }
  throw notFound(`No sitemap ${name}.`)
})
