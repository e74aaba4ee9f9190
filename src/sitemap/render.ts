import { el, rfc3339 } from '../feeds/xml'

/**
 * Sitemaps (sitemaps.org 0.9) and the Google News sitemap, as pure renderers: a part lists at most
 * 50,000 URLs, an index names the parts, and the news sitemap the articles of the last two days.
 * What to list, and where each document is stored, is the writer's.
 */

/** URLs one sitemap part (and sitemaps one index) holds at most, by the protocol. */
export const SITEMAP_MAX_URLS = 50_000
/** Articles a News sitemap holds at most (Google's limit), and how far back it reaches. */
export const NEWS_MAX_URLS = 1_000
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9'
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

/** One page a sitemap lists: its absolute URL and when it last changed (RFC 3339). */
export interface SitemapUrl {
  loc: string
  lastmod?: string
}

/** One part an index names: its absolute URL and when it last changed. */
export type SitemapPart = SitemapUrl

/** An article as the News sitemap lists it. */
export interface NewsEntry {
  loc: string
  title: string
  /** RFC 3339, the article's date. */
  published: string
  /** Its language tag ("en", "pt-BR"); the site's when it has none. */
  lang?: string
}

/** A `lastmod` as the W3C datetime profile (and xsd:dateTime) has it: UTC, to the second. */
const lastmod = (iso: string | undefined): string => (iso === undefined ? '' : el('lastmod', rfc3339(iso)))

/** The schema wants 1 to 50,000 entries: a site always has its home page, so none is a mistake. */
function checkCount(count: number, what: string): void {
  if (count === 0) throw new RangeError(`no ${what}: a sitemap document lists at least one`)
  if (count > SITEMAP_MAX_URLS)
    throw new RangeError(`${count} ${what}: a sitemap document holds at most ${SITEMAP_MAX_URLS.toLocaleString('en')}; split it (sitemapParts)`)
}

/** A `<urlset>` of 1 to 50,000 URLs. */
export function renderSitemap(urls: SitemapUrl[]): string {
  checkCount(urls.length, 'URLs')
  const body = urls.map((u) => `<url>${el('loc', u.loc)}${lastmod(u.lastmod)}</url>\n`).join('')
  return `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n${body}</urlset>\n`
}

/** A `<sitemapindex>` naming 1 to 50,000 parts. */
export function renderSitemapIndex(parts: SitemapPart[]): string {
  checkCount(parts.length, 'sitemaps')
  const body = parts.map((p) => `<sitemap>${el('loc', p.loc)}${lastmod(p.lastmod)}</sitemap>\n`).join('')
  return `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n${body}</sitemapindex>\n`
}

/** Items cut into runs of at most `size` (50,000), one per sitemap part, in order. */
export function sitemapParts<T>(items: T[], size = SITEMAP_MAX_URLS): T[][] {
  const parts: T[][] = []
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size))
  return parts
}

/** A language as Google News names it: ISO 639 ("en" for "en-GB"), but Chinese by script. */
export function newsLanguage(tag: string): string {
  const t = tag.toLowerCase()
  if (/^zh-(hant|tw|hk|mo)\b/.test(t)) return 'zh-tw'
  if (t.startsWith('zh')) return 'zh-cn'
  return t.split('-')[0]!
}

/**
 * The Google News sitemap: the articles published in the two days before `now` (none dated
 * later), newest first, at most 1,000, each with the site as its publication; null when there
 * is none (the schema allows no empty `<urlset>`: leave it out of the index, or answer 404).
 */
export function renderNewsSitemap(articles: NewsEntry[], site: { title: string; lang: string }, now: number): string | null {
  const recent = articles
    .map((a) => ({ a, t: Date.parse(a.published) }))
    .filter(({ t }) => t <= now && t > now - NEWS_WINDOW_MS)
    .sort((x, y) => y.t - x.t)
    .slice(0, NEWS_MAX_URLS)
  if (recent.length === 0) return null
  const publication = (lang: string) => `<news:publication>${el('news:name', site.title)}${el('news:language', newsLanguage(lang))}</news:publication>`
  const body = recent
    .map(
      ({ a }) =>
        `<url>${el('loc', a.loc)}<news:news>${publication(a.lang ?? site.lang)}${el('news:publication_date', rfc3339(a.published))}${el('news:title', a.title)}</news:news></url>\n`,
    )
    .join('')
  return `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${body}</urlset>\n`
}
