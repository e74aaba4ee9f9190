import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseArticles } from '../article/parse'
import { markdownToText } from '../article/render'
import { groupReports, vectorize } from './cluster'
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

  it('keeps events apart and gathers their reports: pairwise precision and recall of at least 0.9', () => {
    const groups = groupReports(vectorize(entries))
    const score = pairwise(
      groups,
      items.map((x) => x.event),
    )
    console.log(
      `grouping on ${items.length} reports of ${new Set(items.map((x) => x.event)).size} events: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`,
    )
    const wrong = groups.filter((g) => new Set(g.map((i) => items[i]!.event)).size > 1).map((g) => g.map((i) => items[i]!.slug))
    expect(wrong, 'groups mixing events').toEqual([])
    expect(score.precision).toBeGreaterThanOrEqual(0.9)
    expect(score.recall).toBeGreaterThanOrEqual(0.9)
  })
})
