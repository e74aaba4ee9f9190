import { type Context, Hono } from 'hono'
import { cors } from 'hono/cors'
import type { AppEnv } from '../bindings'
import type { FeedFormat } from '../feeds/model'
import { DEFAULT_FEED_LIMIT } from '../feeds/query'
import { FEED_FORMATS } from '../feeds/render'
import { SearchPage } from '../pages/search'
import { paths } from '../paths'
import { searchFeedResponse, searchPage } from '../read/search'
import { parseSearchQuery, type SearchQuery, searchQueryString } from '../search/query'
import { searchFeeds } from './feeds'
import { entryResource } from './resources'

/** A search's feeds (with the feeds' own number of items, not the page's). */
const feedsOf = (s: SearchQuery) => searchFeeds(s.q, searchQueryString({ ...s, limit: DEFAULT_FEED_LIMIT }, 1, true))

/**
 * `/search?q=` (the page), `/search/results.json?q=` (what it shows, as JSON) and the search's
 * feeds, `/search.rss`, `/search.atom` and `/search.json` (JSON Feed), which a reader can
 * subscribe to: "every article that mentions sanctions".
 */
export const search = new Hono<AppEnv>()

search.use('/search.json', cors())
search.use('/search/results.json', cors())

search.get('/search', async (c) => {
  const s = parseSearchQuery(new URL(c.req.url).searchParams)
  const found = await searchPage(c.env.CONTENT, s)
  const link = (changes: Partial<SearchQuery>, page = 1) => `${paths.search}${searchQueryString({ ...s, ...changes }, page)}`
  return c.html(
    <SearchPage
      site={c.var.site}
      q={s.q}
      self={searchQueryString(s)}
      json={`${paths.search}/results.json${searchQueryString(s)}`}
      pageLink={(page) => link({}, page)}
      sortLinks={{ relevance: link({ sort: 'relevance' }), date: link({ sort: 'date' }) }}
      sort={s.sort}
      {...found}
      feeds={feedsOf(s)}
    />,
  )
})

search.get('/search/results.json', async (c) => {
  const site = c.var.site
  const s = parseSearchQuery(new URL(c.req.url).searchParams)
  const found = await searchPage(c.env.CONTENT, s)
  const url = (page: number) => `${site.url}${paths.search}/results.json${searchQueryString(s, page)}`
  return c.json({
    query: s.q,
    terms: s.terms,
    sort: s.sort,
    total: found.total,
    page: found.page,
    pages: found.pages,
    results: found.results.map((r) => ({
      ...entryResource(site, r.entry),
      score: Math.round(r.score * 1000) / 1000,
      // Offsets are UTF-16 code units into the string beside them, as JavaScript counts.
      highlights: { title: r.title.marks, excerpt: r.excerpt.marks },
      excerpt: r.excerpt.text,
    })),
    next: found.page < found.pages ? url(found.page + 1) : null,
    prev: found.page > 1 ? url(found.page - 1) : null,
    feeds: Object.fromEntries(feedsOf(s).map((f, i) => [FEED_FORMATS[i], `${site.url}${f.href}`])),
  })
})

for (const format of FEED_FORMATS) search.get(`/search.${format}`, (c: Context<AppEnv>) => feed(c, format))

function feed(c: Context<AppEnv>, format: FeedFormat) {
  const s = parseSearchQuery(new URL(c.req.url).searchParams, true)
  return searchFeedResponse(c.req.raw, c.env.CONTENT, c.var.site, s, format)
}
