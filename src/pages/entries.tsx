import type { ArticleEntry, Topic } from '../article/model'
import { paths } from '../paths'
import { DateTime } from './layout'

/** Links to topic pages. */
export function TopicLinks({ topics, label = 'Topics' }: { topics: Topic[]; label?: string }) {
  if (topics.length === 0) return null
  return (
    <ul class="topics" aria-label={label}>
      {topics.map((t) => (
        <li>
          <a href={paths.topic(t.slug)}>{t.name}</a>
        </li>
      ))}
    </ul>
  )
}

/** An article's authors, each a link to their page (a record stored before authors were: its
 * one line, as text). */
export function AuthorLinks({ entry }: { entry: Pick<ArticleEntry, 'author' | 'authors'> }) {
  if (!entry.authors || entry.authors.length === 0) return entry.author ? <>{entry.author}</> : null
  return (
    <>
      {entry.authors.map((x, i) => (
        <>
          {i > 0 && ', '}
          <a href={paths.author(x.slug)}>{x.name}</a>
        </>
      ))}
    </>
  )
}

/** A newest-first list of articles with their excerpts. */
export function EntryList({ entries, lang }: { entries: ArticleEntry[]; lang: string }) {
  return (
    <ol class="entries">
      {entries.map((e) => (
        <li>
          <article>
            {e.cover && <img class="thumb" src={e.cover.url} alt={e.cover.alt} loading="lazy" />}
            <h2>
              <a href={paths.article(e.slug)}>{e.title}</a>
            </h2>
            <p class="meta">
              <DateTime value={e.date} lang={lang} />
              {e.author && (
                <>
                  {' · '}
                  <AuthorLinks entry={e} />
                </>
              )}
              {e.source && <> · {e.source.name}</>} · {e.readingMinutes} min read
            </p>
            <p>{e.excerpt}</p>
          </article>
        </li>
      ))}
    </ol>
  )
}

/** "Older articles" link when there is a next page. */
export function Pager({ next, path }: { next: string | null; path: string }) {
  if (!next) return null
  return (
    <p class="pager">
      <a rel="next" href={`${path}?cursor=${encodeURIComponent(next)}`}>
        Older articles →
      </a>
    </p>
  )
}
