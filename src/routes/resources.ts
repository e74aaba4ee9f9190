import type { ArticleEntry, Author, AuthorSummary, Image, RenderedArticle, Topic, TopicSummary } from '../article/model'
import type { Site } from '../bindings'
import { paths } from '../paths'

/** The JSON forms of what pages show: absolute URLs, no internal fields. */
const urls = {
  article: (site: Site, slug: string) => `${site.url}/articles/${slug}`,
  topic: (site: Site, slug: string) => `${site.url}${paths.topic(slug)}`,
  author: (site: Site, slug: string) => `${site.url}${paths.author(slug)}`,
}

const topicResource = (site: Site, t: Topic) => ({ slug: t.slug, name: t.name, url: urls.topic(site, t.slug) })

export const topicSummaryResource = (site: Site, t: TopicSummary) => ({ ...topicResource(site, t), count: t.count, latest: t.latest })

const authorResource = (site: Site, t: Author) => ({ slug: t.slug, name: t.name, url: urls.author(site, t.slug) })

export const authorSummaryResource = (site: Site, t: AuthorSummary) => ({ ...authorResource(site, t), count: t.count, latest: t.latest })

export function entryResource(site: Site, e: Omit<ArticleEntry, 'etag'>) {
  return {
    slug: e.slug,
    url: urls.article(site, e.slug),
    title: e.title,
    date: e.date,
    updated: e.updated ?? null,
    author: e.author ?? null,
    authors: (e.authors ?? []).map((t) => authorResource(site, t)),
    source: e.source ?? null,
    topics: e.topics.map((t) => topicResource(site, t)),
    excerpt: e.excerpt,
    readingMinutes: e.readingMinutes,
    image: e.cover ? imageResource(site, e.cover) : null,
  }
}

/** A picture with its URL absolute (a file beside the article is stored root-relative). */
export const imageResource = (site: Site, i: Image) => ({ ...i, url: absoluteUrl(site, i.url) })

/** A URL as stored (absolute, or root-relative for the site's own) made absolute. */
export const absoluteUrl = (site: Site, url: string): string => (url.startsWith('/') ? `${site.url}${url}` : url)

export function articleResource(site: Site, a: RenderedArticle) {
  return {
    ...entryResource(site, a),
    summary: a.summary ?? null,
    lang: a.lang ?? site.lang,
    words: a.words,
    html: a.html,
    text: a.text,
    markdownUrl: `${urls.article(site, a.slug)}.md`,
  }
}

/** The URL of the next page of a listing, or null. */
export const nextUrl = (site: Site, path: string, next: string | null, limit: number, defaultLimit: number): string | null =>
  next === null ? null : `${site.url}${path}?${limit === defaultLimit ? '' : `limit=${limit}&`}cursor=${encodeURIComponent(next)}`
