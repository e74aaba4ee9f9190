import type { Child } from 'hono/jsx'
import type { ArticleEntry } from '../article/model'
import type { Site } from '../bindings'
import { paths } from '../paths'
import type { Highlighted } from '../search/excerpt'
import { AuthorLinks } from './entries'
import { DateTime, type FeedLink, Layout, SearchForm } from './layout'

/** One article a search found, as its page shows it. */
export interface FoundArticle {
  entry: ArticleEntry
  title: Highlighted
  excerpt: Highlighted
}

/** Text with the query's words in `<mark>` (escaped as any text). */
export function Marked({ h }: { h: Highlighted }) {
  const pieces: Child[] = []
  let at = 0
  for (const [start, end] of h.marks) {
    if (start > at) pieces.push(h.text.slice(at, start))
    pieces.push(<mark>{h.text.slice(start, end)}</mark>)
    at = end
  }
  if (at < h.text.length) pieces.push(h.text.slice(at))
  return <>{pieces}</>
}

/** `/search?q=…`: the articles found, best first (or newest), their excerpts marked, and pages. */
export function SearchPage(p: {
  site: Site
  q: string
  /** The page's own query string, and another page's. */
  self: string
  /** The same results as JSON. */
  json: string
  pageLink: (page: number) => string
  sortLinks: { relevance: string; date: string }
  sort: 'relevance' | 'date'
  results: FoundArticle[]
  total: number
  page: number
  pages: number
  feeds: FeedLink[]
}) {
  const title = `Search: ${p.q}`
  return (
    <Layout site={p.site} title={title} path={`${paths.search}${p.self}`} feeds={p.feeds} json={p.json}>
      <h1>Search</h1>
      <SearchForm q={p.q} />
      <p class="muted">
        {p.total === 0 ? 'No article matches' : `${p.total} ${p.total === 1 ? 'article matches' : 'articles match'}`} “{p.q}”
        {p.total > 1 && (
          <>
            {' · '}
            {p.sort === 'relevance' ? (
              <>
                best first · <a href={p.sortLinks.date}>newest first</a>
              </>
            ) : (
              <>
                <a href={p.sortLinks.relevance}>best first</a> · newest first
              </>
            )}
          </>
        )}
      </p>
      <ol class="entries">
        {p.results.map((r) => (
          <li>
            <article>
              <h2>
                <a href={paths.article(r.entry.slug)}>
                  <Marked h={r.title} />
                </a>
              </h2>
              <p class="meta">
                <DateTime value={r.entry.date} lang={p.site.lang} />
                {r.entry.author && (
                  <>
                    {' · '}
                    <AuthorLinks entry={r.entry} />
                  </>
                )}
              </p>
              <p>
                <Marked h={r.excerpt} />
              </p>
            </article>
          </li>
        ))}
      </ol>
      {p.pages > 1 && (
        <p class="pager">
          {p.page > 1 && (
            <a rel="prev" href={p.pageLink(p.page - 1)}>
              ← Better matches
            </a>
          )}{' '}
          Page {p.page} of {p.pages}{' '}
          {p.page < p.pages && (
            <a rel="next" href={p.pageLink(p.page + 1)}>
              More results →
            </a>
          )}
        </p>
      )}
    </Layout>
  )
}
