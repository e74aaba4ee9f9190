import { lists } from '../../article/list'
import { renderMarkdown } from '../../article/render'
import type { Site } from '../../bindings'
import { composeDigest, type PreviousStory, previousStoriesOf } from '../../digest/compose'
import { addDays, dateIn, dayRange, utcDatesOf } from '../../digest/day'
import { renderDigestMarkdown } from '../../digest/markdown'
import { type DayEntry, DIGEST_FEED_SIZE, type DigestFeedItem, type DigestIndex, type DigestSummary, type StoredDigest } from '../../digest/model'
import { fingerprint } from '../../hash'
import { paths } from '../../paths'
import { keys } from '../../storage/store'
import { blobs, type Db } from '../tables/db'
import { recordStories } from './stories'

// The daily digests, composed in the writer from the day entries of a day's articles: each day's
// digest, the archive and the digest feed's values, and which days the cron composes.

/** Bump when composition or rendering changes, so stored digests are composed again. */
const COMPOSER_VERSION = '3'
/** A late or missed cron run also composes this many earlier days that have no digest yet. */
const CATCH_UP_DAYS = 3
/** A story may continue one of this many days before (the sample opinion piece follows its story by nine). */
const CONTINUES_DAYS = 14

export type ComposeResult = { date: string; status: 'written' | 'unchanged'; stories: number; articles: number }

/**
 * Composes and stores the digest of `date` in `zone` from the articles published that day, in one
 * synchronous step. Skips the work when nothing it depends on changed. A day with no articles
 * keeps a page saying so, but no place in the archive or the digest feed.
 */
export function composeDay(db: Db, site: Site, date: string, zone: string): ComposeResult {
  const range = dayRange(date, zone)
  const dayLists = utcDatesOf(range).map((d) => lists.day(`${d}T00:00:00Z`))
  const members = db.all<{ slug: string; version: number }>(
    `SELECT m.slug, a.version FROM members m JOIN articles a ON a.slug = m.slug
     WHERE m.list IN (${dayLists.map(() => '?').join(',')}) ORDER BY m.slug`,
    ...dayLists,
  )
  const earlier = db.all<{ date: string; version: number }>(
    'SELECT date, version FROM digests WHERE date >= ? AND date < ? AND articles > 0 ORDER BY date',
    addDays(date, -CONTINUES_DAYS),
    date,
  )
  const signature = fingerprint(
    [COMPOSER_VERSION, zone, site.url, site.lang, date, ...members.map((m) => `${m.slug}@${m.version}`), ...earlier.map((d) => `${d.date}@${d.version}`)].join(
      '|',
    ),
  )
  const existing = db.one<{ signature: string; articles: number }>('SELECT signature, articles FROM digests WHERE date = ?', date)
  if (existing?.signature === signature) {
    const stored = JSON.parse(db.getView(keys.digest(date)) ?? 'null') as StoredDigest | null
    return { date, status: 'unchanged', stories: stored?.digest.counts.stories ?? 0, articles: existing.articles }
  }
  const articles = members
    .map((m) => db.getJson<DayEntry>(blobs.entry('day', m.slug))!)
    .filter((e) => {
      const t = Date.parse(e.date)
      return t >= range.start && t < range.end
    })
  const previous: PreviousStory[] = earlier.flatMap((d) => previousStoriesOf((JSON.parse(db.getView(keys.digest(d.date))!) as StoredDigest).digest))
  // Rarity from the whole collection, kept up to date as articles are written.
  const docs = db.one<{ n: number }>('SELECT count(*) AS n FROM articles WHERE draft = 0')!.n
  const count = (term: string) => db.one<{ n: number }>('SELECT n FROM df WHERE term = ?', term)?.n ?? 0
  const digest = composeDigest({ date, timezone: zone, articles, siteUrl: site.url, lang: site.lang, previous, df: { docs, count } })
  const markdown = renderDigestMarkdown(digest)
  const end = new Date(range.end).toISOString()
  const newest = articles.map((a) => a.updated ?? a.date).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? new Date(b).toISOString() : a), end)
  const stored: StoredDigest = {
    digest,
    markdown,
    html: renderMarkdown(markdown, paths.digest(date)),
    signature,
    start: new Date(range.start).toISOString(),
    end,
    updated: newest,
  }

  const version = db.nextVersion()
  db.upsert('digests', 'date', { date, signature, articles: articles.length, version })
  db.setView(keys.digest(date), JSON.stringify(stored), version)
  recordStories(db, digest, version)
  writeDigestIndexes(db, version)
  return { date, status: 'written', stories: digest.counts.stories, articles: articles.length }
}

/** The archive and the digest feed: every day that had articles, newest first. */
function writeDigestIndexes(db: Db, version: number): void {
  const dates = db.all<{ date: string }>('SELECT date FROM digests WHERE articles > 0 ORDER BY date DESC').map((d) => d.date)
  const digests: DigestSummary[] = []
  const items: DigestFeedItem[] = []
  for (const date of dates) {
    const stored = JSON.parse(db.getView(keys.digest(date))!) as StoredDigest
    const d = stored.digest
    const summary: DigestSummary = { date, title: d.title, stories: d.counts.stories, articles: d.counts.articles, updated: stored.updated }
    digests.push(summary)
    if (items.length < DIGEST_FEED_SIZE) items.push({ ...summary, overview: d.overview, html: stored.html, start: stored.start, end: stored.end })
  }
  db.setView(keys.digests(), JSON.stringify({ digests } satisfies DigestIndex), version)
  db.setView(keys.digestsFeed(), JSON.stringify({ items }), version)
  // Its documents are made from that value when flushed.
  db.markView(keys.document(paths.digestFeed), version)
}

/**
 * The cron's work at `scheduledTime`: the digest of the day that has just ended in `zone`, plus
 * any of the few days before it that have none (a missed or late run). Running twice is harmless.
 */
export function runDigests(db: Db, site: Site, zone: string, scheduledTime: number): ComposeResult[] {
  const yesterday = addDays(dateIn(zone, scheduledTime), -1)
  const known = new Set(db.all<{ date: string }>('SELECT date FROM digests').map((d) => d.date))
  const days = [yesterday, ...Array.from({ length: CATCH_UP_DAYS }, (_, i) => addDays(yesterday, -(i + 1))).filter((d) => !known.has(d))]
  return days.map((date) => composeDay(db, site, date, zone))
}

/** Digests composed again per step after the site's settings changed. */
const RECOMPOSE_BUDGET = 7

/** Marks every digest to be composed again (by `recomposeMarked`, in steps): their links and
 * language follow the site's settings, which have changed. */
export function markDigestsForRecompose(db: Db): void {
  if (db.one('SELECT 1 FROM digests LIMIT 1')) db.putText('recompose-after', '')
}

/**
 * Composes again, oldest first (so each day's links back find the days before it composed
 * anew), up to `RECOMPOSE_BUDGET` of the digests `markDigestsForRecompose` marked, each in the
 * zone it was composed in. Returns whether any is left.
 */
export function recomposeMarked(db: Db, site: Site): boolean {
  const after = db.getText('recompose-after')
  if (after === null) return false
  const days = db.all<{ date: string }>('SELECT date FROM digests WHERE date > ? ORDER BY date LIMIT ?', after, RECOMPOSE_BUDGET).map((d) => d.date)
  for (const date of days) {
    const stored = JSON.parse(db.getView(keys.digest(date)) ?? 'null') as StoredDigest | null
    if (stored) composeDay(db, site, date, stored.digest.timezone)
  }
  if (days.length < RECOMPOSE_BUDGET) db.deleteText('recompose-after')
  else db.putText('recompose-after', days.at(-1)!)
  return days.length === RECOMPOSE_BUDGET
}

/** Every day in `zone` that overlaps a UTC day with articles: what a backfill composes. */
export function daysWithArticles(db: Db, zone: string): string[] {
  const dates = new Set<string>()
  for (const { list } of db.all<{ list: string }>(`SELECT DISTINCT list FROM members WHERE list GLOB 'day/*'`)) {
    const start = Date.parse(`${list.slice('day/'.length)}T00:00:00Z`)
    for (let d = dateIn(zone, start); d <= dateIn(zone, start + 86_399_999); d = addDays(d, 1)) dates.add(d)
  }
  return [...dates].sort()
}
