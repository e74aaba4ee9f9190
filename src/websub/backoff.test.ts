import { describe, expect, it } from 'vitest'
import { RETRY_MAX_MS, retryDelayMs } from './backoff'

describe('retryDelayMs', () => {
  it('starts at the base and doubles', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 10_000))).toEqual([10_000, 20_000, 40_000, 80_000])
  })
  it('never waits more than an hour', () => {
    expect(retryDelayMs(10, 10_000)).toBe(RETRY_MAX_MS)
    expect(retryDelayMs(1000, 10_000)).toBe(RETRY_MAX_MS)
  })
  it('a zero base (tests) retries at once', () => {
    expect(retryDelayMs(5, 0)).toBe(0)
  })
})
