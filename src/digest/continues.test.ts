import { describe, expect, it } from 'vitest'
import { continuations, type PreviousStory } from './continues'

const prev = (id: string, date: string, terms: [string, number][], thread?: string): PreviousStory => ({
  id,
  date,
  headline: id,
  url: `https://x/${id}`,
  terms,
  ...(thread ? { thread } : {}),
})

describe('continuations', () => {
  it('links a story to the most similar earlier one, only above the threshold', () => {
    const earlier = [
      prev('gm', '2024-06-18', [
        ['gm', 0.9],
        ['recall', 0.4],
      ]),
      prev('gox', '2024-06-18', [['gox', 1]]),
    ]
    const links = continuations(
      [
        [
          ['gm', 0.8],
          ['recall', 0.6],
        ],
        [['snowden', 1]],
      ],
      earlier,
    )
    expect(links.map((l) => l?.id)).toEqual(['gm', undefined])
  })

  it('gives each thread to one story of the day, the most similar', () => {
    const earlier = [prev('gm-2', '2024-06-19', [['gm', 1]], 'gm-1')]
    const links = continuations(
      [
        [
          ['gm', 0.8],
          ['x', 0.6],
        ],
        [['gm', 1]],
      ],
      earlier,
    )
    expect(links.map((l) => l?.thread)).toEqual([undefined, 'gm-1'])
  })
})
