import type { Topic } from '../article/model'
import { longDate } from '../dates'
import { paths } from '../paths'
import { centroid, type DocumentFrequencies, groupReports, idfOf, vectorize } from './cluster'
import type { DayEntry, Digest, DigestArticle, Story, StoryLink } from './model'
import { dot, normalize, type Vector } from './text'

const SUMMARY_MAX_CHARS = 420
/** A sentence this far into its report or nearer counts as its lead. */
const LEAD_SENTENCES = 2
/** Terms a story keeps so that a later day can tell it continues the story. */
const STORY_TERMS = 20
/** A story continues an earlier one when their centres are this similar. */
const CONTINUES = 0.3

/** A story of an earlier day's digest, as `previousStoriesOf` makes it. */
export interface PreviousStory extends StoryLink {
  terms: [string, number][]
}

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
  const articles = [...input.articles].sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.slug < b.slug ? -1 : 1))
  const idf = idfOf(articles, input.df)
  const vectors = vectorize(articles, idf)
  const previous = (input.previous ?? []).filter((p) => p.date < input.date).map((p) => ({ link: p, vector: normalize(new Map(p.terms)) }))
  const stories = groupReports(vectors).map((members) =>
    toStory(
      members.map((i) => articles[i]!),
      members.map((i) => vectors[i]!),
      idf,
      input.siteUrl,
      previous,
    ),
  )
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
    s.terms && s.terms.length > 0 ? [{ date: digest.date, id: s.id, headline: s.headline, url: storyUrl(s, digest.date), terms: s.terms }] : [],
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
function sourceKey(a: DayEntry): string {
  if (a.source?.name?.trim()) return `name:${a.source.name.trim().toLowerCase()}`
  if (a.source?.url) {
    try {
      return `host:${new URL(a.source.url).hostname.replace(/^www\./, '')}`
    } catch {
      // not a URL: fall through
    }
  }
  if (a.author?.trim()) return `author:${a.author.trim().toLowerCase()}`
  return `article:${a.slug}`
}

const sourcesOf = (articles: DayEntry[]) => new Set(articles.map(sourceKey)).size

function toStory(
  members: DayEntry[],
  vectors: Vector[],
  idf: (t: string) => number,
  siteUrl: string,
  previous: { link: PreviousStory; vector: Vector }[],
): Story {
  const center = centroid(vectors)
  // Reports by how representative they are: closest to the story's centre first, the earliest on a tie.
  const order = members.map((_, i) => i).sort((i, j) => dot(vectors[j]!, center) - dot(vectors[i]!, center) || i - j)
  const { text: summary, from } = summarize(members, order, center, idf)
  const articles: DigestArticle[] = members.map((a) => ({
    slug: a.slug,
    title: a.title,
    url: `${siteUrl}/articles/${a.slug}`,
    date: a.date,
    author: a.author ?? null,
    source: a.source ?? null,
  }))
  // The headline of the report the summary opens with, so the two agree.
  const headline = [from, ...order].map((i) => cleanHeadline(members[i]!.title)).find(Boolean) ?? firstWords(summary)
  const terms = [...center]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, STORY_TERMS)
    .map(([t, x]): [string, number] => [t, Math.round(x * 1000) / 1000])
  const story: Story = {
    id: `story-${members[0]!.slug}`,
    headline,
    summary,
    topics: topicsOf(members),
    articles,
    sources: sourcesOf(members),
    terms,
  }
  let best: { link: PreviousStory; sim: number } | undefined
  for (const p of previous) {
    const s = dot(center, p.vector)
    if (s >= CONTINUES && (!best || s > best.sim + 1e-9 || (Math.abs(s - best.sim) <= 1e-9 && p.link.date > best.link.date))) best = { link: p.link, sim: s }
  }
  if (best) story.continues = { date: best.link.date, id: best.link.id, headline: best.link.headline, url: best.link.url }
  return story
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

interface Choice {
  text: string
  vector: Vector
  report: number
  at: number
  relevance: number
}

/**
 * Two or three of the reports' own sentences, leading with the news: the opening of the most
 * representative report, then what other reports add that is not said yet. Returns the
 * summary and the report it opens with.
 */
function summarize(members: DayEntry[], order: number[], center: Vector, idf: (t: string) => number): { text: string; from: number } {
  const choices: Choice[] = []
  for (const r of order) {
    members[r]!.sentences.forEach((s, k) => {
      const vector = normalize(new Map(s.terms.map((t) => [t, idf(t)])))
      choices.push({ text: s.text, vector, report: r, at: s.at ?? k, relevance: dot(vector, center) })
    })
  }
  if (choices.length === 0) return { text: '', from: order[0] ?? 0 }
  const rank = new Map(order.map((r, k) => [r, k]))
  // The opening: the lead of the most representative report that has one.
  const opening = choices.find((c) => c.at <= LEAD_SENTENCES) ?? choices[0]!
  const chosen: Choice[] = [opening]
  let length = opening.text.length
  const fits = (c: Choice) => chosen.length < 2 || length + 1 + c.text.length <= SUMMARY_MAX_CHARS
  const repeats = (c: Choice) => chosen.some((x) => x.text === c.text || dot(x.vector, c.vector) > 0.5)
  // Then what the same report says next, when the story has one report or its next sentence is news.
  const sameReport = choices.filter((c) => c.report === opening.report && c.at > opening.at)
  // Then what other reports add: their leads, the most relevant first.
  const others = choices
    .filter((c) => c.report !== opening.report && c.at <= LEAD_SENTENCES + 1)
    .sort((a, b) => b.relevance - a.relevance || rank.get(a.report)! - rank.get(b.report)! || a.at - b.at)
  const queue = members.length === 1 ? sameReport : [...sameReport.slice(0, 1), ...others, ...sameReport.slice(1)]
  for (const c of queue) {
    if (chosen.length === 3) break
    if (!fits(c) || repeats(c)) continue
    chosen.push(c)
    length += 1 + c.text.length
  }
  return { text: chosen.map((c) => c.text).join(' '), from: opening.report }
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
