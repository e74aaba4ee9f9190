import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EVENT_LABELS, evaluate, loadUci, loadWikiref } from '../../scripts/grouping-eval'
import { parseArticles } from '../../src/article/parse'
import { markdownToText } from '../../src/article/render'
import { cleanHeadline, composeDigest, previousStoriesOf } from '../../src/digest/compose'
import type { DayEntry, Digest } from '../../src/digest/model'
import { dfTermsOf, isBoilerplate, prepareDayEntry } from '../../src/digest/prepare'
import { splitSentences } from '../../src/digest/text'

// Story grouping and summaries through the code the cron runs: each article prepared as when
// it is written (prepareDayEntry), then one day composed with the product's defaults. The
// figures are those of `npm run eval:grouping` (docs/digest.md): the defaults were chosen on the
// tuning part of each development set, and the reporting part is asserted as measured, a little
// below, so that a change for the worse fails.

interface Labelled {
  entry: DayEntry
  label: string
  text: string
}

const day = (i: number) => `2024-06-19T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`

/** The development half of a public labelled set of real news articles (tests/fixtures/wikiref-dev). */
const wikiref: Labelled[] = loadWikiref().map((x) => ({
  entry: prepareDayEntry({ slug: x.id, title: x.title, date: x.date, topics: [], text: x.text }),
  label: x.label,
  text: x.text,
}))

/** Document frequencies over a collection, as the writer keeps them. */
function dfOf(entries: DayEntry[]) {
  const counts = new Map<string, number>()
  for (const e of entries) for (const t of new Set(dfTermsOf(e))) counts.set(t, (counts.get(t) ?? 0) + 1)
  return { docs: entries.length, count: (t: string) => counts.get(t) ?? 0 }
}

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

const compose = (items: Labelled[], df?: ReturnType<typeof dfOf>) =>
  composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: items.map((x) => x.entry), siteUrl: 'https://news.example', ...(df ? { df } : {}) })

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

describe('grouping on held-out real news (npm run eval:grouping)', () => {
  const { rows, continuations } = evaluate()
  const row = (set: string, part: string, method: 'product' | 'baseline') => rows.find((r) => r.set === set && r.part === part && r.method.startsWith(method))!

  it('full-length reports (wikiref-dev), reporting part: precision ≥ 0.93 (target 0.95, missed: 0.939), NMI ≥ 0.8, its single event ≥ 0.85 gathered', () => {
    const r = row('wikiref-dev', 'reporting', 'product')
    expect(r.scores.pairP).toBeGreaterThanOrEqual(0.93)
    expect(r.scores.nmi).toBeGreaterThanOrEqual(0.8)
    expect(r.events['malaysia.airlines.flight']).toBeGreaterThanOrEqual(0.85)
    // More precise than the tuned baseline there, which merges topics (0.891).
    expect(r.scores.pairP).toBeGreaterThan(row('wikiref-dev', 'reporting', 'baseline').scores.pairP)
  })

  it('headlines over three days (uci-dev), reporting part: precision ≥ 0.95, recall ≥ 0.9, NMI ≥ 0.93', () => {
    const r = row('uci-dev', 'reporting', 'product')
    expect(r.scores.pairP).toBeGreaterThanOrEqual(0.95)
    expect(r.scores.pairR).toBeGreaterThanOrEqual(0.9)
    expect(r.scores.nmi).toBeGreaterThanOrEqual(0.93)
  })

  it('tuning parts and our fixture: precision ≥ 0.95 on every one, and every single-event label ≥ 0.8 gathered', () => {
    for (const set of ['wikiref-dev', 'uci-dev', 'fixture']) expect(row(set, 'tuning', 'product').scores.pairP, set).toBeGreaterThanOrEqual(0.95)
    expect(row('fixture', 'tuning', 'product').scores.pairR).toBeGreaterThanOrEqual(0.95)
    for (const label of EVENT_LABELS) {
      const r = rows.find((x) => x.method === 'product' && x.events[label] !== undefined)!
      expect(r.events[label], label).toBeGreaterThanOrEqual(0.8)
    }
  })

  it('beats the tuned TF-IDF baseline (NMI) on headlines; on full-length tuning reports it is within 0.015 (a known shortfall: the guard for short reports keeps one short report apart)', () => {
    for (const part of ['tuning', 'reporting']) {
      const [product, baseline] = [row('uci-dev', part, 'product'), row('uci-dev', part, 'baseline')]
      expect(product.scores.nmi, `uci-dev ${part}`).toBeGreaterThan(baseline.scores.nmi)
    }
    const [product, baseline] = [row('wikiref-dev', 'tuning', 'product'), row('wikiref-dev', 'tuning', 'baseline')]
    expect(product.scores.nmi).toBeGreaterThanOrEqual(baseline.scores.nmi - 0.015)
  })

  it('links a story to an earlier day only when it is the same event over uci-dev’s three days', () => {
    // No story id of uci-dev spans two days, so by the labels every link is wrong; the one link
    // made joins two ids of one ongoing event (GM's recall, 11 and 12 March), which its README
    // says is not always wrong. More would be.
    expect(continuations.whole.links - continuations.whole.right).toBeLessThanOrEqual(1)
    for (const l of continuations.whole.list) expect(l).toMatch(/GM.*recall.*continues.*GM.*Recall/i)
    expect(continuations.byPart.links).toBe(continuations.byPart.right)
  })

  it('links the second half of each story to its first half on the day before (uci-dev reporting part): precision ≥ 0.9, nearly every story followed', () => {
    const r = continuations.split.reporting
    expect(r.right / r.links).toBeGreaterThanOrEqual(0.9)
    // By label: a story's second day is linked to its first.
    expect(r.labels.found / r.labels.due).toBeGreaterThanOrEqual(0.9)
    // By story of the second day: one the grouping splits in two gets one link (threads are one
    // to one), so this is lower.
    expect(r.found / r.due).toBeGreaterThanOrEqual(0.5)
  })
})

describe('grouping: copies, a busy event, our own fixture', () => {
  it('on our own fixture: precision ≥ 0.95 (its hard negatives apart: two quakes, two central banks, a recall and results), recall ≥ 0.95, the five sample reports one story', () => {
    const digest = compose(fixture)
    const { precision, recall } = pairwise(digest, fixture)
    expect(precision).toBeGreaterThanOrEqual(0.95)
    expect(recall).toBeGreaterThanOrEqual(0.95)
    const pact = fixture.filter((x) => x.label === 'putin-kim-pact').map((x) => x.entry.slug)
    expect(pact).toHaveLength(5)
    const story = digest.stories.find((s) => s.articles.some((a) => a.slug === pact[0]))!
    expect(story.articles.map((a) => a.slug).sort()).toEqual([...pact].sort())
    for (const [a, b] of [
      ['peru-quake', 'turkey-quake'],
      ['ecb-hold', 'boe-cut'],
      ['volta-recall', 'volta-earnings'],
    ]) {
      const storyOf = (label: string) =>
        new Set(fixture.filter((x) => x.label === label).map((x) => digest.stories.findIndex((s) => s.articles.some((y) => y.slug === x.entry.slug))))
      const shared = [...storyOf(a!)].filter((k) => storyOf(b!).has(k))
      expect(shared, `${a} / ${b}`).toEqual([])
    }
  })

  it('gathers 500 copies of one report into one story', () => {
    const one = wikiref.find((x) => x.label === 'ParisAttacks2015')!
    const copies = Array.from({ length: 500 }, (_, i) => ({ ...one, entry: { ...one.entry, slug: `copy-${i}`, date: day(i) } }))
    expect(compose(copies).stories).toHaveLength(1)
  })

  it('keeps an event that is half of a 20-report day in one story (rarity from the collection, as the writer gives it)', () => {
    // The first ten reports of the Paris attacks (the night and the next days), and ten others.
    const event = wikiref.filter((x) => x.label === 'ParisAttacks2015').slice(0, 10)
    const others = wikiref
      .filter((x) => !['malaysia.airlines.flight', 'ParisAttacks2015'].includes(x.label))
      .filter((_, i) => i % 5 === 0)
      .slice(0, 10)
    const digest = compose([...event, ...others], dfOf(wikiref.map((x) => x.entry)))
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

  it('says that a story continues an earlier day’s story, links to it and keeps its identity over three days', () => {
    const pact = fixture.filter((x) => x.label === 'putin-kim-pact')
    const df = dfOf([...wikiref, ...fixture].map((x) => x.entry))
    const on = (date: string, items: Labelled[], previous: Digest[]) =>
      composeDigest({
        date,
        timezone: 'UTC',
        articles: items.map((x) => ({ ...x.entry, date: `${date}T12:00:00Z` })),
        siteUrl: 'https://news.example',
        df,
        previous: previous.flatMap(previousStoriesOf),
      })
    const first = on('2024-06-19', pact.slice(0, 3), [])
    const second = on('2024-06-20', pact.slice(3, 4), [first])
    const third = on('2024-06-28', pact.slice(4), [first, second])
    expect(second.stories[0]!.continues).toMatchObject({ date: '2024-06-19', id: first.stories[0]!.id })
    expect(second.stories[0]!.continues!.url).toMatch(/^https:\/\/news\.example\/digests\/2024-06-19#/)
    expect(third.stories[0]!.continues).toBeDefined()
    // One identity: the first day's story id, kept by every continuation.
    expect(first.stories[0]!.thread).toBe(first.stories[0]!.id)
    expect(second.stories[0]!.thread).toBe(first.stories[0]!.id)
    expect(third.stories[0]!.thread).toBe(first.stories[0]!.id)
  })

  it('a story of headline-only reports has its best headline as headline and a summary of what the others add', () => {
    // The Mt. Gox bankruptcy, 67 headlines.
    const items = loadUci().filter((x) => x.label === 'dUtPmDoOKHwco0M4wh2hZy-Sx5CrM')
    expect(items).toHaveLength(67)
    const digest = composeDigest({
      date: '2014-03-11',
      timezone: 'UTC',
      articles: items.map((x) => prepareDayEntry({ slug: x.id, title: x.title, date: x.date, topics: [], text: '' })),
      siteUrl: 'https://news.example',
    })
    expect(digest.stories.length).toBeGreaterThan(0)
    const biggest = digest.stories[0]!
    expect(biggest.summary.split('. ').length, biggest.summary).toBeGreaterThan(1)
    for (const s of digest.stories) {
      expect(s.summary, s.headline).not.toBe('')
      expect(s.summary.startsWith(s.headline), s.headline).toBe(true)
    }
    // No article names a source: the overview does not count any.
    expect(digest.overview).not.toMatch(/source/)
  })

  it('opens with the news, not a dateline, a capitals lead-in or a notice, and keeps a long lead whole', () => {
    const lead = `PARIS (Reuters) - ${'French police said on Saturday that the search for the men behind the attacks, which killed 129 people in the capital, '.repeat(3)}was widening.`
    const entry = prepareDayEntry({
      slug: 'lead',
      title: 'Search widens',
      date: day(1),
      topics: [],
      text: `Already a subscriber? Log in to continue reading this article.\n${lead}\nMr. Lumina also said that more arrests were likely in the coming days.`,
    })
    expect(entry.sentences[0]!.text).toBe(lead.slice('PARIS (Reuters) - '.length))
    const digest = composeDigest({ date: '2024-06-19', timezone: 'UTC', articles: [entry], siteUrl: 'https://news.example' })
    expect(digest.stories[0]!.summary.startsWith('French police said')).toBe(true)
  })
})
