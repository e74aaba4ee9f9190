import { describe, expect, it } from 'vitest'
import { freePlanCost, planSync } from './sync'

describe('freePlanCost', () => {
  const plan = (added: number, held = 0) =>
    planSync(
      new Map(Array.from({ length: added }, (_, i) => [`a-${i}`, `"e${i}"`])),
      Array.from({ length: held }, (_, i) => ({ slug: `old-${i}`, origin: 'sync' as const, etag: '"x"' })),
    )

  it('counts two writes an article and the days of a 1,000-write quota they take', () => {
    expect(freePlanCost(plan(0))).toEqual({ writes: 0, days: 0 })
    expect(freePlanCost(plan(5))).toEqual({ writes: 10, days: 1 })
    expect(freePlanCost(plan(1000))).toEqual({ writes: 2000, days: 2 })
    // Removing the synced articles whose files are gone costs their deletions too.
    expect(freePlanCost(plan(600, 100))).toEqual({ writes: 1400, days: 2 })
  })
})
