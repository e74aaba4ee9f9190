import type { ArticleMeta, TopicSummary } from '../article/model'
import type { DigestSummary } from '../digest/model'
import { paths } from '../paths'
import type { NewsEntry, SitemapUrl } from './render'

/**
 * What the sitemaps list, from the values the writer already keeps: every page a reader can
 * open, each once, with when it last changed. The caller passes published articles only
 * (drafts, and articles not yet due, have no page).
 */

/** The site's pages: home, the topics and each topic, each article, the digests and each digest. */
export function sitemapUrls(siteUrl: string, c: { articles: ArticleMeta[]; topics: TopicSummary[]; digests: DigestSummary[] }): SitemapUrl[] {
  const changed = (a: ArticleMeta) => a.updated ?? a.date
  const newest = c.articles.reduce<string | undefined>((n, a) => (n === undefined || Date.parse(changed(a)) > Date.parse(n) ? changed(a) : n), undefined)
  const at = (path: string, lastmod: string | undefined): SitemapUrl => ({ loc: `${siteUrl}${path}`, ...(lastmod ? { lastmod } : {}) })
  return [
    at('/', newest),
    at('/topics', newest),
    ...c.topics.map((t) => at(paths.topic(t.slug), t.latest)),
    ...c.articles.map((a) => at(paths.article(a.slug), changed(a))),
    ...(c.digests.length > 0 ? [at('/digests', c.digests[0]!.updated)] : []),
    ...c.digests.map((d) => at(paths.digest(d.date), d.updated)),
  ]
}

/** Articles as the News sitemap lists them (it keeps those of the last two days). */
export const newsEntries = (siteUrl: string, articles: (ArticleMeta & { lang?: string })[]): NewsEntry[] =>
  articles.map((a) => ({ loc: `${siteUrl}${paths.article(a.slug)}`, title: a.title, published: a.date, ...(a.lang ? { lang: a.lang } : {}) }))
