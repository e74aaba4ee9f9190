import type { Site } from '../bindings'
import { longDate } from '../dates'
import type { StorySummary, StoryTimeline } from '../digest/model'
import { paths } from '../paths'
import { type FeedLink, Layout } from './layout'
import { collectionMeta } from './meta'

/** The stories that ran most recently, each with its days and reports. */
export function StoriesPage(p: { site: Site; stories: StorySummary[]; feeds: FeedLink[] }) {
  return (
    <Layout
      site={p.site}
      title="Stories"
      path={paths.stories}
      feeds={p.feeds}
      json={`${paths.stories}.json`}
      meta={collectionMeta(p.site, { name: 'Stories', path: paths.stories, items: p.stories.map((s) => ({ name: s.headline, path: paths.story(s.id) })) })}
    >
      <h1>Stories</h1>
      {p.stories.length === 0 ? (
        <p>No stories yet: they are gathered when each day's digest is composed.</p>
      ) : (
        <ol class="entries">
          {p.stories.map((s) => (
            <li>
              <h2>
                <a href={paths.story(s.id)}>{s.headline}</a>
              </h2>
              <p class="meta">
                {s.first === s.last ? longDate(s.first, p.site.lang) : `${longDate(s.first, p.site.lang)} to ${longDate(s.last, p.site.lang)}`} · {s.reports}{' '}
                {s.reports === 1 ? 'report' : 'reports'}
              </p>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  )
}

/** One story across the days it ran, newest day first: what each day's digest said, and its reports. */
export function StoryPage(p: { site: Site; story: StoryTimeline; feeds: FeedLink[] }) {
  const s = p.story
  return (
    <Layout
      site={p.site}
      title={s.headline}
      path={paths.story(s.id)}
      description={s.days[0]!.summary}
      feeds={p.feeds}
      json={`${paths.story(s.id)}.json`}
      meta={collectionMeta(p.site, {
        name: s.headline,
        path: paths.story(s.id),
        description: s.days[0]!.summary,
        items: s.days.flatMap((d) => d.articles.map((a) => ({ name: a.title, path: paths.article(a.slug) }))),
      })}
    >
      <h1>{s.headline}</h1>
      <p class="meta">
        {s.days.length === 1
          ? `One day: ${longDate(s.first, p.site.lang)}`
          : `${s.days.length} days, ${longDate(s.first, p.site.lang)} to ${longDate(s.last, p.site.lang)}`}{' '}
        · <a href={`${paths.storyFeed(s.id)}.atom`}>follow this story (Atom)</a>
      </p>
      {s.days.map((d) => (
        <section>
          <h2>
            <a href={paths.digest(d.date)}>{longDate(d.date, p.site.lang)}</a>: {d.headline}
          </h2>
          {d.summary ? <p>{d.summary}</p> : null}
          <ul>
            {d.articles.map((a) => (
              <li>
                <a href={paths.article(a.slug)}>{a.title}</a>
                {a.source ? ` (${a.source.name})` : a.author ? ` (${a.author})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  )
}
