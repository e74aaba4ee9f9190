import { describe, it } from 'vitest'
import { BOUND, behindRebuild, behindSync } from '../support/fairness'

// At full size, in `npm run test:scale` (and CI) only; tests/writer/fairness.test.ts runs them small in `npm test`.
describe('fairness', () => {
  it(`a small publish is visible within ${BOUND} steps behind a 5,000-list sync queued first`, () => behindSync(5_000), 600_000)

  it(
    `a small publish is visible within ${BOUND} steps behind a rebuild of 5,000 lists for new settings, which keeps the old topic index until it is whole`,
    () => behindRebuild(5_000),
    600_000,
  )
})
