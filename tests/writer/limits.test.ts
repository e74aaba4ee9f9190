import { describe, it } from 'vitest'
import { publishBurst, rebuildMany } from '../support/limits'

// The platform-limits tests, small enough for `npm test`; tests/scale/limits.test.ts runs the same
// bodies at full size (500 publishes, 10,000 articles) in `npm run test:scale`. A burst of 100
// writes no key twice, so the spacing of rewrites would go unchecked: 200 rewrites some.
describe('platform limits', () => {
  it('a 200-publish burst writes no key twice within a second and no flush passes 1,000 KV operations', () => publishBurst(200), 600_000)

  it('a rebuild of 1,000 articles runs in steps of at most 1,000 KV operations and a second rewrites nothing', () => rebuildMany(1_000), 900_000)
})
