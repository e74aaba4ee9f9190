import type { Topic } from '../article/model'
import { longDate } from '../dates'
import { paths } from '../paths'
import { type DocumentFrequencies, groupReports, idfOf, type ReportVectors, vectorize } from './cluster'
import { continuations, type PreviousStory, storyTerms } from './continues'
import { type DayEntry, type Digest, type DigestArticle, type Story, storyIdOf } from './model'
import { DayTerms, DenseVector, dotDense } from './sparse'
import { summarize } from './summary'

export type { PreviousStory } from './continues'

export interface DigestInput {
  date: string
  timezone: string
  /** Articles whose `date` falls on `date` in `timezone`; any order. */
  articles: DayEntry[]
  siteUrl: string
  lang?: string
  /** Document frequencies over the whole collection (from `dfTermsOf` of every article). Without
   * them the day's own frequencies and a general English prior are used. */
  df?: DocumentFrequencies
  /** Stories of earlier days' digests (say the last week), from `previousStoriesOf`. */
  previous?: PreviousStory[]
}

/** Composes a day's digest: reports of one event gathered into one story, biggest first. Pure. */
export function composeDigest(input: DigestInput): Digest {
  const times = new Map(input.articles.map((a) => [a, Date.parse(a.date)]))
  const articles = [...input.articles].sort((a, b) => times.get(a)! - times.get(b)! || (a.slug < b.slug ? -1 : 1))
  const terms = new DayTerms(idfOf(articles, input.df))
  const vectors = vectorize(articles, terms)
  // One story at a time: its centre, and a spare for lookups, kept for the next.
  const center = new DenseVector(terms.size)
  const spare = new DenseVector(terms.size)
  const stories = groupReports(vectors).map((members) => toStory(members, articles, vectors, center, spare, input.siteUrl))
  const links = continuations(
    stories.map((s) => s.terms ?? []),
    (input.previous ?? []).filter((p) => p.date < input.date),
  )
  stories.forEach((story, k) => {
    const link = links[k]
    if (!link) return
    story.continues = { date: link.date, id: link.id, headline: link.headline, url: link.url }
    story.thread = link.thread ?? link.id
  })
  for (const story of stories) story.page = `${input.siteUrl}${paths.story(storyIdOf(story))}`
  stories.sort((a, b) => b.articles.length - a.articles.length || (a.articles[0]!.date < b.articles[0]!.date ? -1 : 1) || (a.id < b.id ? -1 : 1))
  const sources = sourcesOf(articles)
  const day = longDate(input.date, input.lang)
  return {
    date: input.date,
    timezone: input.timezone,
    title: `Daily digest: ${day}`,
    overview: overviewOf(day, stories.length, articles.length, sources),
    counts: { stories: stories.length, articles: articles.length, sources },
    stories,
  }
}

/** What a later day needs of a stored digest to tell that one of its stories goes on. */
export function previousStoriesOf(digest: Digest): PreviousStory[] {
  return digest.stories.flatMap((s) =>
    s.terms && s.terms.length > 0
      ? [{ date: digest.date, id: s.id, headline: s.headline, url: storyUrl(s, digest.date), terms: s.terms, thread: s.thread ?? s.id }]
      : [],
  )
}

/** The story's place on its digest page (the page's heading ids are made from the headline). */
function storyUrl(s: Pick<Story, 'headline' | 'articles'>, date: string): string {
  const site = s.articles[0]?.url.replace(/\/articles\/[^/]*$/, '') ?? ''
  const anchor = s.headline
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  return `${site}${paths.digest(date)}${anchor ? `#${anchor}` : ''}`
}

/** Who an article comes from: its outlet, else the outlet's host, else its author. */
function sourceKey(a: DayEntry): string | undefined {
  if (a.source?.name?.trim()) return `name:${a.source.name.trim().toLowerCase()}`
  if (a.source?.url) {
    try {
      return `host:${new URL(a.source.url).hostname.replace(/^www\./, '')}`
    } catch {
      // not a URL: fall through
    }
  }
  if (a.author?.trim()) return `author:${a.author.trim().toLowerCase()}`
  return undefined
}

/** Distinct outlets (or authors) named among some articles: 0 when none is named. */
const sourcesOf = (articles: DayEntry[]) => new Set(articles.map(sourceKey).filter(Boolean)).size

function toStory(members: number[], all: DayEntry[], vectors: ReportVectors, center: DenseVector, spare: DenseVector, siteUrl: string): Story {
  const reports = members.map((i) => all[i]!)
  const { start, ids, weights } = vectors
  for (const i of members) for (let e = start[i]!; e < start[i + 1]!; e++) center.add(ids[e]!, weights[e]!)
  center.normalize()
  // Reports by how representative they are: closest to the story's centre first, the earliest on a tie.
  const closeness = members.map((i) => dotDense(ids, weights, start[i]!, start[i + 1]!, center, spare))
  const order = members.map((_, k) => k).sort((k, j) => closeness[j]! - closeness[k]! || k - j)
  const cleaned: (string | undefined)[] = []
  const headline = (k: number) => (cleaned[k] ??= cleanHeadline(reports[k]!.title))
  const { text: summary, from } = summarize(reports, order, center, spare, vectors.terms, headline)
  center.clear()
  const articles: DigestArticle[] = reports.map((a) => ({
    slug: a.slug,
    title: a.title,
    url: `${siteUrl}/articles/${a.slug}`,
    date: a.date,
    author: a.author ?? null,
    source: a.source ?? null,
  }))
  // The headline of the report the summary opens with, so the two agree.
  const titled = [from, ...order].find((k) => headline(k))
  const title = titled === undefined ? firstWords(summary) : headline(titled)
  const id = `story-${reports[0]!.slug}`
  return {
    id,
    thread: id,
    headline: title,
    summary,
    topics: topicsOf(reports),
    articles,
    sources: sourcesOf(reports),
    terms: storyTerms(
      members.map((i) => ({ terms: all[i]!.terms, ids: vectors.termIds[i]! })),
      vectors.terms,
      spare,
    ),
  }
}

/** Newsroom prefixes and trailing full stops are not part of a headline. */
export function cleanHeadline(title: string): string {
  let t = title.replace(/\s+/g, ' ').trim()
  for (let i = 0; i < 3; i++) {
    const next = t.replace(
      /^(?:(?:UPDATE|WRAPUP|RPT)\s*\d*|REFILE|CORRECTED|CORRECTION|EXCLUSIVE|BREAKING(?: NEWS)?|ANALYSIS|FACTBOX|INSTANT VIEW|URGENT)\s*(?:[-–—:|]\s*)+/i,
      '',
    )
    if (next === t) break
    t = next
  }
  // "Pact signed." loses its stop; "Talks in the U.S." and "Wait..." keep theirs.
  if (/[^.]\.$/.test(t) && !/(?:^|[\s(])(?:\p{L}\.)+\p{L}?\.$/u.test(t)) t = t.slice(0, -1).trimEnd()
  return t
}

const firstWords = (s: string) => (s.length <= 90 ? s : `${s.slice(0, s.lastIndexOf(' ', 88))}…`)

function topicsOf(members: DayEntry[]): Topic[] {
  const seen = new Map<string, { topic: Topic; n: number; first: number }>()
  members.forEach((a, i) =>
    a.topics.forEach((t) => {
      const s = seen.get(t.slug)
      if (s) s.n++
      else seen.set(t.slug, { topic: t, n: 1, first: i })
    }),
  )
  return [...seen.values()].sort((a, b) => b.n - a.n || a.first - b.first).map((s) => s.topic)
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function overviewOf(day: string, stories: number, articles: number, sources: number): string {
  if (articles === 0) return `No articles were published on ${day}, so there is nothing to report for this day.`
  const by = sources > 0 ? ` by ${plural(sources, 'source', 'sources')}` : ''
  return `${plural(stories, 'story', 'stories')} from ${plural(articles, 'article', 'articles')}${by} on ${day}${
    stories < articles ? '; reports of the same event are gathered into one story' : ''
  }.`
}
