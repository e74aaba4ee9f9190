import { raw } from 'hono/html'
import { authorNames, type Image, type RenderedArticle, type Topic } from '../article/model'
import type { Site } from '../bindings'
import { absoluteUrl, paths } from '../paths'

/**
 * What a page tells the rest of the web about itself: Open Graph and Twitter card tags (the card
 * a shared link shows) and schema.org JSON-LD (what search engines read): `NewsArticle` on an
 * article, `WebSite` on the home page, `CollectionPage` on topic and digest pages.
 */

/** A JSON-LD node (schema.org vocabulary). */
export type JsonLd = Record<string, unknown>

/** A page's part in the card and the structured data: its kind, picture, extra Open Graph
 * properties (`article:*`), and its JSON-LD. */
export interface PageMeta {
  type: 'website' | 'article'
  /** Its URL absolute. */
  image?: Image
  properties?: [string, string][]
  jsonLd?: JsonLd
}

/**
 * JSON-LD as a `<script>` body: `<`, `>` and `&` as JSON escapes, so no text (a title holding
 * `</script>` or `<!--`) can end the element or open a comment; U+2028 and U+2029 too, which old
 * parsers took for line ends. The value parses back to the same JSON.
 */
export function jsonLdText(data: JsonLd): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The Open Graph, Twitter card and JSON-LD elements of a page's head. */
export function SocialMeta(p: { site: Site; title: string; url: string; description: string; meta?: PageMeta }) {
  const m = p.meta ?? { type: 'website' }
  const image = m.image
  return (
    <>
      <meta property="og:type" content={m.type} />
      <meta property="og:title" content={p.title} />
      <meta property="og:url" content={p.url} />
      {p.description && <meta property="og:description" content={p.description} />}
      <meta property="og:site_name" content={p.site.title} />
      {image && <meta property="og:image" content={image.url} />}
      {image?.type && <meta property="og:image:type" content={image.type} />}
      {image?.alt && <meta property="og:image:alt" content={image.alt} />}
      {(m.properties ?? []).map(([property, content]) => (
        <meta property={property} content={content} />
      ))}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={p.title} />
      {p.description && <meta name="twitter:description" content={p.description} />}
      {image && <meta name="twitter:image" content={image.url} />}
      {image?.alt && <meta name="twitter:image:alt" content={image.alt} />}
      {m.jsonLd && raw(`<script type="application/ld+json">${jsonLdText(m.jsonLd)}</script>`)}
    </>
  )
}

const CONTEXT = 'https://schema.org'

/** The site as the publisher of its pages. */
function publisher(site: Site): JsonLd {
  return {
    '@type': 'Organization',
    name: site.title,
    url: `${site.url}/`,
    ...(site.icon ? { logo: { '@type': 'ImageObject', url: site.icon } } : {}),
  }
}

const webSite = (site: Site): JsonLd => ({ '@type': 'WebSite', name: site.title, url: `${site.url}/` })

/** A picture with its URL absolute. */
export const absoluteImage = (site: Site, image: Image): Image => ({ ...image, url: absoluteUrl(site.url, image.url) })

/** "Jane Doe <jane@example.org>" is a person's name and an address: cards show the name. */
const nameOf = (author: string): string => author.replace(/\s*<[^<>\s@]+@[^<>\s@]+>\s*$/, '') || author

/** An article's card (`og:type` article, its dates, author and topics) and `NewsArticle`. */
export function articleMeta(site: Site, a: RenderedArticle): PageMeta {
  const url = `${site.url}${paths.article(a.slug)}`
  const image = a.cover ? absoluteImage(site, a.cover) : undefined
  const modified = a.updated ?? a.date
  const people: JsonLd[] = (a.authors ?? []).map((x) => ({ '@type': 'Person', name: nameOf(x.name), url: `${site.url}${paths.author(x.slug)}` }))
  const authors: JsonLd[] =
    people.length > 0
      ? people
      : [
          a.author
            ? { '@type': 'Person', name: nameOf(a.author) }
            : a.source
              ? { '@type': 'Organization', name: a.source.name, ...(a.source.url ? { url: a.source.url } : {}) }
              : publisher(site),
        ]
  return {
    type: 'article',
    ...(image ? { image } : {}),
    properties: [
      ['article:published_time', a.date],
      ['article:modified_time', modified],
      ...authorNames(a).map((name): [string, string] => ['article:author', nameOf(name)]),
      ...a.topics.map((t): [string, string] => ['article:tag', t.name]),
    ],
    jsonLd: {
      '@context': CONTEXT,
      '@type': 'NewsArticle',
      headline: a.title,
      description: a.excerpt,
      url,
      mainEntityOfPage: { '@type': 'WebPage', '@id': url },
      datePublished: a.date,
      dateModified: modified,
      author: authors,
      publisher: publisher(site),
      inLanguage: a.lang ?? site.lang,
      wordCount: a.words,
      ...(image ? { image: [image.url] } : {}),
      ...(a.topics.length > 0 ? { keywords: a.topics.map((t) => t.name) } : {}),
    },
  }
}

/** The home page: the site as a `WebSite`. */
export function homeMeta(site: Site): PageMeta {
  return {
    type: 'website',
    jsonLd: {
      '@context': CONTEXT,
      ...webSite(site),
      ...(site.description ? { description: site.description } : {}),
      inLanguage: site.lang,
      publisher: publisher(site),
    },
  }
}

/** A page listing articles or digests (a topic, the topics, a digest, the archive): a
 * `CollectionPage` of the site, about `topic` (or the `author`, a Person) when it is one, its
 * entries in order. */
export function collectionMeta(
  site: Site,
  page: { name: string; path: string; description?: string; topic?: Topic; author?: Topic; items?: { name: string; path: string }[] },
): PageMeta {
  return {
    type: 'website',
    jsonLd: {
      '@context': CONTEXT,
      '@type': 'CollectionPage',
      name: page.name,
      url: `${site.url}${page.path}`,
      ...(page.description ? { description: page.description } : {}),
      inLanguage: site.lang,
      isPartOf: webSite(site),
      ...(page.topic ? { about: { '@type': 'Thing', name: page.topic.name } } : {}),
      ...(page.author ? { about: { '@type': 'Person', name: nameOf(page.author.name), url: `${site.url}${page.path}` } } : {}),
      ...(page.items && page.items.length > 0
        ? {
            mainEntity: {
              '@type': 'ItemList',
              itemListElement: page.items.map((item, i) => ({ '@type': 'ListItem', position: i + 1, url: `${site.url}${item.path}`, name: item.name })),
            },
          }
        : {}),
    },
  }
}
