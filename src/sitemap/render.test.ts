import { describe, expect, it } from 'vitest'
import { NEWS_MAX_URLS, newsLanguage, renderNewsSitemap, renderSitemap, renderSitemapIndex, SITEMAP_MAX_URLS, sitemapParts } from './render'
import { renderRobots } from './robots'
import { newsEntries, sitemapUrls } from './urls'

const site = { title: 'News & <Views>', lang: 'en' }
const NOW = Date.parse('2024-06-21T12:00:00Z')

describe('renderSitemap', () => {
  it('lists each URL, escaped, with lastmod in UTC to the second', () => {
    const xml = renderSitemap([{ loc: 'https://news.example/topics/a?x=1&y=2', lastmod: '2024-06-19T14:30:00+09:00' }, { loc: 'https://news.example/' }])
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        '<url><loc>https://news.example/topics/a?x=1&amp;y=2</loc><lastmod>2024-06-19T05:30:00Z</lastmod></url>\n' +
        '<url><loc>https://news.example/</loc></url>\n</urlset>\n',
    )
  })

  it('holds 1 to 50,000 URLs, and says how to split more', () => {
    const urls = Array.from({ length: SITEMAP_MAX_URLS + 1 }, (_, i) => ({ loc: `https://news.example/articles/a-${i}` }))
    expect(() => renderSitemap(urls)).toThrow(/at most 50,000; split it/)
    expect(() => renderSitemap([])).toThrow(/at least one/)
    expect(renderSitemap(urls.slice(0, SITEMAP_MAX_URLS)).match(/<url>/g)).toHaveLength(SITEMAP_MAX_URLS)
    expect(sitemapParts(urls).map((p) => p.length)).toEqual([SITEMAP_MAX_URLS, 1])
    expect(sitemapParts(urls.slice(0, 5), 2).map((p) => p.map((u) => u.loc.slice(-1)))).toEqual([['0', '1'], ['2', '3'], ['4']])
    expect(sitemapParts([])).toEqual([])
  })
})

describe('renderSitemapIndex', () => {
  it('names each part with when it last changed', () => {
    expect(renderSitemapIndex([{ loc: 'https://news.example/sitemaps/articles-1.xml', lastmod: '2024-06-19T05:30:00.000Z' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        '<sitemap><loc>https://news.example/sitemaps/articles-1.xml</loc><lastmod>2024-06-19T05:30:00Z</lastmod></sitemap>\n</sitemapindex>\n',
    )
    expect(() => renderSitemapIndex([])).toThrow(/at least one/)
  })
})

describe('renderNewsSitemap', () => {
  const at = (slug: string, published: string, lang?: string) => ({
    loc: `https://news.example/articles/${slug}`,
    title: `Title of ${slug} & <co>`,
    published,
    ...(lang ? { lang } : {}),
  })

  it('lists the articles of the last two days, newest first, none from the future', () => {
    const xml = renderNewsSitemap(
      [
        at('old', '2024-06-19T11:59:59Z'),
        at('edge', '2024-06-19T12:00:01Z'),
        at('new', '2024-06-21T11:00:00+09:00', 'pt-BR'),
        at('future', '2024-06-21T12:00:01Z'),
      ],
      site,
      NOW,
    )!
    expect([...xml.matchAll(/<loc>[^<]*\/([^/<]+)<\/loc>/g)].map((m) => m[1])).toEqual(['new', 'edge'])
    expect(xml).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"')
    expect(xml).toContain(
      '<news:news><news:publication><news:name>News &amp; &lt;Views&gt;</news:name><news:language>pt</news:language></news:publication>' +
        '<news:publication_date>2024-06-21T02:00:00Z</news:publication_date><news:title>Title of new &amp; &lt;co&gt;</news:title></news:news>',
    )
    expect(xml).toContain('<news:language>en</news:language>')
  })

  it('holds at most 1,000 articles, and is null when there is none', () => {
    const many = Array.from({ length: NEWS_MAX_URLS + 5 }, (_, i) => at(`a-${i}`, new Date(NOW - i * 1000).toISOString()))
    expect(renderNewsSitemap(many, site, NOW)!.match(/<news:news>/g)).toHaveLength(NEWS_MAX_URLS)
    expect(renderNewsSitemap([at('old', '2020-01-01T00:00:00Z')], site, NOW)).toBeNull()
  })

  it('names languages as Google News does', () => {
    expect(['en-GB', 'fr', 'zh-Hans', 'zh-Hant-TW', 'zh-TW', 'ZH', 'fil'].map(newsLanguage)).toEqual(['en', 'fr', 'zh-cn', 'zh-tw', 'zh-tw', 'zh-cn', 'fil'])
  })
})

describe('renderRobots', () => {
  it('allows every crawler everything and names the sitemap index', () => {
    expect(renderRobots('https://news.example')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://news.example/sitemap.xml\n')
  })
})

describe('sitemapUrls', () => {
  const article = (slug: string, date: string, updated?: string) => ({ slug, title: slug, date, ...(updated ? { updated } : {}), topics: [] })
  it('lists every page once, with when it last changed', () => {
    const urls = sitemapUrls('https://news.example', {
      articles: [article('b', '2024-06-19T10:00:00Z', '2024-06-20T08:00:00Z'), article('a', '2024-06-18T10:00:00Z')],
      topics: [{ slug: '日本', name: '日本', count: 1, latest: '2024-06-18T10:00:00Z' }],
      digests: [{ date: '2024-06-19', title: 'D', stories: 1, articles: 2, updated: '2024-06-20T00:05:00Z' }],
    })
    expect(urls).toEqual([
      { loc: 'https://news.example/', lastmod: '2024-06-20T08:00:00Z' },
      { loc: 'https://news.example/topics', lastmod: '2024-06-20T08:00:00Z' },
      { loc: 'https://news.example/topics/%E6%97%A5%E6%9C%AC', lastmod: '2024-06-18T10:00:00Z' },
      { loc: 'https://news.example/articles/b', lastmod: '2024-06-20T08:00:00Z' },
      { loc: 'https://news.example/articles/a', lastmod: '2024-06-18T10:00:00Z' },
      { loc: 'https://news.example/digests', lastmod: '2024-06-20T00:05:00Z' },
      { loc: 'https://news.example/digests/2024-06-19', lastmod: '2024-06-20T00:05:00Z' },
    ])
    expect(new Set(urls.map((u) => u.loc)).size).toBe(urls.length)
    expect(sitemapUrls('https://news.example', { articles: [], topics: [], digests: [] })).toEqual([
      { loc: 'https://news.example/' },
      { loc: 'https://news.example/topics' },
    ])
    expect(newsEntries('https://news.example', [{ ...article('a', '2024-06-18T10:00:00Z'), lang: 'fr' }])).toEqual([
      { loc: 'https://news.example/articles/a', title: 'a', published: '2024-06-18T10:00:00Z', lang: 'fr' },
    ])
  })
})
