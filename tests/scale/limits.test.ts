import { describe, it } from 'vitest'
import { publishBurst, rebuildMany } from '../support/limits'

// At full size, in `npm run test:scale` (and CI) only; tests/writer/limits.test.ts runs them small in `npm test`.
describe('platform limits', () => {
  it('a 500-publish burst writes no key twice within a second and no flush passes 1,000 KV operations', () => publishBurst(500), 600_000)

  it('a rebuild of 10,000 articles runs in steps of at most 1,000 KV operations and a second rewrites nothing', () => rebuildMany(10_000), 900_000)
})
