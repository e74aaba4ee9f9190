import { describe, expect, it } from 'vitest'
import { excerptOf, highlight } from './excerpt'
import { buildSegment, encodeTerms, type IndexedDoc, type IndexRead, type SearchDelta, type SearchHits, SHARDS, searchIndex, shardOf } from './index'
import { queryTerms, termCounts, termSpans } from './terms'

const doc = (slug: string, date: string, text: string, topics: string[] = []): IndexedDoc => {
  const counts = termCounts(text)
  let len = 0
  for (const n of counts.values()) len += n
  const inverted = 8_640_000_000_000_000 - Date.parse(date)
  return { slug, key: `${inverted.toString().padStart(17, '0')}~${slug}`, len, topics, terms: encodeTerms(counts) }
}

/** An index of `base` (its generation 1) and `fresh` (the delta), `masked` base ids hidden. */
function indexOf(base: IndexedDoc[], fresh: IndexedDoc[], masked: number[] = []): IndexRead {
  const b = buildSegment([...base].sort((x, y) => (x.key < y.key ? -1 : 1)))
  const d = buildSegment(fresh)
  const delta: SearchDelta = { gen: 1, masked, ...d.table, postings: d.shards.join('') }
  return { delta, directory: { gen: 1, ...b.table }, shards: new Map(b.shards.map((s, i) => [i, s])) }
}

const ANY = { anyOf: [], require: [], exclude: [] }
const slugs = (hits: SearchHits) => hits.slice(0, 100).map((h) => h.slug)

describe('search terms', () => {
  it('folds case, NFC/NFD, compatibility forms and Latin accents; stems English plurals', () => {
    expect(queryTerms('Sanctions CAFÉ')).toEqual(['sanction', 'cafe'])
    expect(queryTerms('Zoë'.normalize('NFD'))).toEqual(queryTerms('Zoë'.normalize('NFC')))
    expect(queryTerms('ｆｕｌｌ')).toEqual(['full'])
  })

  it('cuts unspaced scripts into characters and pairs, and asks for the pairs', () => {
    expect(termSpans('東京都').map((s) => s.term)).toEqual(['東', '東京', '京', '京都', '都'])
    expect(queryTerms('東京都')).toEqual(['東京', '京都'])
    expect(queryTerms('東')).toEqual(['東'])
    expect(queryTerms('Tokyo東京')).toEqual(['tokyo', '東京'])
  })

  it('keeps scripts with marks whole (Hindi, Thai vowel signs on their letter)', () => {
    expect(queryTerms('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया'])
    expect(termSpans('กิน').map((s) => s.term)).toEqual(['กิ', 'กิน', 'น'])
  })
})

describe('searchIndex', () => {
  const base = [
    doc('pact', '2024-06-19T08:00:00Z', 'Russia and North Korea sign a defence pact; sanctions loom', ['diplomacy']),
    doc('oil', '2024-06-18T08:00:00Z', 'Oil prices rise as sanctions on Russia tighten. Sanctions, sanctions.', ['energy']),
    doc('tokyo', '2024-06-17T08:00:00Z', '東京都の知事選挙', ['japan']),
  ]

  it('finds documents holding every term, best first by BM25, or newest first', () => {
    const read = indexOf(base, [])
    expect(slugs(searchIndex(read, queryTerms('sanctions'), ANY, 'relevance'))).toEqual(['oil', 'pact'])
    expect(slugs(searchIndex(read, queryTerms('sanctions'), ANY, 'date'))).toEqual(['pact', 'oil'])
    expect(slugs(searchIndex(read, queryTerms('sanctions pact'), ANY, 'relevance'))).toEqual(['pact'])
    expect(slugs(searchIndex(read, queryTerms('京都'), ANY, 'relevance'))).toEqual(['tokyo'])
    expect(searchIndex(read, queryTerms('nothing'), ANY, 'relevance').total).toBe(0)
  })

  it('takes topic filters as the feeds do', () => {
    const read = indexOf(base, [])
    expect(slugs(searchIndex(read, queryTerms('russia'), { anyOf: ['energy'], require: [], exclude: [] }, 'date'))).toEqual(['oil'])
    expect(slugs(searchIndex(read, queryTerms('russia'), { anyOf: [], require: [], exclude: ['energy'] }, 'date'))).toEqual(['pact'])
  })

  it('reads the delta: new documents found, masked base ids (edited or gone) hidden', () => {
    // Base ids are places in sort order: pact 0, oil 1, tokyo 2.
    const edited = doc('oil', '2024-06-18T08:00:00Z', 'Oil prices fall', ['energy'])
    const fresh = doc('new', '2024-06-20T08:00:00Z', 'New sanctions announced')
    const read = indexOf(base, [fresh, edited], [1, 0])
    expect(slugs(searchIndex(read, queryTerms('sanctions'), ANY, 'date'))).toEqual(['new'])
    expect(slugs(searchIndex(read, queryTerms('oil'), ANY, 'date'))).toEqual(['oil'])
  })

  it('puts every term in exactly one shard', () => {
    const { shards } = buildSegment(base)
    expect(shards).toHaveLength(SHARDS)
    expect(shards[shardOf('sanction')]).toContain('\nsanction\t')
    expect(shards.filter((s) => s.includes('\nsanction\t'))).toHaveLength(1)
  })
})

describe('excerpts', () => {
  it('marks the query’s words where they are, accents and case folded', () => {
    expect(highlight('Café society: the CAFES', new Set(queryTerms('cafe')))).toEqual({
      text: 'Café society: the CAFES',
      marks: [
        [0, 4],
        [18, 23],
      ],
    })
  })

  it('takes the part of a long text with the most terms, cut at words', () => {
    const text = `${'filler words here '.repeat(40)}the pact was signed in Pyongyang ${'more filler '.repeat(40)}`
    const e = excerptOf(text, new Set(queryTerms('pact pyongyang')), 120)
    expect(e.text.startsWith('…')).toBe(true)
    expect(e.text.endsWith('…')).toBe(true)
    expect(e.text.length).toBeLessThanOrEqual(122)
    expect(e.marks.map(([a, b]) => e.text.slice(a, b))).toEqual(['pact', 'Pyongyang'])
  })
})
