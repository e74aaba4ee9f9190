import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseArticles } from '../article/parse'
import { markdownToText } from '../article/render'
import { GROUPING, groupReports, vectorize, vectorsOf } from './cluster'
import { prepareDayEntry } from './prepare'

interface Labelled {
  slug: string
  event: string
  title: string
  date: string
  topics: string[]
  body: string
}

/** Ten events reported two to four times each, four pairs of them hard to tell apart (two
 * earthquakes, two central banks, two strikes, one carmaker's recall and its results), a North
 * Korean missile launch beside the Putin–Kim pact, and six single reports; plus the five sample
 * articles, five outlets' reports of the pact. */
const FIXTURE = 'tests/fixtures/stories.json'

/** Pairwise precision and recall of a grouping against the labels. */
function pairwise(groups: number[][], labels: string[]): { precision: number; recall: number } {
  const groupOf = new Map<number, number>()
  groups.forEach((g, k) => g.forEach((i) => groupOf.set(i, k)))
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const same = labels[i] === labels[j]
      const together = groupOf.get(i) === groupOf.get(j)
      if (same && together) tp++
      else if (together) fp++
      else if (same) fn++
    }
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) }
}

describe('groupReports', () => {
  const v = (terms: [string, number][]) => new Map(terms)
  it('joins copies, merges by average link above the threshold and leaves the unlike alone', () => {
    const a = v([
      ['quake', 0.8],
      ['peru', 0.6],
    ])
    const b = v([
      ['quake', 0.6],
      ['peru', 0.8],
    ])
    const c = v([['bank', 1]])
    expect(groupReports(vectorsOf([a, c, b, a]))).toEqual([[0, 2, 3], [1]])
  })
  it('keeps headline-only groups to their own threshold', () => {
    const a = v([
      ['gox', 0.99],
      ['x', 0.141],
    ])
    const b = v([
      ['gox', 0.1],
      ['y', 0.995],
    ])
    // cosine 0.099: above the headline threshold (0.045), below what two short full-length
    // reports must be (0.22).
    expect(groupReports(vectorsOf([a, b]))).toEqual([[0, 1]])
    expect(groupReports(vectorsOf([a, b]), { ...GROUPING, headlineTerms: 0 })).toEqual([[0], [1]])
  })
  it('asks more of what joins a bigger story of headlines', () => {
    const story = v([
      ['gox', 0.99],
      ['x', 0.141],
    ])
    const stray = v([
      ['gox', 0.06],
      ['y', 0.9982],
    ])
    // cosine 0.059: enough to join a story of 10 (0.045 × (1 + 10/640) = 0.046), not one of
    // 700 (0.045 × (1 + 700/640) = 0.094).
    const small = groupReports(vectorsOf([...Array(10).fill(story), stray]))
    expect(small).toHaveLength(1)
    const big = groupReports(vectorsOf([...Array(700).fill(story), stray]))
    expect(big.map((g) => g.length)).toEqual([700, 1])
  })
})

describe('pairwise', () => {
  it('scores a perfect, a merged and a split grouping', () => {
    const labels = ['a', 'a', 'b', 'b']
    expect(
      pairwise(
        [
          [0, 1],
          [2, 3],
        ],
        labels,
      ),
    ).toEqual({ precision: 1, recall: 1 })
    expect(pairwise([[0, 1, 2, 3]], labels)).toEqual({ precision: 2 / 6, recall: 1 })
    expect(pairwise([[0], [1], [2, 3]], labels)).toEqual({ precision: 1, recall: 0.5 })
  })
})

describe('grouping on the labelled fixture', () => {
  const samples = parseArticles(readdirSync('articles').map((f) => ({ file: `articles/${f}`, bytes: readFileSync(`articles/${f}`) }))).articles
  const items: Labelled[] = [
    ...(JSON.parse(readFileSync(FIXTURE, 'utf8')) as Labelled[]),
    ...samples.map((a) => ({ slug: a.slug, event: 'putin-kim-pact', title: a.title, date: a.date, topics: [], body: a.body })),
  ]
  const entries = items.map((x) => prepareDayEntry({ slug: x.slug, title: x.title, date: x.date, topics: [], text: markdownToText(x.body) }))

  it('gathers their reports and keeps look-alike events apart', () => {
    const groups = groupReports(vectorize(entries))
    const score = pairwise(
      groups,
      items.map((x) => x.event),
    )
    console.log(
      `grouping on ${items.length} reports of ${new Set(items.map((x) => x.event)).size} events: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`,
    )
    // Two earthquakes, two central banks, one carmaker's recall and its results: the short-report
    // guard keeps them apart (plain TF-IDF at the threshold real news asks for merged them, 0.49).
    expect(score.recall).toBeGreaterThanOrEqual(0.9)
    expect(score.precision).toBeGreaterThanOrEqual(0.95)
    const single = items.filter((x) => items.filter((y) => y.event === x.event).length === 1)
    const alone = single.filter((x) => groups.some((g) => g.length === 1 && items[g[0]!]!.slug === x.slug))
    expect(alone.length, 'single reports left alone').toBeGreaterThanOrEqual(single.length / 2)
  })
})
