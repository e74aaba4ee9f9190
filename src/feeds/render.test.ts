import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { XMLParser } from 'fast-xml-parser'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { renderArticle } from '../article/render'
import type { Site } from '../bindings'
import { renderAtom } from './atom'
import { buildFeedDoc } from './doc'
import { renderJsonFeed } from './json'
import { FEED_ITEM_MAX_CHARS, type FeedEntry, toFeedEntry } from './model'
import { renderRss } from './rss'
import { xmlSafe } from './xml'

const site: Site = { url: 'https://news.example', title: 'News & <Views>', description: 'All the news', lang: 'en', icon: null }
const entry = (over: Partial<FeedEntry> = {}): FeedEntry => ({
  slug: 'a-story',
  title: 'A story',
  date: '2024-06-19T14:30:00+09:00',
  author: 'Jane Doe',
  topics: [{ slug: 'north-korea', name: 'North Korea' }],
  summary: 'Summary.',
  html: '<p>See <a href="/articles/other#part">this</a> and <img src="/img/x.png" alt=""> <a href="//cdn.example/x">cdn</a></p>',
  ...over,
})
const place = { title: 'T', description: 'D', home: '/', base: '/feed', query: '', firstQuery: '', nextQuery: '?cursor=1', prevQuery: null }
const doc = (entries: FeedEntry[]) => buildFeedDoc(site, place, entries, null)

const parser = new XMLParser({
  htmlEntities: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  trimValues: false,
  parseTagValue: false,
  isArray: (name) => ['item', 'entry', 'category', 'author', 'dc:creator', 'link', 'atom:link'].includes(name),
})
/** Well-formed by a conformant XML 1.0 parser (saxes checks characters, entities, nesting). */
function isWellFormed(xml: string): boolean {
  const sax = new SaxesParser({ xmlns: true })
  let ok = true
  sax.on('error', () => (ok = false))
  sax.write(xml).close()
  return ok
}
const wellFormed = (xml: string) => expect(isWellFormed(xml)).toBe(true)
const text = (node: unknown): string =>
  typeof node === 'object' && node !== null ? String((node as Record<string, unknown>)['#text'] ?? '') : String(node ?? '')
const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
/** The text a reader gets from an Atom text construct, plain or HTML. */
const atomText = (node: unknown): string => {
  const t = text(node)
  return typeof node === 'object' && node !== null && (node as Record<string, unknown>)['@type'] === 'html' ? unescapeHtml(t) : t
}
/** The text a reader that treats RSS titles as HTML gets. */
const rssTitle = (node: unknown, _original: string): string => text(node)

describe('renderers', () => {
  it('write absolute URLs and the same items in all three formats', () => {
    const d = doc([entry(), entry({ slug: 'older', title: 'Older', date: '2024-06-18T10:00:00Z' })])
    const rss = renderRss(d)
    const atom = renderAtom(d)
    const json = JSON.parse(renderJsonFeed(d))
    wellFormed(rss)
    wellFormed(atom)
    expect(rss).toContain('href="https://news.example/articles/other#part"')
    expect(rss).toContain('src="https://news.example/img/x.png"')
    expect(rss).toContain('href="//cdn.example/x"')
    const r = parser.parse(rss).rss.channel
    const a = parser.parse(atom).feed
    expect(r.item.map((i: { title: unknown }) => text(i.title))).toEqual(['A story', 'Older'])
    expect(a.entry.map((e: { title: unknown }) => text(e.title))).toEqual(['A story', 'Older'])
    expect(json.items.map((i: { title: string }) => i.title)).toEqual(['A story', 'Older'])
    expect(json.items[0].content_html).toContain('https://news.example/articles/other#part')
  })

  it('gives Atom categories a term, plain-text titles and the feed paging links', () => {
    const atom = renderAtom(doc([entry()]))
    expect(atom).toContain('<category term="north-korea" label="North Korea" scheme="https://news.example/topics/"/>')
    expect(atom).toContain('<title type="text">A story</title>')
    expect(atom).toContain('<link rel="next" type="application/atom+xml" href="https://news.example/feed.atom?cursor=1"/>')
    expect(atom).toContain('<updated>2024-06-19T05:30:00Z</updated>')
    expect(atom).toContain('<published>2024-06-19T05:30:00Z</published>')
  })

  it('keeps e-mail addresses out of Atom names, markup-like titles as plain text in Atom and RSS', () => {
    const atom = renderAtom(doc([entry({ author: 'A & B <ab@example.com>', title: 'Ends with <b>tags</b>' })]))
    expect(atom).toContain('<author><name>A &amp; B</name><email>ab@example.com</email></author>')
    // Plain text in Atom too: readers that ignore `type` (rss-parser) showed escaped HTML as `&lt;b&gt;`.
    expect(atom).toContain('<title type="text">Ends with &lt;b&gt;tags&lt;/b&gt;</title>')
    const rss = renderRss(doc([entry({ title: 'Ends with <b>tags</b> & more', summary: 'x=<y>&z' })]))
    // RSS titles are text, escaped once: a reader that takes them as text shows them as written.
    expect(rss).toContain('<title>Ends with &#x3C;b&gt;tags&#x3C;/b&gt; &#x26; more</title>')
    expect(rss).toContain('<description>x=&amp;lt;y&amp;gt;&amp;amp;z</description>')
  })

  it('writes RSS authors as dc:creator, dates in RFC 822 and a self link', () => {
    const rss = renderRss(doc([entry()]))
    expect(rss).toContain('<dc:creator>Jane Doe</dc:creator>')
    expect(rss).not.toContain('<author>')
    expect(rss).toContain('<pubDate>Wed, 19 Jun 2024 05:30:00 GMT</pubDate>')
    expect(rss).toContain('<atom:link href="https://news.example/feed.rss" rel="self" type="application/rss+xml"/>')
    expect(rss).toContain('<guid isPermaLink="true">https://news.example/articles/a-story</guid>')
    expect(rss).toContain('<category domain="https://news.example/topics/">North Korea</category>')
  })

  it('writes JSON Feed 1.1: authors, language, next_url, no author or lastBuildDate', () => {
    const json = JSON.parse(renderJsonFeed(doc([entry({ lang: 'fr' })])))
    expect(json.version).toBe('https://jsonfeed.org/version/1.1')
    expect(json.language).toBe('en')
    expect(json.authors).toEqual([{ name: 'News & <Views>', url: 'https://news.example/' }])
    expect(json.next_url).toBe('https://news.example/feed.json?cursor=1')
    expect(json.feed_url).toBe('https://news.example/feed.json')
    expect(json.author).toBeUndefined()
    expect(json.lastBuildDate).toBeUndefined()
    expect(json.items[0]).toMatchObject({
      id: 'https://news.example/articles/a-story',
      url: 'https://news.example/articles/a-story',
      authors: [{ name: 'Jane Doe' }],
      language: 'fr',
      tags: ['North Korea'],
      date_published: '2024-06-19T05:30:00.000Z',
    })
    expect(json.items[0].author).toBeUndefined()
  })

  it('dates an empty feed from the list, never from the clock', () => {
    const empty = buildFeedDoc(site, place, [], null)
    expect(empty.updated).toBe('1970-01-01T00:00:00Z')
    expect(renderAtom(empty)).toBe(renderAtom(buildFeedDoc(site, place, [], null)))
    expect(buildFeedDoc(site, place, [], '2024-01-01T00:00:00Z').updated).toBe('2024-01-01T00:00:00Z')
  })

  it('has a well-formedness check that can fail', () => {
    expect(isWellFormed('<a><![CDATA[x ]]> y ]]></a>')).toBe(false)
    expect(isWellFormed('<a>\u0001</a>')).toBe(false)
    expect(isWellFormed('<a b="<"/>')).toBe(false)
  })

  it('fixes what the feed package gets wrong: control characters, repeated ]]>, < and & in attributes', () => {
    const nasty = entry({
      title: 'A\u0001 ]]> b ]]> c <b>&amp;',
      summary: 'x ]]> y ]]> z',
      html: '<p>c ]]> d ]]> e</p>',
      topics: [{ slug: 'a-b', name: 'a<b&"c' }],
      author: 'J\u0007 & K',
    })
    for (const xml of [renderRss(doc([nasty])), renderAtom(doc([nasty]))]) {
      wellFormed(xml)
      expect(xml).not.toContain('\u0001')
    }
    const a = parser.parse(renderAtom(doc([nasty]))).feed.entry[0]
    expect(atomText(a.title)).toBe('A ]]> b ]]> c <b>&amp;')
    expect(a.title['@type']).toBe('text')
    expect(a.category[0]['@label']).toBe('a<b&"c')
    expect(text(a.content)).toBe('<p>c ]]> d ]]> e</p>')
    expect(text(parser.parse(renderRss(doc([nasty]))).rss.channel.item[0]['content:encoded'])).toBe('<p>c ]]> d ]]> e</p>')
    expect(JSON.parse(renderJsonFeed(doc([nasty]))).items[0].title).toBe('A ]]> b ]]> c <b>&amp;')
  })

  it.runIf(existsSync('/usr/bin/jing') && existsSync('scripts/atom.rnc'))('writes Atom that is valid against the RFC 4287 schema (jing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atom-'))
    const file = join(dir, 'feed.atom')
    const cover = { url: '/articles/a-story/photo.jpg', alt: 'A photo', type: 'image/jpeg', length: 1234 }
    writeFileSync(
      file,
      renderAtom(doc([entry({ cover }), entry({ slug: 'b', author: undefined, topics: [], cover: { url: 'https://cdn.example/x', alt: '' } })])),
    )
    try {
      expect(() => execFileSync('/usr/bin/jing', ['-c', 'scripts/atom.rnc', file], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("an item's picture", () => {
  const cover = { url: '/articles/a-story/photo.jpg', alt: 'The signing', type: 'image/jpeg' }

  it('is media:content in RSS, with an enclosure only when its size is known', () => {
    const rss = renderRss(doc([entry({ cover })]))
    wellFormed(rss)
    expect(rss).toContain('xmlns:media="http://search.yahoo.com/mrss/"')
    expect(rss).toContain('<media:content url="https://news.example/articles/a-story/photo.jpg" medium="image" type="image/jpeg"/>')
    expect(rss).not.toContain('<enclosure')
    const sized = renderRss(doc([entry({ cover: { ...cover, length: 48213 } })]))
    expect(sized).toContain('<enclosure url="https://news.example/articles/a-story/photo.jpg" length="48213" type="image/jpeg"/>')
    expect(sized).toContain('fileSize="48213"')
    // The W3C validator refuses a length of 0, and RSS an enclosure without a type.
    expect(renderRss(doc([entry({ cover: { ...cover, length: 0 } })]))).not.toContain('<enclosure')
    expect(renderRss(doc([entry({ cover: { url: 'https://cdn.example/p', alt: '', length: 9 } })]))).not.toContain('<enclosure')
  })

  it('is an Atom enclosure link and JSON Feed image, absolute', () => {
    const atom = renderAtom(doc([entry({ cover: { ...cover, length: 10 } })]))
    expect(atom).toContain('<link rel="enclosure" type="image/jpeg" length="10" href="https://news.example/articles/a-story/photo.jpg"/>')
    expect(renderAtom(doc([entry({ cover: { url: 'https://cdn.example/p?a=1&b=2', alt: '' } })]))).toContain(
      '<link rel="enclosure" href="https://cdn.example/p?a=1&amp;b=2"/>',
    )
    expect(JSON.parse(renderJsonFeed(doc([entry({ cover })]))).items[0].image).toBe('https://news.example/articles/a-story/photo.jpg')
  })

  it('is nowhere when the article has none', () => {
    const d = doc([entry()])
    expect(renderRss(d)).not.toMatch(/<media:content|<enclosure/)
    expect(renderAtom(d)).not.toContain('rel="enclosure"')
    expect(JSON.parse(renderJsonFeed(d)).items[0].image).toBeUndefined()
  })

  it('comes from the rendered article', () => {
    const a = renderArticle({ slug: 'p', title: 't', date: '2024-06-19T00:00:00Z', topics: [], draft: false, markdown: '', body: '![alt](pic.png)' })
    expect(toFeedEntry(a).cover).toEqual({ url: '/articles/p/pic.png', alt: 'alt', type: 'image/png' })
    expect(renderRss(doc([toFeedEntry(a)]))).toContain('url="https://news.example/articles/p/pic.png"')
  })
})

describe('any text in any field', () => {
  // Every kind of string: control characters, ]]>, markup, emoji, RTL, lone surrogates.
  const nasty = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      ']]>',
      ']]>]]>',
      '<![CDATA[',
      '&amp;',
      '&',
      '<',
      '"\'',
      '\u0000\u0001\u001f',
      '\uD800',
      '\uDC00x',
      '😀👩‍👩‍👧',
      'مرحبا بالعالم',
      '\uFFFE\uFFFF',
      '\u2028',
    ),
  )
  const field = fc.array(nasty, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''))

  it('gives well-formed RSS and Atom and valid JSON, with the text kept apart from forbidden characters', () => {
    fc.assert(
      fc.property(field, field, field, field, field, (title, summary, author, topic, html) => {
        const e = entry({ title, summary, author, html, topics: [{ slug: 't', name: topic }] })
        const d = doc([e])
        const rss = renderRss(d)
        const atom = renderAtom(d)
        expect(isWellFormed(rss)).toBe(true)
        expect(isWellFormed(atom)).toBe(true)
        const a = parser.parse(atom).feed.entry[0]
        expect(atomText(a.title)).toBe(xmlSafe(title))
        expect(atomText(a.summary)).toBe(xmlSafe(summary))
        const named = xmlSafe(author).trim() !== ''
        if (named) expect(text(a.author[0].name)).toBe(xmlSafe(author))
        else expect(a.author).toBeUndefined()
        expect(a.category[0]['@label']).toBe(xmlSafe(topic))
        const r = parser.parse(rss).rss.channel.item[0]
        expect(rssTitle(r.title, title)).toBe(xmlSafe(title))
        expect(unescapeHtml(text(r.description))).toBe(xmlSafe(summary))
        if (named) expect(text(r['dc:creator'][0])).toBe(xmlSafe(author))
        const j = JSON.parse(renderJsonFeed(d)).items[0]
        expect(j.title ?? '').toBe(xmlSafe(title))
        expect(j.authors).toEqual(named ? [{ name: xmlSafe(author) }] : undefined)
      }),
      { numRuns: 300 },
    )
  })
})

describe('feed items of very long articles', () => {
  it('carry the excerpt and a link to the whole article beyond the size cap', () => {
    const base = { slug: 'long-read', title: 'Long read', date: '2024-06-19T00:00:00Z', topics: [], draft: false, markdown: '' }
    const long = renderArticle({ ...base, body: `${'A paragraph of the long read. '.repeat(40)}\n\n`.repeat(60) })
    expect(long.html.length).toBeGreaterThan(FEED_ITEM_MAX_CHARS)
    const entry = toFeedEntry(long)
    expect(entry.html.length).toBeLessThan(2000)
    expect(entry.html).toContain('<a href="/articles/long-read">Read the whole article')
    expect(toFeedEntry(renderArticle({ ...base, body: 'Short.' })).html).toBe('<p>Short.</p>\n')
  })
})
