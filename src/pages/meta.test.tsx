import { describe, expect, it } from 'vitest'
import type { ArticleEntry, RenderedArticle } from '../article/model'
import { renderArticle } from '../article/render'
import type { Site } from '../bindings'
import { jsonLdText } from './meta'
import { ArticlePage, DigestPage, HomePage, TopicPage, TopicsPage } from './pages'

const site: Site = { url: 'https://news.example', title: 'News & Views', description: 'All the news', lang: 'en', icon: 'https://news.example/icon.png' }
const article = (over: Partial<RenderedArticle> = {}, body = 'The pact was signed. ![inline](map.png)'): RenderedArticle => ({
  ...renderArticle({
    slug: 'pact',
    title: 'Pact </script><script>alert(1)</script> & more',
    date: '2024-06-19T14:30:00+09:00',
    updated: '2024-06-20T08:00:00Z',
    author: 'Jane Doe <jane@news.example>',
    topics: [
      { slug: 'russia', name: 'Russia' },
      { slug: 'north-korea', name: 'North Korea' },
    ],
    draft: false,
    body,
    markdown: '',
    image: 'cover.jpg',
    imageAlt: 'Two leaders "shake" hands',
  }),
  ...over,
})

const html = (node: unknown) => String(node)
/** Every `<meta property|name=… content=…>` of a page, decoded as a browser reads attributes. */
function metaTags(page: string): Record<string, string[]> {
  const tags: Record<string, string[]> = {}
  for (const [, key, value] of page.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)) {
    const v = value!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
    tags[key!] = [...(tags[key!] ?? []), v]
  }
  return tags
}
/** The JSON-LD blocks of a page, parsed. */
const jsonLd = (page: string) => [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!))

describe('article pages', () => {
  const page = html(<ArticlePage site={site} article={article()} feeds={[]} />)

  it('carry Open Graph, article:* and a large Twitter card with the cover', () => {
    const tags = metaTags(page)
    expect(tags).toMatchObject({
      'og:type': ['article'],
      'og:title': ['Pact </script><script>alert(1)</script> & more'],
      'og:url': ['https://news.example/articles/pact'],
      'og:description': ['The pact was signed. inline'],
      'og:site_name': ['News & Views'],
      'og:image': ['https://news.example/articles/pact/cover.jpg'],
      'og:image:alt': ['Two leaders "shake" hands'],
      'article:published_time': ['2024-06-19T14:30:00+09:00'],
      'article:modified_time': ['2024-06-20T08:00:00Z'],
      'article:author': ['Jane Doe'],
      'article:tag': ['Russia', 'North Korea'],
      'twitter:card': ['summary_large_image'],
      'twitter:image': ['https://news.example/articles/pact/cover.jpg'],
    })
    expect(page).toContain('<link rel="canonical" href="https://news.example/articles/pact"/>')
  })

  it('carry NewsArticle JSON-LD that parses, safely embedded', () => {
    expect(page).not.toContain('</script><script>alert(1)')
    const [ld, ...more] = jsonLd(page)
    expect(more).toEqual([])
    expect(ld).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Pact </script><script>alert(1)</script> & more',
      description: 'The pact was signed. inline',
      url: 'https://news.example/articles/pact',
      mainEntityOfPage: { '@type': 'WebPage', '@id': 'https://news.example/articles/pact' },
      datePublished: '2024-06-19T14:30:00+09:00',
      dateModified: '2024-06-20T08:00:00Z',
      author: [{ '@type': 'Person', name: 'Jane Doe' }],
      publisher: {
        '@type': 'Organization',
        name: 'News & Views',
        url: 'https://news.example/',
        logo: { '@type': 'ImageObject', url: 'https://news.example/icon.png' },
      },
      inLanguage: 'en',
      wordCount: article().words,
      image: ['https://news.example/articles/pact/cover.jpg'],
      keywords: ['Russia', 'North Korea'],
    })
  })

  it('show the front matter cover with its alt text, and a body image only in the body', () => {
    expect(page).toContain('<figure class="cover"><img src="/articles/pact/cover.jpg" alt="Two leaders &quot;shake&quot; hands"/></figure>')
    const fromBody = html(
      <ArticlePage
        site={site}
        article={article({ image: undefined, imageAlt: undefined, cover: { url: '/articles/pact/map.png', alt: 'inline' } })}
        feeds={[]}
      />,
    )
    expect(fromBody).not.toContain('<figure')
    expect(metaTags(fromBody)['og:image']).toEqual(['https://news.example/articles/pact/map.png'])
  })

  it('without a picture: a summary card, no og:image; the outlet as author when no person is named', () => {
    const bare = html(
      <ArticlePage site={site} article={article({ image: undefined, cover: undefined, author: undefined, source: { name: 'Gazette' } })} feeds={[]} />,
    )
    const tags = metaTags(bare)
    expect(tags['twitter:card']).toEqual(['summary'])
    expect(tags['og:image']).toBeUndefined()
    expect(tags['article:author']).toBeUndefined()
    expect(jsonLd(bare)[0].author).toEqual([{ '@type': 'Organization', name: 'Gazette' }])
    expect(jsonLd(bare)[0].image).toBeUndefined()
  })
})

describe('other pages', () => {
  const entry: ArticleEntry = {
    slug: 'pact',
    title: 'Pact',
    date: '2024-06-19T14:30:00Z',
    topics: [{ slug: 'russia', name: 'Russia' }],
    excerpt: 'x',
    readingMinutes: 1,
    etag: '"e"',
    cover: { url: '/articles/pact/cover.jpg', alt: 'Leaders' },
  }

  it('home: WebSite JSON-LD, a website card, thumbnails with alt text', () => {
    const page = html(<HomePage site={site} entries={[entry]} next={null} topics={[]} feeds={[]} />)
    expect(jsonLd(page)).toEqual([
      expect.objectContaining({
        '@context': 'https://schema.org',
        '@type': 'WebSite',
        name: 'News & Views',
        url: 'https://news.example/',
        description: 'All the news',
      }),
    ])
    expect(metaTags(page)['og:type']).toEqual(['website'])
    expect(page).toContain('<link rel="canonical" href="https://news.example/"/>')
    expect(page).toContain('<img class="thumb" src="/articles/pact/cover.jpg" alt="Leaders" loading="lazy"/>')
  })

  it('topics, a topic and a digest: CollectionPage JSON-LD with canonical links', () => {
    const topic = html(
      <TopicPage site={site} topic={{ slug: 'russia', name: 'Russia', count: 1, latest: entry.date }} entries={[entry]} next={null} feeds={[]} />,
    )
    expect(jsonLd(topic)[0]).toMatchObject({
      '@type': 'CollectionPage',
      name: 'Russia',
      url: 'https://news.example/topics/russia',
      about: { '@type': 'Thing', name: 'Russia' },
      isPartOf: { '@type': 'WebSite', url: 'https://news.example/' },
      mainEntity: { '@type': 'ItemList', itemListElement: [{ '@type': 'ListItem', position: 1, url: 'https://news.example/articles/pact', name: 'Pact' }] },
    })
    expect(topic).toContain('<link rel="canonical" href="https://news.example/topics/russia"/>')
    expect(jsonLd(html(<TopicsPage site={site} topics={[]} feeds={[]} />))[0]['@type']).toBe('CollectionPage')
    const stored = {
      digest: { date: '2024-06-19', title: 'The day', overview: 'What happened', timezone: 'UTC' },
      html: '<p>x</p>',
    } as unknown as Parameters<typeof DigestPage>[0]['stored']
    const digest = html(<DigestPage site={site} stored={stored} feeds={[]} />)
    expect(jsonLd(digest)[0]).toMatchObject({
      '@type': 'CollectionPage',
      name: 'The day',
      description: 'What happened',
      url: 'https://news.example/digests/2024-06-19',
    })
    expect(digest).toContain('<link rel="canonical" href="https://news.example/digests/2024-06-19"/>')
  })
})

describe('jsonLdText', () => {
  it('keeps any text inside its script element and parses back to the same value', () => {
    const nasty = { a: '</script><!-- <script> & \u2028\u2029 ]]>' }
    const text = jsonLdText(nasty)
    expect(text).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(text)).toEqual(nasty)
  })
})
