import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { articleFile } from './support/articles'
import { seed } from './support/writer'

// What the rest of the web reads, served end to end: a cover image from front matter and one
// from the body, in pages (cards, JSON-LD, the picture itself), the JSON API and every feed
// format; robots.txt.
const site = 'https://news.example'
const get = (path: string) => SELF.fetch(`${site}${path}`)
const jsonLd = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!))
const meta = (html: string, key: string) => [...html.matchAll(new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`, 'g'))].map((m) => m[1])

beforeAll(async () => {
  const result = await seed([
    articleFile(
      'with-cover',
      {
        title: 'A </script> cover',
        date: '2024-06-19T10:00:00Z',
        author: 'Jane Doe',
        topics: ['Pictures'],
        image: 'cover photo.jpg',
        image_alt: 'The signing',
      },
      'Text.\n',
    ),
    articleFile(
      'body-picture',
      { title: 'A picture in the body', date: '2024-06-19T09:00:00Z', topics: ['Pictures'] },
      'See ![the map](https://maps.example/m.png).\n',
    ),
    articleFile('no-picture', { title: 'No picture', date: '2024-06-19T08:00:00Z' }, 'Just words.\n'),
  ])
  expect(result.ok).toBe(true)
})

describe('an article with a cover', () => {
  it('has its card, NewsArticle JSON-LD and the picture on the page', async () => {
    const html = await (await get('/articles/with-cover')).text()
    const cover = `${site}/articles/with-cover/cover%20photo.jpg`
    expect(meta(html, 'og:image')).toEqual([cover])
    expect(meta(html, 'og:type')).toEqual(['article'])
    expect(meta(html, 'twitter:card')).toEqual(['summary_large_image'])
    expect(meta(html, 'article:tag')).toEqual(['Pictures'])
    expect(html).toContain(`<link rel="canonical" href="${site}/articles/with-cover"/>`)
    expect(html).toContain('<img src="/articles/with-cover/cover%20photo.jpg" alt="The signing"/>')
    const [ld] = jsonLd(html)
    expect(ld).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'A </script> cover',
      image: [cover],
      author: [{ '@type': 'Person', name: 'Jane Doe' }],
      publisher: { '@type': 'Organization' },
      mainEntityOfPage: { '@id': `${site}/articles/with-cover` },
    })
  })

  it('is in the JSON API and in every feed format', async () => {
    const cover = `${site}/articles/with-cover/cover%20photo.jpg`
    const list = (await (await get('/articles')).json()) as { articles: { slug: string; image: { url: string; alt: string } | null }[] }
    expect(list.articles.map((a) => [a.slug, a.image?.url ?? null])).toEqual([
      ['with-cover', cover],
      ['body-picture', 'https://maps.example/m.png'],
      ['no-picture', null],
    ])
    const rss = await (await get('/feed.rss')).text()
    expect(rss).toContain(`<media:content url="${cover}" medium="image" type="image/jpeg"/>`)
    expect(await (await get('/topics/pictures/feed.atom')).text()).toContain(`<link rel="enclosure" type="image/jpeg" href="${cover}"/>`)
    const json = (await (await get('/feed.json')).json()) as { items: { image?: string }[] }
    expect(json.items.map((i) => i.image)).toEqual([cover, 'https://maps.example/m.png', undefined])
  })
})

describe('other pages', () => {
  it('home: WebSite JSON-LD and listing thumbnails', async () => {
    const html = await (await get('/')).text()
    expect(jsonLd(html).map((d) => d['@type'])).toEqual(['WebSite'])
    expect(html).toContain('<img class="thumb" src="https://maps.example/m.png" alt="the map" loading="lazy"/>')
  })

  it('a topic: CollectionPage JSON-LD listing its articles', async () => {
    const [ld] = jsonLd(await (await get('/topics/pictures')).text())
    expect(ld['@type']).toBe('CollectionPage')
    expect(ld.mainEntity.itemListElement.map((i: { url: string }) => i.url)).toEqual([`${site}/articles/with-cover`, `${site}/articles/body-picture`])
  })

  it('an article without a picture: a summary card', async () => {
    const html = await (await get('/articles/no-picture')).text()
    expect(meta(html, 'twitter:card')).toEqual(['summary'])
    expect(meta(html, 'og:image')).toEqual([])
  })
})

describe('robots.txt', () => {
  it('allows everything and names the sitemap index', async () => {
    const res = await get('/robots.txt')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await res.text()).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${site}/sitemap.xml\n`)
  })
})
