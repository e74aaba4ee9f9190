import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseArticles } from '../../src/article/parse'
import { markdownToText, renderArticle } from '../../src/article/render'
import { composeDigest } from '../../src/digest/compose'
import { toDayEntry } from '../../src/writer/articles/prepare'

// Each sample article and the raw report it was made from, with the lines of the report that
// went into the front matter instead of the body (headline, byline, section label).
const SAMPLES: [string, string, number][] = [
  ['putin-kim-mutual-defense-pact-limousine-pyongyang', '000_e51d0c79aebc33f8', 3],
  ['russia-north-korea-ties-new-level', '001_0c99b618e8583b40', 0],
  ['russia-north-korea-pact-strongest-alliance-since-cold-war', '002_dfe52da3d8eecfec', 3],
  ['kim-putin-deal-help-each-other-if-attacked', '003_85d9fa60047eef0a', 1],
  ['putin-kim-sign-mutual-defense-pact', '004_30e3fa680b242716', 1],
]
const files = readdirSync('articles').map((f) => ({ file: `articles/${f}`, bytes: readFileSync(`articles/${f}`) }))
const { articles, errors } = parseArticles(files)

describe('articles/', () => {
  it('holds only valid articles', () => {
    expect(errors).toEqual([])
    expect(articles.map((a) => a.slug).sort()).toEqual(SAMPLES.map(([slug]) => slug).sort())
  })

  it.each(SAMPLES)('%s keeps every paragraph of its report word for word', (slug, seed, moved) => {
    const article = articles.find((a) => a.slug === slug)!
    const report = readFileSync(`tests/fixtures/seeds/${seed}.txt`, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
    expect(markdownToText(article.body).split('\n\n')).toEqual(report.slice(moved))
  })

  it('gathers the five reports into exactly one story', () => {
    const digest = composeDigest({
      date: '2024-06-19',
      timezone: 'UTC',
      articles: articles.map((a) => toDayEntry(renderArticle(a))),
      siteUrl: 'https://news.example',
    })
    expect(digest.stories).toHaveLength(1)
    expect(digest.stories[0]!.articles).toHaveLength(5)
  })
})
