import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { wellFormedError } from '../../scripts/well-formed'
import { parseXmlTree } from '../../scripts/xml-tree'
import { renderNewsSitemap, renderSitemap, renderSitemapIndex } from '../../src/sitemap/render'

// The sitemap renderers' output against the sitemaps.org schemas kept in scripts/sitemaps/ (and
// Google's News extension), with Debian's xmllint (libxml2-utils) where it is installed; always
// well-formed and shaped as the schemas say, by the repository's own XML checks.
const XMLLINT = '/usr/bin/xmllint'
const dir = mkdtempSync(join(tmpdir(), 'sitemaps-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const NOW = Date.parse('2024-06-21T12:00:00Z')

const urls = [
  { loc: 'https://news.example/', lastmod: '2024-06-21T09:00:00+09:00' },
  { loc: 'https://news.example/articles/putin-kim-sign-mutual-defense-pact', lastmod: '2024-06-19T14:30:00+09:00' },
  { loc: 'https://news.example/topics/%E6%97%A5%E6%9C%AC?x=1&y=2' },
]
const documents = {
  sitemap: { xml: renderSitemap(urls), schema: 'sitemap.xsd', root: 'urlset', entry: 'url' },
  index: {
    xml: renderSitemapIndex([
      { loc: 'https://news.example/sitemaps/pages-1.xml', lastmod: '2024-06-21T00:00:00Z' },
      { loc: 'https://news.example/sitemaps/news.xml' },
    ]),
    schema: 'siteindex.xsd',
    root: 'sitemapindex',
    entry: 'sitemap',
  },
  news: {
    xml: renderNewsSitemap(
      [
        { loc: 'https://news.example/articles/a', title: 'Pact </b> & "signed"\u0001', published: '2024-06-21T08:00:00+09:00', lang: 'ko' },
        { loc: 'https://news.example/articles/b', title: '日本語の見出し', published: '2024-06-20T12:00:00Z' },
      ],
      { title: 'News & Views', lang: 'zh-Hant' },
      NOW,
    )!,
    schema: 'news-sitemap.xsd',
    root: 'urlset',
    entry: 'url',
  },
}

describe.each(Object.entries(documents))('the %s renderer', (name, d) => {
  it('writes well-formed XML of the schema’s shape', () => {
    expect(wellFormedError(d.xml)).toBeNull()
    const root = parseXmlTree(d.xml)
    expect(root.name).toBe(d.root)
    expect(root.attrs.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
    expect(root.children.length).toBeGreaterThan(0)
    for (const entry of root.children) {
      expect(entry.name).toBe(d.entry)
      // loc first, then lastmod if any (the schema's sequence), loc an absolute URL of 12–2048 characters.
      expect(entry.children[0]!.name).toBe('loc')
      expect(entry.children[0]!.text).toMatch(/^https:\/\/\S{4,2040}$/)
      const lastmod = entry.children.find((c) => c.name === 'lastmod')
      if (lastmod) {
        expect(entry.children[1]).toBe(lastmod)
        expect(lastmod.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      }
      if (name === 'news') expect(entry.children[1]!.children.map((c) => c.name)).toEqual(['news:publication', 'news:publication_date', 'news:title'])
    }
  })

  it.runIf(existsSync(XMLLINT))('is valid against the sitemaps.org schema (xmllint)', () => {
    const file = join(dir, `${name}.xml`)
    writeFileSync(file, d.xml)
    const out = execFileSync(XMLLINT, ['--noout', '--schema', `scripts/sitemaps/${d.schema}`, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(out).toBe('')
  })
})

describe.runIf(existsSync(XMLLINT))('the schemas', () => {
  it('refuse what a sitemap must not be, so the check can fail', () => {
    const bad = [
      [documents.sitemap.xml.replace('<loc>https://news.example/</loc>', ''), 'sitemap.xsd'],
      [documents.sitemap.xml.replace('2024-06-21T00:00:00Z', 'yesterday').replace(/<lastmod>[^<]+/, '<lastmod>June 19'), 'sitemap.xsd'],
      [documents.news.xml.replace(/<news:title>[^<]*<\/news:title>/, ''), 'news-sitemap.xsd'],
      [documents.index.xml.replace(/<sitemap>.*<\/sitemap>\n/gs, ''), 'siteindex.xsd'],
    ]
    for (const [xml, schema] of bad) {
      const file = join(dir, 'bad.xml')
      writeFileSync(file, xml!)
      expect(() => execFileSync(XMLLINT, ['--noout', '--schema', `scripts/sitemaps/${schema}`, file], { stdio: 'pipe' })).toThrow()
    }
  })
})
