import { describe, expect, it } from 'vitest'
import { freePlanCost, planSync } from './sync'

describe('freePlanCost', () => {
  const plan = (added: number, held = 0) =>
    planSync(
      new Map(Array.from({ length: added }, (_, i) => [`a-${i}`, `"e${i}"`])),
      Array.from({ length: held }, (_, i) => ({ slug: `old-${i}`, origin: 'sync' as const, etag: '"x"' })),
    )

  it('counts a write an article, two a list it reaches, a chunk each 50, and the days of a 1,000-write quota they take', () => {
    expect(freePlanCost(plan(0), 1)).toEqual({ writes: 0, days: 0 })
    expect(freePlanCost(plan(5), 3)).toEqual({ writes: 14, days: 1 })
    // What the benchmark's first load of 1,000 articles on 200 topics writes: 1,430 before search,
    // which adds its delta and one base.
    expect(freePlanCost(plan(1000), 201)).toEqual({ writes: 1554, days: 2 })
    // Removing the synced articles whose files are gone costs their deletions too.
    expect(freePlanCost(plan(600, 100), 101)).toEqual({ writes: 1048, days: 2 })
  })
})
