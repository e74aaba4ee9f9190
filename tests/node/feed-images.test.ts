import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Parser from 'rss-parser'
import { afterAll, describe, expect, it } from 'vitest'
import { atomFindings, jsonFeedFindings, rssFindings } from '../../scripts/w3c-rules'
import { parseXmlTree } from '../../scripts/xml-tree'
import { renderArticle } from '../../src/article/render'
import type { Site } from '../../src/bindings'
import { renderAtom } from '../../src/feeds/atom'
import { buildFeedDoc } from '../../src/feeds/doc'
import { renderJsonFeed } from '../../src/feeds/json'
import { toFeedEntry } from '../../src/feeds/model'
import { renderRss } from '../../src/feeds/rss'

// A cover image in every feed format, checked as `npm run validate:feeds` checks the served feeds
// (the W3C rules, RFC 4287's schema, Universal Feed Parser, rss-parser), with the one case the
// served fixtures cannot show yet: a picture whose size is known, so RSS carries an enclosure.
const site: Site = { url: 'https://news.example', title: 'News', description: 'All the news', lang: 'en', icon: null }
const place = { title: 'T', description: 'D', home: '/', base: '/feed', query: '', firstQuery: '', nextQuery: null, prevQuery: null }
const article = (slug: string, front: Partial<{ image: string; imageAlt: string }>, body: string) =>
  renderArticle({ slug, title: `Story ${slug}`, date: '2024-06-19T10:00:00Z', topics: [], draft: false, markdown: '', body, ...front })
const withSize = toFeedEntry(article('sized', { image: 'photo.jpg', imageAlt: 'The signing' }, 'Text.'))
withSize.cover = { ...withSize.cover!, length: 48213 }
const entries = [withSize, toFeedEntry(article('body-image', {}, 'Text ![a map](https://maps.example/m|1.png).')), toFeedEntry(article('none', {}, 'Text.'))]
const doc = buildFeedDoc(site, place, entries, null)
const PHOTO = 'https://news.example/articles/sized/photo.jpg'
const MAP = 'https://maps.example/m%7C1.png'

const dir = mkdtempSync(join(tmpdir(), 'feed-images-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const saved = (name: string, body: string) => {
  const file = join(dir, name)
  writeFileSync(file, body)
  return file
}

describe('a cover image in each feed format', () => {
  const rss = renderRss(doc)
  const atom = renderAtom(doc)
  const json = renderJsonFeed(doc)

  it('passes the W3C rules with no error or warning', () => {
    expect(rssFindings(parseXmlTree(rss), 'https://news.example/feed.rss')).toEqual([])
    expect(atomFindings(parseXmlTree(atom), 'https://news.example/feed.atom')).toEqual([])
    expect(jsonFeedFindings(JSON.parse(json), 'https://news.example/feed.json')).toEqual([])
  })

  it('has W3C rules that fail an enclosure without a length, or of length 0', () => {
    const broken = rss
      .replace('length="48213"', 'length="0"')
      .replace('<media:content url="https://maps', '<enclosure url="x" type="image/png"/><media:content url="https://maps')
    const messages = rssFindings(parseXmlTree(broken), 'https://news.example/feed.rss').map((f) => `${f.message} ${f.element}`)
    expect(messages).toEqual(['InvalidIntegerAttribute enclosure length', 'MissingAttribute enclosure length', 'InvalidFullLink enclosure url'])
  })

  it.runIf(existsSync('/usr/bin/jing'))('is valid Atom by RFC 4287 (jing)', () => {
    expect(() => execFileSync('/usr/bin/jing', ['-c', 'scripts/atom.rnc', saved('feed.atom', atom)], { stdio: 'pipe' })).not.toThrow()
  })

  it('is the item’s image to rss-parser: the RSS enclosure and media:content', async () => {
    const parser = new Parser<Record<string, never>, { media?: { $: { url: string; type?: string } } }>({
      customFields: { item: [['media:content', 'media']] },
    })
    const items = (await parser.parseString(rss)).items
    expect(items.map((i) => [i.enclosure?.url, i.media?.$.url])).toEqual([
      [PHOTO, PHOTO],
      [undefined, MAP],
      [undefined, undefined],
    ])
    expect(items[0]!.enclosure).toMatchObject({ length: '48213', type: 'image/jpeg' })
  })

  it.runIf(hasFeedparser())('is the item’s image to Universal Feed Parser: media_content and enclosures', () => {
    const out = execFileSync('/usr/bin/python3', ['scripts/feedcheck.py', saved('feed.rss', rss), saved('feed.atom', atom)], { encoding: 'utf8' })
    const [r, a] = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { bozo: number; entries: { media: string[]; enclosures: { href: string; type: string | null; length: string | null }[] }[] })
    expect(r!.bozo).toBe(0)
    expect(a!.bozo).toBe(0)
    expect(r!.entries.map((e) => e.media)).toEqual([[PHOTO], [MAP], []])
    expect(r!.entries[0]!.enclosures).toEqual([{ href: PHOTO, type: 'image/jpeg', length: '48213' }])
    expect(a!.entries.map((e) => e.enclosures.map((n) => n.href))).toEqual([[PHOTO], [MAP], []])
    expect(a!.entries[1]!.enclosures[0]).toMatchObject({ type: 'image/png' })
  })

  it('is JSON Feed’s image', () => {
    expect(JSON.parse(json).items.map((i: { image?: string }) => i.image)).toEqual([PHOTO, MAP, undefined])
  })
})

function hasFeedparser(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import feedparser'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
