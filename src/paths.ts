/**
 * The site's paths, in one place. Topic slugs may hold any letter (日本語, ümlaut), so they are
 * percent-encoded: feed readers and the W3C validator expect URIs, not IRIs.
 */
export const paths = {
  /** The site's feeds of every article and of the digests, without the format extension. */
  feed: '/feed',
  digestFeed: '/digests/feed',
  article: (slug: string) => `/articles/${slug}`,
  topic: (slug: string) => `/topics/${encodeURIComponent(slug)}`,
  /** A topic's feeds, without the format extension. */
  topicFeed: (slug: string) => `/topics/${encodeURIComponent(slug)}/feed`,
  /** An author's page, and its feeds without the format extension (slugs as topics'). */
  author: (slug: string) => `/authors/${encodeURIComponent(slug)}`,
  authorFeed: (slug: string) => `/authors/${encodeURIComponent(slug)}/feed`,
  digest: (date: string) => `/digests/${date}`,
  /** The search page, and its feeds without the format extension (both take `?q=`). */
  search: '/search',
  stories: '/stories',
  story: (id: string) => `/stories/${id}`,
  /** A story's feeds, without the format extension. */
  storyFeed: (id: string) => `/stories/${id}/feed`,
  /** The sitemap index robots.txt names, its parts (numbered from 1) and the News sitemap. */
  sitemap: '/sitemap.xml',
  sitemapPart: (n: number) => `/sitemaps/pages-${n}.xml`,
  newsSitemap: '/sitemaps/news.xml',
  /** The articles' sitemaps: the site list's head (null), or one archived chunk of it. */
  articlesSitemap: (chunk: number | null) => (chunk === null ? '/sitemaps/articles.xml' : `/sitemaps/articles-${chunk}.xml`),
}

/** A URL as stored (absolute, or root-relative for the site's own, such as a picture beside an
 * article) made absolute against the site's origin. */
export const absoluteUrl = (siteUrl: string, url: string): string => (url.startsWith('/') && !url.startsWith('//') ? `${siteUrl}${url}` : url)
