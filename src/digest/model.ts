import type { ArticleMeta, Source, Topic } from '../article/model'

/** A sentence that may go into a story's summary, with its words already found. */
export interface Candidate {
  text: string
  terms: string[]
}

/**
 * What composing a digest needs of an article, prepared when the article is written (words
 * found, sentences split) and kept in the per-day indexes, so composing is arithmetic only.
 */
export interface DayEntry extends ArticleMeta {
  titleTerms: string[]
  /** Content words of the lead: where a news report says which event it is about. */
  leadTerms: string[]
  /** Sentences of the lead fit to summarise with, in order. */
  sentences: Candidate[]
}

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
