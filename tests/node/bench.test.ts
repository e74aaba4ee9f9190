import { describe, expect, it } from 'vitest'
import { loadCollection, measureCompose, measurePublish, measureRoutes } from '../../bench/inprocess'

// A smoke run of `npm run bench` (N = 100, a few iterations) so the benchmark cannot rot. It
// asserts what the benchmark is for, not timings: every route answers and reads at most 2 values
// (a filtered feed: its lists' heads, then their documents, which hold its items).
describe('benchmark smoke run', () => {
  /** A search reads its delta, its base's directory and a shard a word, then each result's article
   * (10 a page, 20 in a feed); a search feed's 304 only its delta. */
  const readBudget = (name: string): number =>
    name === 'feed of two topics' ? 4 : name === 'search feed, 304 answer' ? 1 : name === 'search feed' ? 3 + 20 : name.startsWith('search') ? 4 + 10 : 2

  it('measures every route at N = 100 within the read budget, and the write and cron costs', async () => {
    const c = await loadCollection(100)
    const rows = await measureRoutes(c, 3)
    expect(rows.map((r) => r.name)).toContain('304 answer')
    for (const r of rows) {
      expect(r.status, r.name).toBe(r.name.endsWith('304 answer') ? 304 : 200)
      expect(r.kvReads, r.name).toBeLessThanOrEqual(readBudget(r.name))
      expect(r.medianUs, r.name).toBeGreaterThan(0)
    }
    for (const newest of [true, false]) {
      const publish = await measurePublish(c, 1, newest)
      expect(publish.writes).toBeGreaterThan(3)
      // Article, list heads, feed heads and their finished documents (3 formats each): see README.
      expect(publish.writes).toBeLessThanOrEqual(24)
    }
    expect(measureCompose(20, 1)).toBeGreaterThan(0)
  }, 60_000)
})
