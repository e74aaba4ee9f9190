import { lists } from '../article/list'
import { type ArticleMeta, authorNames } from '../article/model'
import type { Site } from '../bindings'
import type { DigestFeedItem, StoryTimeline } from '../digest/model'
import { escapeHtml } from '../html'
import { paths } from '../paths'
import { type SearchQuery, searchQueryString } from '../search/query'
import { hubUrl } from '../websub/links'
import type { FeedDoc, FeedEntry, FeedFormat, FeedFrame, FeedItem, Person } from './model'
import { canonicalQuery, type FeedQuery } from './query'
import type { SelectedPage } from './select'
import { xmlSafe } from './xml'

// No public address for the project yet: an empty url leaves Atom's generator without a uri.
export const GENERATOR = { name: 'edgefeed', url: '', version: '0.1.0' }
const EPOCH = '1970-01-01T00:00:00Z'

/** Where a list's feed documents live, without the format extension ("/feed",
 * "/topics/<topic>/feed"); null for lists with no feed. */
export function feedBase(list: string): string | null {
  if (list === lists.all) return paths.feed
  if (list.startsWith('author/')) return paths.authorFeed(list.slice('author/'.length))
  return list.startsWith('topic/') ? paths.topicFeed(list.slice('topic/'.length)) : null
}

/** The list whose feed documents live at `base` (`feedBase`'s inverse), or null for none. */
export function listOfFeed(base: string): string | null {
  if (base === paths.feed) return lists.all
  const m = /^\/(topics|authors)\/([^/]+)\/feed$/.exec(base)
  if (!m) return null
  try {
    return (m[1] === 'authors' ? lists.author : lists.topic)(decodeURIComponent(m[2]!))
  } catch {
    return null
  }
}

/** Root-relative links and images (as stored) made absolute for readers outside the site. */
const absolutize = (html: string, site: Site): string => html.replace(/\b(href|src)="\/(?!\/)/g, `$1="${site.url}/`)

export function toFeedItem(e: FeedEntry, site: Site): FeedItem {
  const url = `${site.url}/articles/${e.slug}`
  const names = authorNames(e)
  const named: Person[] =
    names.length > 0 ? names.map((name) => ({ name })) : e.source ? [{ name: e.source.name, ...(e.source.url ? { url: e.source.url } : {}) }] : []
  // A name made only of characters XML cannot carry would be an empty (invalid) author.
  const authors = named.map(splitEmail).filter((a) => xmlSafe(a.name).trim() !== '')
  return {
    id: url,
    url,
    title: e.title,
    summary: e.summary,
    contentHtml: absolutize(e.html, site),
    published: e.date,
    updated: e.updated ?? e.date,
    authors,
    categories: e.topics.map((t) => ({ term: t.slug, label: t.name, scheme: `${site.url}/topics/` })),
    ...(e.lang ? { lang: e.lang } : {}),
    ...(e.cover ? { image: { ...e.cover, url: e.cover.url.startsWith('/') ? `${site.url}${e.cover.url}` : e.cover.url } } : {}),
  }
}

/** "Jane Doe <jane@example.org>" is a name and an e-mail address: Atom has a place for each. */
function splitEmail(p: Person): Person {
  const m = /^(.*?)\s*<([^<>\s@]+@[^<>\s@]+)>\s*$/.exec(p.name)
  return m?.[1] ? { ...p, name: m[1], email: m[2]! } : p
}

/** Where a feed lives: its path without extension ("/feed", "/topics/x/feed") and page queries. */
interface FeedPlace {
  title: string
  description: string
  /** The HTML page the feed follows, as a path. */
  home: string
  base: string
  /** Canonical query of this page, of the first page and of the next page ("" or "?…"). */
  query: string
  firstQuery: string
  nextQuery: string | null
  prevQuery: string | null
}

const perFormat = (site: Site, base: string, query: string): Record<FeedFormat, string> => ({
  rss: `${site.url}${base}.rss${query}`,
  atom: `${site.url}${base}.atom${query}`,
  json: `${site.url}${base}.json${query}`,
})

/** What every format says around the items of a page of `entries`: stable for the same data,
 * whatever the time. */
function buildFeedFrame(site: Site, place: FeedPlace, entries: ArticleMeta[], listUpdated: string | null): FeedFrame {
  const newest = entries.reduce<string | null>((a, e) => {
    const changed = e.updated ?? e.date
    return a === null || Date.parse(changed) > Date.parse(a) ? changed : a
  }, null)
  return {
    id: `${site.url}${place.base}${place.firstQuery}`,
    title: place.title,
    description: place.description,
    language: site.lang,
    home: `${site.url}${place.home}`,
    self: perFormat(site, place.base, place.query),
    hub: hubUrl(site),
    first: perFormat(site, place.base, place.firstQuery),
    next: place.nextQuery === null ? null : perFormat(site, place.base, place.nextQuery),
    prev: place.prevQuery === null ? null : perFormat(site, place.base, place.prevQuery),
    updated: newest ?? listUpdated ?? EPOCH,
    icon: site.icon,
    author: { name: site.title, url: `${site.url}/` },
    generator: GENERATOR,
  }
}

/** The one model every format renders: the frame and its items. */
export function buildFeedDoc(site: Site, place: FeedPlace, entries: FeedEntry[], listUpdated: string | null): FeedDoc {
  return { ...buildFeedFrame(site, place, entries, listUpdated), items: entries.map((e) => toFeedItem(e, site)) }
}

/** The frame of a search's feed (`/search.rss?q=…`): its newest matches. No hub pushes it (a
 * query is no topic the hub knows), so it names none and readers poll it, conditionally. */
export function searchFeedFrame(site: Site, s: SearchQuery, entries: ArticleMeta[], updated: string | null): FeedFrame {
  const query = searchQueryString(s, 1, true)
  const frame = buildFeedFrame(
    site,
    {
      title: `${site.title}: search for “${s.q}”`,
      description: `Articles matching “${s.q}” from ${site.title}, newest first.`,
      home: `${paths.search}${searchQueryString(s, 1)}`,
      base: paths.search,
      query,
      firstQuery: query,
      nextQuery: null,
      prevQuery: null,
    },
    entries,
    updated,
  )
  return { ...frame, hub: null }
}

/** The one list an article feed is fixed to: a topic (its slug), or an author (`{ author: slug }`). */
export type FixedFeed = string | { author: string }

/** The fixed list of an article feed's list (`all`: none). */
export const fixedOfList = (list: string): FixedFeed | undefined =>
  list.startsWith('author/') ? { author: list.slice('author/'.length) } : list.startsWith('topic/') ? list.slice('topic/'.length) : undefined

/**
 * The frame of one view of the article feeds: the site feed, a topic's or an author's feed, or a
 * filtered view, at the page `page` selected. `names` are the display names of `q.topics` (of the
 * author, for an author's feed). The writer
 * makes the default views with it when a list changes; a request makes the rest. Either puts
 * the items' stored fragments in it.
 */
export function articleFeedFrame(
  site: Site,
  q: FeedQuery,
  fixedTopic: FixedFeed | undefined,
  names: string[],
  page: SelectedPage<ArticleMeta> & { updated: string | null },
): FeedFrame {
  const fixed = fixedTopic !== undefined
  const author = typeof fixedTopic === 'object' ? fixedTopic.author : undefined
  const topic = typeof fixedTopic === 'string' ? fixedTopic : undefined
  const title =
    author !== undefined
      ? `${site.title}: articles by ${names[0] ?? author}`
      : names.length === 0
        ? site.title
        : `${site.title}: ${names.join(q.match === 'all' ? ' and ' : ', ')}`
  const description =
    author !== undefined
      ? `Articles by ${names[0] ?? author} from ${site.title}.`
      : names.length === 0
        ? site.description
        : `Articles on ${names.join(', ')} from ${site.title}.`
  return buildFeedFrame(
    site,
    {
      title,
      description,
      home: author !== undefined ? paths.author(author) : topic !== undefined ? paths.topic(topic) : '/',
      base: author !== undefined ? paths.authorFeed(author) : topic !== undefined ? paths.topicFeed(topic) : paths.feed,
      query: canonicalQuery(q, { ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.before ? { before: q.before } : {}) }, fixed),
      firstQuery: canonicalQuery(q, {}, fixed),
      nextQuery: page.next ? canonicalQuery(q, { cursor: page.next }, fixed) : null,
      prevQuery: page.prev ? canonicalQuery(q, { before: page.prev }, fixed) : null,
    },
    page.entries,
    page.updated,
  )
}

/** The whole document of one view of the article feeds (see `articleFeedFrame`). */
export function articleFeedDoc(
  site: Site,
  q: FeedQuery,
  fixedTopic: FixedFeed | undefined,
  names: string[],
  page: SelectedPage<FeedEntry> & { updated: string | null },
): FeedDoc {
  return { ...articleFeedFrame(site, q, fixedTopic, names, page), items: page.entries.map((e) => toFeedItem(e, site)) }
}

/** The document of the digest feed: the newest digests, one item a day. */
export function digestFeedDoc(site: Site, items: DigestFeedItem[]): FeedDoc {
  const self = perFormat(site, paths.digestFeed, '')
  return {
    id: `${site.url}/digests/feed`,
    title: `${site.title}: daily digest`,
    description: `Every day's stories from ${site.title}, one digest a day.`,
    language: site.lang,
    home: `${site.url}/digests`,
    self,
    hub: hubUrl(site),
    first: self,
    next: null,
    prev: null,
    updated: items.reduce((a, i) => (Date.parse(i.updated) > Date.parse(a) ? i.updated : a), EPOCH),
    icon: site.icon,
    author: { name: site.title, url: `${site.url}/` },
    generator: GENERATOR,
    items: items.map((i) => ({
      id: `${site.url}${paths.digest(i.date)}`,
      url: `${site.url}${paths.digest(i.date)}`,
      title: i.title,
      summary: i.overview,
      contentHtml: i.html,
      published: i.end,
      updated: i.updated,
      authors: [{ name: site.title }],
      categories: [],
    })),
  }
}

/** Reports a story's feed carries at most, newest first. */
const STORY_FEED_SIZE = 50

/**
 * The document of one story's feed: an item for each report that joined it, newest first, so a
 * reader following the event gets each new report as it is gathered into the story. An item is
 * the report's link and title with what the digest said of the story that day.
 */
export function storyFeedDoc(site: Site, story: StoryTimeline): FeedDoc {
  const self = perFormat(site, paths.storyFeed(story.id), '')
  const home = `${site.url}${paths.story(story.id)}`
  const reports = story.days
    .flatMap((day) => day.articles.map((a) => ({ a, day })))
    .sort((x, y) => Date.parse(y.a.date) - Date.parse(x.a.date) || (x.a.slug < y.a.slug ? -1 : 1))
    .slice(0, STORY_FEED_SIZE)
  return {
    id: `${site.url}${paths.storyFeed(story.id)}`,
    title: `${site.title}: ${story.headline}`,
    description: `Every report of one story, as ${site.title}'s daily digests gathered them.`,
    language: site.lang,
    home,
    self,
    hub: hubUrl(site),
    first: self,
    next: null,
    prev: null,
    updated: reports.reduce((u, { a }) => (Date.parse(a.date) > Date.parse(u) ? a.date : u), EPOCH),
    icon: site.icon,
    author: { name: site.title, url: `${site.url}/` },
    generator: GENERATOR,
    items: reports.map(({ a, day }) => ({
      id: a.url,
      url: a.url,
      title: a.title,
      summary: day.summary,
      contentHtml: `<p>${escapeHtml(day.summary)}</p>\n<p>Part of the story <a href="${escapeHtml(home)}">${escapeHtml(story.headline)}</a>, in the digest of <a href="${escapeHtml(`${site.url}${paths.digest(day.date)}`)}">${escapeHtml(day.date)}</a>.</p>\n`,
      published: a.date,
      updated: a.date,
      authors: (a.author ? [{ name: a.author }] : a.source ? [{ name: a.source.name, ...(a.source.url ? { url: a.source.url } : {}) }] : [])
        .map(splitEmail)
        .filter((p) => xmlSafe(p.name).trim() !== ''),
      categories: [],
    })),
  }
}
