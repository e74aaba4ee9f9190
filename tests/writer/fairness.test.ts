import { describe, it } from 'vitest'
import { BOUND, behindRebuild, behindSync } from '../support/fairness'

// Small in `npm test`; tests/scale/fairness.test.ts runs them with 5,000 lists.
describe('fairness', () => {
  it(`a small publish is visible within ${BOUND} steps behind a 1,000-list sync queued first`, () => behindSync(1_000), 300_000)

  it(
    `a small publish is visible within ${BOUND} steps behind a rebuild of 1,000 lists for new settings, which keeps the old topic index until it is whole`,
    () => behindRebuild(1_000),
    300_000,
  )
})
