import type { ArticleMeta, Source, Topic } from '../article/model'

/** A sentence that may go into a story's summary, with its words already found. */
export interface Candidate {
  text: string
  /** Its distinct content words. */
  terms: string[]
  /** Its place among the article's sentences: 0 is the opening sentence. Absent in entries
   * written before it was kept. */
  at?: number
}

/**
 * What composing a digest needs of an article, prepared when the article is written (words
 * found, sentences split) and kept in the per-day indexes, so composing is arithmetic only.
 */
export interface DayEntry extends ArticleMeta {
  /** The article's distinctive terms with their weight in it (headline and opening count most,
   * names and numbers above common words), heaviest first. Rarity is applied when composing. */
  terms: [string, number][]
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
  /** The story's identity across days: the `id` it had on the first day it appeared, kept by
   * every later day's story that continues it (see `continues`). Absent in digests composed
   * before it was kept: then its `id`. */
  thread?: string
  headline: string
  /** Two or three sentences taken word for word from the story's reports. */
  summary: string
  topics: Topic[]
  articles: DigestArticle[]
  /** Distinct outlets named among the articles (by source, else host, else author); 0 when
   * none names one. Absent in digests composed before it was counted. */
  sources?: number
  /** The earlier day's story this one continues, when there is one. */
  continues?: StoryLink
  /** The story's own page, across the days it runs (`/stories/<thread>`). Absent in digests
   * composed before stories had pages. */
  page?: string
  /** The story's distinctive terms and weights, so a later day can tell it continues this one. */
  terms?: [string, number][]
}

/** A story of an earlier day's digest. */
export interface StoryLink {
  date: string
  id: string
  headline: string
  url: string
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

/** A digest as stored: the model and what was rendered from it when it was composed. */
export interface StoredDigest {
  digest: Digest
  markdown: string
  html: string
  /** Identifies the inputs it was composed from: the same signature means the same bytes. */
  signature: string
  /** Instants of the day's start and end, and of the newest change among its articles. */
  start: string
  end: string
  updated: string
}

/** One line of the digest archive. */
export interface DigestSummary {
  date: string
  title: string
  stories: number
  articles: number
  updated: string
}

export interface DigestIndex {
  digests: DigestSummary[]
}

/** A story's identity across days (its page and feed): its thread, else its id. */
export const storyIdOf = (s: Pick<Story, 'id' | 'thread'>): string => s.thread ?? s.id

/** Story ids as URLs name them. */
export const isStoryId = (id: string): boolean => /^story-[a-z0-9][a-z0-9-]{0,120}$/.test(id)

/** One day of a story: what that day's digest said of it, and its reports that day. */
export interface StoryDay {
  date: string
  headline: string
  summary: string
  articles: DigestArticle[]
}

/** A story across the days it ran, newest day first: its page, its JSON and its feed. */
export interface StoryTimeline {
  id: string
  headline: string
  first: string
  last: string
  days: StoryDay[]
}

/** One line of the story index: the stories that ran most recently, newest first. */
export interface StorySummary {
  id: string
  headline: string
  first: string
  last: string
  reports: number
}

export interface StoryIndex {
  stories: StorySummary[]
}

/** How many stories the story index (and OPML) names: the most recent. */
export const STORY_INDEX_SIZE = 100

/** How many digests the digest feeds carry (newest first). */
export const DIGEST_FEED_SIZE = 20

export interface DigestFeedItem extends DigestSummary {
  overview: string
  html: string
  start: string
  end: string
}
