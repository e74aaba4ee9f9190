import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseArticles } from '../../src/article/parse'
import { markdownToText } from '../../src/article/render'
import { cleanHeadline, composeDigest, previousStoriesOf } from '../../src/digest/compose'
import type { DayEntry, Digest } from '../../src/digest/model'
import { isBoilerplate, prepareDayEntry } from '../../src/digest/prepare'
import { splitSentences } from '../../src/digest/text'

// Story grouping and summaries through the code the cron runs: each article prepared as when
// it is written (prepareDayEntry), then one day composed with the product's defaults.

interface Labelled {
  entry: DayEntry
  label: string
  text: string
}

const day = (i: number) => `2024-06-19T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`

/** The development half of a public labelled set of real news articles (tests/fixtures/wikiref-dev). */
const wikiref: Labelled[] = readFileSync('tests/fixtures/wikiref-dev/articles.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line, i) => {
    const x = JSON.parse(line) as { id: string; label: string; text: string }
    const [title, ...rest] = x.text.split('\n')
    const text = rest.join('\n').trim()
    return { entry: prepareDayEntry({ slug: x.id, title: title!.trim(), date: day(i), topics: [], text }), label: x.label, text }
  })

/** Our own fixture: short reports of 17 events, hard negatives among them, and the five sample reports. */
const fixture: Labelled[] = [
  ...(JSON.parse(readFileSync('tests/fixtures/stories.json', 'utf8')) as { slug: string; event: string; title: string; body: string }[]).map((x) => ({
    slug: x.slug,
    label: x.event,
    title: x.title,
    body: x.body,
  })),
  ...parseArticles(readdirSync('articles').map((f) => ({ file: `articles/${f}`, bytes: readFileSync(`articles/${f}`) }))).articles.map((a) => ({
    slug: a.slug,
    label: 'putin-kim-pact',
    title: a.title,
    body: a.body,
  })),
].map((x, i) => {
  const text = markdownToText(x.body)
  return { entry: prepareDayEntry({ slug: x.slug, title: x.title, date: day(i), topics: [], text }), label: x.label, text }
})

const compose = (items: Labelled[]) =>
  composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: items.map((x) => x.entry), siteUrl: 'https://news.example' })

/** Pairwise precision over every pair, and recall within one label (or all). */
function pairwise(digest: Digest, items: Labelled[], only?: string) {
  const story = new Map<string, number>()
  digest.stories.forEach((s, k) => s.articles.forEach((a) => story.set(a.slug, k)))
  const labels = new Map(items.map((x) => [x.entry.slug, x.label]))
  const slugs = items.map((x) => x.entry.slug)
  let [tp, fp, fn] = [0, 0, 0]
  for (let i = 0; i < slugs.length; i++) {
    for (let j = i + 1; j < slugs.length; j++) {
      const same = labels.get(slugs[i]!) === labels.get(slugs[j]!)
      if (only !== undefined && !(same && labels.get(slugs[i]!) === only)) continue
      const together = story.get(slugs[i]!) === story.get(slugs[j]!)
      if (same && together) tp++
      else if (together) fp++
      else if (same) fn++
    }
  }
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 }
}

describe('grouping real news and our own fixture with one default', () => {
  const real = compose(wikiref)
  const own = compose(fixture)

  it('on the development half: pairwise precision ≥ 0.95, recall ≥ 0.6 on each single-event label', () => {
    expect(pairwise(real, wikiref).precision).toBeGreaterThanOrEqual(0.95)
    for (const label of ['ParisAttacks2015', 'malaysia.airlines.flight']) expect(pairwise(real, wikiref, label).recall, label).toBeGreaterThanOrEqual(0.6)
  })

  it('on our own fixture: precision and recall ≥ 0.95', () => {
    const { precision, recall } = pairwise(own, fixture)
    expect(precision).toBeGreaterThanOrEqual(0.95)
    expect(recall).toBeGreaterThanOrEqual(0.95)
  })

  it('gathers 500 copies of one report into one story', () => {
    const one = wikiref.find((x) => x.label === 'ParisAttacks2015')!
    const copies = Array.from({ length: 500 }, (_, i) => ({ ...one, entry: { ...one.entry, slug: `copy-${i}`, date: day(i) } }))
    expect(compose(copies).stories).toHaveLength(1)
  })

  it('keeps an event that is half of a 20-report day in one story', () => {
    // The first ten reports of the Paris attacks (the night and the next days), and ten others.
    const event = wikiref.filter((x) => x.label === 'ParisAttacks2015').slice(0, 10)
    const others = wikiref
      .filter((x) => !['malaysia.airlines.flight', 'ParisAttacks2015'].includes(x.label))
      .filter((_, i) => i % 5 === 0)
      .slice(0, 10)
    const digest = compose([...event, ...others])
    const stories = new Set(event.map((x) => digest.stories.findIndex((s) => s.articles.some((a) => a.slug === x.entry.slug))))
    expect(stories.size).toBe(1)
  })
})

describe('summaries', () => {
  for (const [name, items] of [
    ['development half', wikiref],
    ['fixture', fixture],
  ] as const) {
    const digest = compose(items)
    const textOf = new Map(items.map((x) => [x.entry.slug, x.text]))

    it(`${name}: every summary sentence is word for word from a report of its story, none of it boilerplate, the first from a report's lead`, () => {
      for (const story of digest.stories) {
        const texts = story.articles.map((a) => textOf.get(a.slug)!)
        const entries = story.articles.map((a) => items.find((x) => x.entry.slug === a.slug)!.entry)
        const sentences = entries.flatMap((e) => e.sentences)
        const used = sentences.filter((s) => story.summary.includes(s.text))
        expect(used.length, story.headline).toBeGreaterThan(0)
        // The summary is exactly those sentences, each verbatim in a report's text.
        expect([...new Set(used.map((s) => s.text))].join(' ').length, story.headline).toBe(story.summary.length)
        for (const s of used) {
          expect(
            texts.some((t) => t.replace(/\s+/g, ' ').includes(s.text)),
            s.text,
          ).toBe(true)
          expect(isBoilerplate(s.text), s.text).toBe(false)
        }
        // The lead: among the first sentences of a report that read as statements (a report may
        // open with bullet points or a dateline, which are not candidates at all).
        const first = story.summary
        expect(
          entries.some((e) => e.sentences.slice(0, 3).some((s) => first.startsWith(s.text))),
          story.headline,
        ).toBe(true)
      }
    })
  }

  it('ends sentences where a reader would: not at abbreviations, initials or decimals; at "。"', () => {
    expect(
      splitSentences('Mr. Smith met Gov. Brown in the U.S. on Monday, J. R. Tolkien said 3.5 percent rose. "It is done," he said. 北京举行发布会。市民欢迎。'),
    ).toEqual([
      'Mr. Smith met Gov. Brown in the U.S. on Monday, J. R. Tolkien said 3.5 percent rose.',
      '"It is done," he said.',
      '北京举行发布会。',
      '市民欢迎。',
    ])
  })

  it('splits sentences in Chinese and Japanese, so their stories have summaries', () => {
    const zh = prepareDayEntry({
      slug: 'zh',
      title: '北京举行新闻发布会',
      date: day(1),
      topics: [],
      text: '北京市政府今天上午举行新闻发布会，介绍了城市交通改善计划的最新进展。发言人表示，新的地铁线路将于明年年底前开通运营。市民对此普遍表示欢迎和期待。',
    })
    const ja = prepareDayEntry({
      slug: 'ja',
      title: '東京で記者会見',
      date: day(2),
      topics: [],
      text: '東京都は本日、新しい防災計画を発表しました。計画では避難所の数を大幅に増やす予定です。都民の安全を守るための取り組みです。',
    })
    const digest = composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: [zh, ja], siteUrl: 'https://news.example' })
    for (const s of digest.stories) expect(s.summary, s.headline).not.toBe('')
  })

  it('cleans headlines of newsroom prefixes and trailing full stops, but keeps abbreviations', () => {
    expect(cleanHeadline('UPDATE 1-Pact signed.')).toBe('Pact signed')
    expect(cleanHeadline('REFILE-EXCLUSIVE: Talks resume')).toBe('Talks resume')
    expect(cleanHeadline('Talks in the U.S.')).toBe('Talks in the U.S.')
  })

  it('counts distinct sources: outlet, else its host, else the author', () => {
    const base = wikiref.find((x) => x.label === 'ParisAttacks2015')!.entry
    const copies: DayEntry[] = [
      { ...base, slug: 'a', source: { name: 'Outlet' } },
      { ...base, slug: 'b', source: { name: 'outlet' } },
      { ...base, slug: 'c', source: { name: 'Other', url: 'https://www.other.example/x' } },
      { ...base, slug: 'd', author: 'Jane' },
      { ...base, slug: 'e', author: 'Jane' },
    ]
    const digest = composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: copies, siteUrl: 'https://news.example' })
    expect(digest.counts.sources).toBe(3)
  })

  it('says that a story continues an earlier day’s story and links to it', () => {
    const pact = fixture.filter((x) => x.label === 'putin-kim-pact')
    const first = composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: pact.slice(0, 4).map((x) => x.entry), siteUrl: 'https://news.example' })
    const later = composeDigest({
      date: '2024-06-28',
      timezone: 'UTC',
      articles: [{ ...pact[4]!.entry, date: '2024-06-28T12:00:00Z' }],
      siteUrl: 'https://news.example',
      previous: previousStoriesOf(first),
    })
    expect(later.stories[0]!.continues).toMatchObject({ date: '2024-06-19', id: first.stories[0]!.id })
    expect(later.stories[0]!.continues!.url).toMatch(/^https:\/\/news\.example\/digests\/2024-06-19#/)
  })
})
