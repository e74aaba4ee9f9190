import { raw } from 'hono/html'
import type { ArticleEntry, RenderedArticle, TopicSummary } from '../article/model'
import type { Site } from '../bindings'
import type { DigestSummary, StoredDigest } from '../digest/model'
import type { FeedDoc, FeedFormat } from '../feeds/model'
import { paths } from '../paths'
import { AuthorLinks, EntryList, Pager, TopicLinks } from './entries'
import { DateTime, dirOf, type FeedLink, Layout } from './layout'
import { articleMeta, collectionMeta, homeMeta } from './meta'

/** The home page lists the most used topics; the topics page has them all. */
const HOME_TOPICS = 30

/** The home page: newest articles, the topics, the feeds. */
export function HomePage(p: { site: Site; entries: ArticleEntry[]; next: string | null; topics: TopicSummary[]; feeds: FeedLink[] }) {
  return (
    <Layout site={p.site} path="/" feeds={p.feeds} json="/index.json" meta={homeMeta(p.site)}>
      <h1>{p.site.title}</h1>
      {p.site.description && <p class="muted">{p.site.description}</p>}
      {p.entries.length === 0 ? <p>No articles yet.</p> : <EntryList entries={p.entries} lang={p.site.lang} />}
      <Pager next={p.next} path="/" />
      {p.topics.length > 0 && (
        <section aria-labelledby="topics">
          <h2 id="topics">Topics</h2>
          <TopicLinks topics={p.topics.slice(0, HOME_TOPICS)} />
          {p.topics.length > HOME_TOPICS && (
            <p>
              <a href="/topics">All {p.topics.length} topics →</a>
            </p>
          )}
        </section>
      )}
    </Layout>
  )
}

/** One article, its metadata and its topics. */
export function ArticlePage(p: { site: Site; article: RenderedArticle; feeds: FeedLink[] }) {
  const a = p.article
  return (
    <Layout
      site={p.site}
      title={a.title}
      path={paths.article(a.slug)}
      description={a.excerpt}
      feeds={p.feeds}
      json={`${paths.article(a.slug)}.json`}
      meta={articleMeta(p.site, a)}
    >
      <article lang={a.lang ?? p.site.lang} dir={dirOf(a.lang ?? p.site.lang)}>
        <h1>{a.title}</h1>
        <p class="meta">
          <DateTime value={a.date} lang={p.site.lang} />
          {a.updated && (
            <>
              {' '}
              (updated <DateTime value={a.updated} lang={p.site.lang} />)
            </>
          )}
          {a.author && (
            <>
              {' · By '}
              <AuthorLinks entry={a} />
            </>
          )}
          {a.source && <> · {a.source.url ? <a href={a.source.url}>{a.source.name}</a> : a.source.name}</>} · {a.readingMinutes} min read
        </p>
        <TopicLinks topics={a.topics} />
        {/* A cover the body does not already show: the front matter's. */}
        {a.image && a.cover && (
          <figure class="cover">
            <img src={a.cover.url} alt={a.cover.alt} />
          </figure>
        )}
        <div class="body">{raw(a.html)}</div>
      </article>
      <p class="muted">
        <a href={`${paths.article(a.slug)}.md`}>Markdown source</a> · <a href={`${paths.article(a.slug)}.json`}>JSON</a>
      </p>
    </Layout>
  )
}

/** What a collection of lists is: the topics, or the authors (each a list of its articles). */
export type Collection = 'topic' | 'author'

const COLLECTIONS = {
  topic: { title: 'Topics', index: '/topics', path: paths.topic, none: 'No topics yet.' },
  author: { title: 'Authors', index: '/authors', path: paths.author, none: 'No authors yet.' },
} as const

/** Every topic (or author) with its article count. */
export function TopicsPage(p: { site: Site; topics: TopicSummary[]; feeds: FeedLink[]; kind?: Collection }) {
  const kind = COLLECTIONS[p.kind ?? 'topic']
  return (
    <Layout
      site={p.site}
      title={kind.title}
      path={kind.index}
      feeds={p.feeds}
      json={`${kind.index}.json`}
      meta={collectionMeta(p.site, { name: kind.title, path: kind.index, items: p.topics.map((t) => ({ name: t.name, path: kind.path(t.slug) })) })}
    >
      <h1>{kind.title}</h1>
      {p.topics.length === 0 ? (
        <p>{kind.none}</p>
      ) : (
        <ul class="topics">
          {p.topics.map((t) => (
            <li>
              <a href={kind.path(t.slug)}>
                {t.name} <span class="muted">({t.count})</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** The articles of one topic (or of one author). */
export function TopicPage(p: { site: Site; topic: TopicSummary; entries: ArticleEntry[]; next: string | null; feeds: FeedLink[]; kind?: Collection }) {
  const author = p.kind === 'author'
  const path = COLLECTIONS[p.kind ?? 'topic'].path(p.topic.slug)
  const items = p.entries.map((e) => ({ name: e.title, path: paths.article(e.slug) }))
  return (
    <Layout
      site={p.site}
      title={author ? `Articles by ${p.topic.name}` : p.topic.name}
      path={path}
      feeds={p.feeds}
      json={`${path}.json`}
      meta={collectionMeta(p.site, { name: p.topic.name, path, ...(author ? { author: p.topic } : { topic: p.topic }), items })}
    >
      <h1>{author ? `Articles by ${p.topic.name}` : p.topic.name}</h1>
      <p class="muted">
        {p.topic.count} {p.topic.count === 1 ? 'article' : 'articles'}
      </p>
      <EntryList entries={p.entries} lang={p.site.lang} />
      <Pager next={p.next} path={path} />
    </Layout>
  )
}

/** A 4xx or 5xx page with a short message. */
export function ErrorPage(p: { site: Site; status: number; title: string; message: string; path: string }) {
  return (
    <Layout site={p.site} title={p.title} path={p.path}>
      <h1>{p.title}</h1>
      <p>{p.message}</p>
      <p>
        <a href="/">Back to the latest articles</a>
      </p>
    </Layout>
  )
}

/** The archive of daily digests. */
export function DigestsPage(p: { site: Site; digests: DigestSummary[]; feeds: FeedLink[] }) {
  return (
    <Layout
      site={p.site}
      title="Daily digests"
      path="/digests"
      feeds={p.feeds}
      json="/digests.json"
      meta={collectionMeta(p.site, { name: 'Daily digests', path: '/digests', items: p.digests.map((d) => ({ name: d.title, path: paths.digest(d.date) })) })}
    >
      <h1>Daily digests</h1>
      {p.digests.length === 0 ? (
        <p>No digests yet: the first is composed after the first day with articles ends.</p>
      ) : (
        <ol class="entries">
          {p.digests.map((d) => (
            <li>
              <h2>
                <a href={paths.digest(d.date)}>{d.title}</a>
              </h2>
              <p class="meta">
                {d.stories} {d.stories === 1 ? 'story' : 'stories'} from {d.articles} {d.articles === 1 ? 'article' : 'articles'}
              </p>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  )
}

/** One day's digest, as rendered from its Markdown when it was composed. */
export function DigestPage(p: { site: Site; stored: StoredDigest; feeds: FeedLink[] }) {
  const d = p.stored.digest
  return (
    <Layout
      site={p.site}
      title={d.title}
      path={paths.digest(d.date)}
      description={d.overview}
      feeds={p.feeds}
      json={`${paths.digest(d.date)}.json`}
      meta={collectionMeta(p.site, { name: d.title, path: paths.digest(d.date), description: d.overview })}
    >
      <article class="body digest">{raw(p.stored.html)}</article>
      <p class="muted">
        Day in {d.timezone} · <a href={`${paths.digest(d.date)}.md`}>Markdown</a> · <a href={`${paths.digest(d.date)}.json`}>JSON</a> ·{' '}
        <a href="/digests">All digests</a>
      </p>
    </Layout>
  )
}

/** What a person sees on opening a feed URL in a browser: what it is, how to subscribe, the items. */
export function FeedPreviewPage(p: { site: Site; doc: FeedDoc; format: FeedFormat; path: string }) {
  const { doc } = p
  return (
    <Layout site={p.site} title={`${doc.title} (feed)`} path={p.path} description={doc.description}>
      <section class="feeds" aria-labelledby="about-feed">
        <h2 id="about-feed">This is a web feed</h2>
        <p>
          Copy its address into a feed reader to follow it: <code>{doc.self[p.format]}</code>
        </p>
        <p class="muted">
          Also as <a href={doc.self.atom}>Atom</a>, <a href={doc.self.rss}>RSS</a> and <a href={doc.self.json}>JSON Feed</a>.
        </p>
      </section>
      <h1>{doc.title}</h1>
      <ol class="entries">
        {doc.items.map((i) => (
          <li>
            <h2>
              <a href={i.url}>{i.title}</a>
            </h2>
            <p class="meta">
              <DateTime value={i.published} lang={p.site.lang} />
              {i.authors.length > 0 && <> · {i.authors.map((a) => a.name).join(', ')}</>}
            </p>
            <p>{i.summary}</p>
          </li>
        ))}
      </ol>
      {doc.next && (
        <p class="pager">
          <a rel="next" href={doc.next[p.format]}>
            Older items →
          </a>
        </p>
      )}
    </Layout>
  )
}
