import { renderMarkdown } from '../article/render'
import type { Site } from '../bindings'
import { getDayEntries, getDigest, getDigestIndex, hashOf, putDigest, type StoredDigest } from '../storage/store'
import { composeDigest } from './compose'
import { addDays, dateIn, dayRange, utcDatesOf } from './day'
import { renderDigestMarkdown } from './markdown'

/** Bump when composition or rendering changes, so stored digests are composed again. */
const COMPOSER_VERSION = '1'
/** A late or missed cron run also composes this many earlier days that have no digest yet. */
const CATCH_UP_DAYS = 3

export type ComposeResult = { date: string; status: 'written' | 'unchanged'; stories: number; articles: number }

/**
 * Composes and stores the digest of `date` in `zone` from that day's index only. Skips the work
 * when the day's articles have not changed since the stored digest was composed.
 */
export async function composeDay(kv: KVNamespace, site: Site, date: string, zone: string): Promise<ComposeResult> {
  const range = dayRange(date, zone)
  const { entries, hashes } = await getDayEntries(kv, utcDatesOf(range))
  const signature = await hashOf([COMPOSER_VERSION, zone, site.url, site.lang, date, ...hashes].join('|'))
  const [existing, index] = await Promise.all([getDigest(kv, date), getDigestIndex(kv)])
  if (existing?.signature === signature && index.digests.some((d) => d.date === date && d.updated === existing.updated)) {
    return { date, status: 'unchanged', stories: existing.digest.counts.stories, articles: existing.digest.counts.articles }
  }
  const articles = entries.filter((e) => {
    const t = Date.parse(e.date)
    return t >= range.start && t < range.end
  })
  const digest = composeDigest({ date, timezone: zone, articles, siteUrl: site.url, lang: site.lang })
  const markdown = renderDigestMarkdown(digest)
  const end = new Date(range.end).toISOString()
  const newest = articles.map((a) => a.updated ?? a.date).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? new Date(b).toISOString() : a), end)
  const stored: StoredDigest = {
    digest,
    markdown,
    html: renderMarkdown(markdown, `/digests/${date}`),
    signature,
    start: new Date(range.start).toISOString(),
    end,
    updated: newest,
  }
  await putDigest(kv, stored)
  return { date, status: 'written', stories: digest.counts.stories, articles: digest.counts.articles }
}

/**
 * The cron's work at `scheduledTime`: the digest of the day that has just ended in `zone`, plus
 * any of the few days before it that have none (a missed or late run). Running twice is harmless.
 */
export async function runDigests(kv: KVNamespace, site: Site, zone: string, scheduledTime: number): Promise<ComposeResult[]> {
  const yesterday = addDays(dateIn(zone, scheduledTime), -1)
  const known = new Set((await getDigestIndex(kv)).digests.map((d) => d.date))
  const days = [yesterday, ...Array.from({ length: CATCH_UP_DAYS }, (_, i) => addDays(yesterday, -(i + 1))).filter((d) => !known.has(d))]
  const results: ComposeResult[] = []
  for (const date of days) results.push(await composeDay(kv, site, date, zone))
  return results
}
