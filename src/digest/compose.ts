import type { Topic } from '../article/model'
import { longDate } from '../dates'
import { centroid, groupReports, vectorize } from './cluster'
import type { DayEntry, Digest, DigestArticle, Story } from './model'
import { counts, dot, normalize } from './text'

const SUMMARY_MAX_CHARS = 420

export interface DigestInput {
  date: string
  timezone: string
  /** Articles whose `date` falls on `date` in `timezone`; any order. */
  articles: DayEntry[]
  siteUrl: string
  lang?: string
}

/** Composes a day's digest: reports of one event gathered into one story, biggest first. Pure. */
export function composeDigest(input: DigestInput): Digest {
  const articles = [...input.articles].sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.slug < b.slug ? -1 : 1))
  const vectors = vectorize(articles)
  const stories = groupReports(vectors).map((members) =>
    toStory(
      members.map((i) => articles[i]!),
      members.map((i) => vectors[i]!),
      input.siteUrl,
    ),
  )
  stories.sort((a, b) => b.articles.length - a.articles.length || (a.articles[0]!.date < b.articles[0]!.date ? -1 : 1) || (a.id < b.id ? -1 : 1))
  const sources = new Set(articles.map((a) => a.source?.name ?? a.author ?? `article:${a.slug}`)).size
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

function toStory(members: DayEntry[], vectors: Map<string, number>[], siteUrl: string): Story {
  const center = centroid(vectors)
  // The most representative report: closest to the story's centre; the earliest on a tie.
  let best = 0
  vectors.forEach((v, i) => {
    if (dot(v, center) > dot(vectors[best]!, center) + 1e-12) best = i
  })
  const articles: DigestArticle[] = members.map((a) => ({
    slug: a.slug,
    title: a.title,
    url: `${siteUrl}/articles/${a.slug}`,
    date: a.date,
    author: a.author ?? null,
    source: a.source ?? null,
  }))
  return {
    id: `story-${members[0]!.slug}`,
    headline: members[best]!.title,
    summary: summarize(members, center),
    topics: topicsOf(members),
    articles,
  }
}

/** Two or three of the reports' own sentences, the most central to the story first. */
function summarize(members: DayEntry[], center: Map<string, number>): string {
  const candidates: { text: string; vector: Map<string, number>; score: number; order: number }[] = []
  let order = 0
  for (const a of members) {
    for (const s of a.sentences) {
      const vector = normalize(counts(s.terms))
      candidates.push({ text: s.text, vector, score: dot(vector, center), order: order++ })
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.order - b.order)
  const chosen: typeof candidates = []
  let length = 0
  for (const c of candidates) {
    if (chosen.length === 3 || (chosen.length >= 2 && length + c.text.length > SUMMARY_MAX_CHARS)) break
    // Skip what repeats a chosen sentence: five outlets often say the same thing.
    if (chosen.some((x) => dot(x.vector, c.vector) > 0.5)) continue
    chosen.push(c)
    length += c.text.length + 1
  }
  return chosen.map((c) => c.text).join(' ')
}

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
  return `${plural(stories, 'story', 'stories')} from ${plural(articles, 'article', 'articles')} by ${plural(sources, 'source', 'sources')} on ${day}${
    stories < articles ? '; reports of the same event are gathered into one story' : ''
  }.`
}
