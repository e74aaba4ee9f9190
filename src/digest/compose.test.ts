import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cleanHeadline, composeDigest } from './compose'
import { renderDigestMarkdown } from './markdown'
import type { DayEntry } from './model'
import { prepareDayEntry } from './prepare'

const SEEDS = 'tests/fixtures/seeds'
const texts = readdirSync(SEEDS)
  .sort()
  .map((f) => readFileSync(`${SEEDS}/${f}`, 'utf8').split('\n'))
const seeds: DayEntry[] = texts.map(([title, ...rest], i) =>
  prepareDayEntry({
    slug: `seed-${i}`,
    title: title!.trim(),
    date: `2024-06-19T1${i}:00:00+09:00`,
    topics: [{ slug: 'russia', name: 'Russia' }],
    text: rest.join('\n\n').trim(),
  }),
)
const compose = (articles: DayEntry[]) => composeDigest({ date: '2024-06-19', timezone: 'Asia/Pyongyang', articles, siteUrl: 'https://news.example' })

describe('composeDigest', () => {
  it('gathers the five outlets’ reports of one event into exactly one story', () => {
    const d = compose(seeds)
    expect(d.stories).toHaveLength(1)
    expect(d.stories[0]!.articles.map((a) => a.slug).sort()).toEqual(seeds.map((s) => s.slug))
    // No report names its outlet or author: no sources are counted.
    expect(d.counts).toEqual({ stories: 1, articles: 5, sources: 0 })
  })

  it('takes the summary word for word from the reports', () => {
    const story = compose(seeds).stories[0]!
    const sentences = story.summary.match(/[^.!?»”]+[.!?»”]+/g)!
    expect(sentences.length).toBeGreaterThanOrEqual(2)
    const all = texts.map((t) => t.join(' ').replace(/\s+/g, ' ')).join(' ')
    for (const s of story.summary.split(/(?<=[.!?»”])\s+(?=[A-Z“«])/)) expect(all).toContain(s.trim())
    expect(seeds.map((s) => cleanHeadline(s.title))).toContain(story.headline)
  })

  it('keeps a story id when another report joins it', () => {
    const before = compose(seeds.slice(0, 4)).stories[0]!.id
    expect(compose(seeds).stories[0]!.id).toBe(before)
    expect(before).toBe('story-seed-0')
  })

  it('gives the same digest whatever the order of its input', () => {
    expect(compose([...seeds].reverse())).toEqual(compose(seeds))
  })

  it('says so honestly when a day has no articles', () => {
    const d = compose([])
    expect(d.stories).toEqual([])
    expect(d.overview).toBe('No articles were published on 19 June 2024, so there is nothing to report for this day.')
    expect(renderDigestMarkdown(d)).toBe(`# Daily digest: 19 June 2024\n\n${d.overview}\n`)
  })
})

describe('renderDigestMarkdown', () => {
  it('writes a title, an overview and each story with summary, topics and every report', () => {
    const md = renderDigestMarkdown(compose(seeds))
    expect(md).toMatch(
      /^# Daily digest: 19 June 2024\n\n1 story from 5 articles on 19 June 2024; reports of the same event are gathered into one story\.\n\n## /,
    )
    expect(md).toContain('Topics: Russia')
    expect(md).toContain('Reported by 5 articles:')
    for (const s of seeds) expect(md).toContain(`](https://news.example/articles/${s.slug})`)
  })

  it('escapes Markdown in headlines and titles', () => {
    const odd = prepareDayEntry({
      slug: 'odd',
      title: '# Not a [heading](x) *really*',
      date: '2024-06-19T10:00:00Z',
      topics: [],
      text: 'Body of the odd one, long enough to be a sentence here.',
    })
    const md = renderDigestMarkdown(compose([odd]))
    expect(md).toContain('## \\# Not a \\[heading\\](x) \\*really\\*')
  })
})
