import type { Source, Topic } from '../article/model'

/** What composing a digest needs of an article: kept in the per-day indexes at write time. */
export interface DayEntry {
  slug: string
  title: string
  date: string
  updated?: string
  author?: string
  source?: Source
  topics: Topic[]
  /** The article's plain text, cut to its lead (see DAY_TEXT_CHARS). */
  text: string
}

/** Text kept per article for grouping and summaries: the lead is where news says what happened. */
export const DAY_TEXT_CHARS = 4000

export interface DigestArticle {
  slug: string
  title: string
  url: string
  date: string
  author: string | null
  source: Source | null
}

export interface Story {
  /** Stable: `story-` + the slug of its first-published report, kept when others join. */
  id: string
  headline: string
  /** Two or three sentences taken word for word from the story's reports. */
  summary: string
  topics: Topic[]
  articles: DigestArticle[]
}

/** One day's digest: the single model that Markdown, HTML, JSON and feed items are made from. */
export interface Digest {
  date: string
  timezone: string
  title: string
  overview: string
  counts: { stories: number; articles: number; sources: number }
  stories: Story[]
}
